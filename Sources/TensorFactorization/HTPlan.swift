internal import LinearAlgebra

/// The keys of a hierarchical tensor factorization's tree nodes for one list of entries, and where each
/// node's activations sit in one arena: what ``HTEngine`` computes with.
///
/// A level-0 node (mode n) has the keys 0…d_n − 1 (its activations are M_{0,n}'s rows, read in place).
/// A level-(l + 1) node has one key per distinct tuple of its window's children's keys among the
/// entries, numbered in order of first appearance over the entries (no hashing order reaches a result).
/// Per node of level l ≥ 1 the arena holds X (keys × r_{l−1}, the pooled rows) and, below the root,
/// Z = X·M_{l,v} (keys × r_l); last the root's values (one per root key). Every block is row by row.
final class HTPlan: Sendable {
  let shape: HTShape
  let groups: [[[Int]]]
  /// keyCounts[l][v]: the keys of level-l node v.
  let keyCounts: [[Int]]
  /// childKeys[l][u]: for level-(l + 1) node u, its keys' children keys, key by key (window size each).
  let childKeys: [[[Int]]]
  /// The root key of each entry, in the entries' order.
  let entryKeys: [Int]
  /// xOffsets[l][v], zOffsets[l][v] (levels ≥ 1; Z below the root only; level 0 unused).
  let xOffsets: [[Int]], zOffsets: [[Int]]
  let valuesOffset: Int
  let arenaSize: Int
  /// Parameter offsets of M_{l,v}, and of o.
  let matrixOffsets: [[Int]]
  let outputOffset: Int

  /// The number of root keys.
  var rootKeys: Int { keyCounts[shape.layers][0] }

  init(shape: HTShape, entries: [[Int]]) {
    self.shape = shape
    groups = shape.groups
    var keyCounts = [shape.dimensions]
    var keysOfEntry = (0 ..< shape.order).map { n in entries.map { $0[n] } }  // per node of the level, per entry
    var childKeys = [[[Int]]]()
    for level in groups {
      var counts = [Int](), children = [[Int]](), next = [[Int]]()
      for window in level {
        var ids = [[Int]: Int](), flat = [Int](), keys = [Int]()
        keys.reserveCapacity(entries.count)
        for e in entries.indices {
          let tuple = window.map { keysOfEntry[$0][e] }
          if let id = ids[tuple] {
            keys.append(id)
          } else {
            ids[tuple] = ids.count
            keys.append(ids.count - 1)
            flat += tuple
          }
        }
        counts.append(ids.count)
        children.append(flat)
        next.append(keys)
      }
      keyCounts.append(counts)
      childKeys.append(children)
      keysOfEntry = next
    }
    self.keyCounts = keyCounts
    self.childKeys = childKeys
    entryKeys = keysOfEntry[0]
    var size = 0
    var xOffsets = [[Int]](repeating: [], count: shape.layers + 1), zOffsets = xOffsets
    for l in 1 ... shape.layers {
      for v in 0 ..< keyCounts[l].count {
        xOffsets[l].append(size)
        size += keyCounts[l][v] * shape.widths[l - 1]
        if l < shape.layers {
          zOffsets[l].append(size)
          size += keyCounts[l][v] * shape.widths[l]
        }
      }
    }
    valuesOffset = size
    arenaSize = size + keyCounts[shape.layers][0]
    self.xOffsets = xOffsets
    self.zOffsets = zOffsets
    matrixOffsets = (0 ..< shape.layers).map { l in (0 ..< shape.nodeCounts[l]).map { shape.offset(layer: l, node: $0) } }
    outputOffset = shape.outputOffset
  }

  /// Level-l node v's layer-l output rows (keys × r_l): M_{0,v} itself at level 0.
  @inline(__always)
  private func z(_ l: Int, _ v: Int, _ parameters: UnsafePointer<Double>, _ arena: UnsafePointer<Double>) -> UnsafePointer<Double> {
    l == 0 ? parameters + matrixOffsets[0][v] : arena + zOffsets[l][v]
  }

