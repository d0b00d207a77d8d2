/// How the flat parameter vector an ``Optimizer`` updates splits into blocks: one per factor of a
/// network (W_1 first), one per mode factor of a CP factorization. Optimizers that share a statistic
/// within a block (``SharedScalarAdam``) read it; coordinate-wise ones need only ``count``.
public struct ParameterLayout: Sendable, Equatable {
  /// The blocks' sizes, in the order they are stored.
  public let blockSizes: [Int]

  /// A layout of consecutive blocks of the given sizes (each ≥ 0).
  public init(blockSizes: [Int]) {
    precondition(blockSizes.allSatisfy { $0 >= 0 }, "block sizes must be non-negative, got \(blockSizes)")
    self.blockSizes = blockSizes
  }

  /// One block of `count` parameters.
  public init(count: Int) {
    self.init(blockSizes: [count])
  }

  /// The total number of parameters.
  public var count: Int { blockSizes.reduce(0, +) }
}

extension NetworkShape {
  /// One block per factor, W_1 first.
  public var parameterLayout: ParameterLayout {
    let offsets = self.offsets
    return ParameterLayout(blockSizes: (0 ..< depth).map { offsets[$0 + 1] - offsets[$0] })
  }
}
