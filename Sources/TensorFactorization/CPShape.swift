public import DeepFactorization

/// The shape of a CP factorization: an order-N tensor with mode dimensions d₁…d_N written as the sum
/// of R rank-one tensors, W = Σ_r w_r¹ ⊗ ⋯ ⊗ w_r^N.
///
/// The parameters are one flat vector (what an ``Optimizer`` updates): the factor matrix of mode n,
/// d_n × R with column r = w_rⁿ, stored row by row (the R components of one row side by side), modes
/// one after another.
public struct CPShape: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The mode dimensions d₁…d_N.
  public let dimensions: [Int]
  /// The number of components R.
  public let components: Int

  /// A shape of order `dimensions.count` ≥ 2 with `components` ≥ 1 components.
  public init(dimensions: [Int], components: Int) {
    precondition(dimensions.count >= 2 && dimensions.allSatisfy { $0 >= 1 } && components >= 1, "a CP shape needs order ≥ 2, dimensions ≥ 1 and R ≥ 1")
    self.dimensions = dimensions
    self.components = components
  }

  /// The order N.
  public var order: Int { dimensions.count }
  /// The number of entries Π dₙ.
  public var entryCount: Int { dimensions.reduce(1, *) }
  /// The number of parameters R·Σ dₙ.
  public var parameterCount: Int { components * dimensions.reduce(0, +) }

  /// One block per mode factor (d_n·R parameters each), mode 1 first.
  public var parameterLayout: ParameterLayout {
    ParameterLayout(blockSizes: dimensions.map { $0 * components })
  }

  /// Where mode n's factor starts in the parameter vector.
  public func offset(ofMode n: Int) -> Int { components * dimensions[..<n].reduce(0, +) }

  /// The linear index of a multi-index, the first mode varying fastest (as `Matrix` is column-major).
  public func linearIndex(_ index: [Int]) -> Int {
    var linear = 0
    for n in (0 ..< order).reversed() { linear = linear * dimensions[n] + index[n] }
    return linear
  }

  /// The multi-index of a linear index (the inverse of ``linearIndex(_:)``).
  public func multiIndex(_ linear: Int) -> [Int] {
    var rest = linear
    return dimensions.map { d in
      defer { rest /= d }
      return rest % d
    }
  }

  /// "8×8×8, R = 64".
  public var description: String { dimensions.map(String.init).joined(separator: "×") + ", R = \(components)" }
}
