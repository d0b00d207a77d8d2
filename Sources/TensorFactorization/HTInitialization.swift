import SeededRandom

/// How a hierarchical tensor factorization's weights start.
public enum HTInitialization: Sendable, Equatable {
  /// Independent Gaussian entries of standard deviation `std` in every weight matrix and o (the code's
  /// `init_std`, mean 0), drawn in the parameter vector's order.
  case gaussian(std: Double, seed: UInt64)
  /// Given weights, as a problem file writes them: per hidden layer, per node, its matrix M_{l,v} row
  /// by row; then o.
  case weights(layers: [[[[Double]]]], output: [Double])
  /// Given parameters (the flat vector of ``HTShape``).
  case parameters([Double])

  /// The parameter vector for `shape`.
  public func parameters(for shape: HTShape) -> [Double] {
    switch self {
    case .gaussian(let std, let seed):
      var generator = Xoshiro256StarStar(seed: seed)
      return (0 ..< shape.parameterCount).map { _ in std * generator.nextGaussian() }
    case .weights(let layers, let output):
      precondition((try? validate(for: shape)) != nil, "weights that do not fit the HT shape \(shape)")
      return layers.flatMap { $0.flatMap { $0.flatMap { $0 } } } + output  // layer by layer, node by node, row by row: the flat layout
    case .parameters(let given):
      precondition(given.count == shape.parameterCount, "\(given.count) parameters for an HT shape that has \(shape.parameterCount)")
      return given
    }
  }
}
