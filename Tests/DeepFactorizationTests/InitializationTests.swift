import DeepFactorization
import LinearAlgebra
import Testing

struct InitializationTests {
  @Test(arguments: [1, 2, 3, 5])
  func identityGivesScaleTimesIdentity(depth: Int) throws {
    let shape = NetworkShape(rows: 3, columns: 3, depth: depth)
    let factors = try Initialization.identity(scale: 1e-3).factors(for: shape)
    let engine = GradientEngine(shape: shape, objective: Objective(target: .zeros(3, 3), observations: .all, reduction: .mean))
    #expect(engine.product(of: engine.parameters(of: factors)).isApproximatelyEqual(to: Matrix.identity(3) * 1e-3, relativeTolerance: 1e-12))
    #expect(Metrics.balancednessDeviation(factors) < 1e-15)
  }

  @Test(arguments: [(4, 4, 3), (3, 5, 2), (5, 3, 4)])
  func balancedFactorsAreBalancedAndMultiplyToTheSample(rows: Int, columns: Int, depth: Int) throws {
    let shape = NetworkShape(rows: rows, columns: columns, depth: depth)
    let factors = try Initialization.balanced(scale: 0.5, seed: 9, determinant: nil).factors(for: shape)
    #expect(Metrics.balancednessDeviation(factors) < 1e-13)
    #expect(factors.enumerated().allSatisfy { $1.rows == shape.factorShape($0).rows && $1.columns == shape.factorShape($0).columns })
  }

  @Test(arguments: [Initialization.DeterminantSign.positive, .negative])
  func balancedDeterminantSignIsEnforced(sign: Initialization.DeterminantSign) throws {
    let shape = NetworkShape(rows: 2, columns: 2, depth: 3)
    let engine = GradientEngine(shape: shape, objective: Objective(target: .zeros(2, 2), observations: .all, reduction: .mean))
    for seed: UInt64 in 0 ..< 20 {
      let factors = try Initialization.balanced(scale: 1e-2, seed: seed, determinant: sign).factors(for: shape)
      let det = try engine.product(of: engine.parameters(of: factors)).determinant()
      #expect(sign == .positive ? det > 0 : det < 0)
    }
  }

  @Test func gaussianFollowsAroraEtAlsScale() throws {
    // ‖W(0)‖_F ≈ scale·√n for n×n: the authors' code asserts it lies within ×[0.8, 1.2].
    let n = 60
    let shape = NetworkShape(rows: n, columns: n, depth: 3)
    let factors = try Initialization.gaussian(scale: 1e-3, seed: 1).factors(for: shape)
    let engine = GradientEngine(shape: shape, objective: Objective(target: .zeros(n, n), observations: .all, reduction: .mean))
    let ratio = engine.product(of: engine.parameters(of: factors)).frobeniusNorm / (1e-3 * Double(n).squareRoot())
    #expect(ratio > 0.8 && ratio < 1.2)
  }

  @Test func orthogonalFactorsAreBalanced() throws {
    let factors = try Initialization.orthogonal(scale: 0.1, seed: 3).factors(for: NetworkShape(rows: 6, columns: 6, depth: 3))
    #expect(Metrics.balancednessDeviation(factors) < 1e-14)
  }

  @Test func misfitsAreErrorsThatNameTheProblem() {
    let shape = NetworkShape(rows: 2, columns: 3, depth: 2)
    #expect(throws: InitializationError.wrongFactorCount(given: 1, depth: 2)) {
      try Initialization.factors([.zeros(2, 3)]).factors(for: shape)
    }
    #expect(throws: InitializationError.determinantOfRectangular(rows: 2, columns: 3)) {
      try Initialization.balanced(scale: 1, seed: 0, determinant: .positive).factors(for: shape)
    }
    #expect(throws: InitializationError.nonPositiveScale(-1)) { try Initialization.identity(scale: -1).factors(for: shape) }
  }
}
