import Baselines
import LinearAlgebra
import SeededRandom
import Testing

struct OtherBaselinesTests {
  @Test func minimumFrobeniusNormSolutions() throws {
    let completion = try MinimumFrobeniusNorm.solve(.completion(target: Matrix([[1, 2], [3, 4]]), observed: [.init(0, 1), .init(1, 0)]))
    #expect(completion == Matrix([[0, 2], [3, 0]]))
    // Sensing: the least-norm solution satisfies the measurements and lies in span{Aᵢ}.
    var generator = Xoshiro256StarStar(seed: 1)
    let matrices = (0 ..< 5).map { _ in Matrix.gaussian(rows: 3, columns: 4, using: &generator) }
    let y = (0 ..< 5).map { _ in generator.nextGaussian() }
    let x = try MinimumFrobeniusNorm.solve(.sensing(matrices: matrices, measurements: y))
    for (a, value) in zip(matrices, y) { #expect(abs(Matrix.frobeniusInner(a, x) - value) < 1e-10) }
    // Adding any B with ⟨Aᵢ, B⟩ = 0 can only increase the norm: x ⟂ B.
    var b = Matrix.gaussian(rows: 3, columns: 4, using: &generator)
    for _ in 0 ..< 50 {
      for a in matrices { b.axpy(-Matrix.frobeniusInner(a, b) / Matrix.frobeniusInner(a, a), a) }
    }
    #expect(abs(Matrix.frobeniusInner(x, b)) < 1e-8 * x.frobeniusNorm * b.frobeniusNorm)
  }

  /// The optimum over all basic feasible solutions (brute force over column subsets).
  static func bruteForce(_ program: LinearProgram) -> Double? {
    let m = program.constraints.count, n = program.cost.count
    var best: Double?
    func subsets(_ start: Int, _ chosen: [Int]) {
      if chosen.count == m {
        let b = Matrix((0 ..< m).map { i in chosen.map { program.constraints[i][$0] } })
        guard let xb = try? b.solve(Matrix(program.rightHandSide.map { [$0] })), xb.columnMajorElements.allSatisfy({ $0 >= -1e-12 }) else { return }
        let cost = zip(chosen, xb.columnMajorElements).reduce(0.0) { $0 + program.cost[$1.0] * $1.1 }
        best = min(best ?? .infinity, cost)
        return
      }
      guard start < n else { return }
      for j in start ..< n { subsets(j + 1, chosen + [j]) }
    }
    subsets(0, [])
    return best
  }

  @Test(arguments: 0 ..< 25)
  func simplexMatchesVertexEnumeration(seed: Int) {
    var generator = Xoshiro256StarStar(seed: UInt64(seed))
    let n = 5, m = 1 + seed % 3
    let program = LinearProgram(
      cost: (0 ..< n).map { _ in generator.nextDouble(in: 0.1 ..< 2) },
      constraints: (0 ..< m).map { _ in (0 ..< n).map { _ in generator.nextDouble(in: -1 ..< 2) } },
      rightHandSide: (0 ..< m).map { _ in generator.nextDouble(in: -1 ..< 2) })
    let reference = Self.bruteForce(program)
    switch program.solve() {
    case .optimal(let x, let objective):
      let optimum = reference ?? .nan
      #expect(abs(objective - optimum) <= 1e-9 * max(1, abs(optimum)))
      #expect(x.allSatisfy { $0 >= 0 })
      for (row, b) in zip(program.constraints, program.rightHandSide) {
        #expect(abs(zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } - b) < 1e-9)
      }
    case .infeasible:
      #expect(reference == nil)
    case .unbounded:
      Issue.record("positive costs and x ≥ 0 cannot be unbounded")
    }
  }

  @Test func simplexReportsInfeasibility() {
    // x₁ + x₂ = −1 with x ≥ 0.
    #expect(LinearProgram(cost: [1, 1], constraints: [[1, 1]], rightHandSide: [-1]).solve() == .infeasible)
    #expect(LinearProgram(cost: [-1, 0], constraints: [[1, -1]], rightHandSide: [0]).solve() == .unbounded)
  }

  @Test func commutingSensingIsTheMinimumL1NonnegativeDiagonal() throws {
    // diag measurements: x₁ + x₂ = 2 and x₂ + x₃ = 1 → minimum Σx at x = (1, 1, 0), Σ = 2.
    let a1 = Matrix.diagonal([1, 1, 0]), a2 = Matrix.diagonal([0, 1, 1])
    let x = try #require(CommutingSensing.minimumNuclearNorm(matrices: [a1, a2], measurements: [2, 1]))
    #expect((x - Matrix.diagonal([1, 1, 0])).maxAbsoluteElement < 1e-12)
    // It agrees with the general nuclear-norm solver on the same (commuting) measurements.
    let general = try NuclearNormSolver(relativeTolerance: 1e-10).solve(.sensing(matrices: [a1, a2], measurements: [2, 1]))
    #expect(abs(general.report.objective - 2) < 1e-5)
  }

  @Test func comparisonHandValues() throws {
    let comparison = try BaselineComparison(trained: Matrix.diagonal([3, 0]), baseline: Matrix.diagonal([2, 0]), ps: [1, 2])
    #expect(abs(comparison.relativeDistance - 0.5) < 1e-15)
    #expect(comparison.trainedNorms == [3, 3] && comparison.baselineNorms == [2, 2])
  }
}
