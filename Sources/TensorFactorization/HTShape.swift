public import DeepFactorization

/// The shape of a hierarchical tensor factorization (HTF) of an order-N tensor with mode dimensions
/// d₁…d_N: the mode tree (pool size and pattern), the width r_l of each hidden layer, and where each
/// weight matrix sits in the flat parameter vector. Razin, Maman & Cohen (2022) and their
/// `ht_tensor_factorization.py` (asafmaman101/imp_reg_htf); the end tensor is
///
///   W[i₁…i_N] = oᵀ · ⊙_{children of the root} ( … ( ⊙_{c ∈ group} M_{0,c}[i_c, :] ) M_{1,·} … ),
///
/// a deep convolutional network with product pooling evaluated at one-hot inputs.
///
/// Level 0 of the tree holds the N modes; level l + 1 pools the nodes of level l in windows of the pool
/// size (after the pattern's permutation), until one node is left at level L. Hidden layer l
/// (0 ≤ l < L) has one weight matrix M_{l,v} per level-l node v, of size (d_v for l = 0, else
/// r_{l−1}) × r_l; the output vector o has r_{L−1} entries.
///
/// The parameters are one flat vector: layer 0's matrices mode by mode, then each later layer's node by
/// node, then o; every matrix row by row (a row's r_l entries side by side), as PyTorch lays out the
/// code's parameters.
public struct HTShape: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The mode dimensions d₁…d_N.
  public let dimensions: [Int]
  /// How many nodes one pooling window takes (≥ 2).
  public let poolSize: Int
  /// Which nodes pool together.
  public let pattern: HTPoolPattern
  /// The hidden layers' widths r₀…r_{L−1}, one per layer.
  public let widths: [Int]

  /// The number of hidden layers L for `order` modes pooled `poolSize` at a time: ⌈·/p⌉ applied until 1.
  public static func layerCount(order: Int, poolSize: Int) -> Int {
    var count = 0, nodes = order
    while nodes > 1 {
      nodes = (nodes + poolSize - 1) / poolSize
      count += 1
    }
    return count
  }

  /// A shape of order ≥ 2 with dimensions ≥ 1, pool size ≥ 2 and one width ≥ 1 per hidden layer.
  public init(dimensions: [Int], poolSize: Int = 2, pattern: HTPoolPattern = .checkerboard, widths: [Int]) {
    precondition(dimensions.count >= 2 && dimensions.allSatisfy { $0 >= 1 }, "an HT shape needs order ≥ 2 and dimensions ≥ 1")
    precondition(poolSize >= 2, "an HT shape needs a pool size ≥ 2")
    precondition(
      widths.count == Self.layerCount(order: dimensions.count, poolSize: poolSize) && widths.allSatisfy { $0 >= 1 },
      "an HT shape of order \(dimensions.count) and pool size \(poolSize) needs \(Self.layerCount(order: dimensions.count, poolSize: poolSize)) widths ≥ 1")
    self.dimensions = dimensions
    self.poolSize = poolSize
    self.pattern = pattern
    self.widths = widths
  }

  /// The order N.
  public var order: Int { dimensions.count }
  /// The number of hidden layers L.
  public var layers: Int { widths.count }
  /// The number of entries Π dₙ.
  public var entryCount: Int { dimensions.reduce(1, *) }

  /// For each level l < L, the level-(l + 1) nodes as lists of the level-l nodes they pool, in order.
  public var groups: [[[Int]]] {
    var result = [[[Int]]](), count = order
    for _ in 0 ..< layers {
      let permutation = pattern.permutation(count: count)
      let level = stride(from: 0, to: count, by: poolSize).map { Array(permutation[$0 ..< min(count, $0 + poolSize)]) }
      result.append(level)
      count = level.count
    }
    return result
  }

  /// For each level 0…L, its nodes as the modes they cover (the code's `get_per_level_mode_tree_nodes`).
  public var modeTree: [[[Int]]] {
    var levels = [(0 ..< order).map { [$0] }]
    for level in groups { levels.append(level.map { group in group.flatMap { levels.last![$0] } }) }
    return levels
  }

  /// The number of nodes at each level 0…L.
  public var nodeCounts: [Int] { [order] + groups.map(\.count) }

  /// The rows of M_{l,v}: d_v at layer 0, r_{l−1} after.
  public func inputWidth(layer l: Int, node v: Int) -> Int { l == 0 ? dimensions[v] : widths[l - 1] }

  /// Where M_{l,v} starts in the parameter vector.
  public func offset(layer l: Int, node v: Int) -> Int {
    var offset = 0
    for layer in 0 ..< l { offset += (0 ..< nodeCounts[layer]).reduce(0) { $0 + inputWidth(layer: layer, node: $1) * widths[layer] } }
    for node in 0 ..< v { offset += inputWidth(layer: l, node: node) * widths[l] }
    return offset
  }

  /// Where the output vector o starts.
  public var outputOffset: Int { offset(layer: layers, node: 0) }

  /// The number of parameters.
  public var parameterCount: Int { outputOffset + widths[layers - 1] }

  /// One block per weight matrix, layer by layer and node by node, then one for o.
  public var parameterLayout: ParameterLayout {
    var sizes = [Int]()
    for l in 0 ..< layers {
      for v in 0 ..< nodeCounts[l] { sizes.append(inputWidth(layer: l, node: v) * widths[l]) }
    }
    sizes.append(widths[layers - 1])
    return ParameterLayout(blockSizes: sizes)
  }

  /// "4×4×4×4, pool 2 checkerboard, widths (8, 8)".
  public var description: String {
    dimensions.map(String.init).joined(separator: "×") + ", pool \(poolSize) \(pattern.rawValue), widths (\(widths.map(String.init).joined(separator: ", ")))"
  }
}
