import SeededRandom

/// A rounding-level change of the initial factors: every parameter θ becomes θ·(1 + ε·u) with u
/// uniform on [−1, 1] from the project's seeded generator.
///
/// It moves the run by about as much as a different BLAS kernel's rounding does after the first
/// step, so a result that changes under it is a result that changes with the machine. Zero
/// parameters stay zero (a perturbation is relative), so sparsity patterns of an initialisation are kept.
public struct InitialPerturbation: Sendable, Equatable {
  /// The relative size ε.
  public var relative: Double
  /// The seed of the u's.
  public var seed: UInt64

  /// A perturbation of relative size `relative` drawn from `seed`.
  public init(relative: Double = InitialPerturbation.roundingLevel, seed: UInt64) {
    precondition(relative >= 0 && relative < 1, "a relative perturbation of \(relative)")
    self.relative = relative
    self.seed = seed
  }

  /// 1e-12: ten thousand times the unit roundoff, small enough to leave every well-conditioned
  /// quantity unchanged to ten digits.
  public static let roundingLevel = 1e-12

  /// Applies the perturbation to parameters in place.
  public func apply(to parameters: inout [Double]) {
    var generator = Xoshiro256StarStar(seed: seed)
    for index in parameters.indices {
      parameters[index] *= 1 + relative * (2 * generator.nextDouble() - 1)
    }
  }
}
