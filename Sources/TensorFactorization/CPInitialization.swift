import SeededRandom

/// How a CP factorization's factors start.
public enum CPInitialization: Sendable, Equatable {
  /// Independent Gaussian entries of standard deviation `std` (the tensor code's `init_std`).
  case gaussian(std: Double, seed: UInt64)
  /// Balanced components: every factor vector w_rⁿ a uniformly random direction of norm `norm`, so
  /// every component has norm `norm`^N and equal factor norms.
  case balanced(norm: Double, seed: UInt64)
  /// Given factors: for each mode n a d_n × R matrix, row by row (row i holds entry i of every
  /// component's factor vector), as a problem file writes them.
  case factors([[[Double]]])
  /// Given parameters (the flat vector of ``CPShape``).
  case parameters([Double])

  /// The parameter vector for `shape`.
  public func parameters(for shape: CPShape) -> [Double] {
    switch self {
    case .gaussian(let std, let seed):
      var generator = Xoshiro256StarStar(seed: seed)
      return (0 ..< shape.parameterCount).map { _ in std * generator.nextGaussian() }
    case .balanced(let norm, let seed):
      var generator = Xoshiro256StarStar(seed: seed)
      var parameters = (0 ..< shape.parameterCount).map { _ in generator.nextGaussian() }
      let r = shape.components
      for n in 0 ..< shape.order {
        let start = shape.offset(ofMode: n)
        for c in 0 ..< r {
          var sum = 0.0
          for i in 0 ..< shape.dimensions[n] { sum += parameters[start + i * r + c] * parameters[start + i * r + c] }
          let scale = norm / sum.squareRoot()
          for i in 0 ..< shape.dimensions[n] { parameters[start + i * r + c] *= scale }
        }
      }
      return parameters
    case .factors(let modes):
      precondition((try? validate(for: shape)) != nil, "factors that do not fit the shape \(shape.dimensions), R = \(shape.components)")
      return modes.flatMap { $0.flatMap { $0 } }  // mode by mode, row by row: the flat layout of ``CPShape``
    case .parameters(let given):
      precondition(given.count == shape.parameterCount, "\(given.count) parameters for a shape that has \(shape.parameterCount)")
      return given
    }
  }
}