  /// Every node's activations and the root's values into `arena`.
  func forward(_ parameters: UnsafePointer<Double>, _ arena: UnsafeMutablePointer<Double>) {
    for l in 0 ..< shape.layers {
      let r = shape.widths[l]
      // Pooling: X_{l+1,u}[k] = ⊙_j Z_{l,c_j}[key_j(k)].
      for (u, window) in groups[l].enumerated() {
        let q = window.count, x = arena + xOffsets[l + 1][u]
        childKeys[l][u].withUnsafeBufferPointer { keys in
          for k in 0 ..< keyCounts[l + 1][u] {
            let out = x + k * r
            let first = z(l, window[0], parameters, arena) + keys[k * q] * r
            for i in 0 ..< r { out[i] = first[i] }
            for j in 1 ..< q {
              let next = z(l, window[j], parameters, arena) + keys[k * q + j] * r
              for i in 0 ..< r { out[i] *= next[i] }
            }
          }
        }
      }
      // The next layer's weights: Z_{l+1,v} = X_{l+1,v}·M_{l+1,v}, or the root's values X·o.
      if l + 1 < shape.layers {
        let next = shape.widths[l + 1]
        for v in 0 ..< keyCounts[l + 1].count where keyCounts[l + 1][v] > 0 {
          BLAS.gemm(
            transposingA: false, transposingB: false, m: next, n: keyCounts[l + 1][v], k: r, alpha: 1,
            a: parameters + matrixOffsets[l + 1][v], lda: next, b: arena + xOffsets[l + 1][v], ldb: r, beta: 0,
            c: arena + zOffsets[l + 1][v], ldc: next)
        }
      } else {
        BLAS.gemv(
          transposingA: true, m: r, n: rootKeys, alpha: 1, a: arena + xOffsets[l + 1][0], lda: r, x: parameters + outputOffset, beta: 0,
          y: arena + valuesOffset)
      }
    }
  }

  /// The gradient of the loss whose derivatives by the root's values are in `adjoint` at
  /// ``valuesOffset``, after ``forward(_:_:)`` filled `arena`. `adjoint` is the arena's twin (its blocks
  /// hold ∂ℓ/∂X and ∂ℓ/∂Z); `gradient` is overwritten.
  func backward(_ parameters: UnsafePointer<Double>, _ arena: UnsafePointer<Double>, _ adjoint: UnsafeMutablePointer<Double>, _ gradient: UnsafeMutablePointer<Double>) {
    gradient.initialize(repeating: 0, count: shape.parameterCount)
    let top = shape.layers, last = shape.widths[top - 1], roots = rootKeys
    let values = adjoint + valuesOffset
    // ∂ℓ/∂o = Xᵀ·∂ℓ/∂values; ∂ℓ/∂X[k] = ∂ℓ/∂values[k]·o.
    BLAS.gemv(transposingA: false, m: last, n: roots, alpha: 1, a: arena + xOffsets[top][0], lda: last, x: values, beta: 0, y: gradient + outputOffset)
    let o = parameters + outputOffset, gx = adjoint + xOffsets[top][0]
    for k in 0 ..< roots {
      let g = values[k], row = gx + k * last
      for i in 0 ..< last { row[i] = g * o[i] }
    }
    for l in stride(from: top - 1, through: 0, by: -1) {
      let r = shape.widths[l]
      // ∂ℓ/∂Z_{l,c}: zero, then the pooled products scattered to the children's keys.
      if l > 0 {
        for v in 0 ..< keyCounts[l].count { (adjoint + zOffsets[l][v]).initialize(repeating: 0, count: keyCounts[l][v] * r) }
      }
      for (u, window) in groups[l].enumerated() {
        let q = window.count, gxu = adjoint + xOffsets[l + 1][u]
        childKeys[l][u].withUnsafeBufferPointer { keys in
          for k in 0 ..< keyCounts[l + 1][u] {
            let g = gxu + k * r
            for j in 0 ..< q {
              let target = (l == 0 ? gradient + matrixOffsets[0][window[j]] : adjoint + zOffsets[l][window[j]]) + keys[k * q + j] * r
              if q == 1 {
                for i in 0 ..< r { target[i] += g[i] }
              } else if q == 2 {
                let other = z(l, window[1 - j], parameters, arena) + keys[k * q + 1 - j] * r
                for i in 0 ..< r { target[i] += g[i] * other[i] }
              } else {
                for i in 0 ..< r {
                  var product = g[i]
                  for j2 in 0 ..< q where j2 != j { product *= z(l, window[j2], parameters, arena)[keys[k * q + j2] * r + i] }
                  target[i] += product
                }
              }
            }
          }
        }
      }
      guard l > 0 else { break }
      // Through M_{l,v}: ∂ℓ/∂M = Xᵀ·∂ℓ/∂Z, ∂ℓ/∂X = ∂ℓ/∂Z·Mᵀ.
      let input = shape.widths[l - 1]
      for v in 0 ..< keyCounts[l].count where keyCounts[l][v] > 0 {
        let keys = keyCounts[l][v], gz = adjoint + zOffsets[l][v]
        BLAS.gemm(
          transposingA: false, transposingB: true, m: r, n: input, k: keys, alpha: 1, a: gz, lda: r, b: arena + xOffsets[l][v], ldb: input,
          beta: 0, c: gradient + matrixOffsets[l][v], ldc: r)
        BLAS.gemm(
          transposingA: true, transposingB: false, m: input, n: keys, k: r, alpha: 1, a: parameters + matrixOffsets[l][v], lda: r, b: gz,
          ldb: r, beta: 0, c: adjoint + xOffsets[l][v], ldc: input)
      }
    }
  }
}
