/// One local component of a hierarchical tensor factorization: at hidden layer l, the pooling window
/// that forms level-(l + 1) node u, and index r < r_l. Its weight vectors are column r of the window's
/// matrices M_{l,c} and row r of the parent's M_{l+1,u} (entry r of o at the last layer); scaling one of
/// them by α and another by 1/α leaves the end tensor unchanged. Its norm is the product of their norms
/// (the code's `__compute_local_components_norms` in `ht_factorization_evaluator.py`).
public struct HTLocalComponent: Sendable, Hashable, CustomStringConvertible {
  /// The hidden layer l.
  public let layer: Int
  /// The level-(l + 1) node (pooling window) u.
  public let node: Int
  /// The index r < r_l.
  public let index: Int
  /// Where each weight vector lies in the parameter vector: the window's columns in pooling order, then
  /// the parent's row (or o's entry).
  public let vectors: [StridedSlice]

  /// Equally spaced places in the parameter vector: `start`, `start + stride`, … (`count` of them).
  public struct StridedSlice: Sendable, Hashable {
    /// The first place.
    public let start: Int
    /// The distance between places.
    public let stride: Int
    /// How many places.
    public let count: Int

    /// The places, in order.
    public var indices: StrideTo<Int> { Swift.stride(from: start, to: start + stride * count, by: stride) }
  }

  /// The number K of weight vectors whose product forms the component (pool size + 1 for a full window).
  public var order: Int { vectors.count }

  /// "layer 0, node 1, r = 3".
  public var description: String { "layer \(layer), node \(node), r = \(index)" }

  /// ‖w_k‖ for each weight vector.
  public func vectorNorms(in parameters: [Double]) -> [Double] {
    vectors.map { slice in slice.indices.reduce(0) { $0 + parameters[$1] * parameters[$1] }.squareRoot() }
  }

  /// The component's norm Π_k ‖w_k‖.
  public func norm(in parameters: [Double]) -> Double { vectorNorms(in: parameters).reduce(1, *) }

  /// ⟨w_k, g_k⟩ for each weight vector, g the gradient (equal for all k: the rescaling symmetry).
  public func innerProducts(_ parameters: [Double], _ gradients: [Double]) -> [Double] {
    vectors.map { slice in slice.indices.reduce(0) { $0 + parameters[$1] * gradients[$1] } }
  }
}

extension HTShape {
  /// Every local component, layer by layer, window by window, index by index.
  public var localComponents: [HTLocalComponent] {
    var result = [HTLocalComponent]()
    let groups = self.groups
    for l in 0 ..< layers {
      let width = widths[l]
      for (u, window) in groups[l].enumerated() {
        for r in 0 ..< width {
          var vectors = window.map { c in
            HTLocalComponent.StridedSlice(start: offset(layer: l, node: c) + r, stride: width, count: inputWidth(layer: l, node: c))
          }
          if l + 1 < layers {
            let next = widths[l + 1]
            vectors.append(.init(start: offset(layer: l + 1, node: u) + r * next, stride: 1, count: next))
          } else {
            vectors.append(.init(start: outputOffset + r, stride: 1, count: 1))
          }
          result.append(HTLocalComponent(layer: l, node: u, index: r, vectors: vectors))
        }
      }
    }
    return result
  }
}
