import Baselines
import LinearAlgebra
import SeededRandom
import Testing

struct NuclearNormSolverTests {
  /// A rank-r n×n matrix observed on a fraction of its entries.
  static func completion(n: Int, rank: Int, fraction: Double, seed: UInt64) -> (NuclearNormProblem, Matrix) {
    var generator = Xoshiro256StarStar(seed: seed)
    let m = Matrix.gaussian(rows: n, columns: rank, using: &generator) * Matrix.gaussian(rows: rank, columns: n, using: &generator)
    let picked = generator.sampleWithoutReplacement(Int(fraction * Double(n * n)), from: n * n)
    return (.completion(target: m, observed: picked.map { .init($0 % n, $0 / n) }), m)
  }

  @Test func recoversALowRankMatrixFromManyObservations() throws {
    let (problem, m) = Self.completion(n: 20, rank: 2, fraction: 0.6, seed: 1)
    let solution = try NuclearNormSolver(relativeTolerance: 1e-8).solve(problem)
    #expect(solution.report.status == .converged)
    #expect((solution.x - m).frobeniusNorm / m.frobeniusNorm < 1e-5)
    #expect(try solution.x.numericalRank(tolerance: 1e-6 * m.frobeniusNorm) == 2)
  }

  @Test func handWorkedCompletion() throws {
    // [[1, 2], [3, ?]]: ‖X‖_* = √(‖X‖²_F + 2|det X|) = √(t² − 2t + 26) for t < 6, least at t = 1: 5.
    let problem = NuclearNormProblem.completion(target: Matrix([[1, 2], [3, 0]]), observed: [.init(0, 0), .init(0, 1), .init(1, 0)])
    let solution = try NuclearNormSolver(relativeTolerance: 1e-10).solve(problem)
    #expect(solution.report.status == .converged)
    #expect(abs(solution.x[1, 1] - 1) < 1e-6)
    #expect(abs(solution.report.objective - 5) < 1e-6)
    // One observed entry: X = that entry alone.
    let single = try NuclearNormSolver(relativeTolerance: 1e-10).solve(.completion(target: Matrix([[3, 7], [7, 7]]), observed: [.init(0, 0)]))
    #expect((single.x - Matrix([[3, 0], [0, 0]])).maxAbsoluteElement < 1e-6)
  }

  @Test func handWorkedSensing() throws {
    // One measurement tr(X) = 2: ‖X‖_* ≥ tr X, so the minimum is 2.
    let solution = try NuclearNormSolver(relativeTolerance: 1e-10).solve(.sensing(matrices: [.identity(2)], measurements: [2]))
    #expect(abs(solution.report.objective - 2) < 1e-6)
    #expect(solution.report.constraintViolation < 1e-6)
  }

  @Test func theOptimumCarriesADualCertificate() throws {
    // Too few observations to recover: the solver's X is certified optimal by Y supported on Ω
    // with ‖Y‖₂ ≤ 1 and ⟨Y, X⟩ = ‖X‖_*.
    let (problem, _) = Self.completion(n: 15, rank: 2, fraction: 0.35, seed: 2)
    let solution = try NuclearNormSolver(relativeTolerance: 1e-9).solve(problem)
    #expect(solution.report.status == .converged)
    guard case .completion(_, let observed) = problem else { return }
    var offSupport = solution.dualCertificate
    for p in observed { offSupport[p.row, p.column] = 0 }
    #expect(offSupport.maxAbsoluteElement == 0)
    #expect(try solution.dualCertificate.spectralNorm() <= 1 + 1e-4)
    let nuclear = try solution.x.nuclearNorm()
    #expect(abs(Matrix.frobeniusInner(solution.dualCertificate, solution.x) - nuclear) <= 1e-4 * nuclear)
    #expect(solution.report.constraintViolation < 1e-6)
  }

  @Test func aCappedRunDoesNotClaimConvergence() throws {
    let (problem, _) = Self.completion(n: 15, rank: 2, fraction: 0.35, seed: 2)
    let solution = try NuclearNormSolver(maxIterations: 3).solve(problem)
    #expect(solution.report.status == .maxIterations)
    #expect(solution.report.iterations == 3)
  }

  @Test func toleranceFormStaysWithinItsBoxAndCostsNoMore() throws {
    let (problem, _) = Self.completion(n: 12, rank: 2, fraction: 0.5, seed: 3)
    let exact = try NuclearNormSolver(relativeTolerance: 1e-9).solve(problem)
    let loose = try NuclearNormSolver(constraint: .withinTolerance(1e-3), relativeTolerance: 1e-9).solve(problem)
    // X meets the box up to the primal residual (the stopping rule's ~1e-9 relative).
    #expect(loose.report.constraintViolation <= 1e-3 + 1e-6)
    #expect(loose.report.constraintViolation > 0.5e-3)
    #expect(loose.report.objective <= exact.report.objective + 1e-6)
  }

  @Test func warmStartsConvergeFaster() throws {
    let (problem, _) = Self.completion(n: 20, rank: 2, fraction: 0.5, seed: 4)
    let cold = try NuclearNormSolver(relativeTolerance: 1e-7).solve(problem)
    let warm = try NuclearNormSolver(relativeTolerance: 1e-7).solve(problem, warmStart: .init(cold))
    #expect(warm.report.iterations < cold.report.iterations)
    #expect(abs(warm.report.objective - cold.report.objective) < 1e-5 * cold.report.objective)
  }

  @Test func sensingRecoversFromEnoughMeasurements() throws {
    var generator = Xoshiro256StarStar(seed: 5)
    let m = Matrix.gaussian(rows: 8, columns: 1, using: &generator) * Matrix.gaussian(rows: 1, columns: 8, using: &generator)
    let matrices = (0 ..< 40).map { _ in Matrix.gaussian(rows: 8, columns: 8, standardDeviation: 1.0 / 8, using: &generator) }
    let y = matrices.map { Matrix.frobeniusInner($0, m) }
    let solution = try NuclearNormSolver(relativeTolerance: 1e-9).solve(.sensing(matrices: matrices, measurements: y))
    #expect((solution.x - m).frobeniusNorm / m.frobeniusNorm < 1e-4)
  }
}
