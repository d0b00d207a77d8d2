import DeepFactorization
import LinearAlgebra
import SeededRandom
import Testing

struct GradientEngineTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let kind: String, rows: Int, columns: Int, depth: Int, reduction: LossReduction
    var testDescription: String { "\(kind) \(rows)×\(columns) N=\(depth) \(reduction.rawValue)" }
  }

  static let cases: [Case] = {
    var cases: [Case] = []
    for kind in ["entries", "all", "sensing"] {
      for (rows, columns) in [(3, 3), (3, 5), (5, 2)] {
        for depth in 1 ... 4 {
          cases.append(Case(kind: kind, rows: rows, columns: columns, depth: depth, reduction: depth % 2 == 0 ? .mean : .halfSum))
        }
      }
    }
    return cases
  }()

  @Test(arguments: cases)
  func gradientsMatchCentralFiniteDifferences(c: Case) {
    let objective = Problems.objective(kind: c.kind, rows: c.rows, columns: c.columns, reduction: c.reduction, seed: 7)
    let shape = NetworkShape(rows: c.rows, columns: c.columns, depth: c.depth)
    let engine = GradientEngine(shape: shape, objective: objective)
    let factors = Problems.factors(shape, seed: 11)
    let (_, gradients) = engine.lossAndGradients(at: factors)
    let h = 1e-6
    var worst = 0.0
    for j in 0 ..< c.depth {
      for i in 0 ..< factors[j].rows {
        for k in 0 ..< factors[j].columns {
          var plus = factors, minus = factors
          plus[j][i, k] += h
          minus[j][i, k] -= h
          let numeric = (engine.lossAndGradients(at: plus).loss - engine.lossAndGradients(at: minus).loss) / (2 * h)
          let scale = Swift.max(1, abs(numeric))
          worst = Swift.max(worst, abs(numeric - gradients[j][i, k]) / scale)
        }
      }
    }
    #expect(worst < 1e-6)
  }

  @Test(arguments: [(4, 3, 3), (2, 2, 3), (4, 4, 2), (1, 4, 4)])
  func scalarAndBLASPathsAgree(rows: Int, columns: Int, depth: Int) {
    for kind in ["entries", "sensing"] {
      let objective = Problems.objective(kind: kind, rows: rows, columns: columns, reduction: .halfSum, seed: 3)
      let shape = NetworkShape(rows: rows, columns: columns, depth: depth)
      let scalar = GradientEngine(shape: shape, objective: objective, path: .scalar)
      let blas = GradientEngine(shape: shape, objective: objective, path: .dense)
      #expect(scalar.usesScalarPath && !blas.usesScalarPath)
      Self.expectAgreement(scalar, blas, at: Problems.factors(shape, seed: 5), tolerance: 1e-12)
    }
    // Small networks pick the scalar path by themselves, larger ones BLAS.
    #expect(GradientEngine(shape: NetworkShape(rows: 4, columns: 4, depth: 3), objective: Problems.objective(kind: "all", rows: 4, columns: 4, reduction: .mean, seed: 1)).usesScalarPath)
    #expect(!GradientEngine(shape: NetworkShape(rows: 5, columns: 4, depth: 3), objective: Problems.objective(kind: "all", rows: 5, columns: 4, reduction: .mean, seed: 1)).usesScalarPath)
  }

  struct SparseCase: Sendable, CustomTestStringConvertible {
    let rows: Int, columns: Int, width: Int, depth: Int, fraction: Double
    var testDescription: String { "\(rows)×\(columns) width \(width) N=\(depth) \(Int(fraction * 100))% observed" }
  }

  /// Shapes with widths that are and are not multiples of the kernels' 8- and 16-wide blocks, depths
  /// 2 to 5, densities from one entry in fifty to nine in ten.
  static let sparseCases: [SparseCase] = [
    SparseCase(rows: 12, columns: 9, width: 7, depth: 2, fraction: 0.05),
    SparseCase(rows: 12, columns: 9, width: 17, depth: 3, fraction: 0.2),
    SparseCase(rows: 30, columns: 30, width: 30, depth: 3, fraction: 0.02),
    SparseCase(rows: 30, columns: 30, width: 30, depth: 3, fraction: 0.5),
    SparseCase(rows: 20, columns: 33, width: 24, depth: 4, fraction: 0.3),
    SparseCase(rows: 40, columns: 16, width: 40, depth: 5, fraction: 0.9),
    SparseCase(rows: 1, columns: 20, width: 9, depth: 2, fraction: 0.5),
  ]

  @Test(arguments: sparseCases)
  func sparseAndDensePathsAgree(c: SparseCase) {
    for reduction in LossReduction.allCases {
      var generator = Xoshiro256StarStar(seed: UInt64(c.rows * 1000 + c.columns))
      let target = Matrix.gaussian(rows: c.rows, columns: c.columns, using: &generator)
      let count = Swift.max(1, Int((Double(c.rows * c.columns) * c.fraction).rounded()))
      let entries = generator.sampleWithoutReplacement(count, from: c.rows * c.columns).map { Observations.Entry($0 % c.rows, $0 / c.rows) }
      let objective = Objective(target: target, observations: .entries(entries), reduction: reduction)
      let shape = NetworkShape(rows: c.rows, columns: c.columns, depth: c.depth, width: c.width)
      let sparse = GradientEngine(shape: shape, objective: objective, path: .sparse)
      let dense = GradientEngine(shape: shape, objective: objective, path: .dense)
      Self.expectAgreement(sparse, dense, at: Problems.factors(shape, seed: 9, scale: 0.5), tolerance: 1e-12)
      // Left to itself the engine takes the sparse path below the crossover density.
      let automatic = GradientEngine(shape: shape, objective: objective).path
      #expect(automatic == (shape.isSmall ? .scalar : c.fraction < GradientEngine.sparseDensityCrossover ? .sparse : .dense))
    }
  }

  @Test func sparsePathTrainsLikeTheDensePath() throws {
    // 500 GD steps on a 30×30 rank-2 completion at depth 3, 13 % observed: the two paths' trajectories stay within rounding.
    var generator = Xoshiro256StarStar(seed: 77)
    let target = Matrix.gaussian(rows: 30, columns: 2, using: &generator) * Matrix.gaussian(rows: 2, columns: 30, using: &generator)
    let entries = generator.sampleWithoutReplacement(120, from: 900).map { Observations.Entry($0 % 30, $0 / 30) }
    let problem = TrainingProblem(
      target: target, observations: .entries(entries), depth: 3, initialization: .gaussian(scale: 0.1, seed: 3), loss: .mean,
      method: .descent(.gradientDescent(GradientDescent(learningRate: 0.5))), stop: StopRule(maxSteps: 500), recording: .everySteps(500))
    #expect(GradientEngine(shape: problem.shape, objective: problem.objective).path == .sparse)
    let sparse = try Trainer.train(problem)
    let dense = try Trainer.train(problem, path: .dense)
    #expect(sparse.loss < 0.5 * sparse.trajectory[0].loss)
    #expect(abs(sparse.loss - dense.loss) <= 1e-9 * dense.loss)
    #expect((sparse.product - dense.product).maxAbsoluteElement <= 1e-9 * dense.product.maxAbsoluteElement)
  }

  @Test(arguments: 1 ... 4)
  func fixedSizePathIsBitIdenticalToTheScalarPath(d: Int) {
    for kind in ["entries", "all", "sensing"] {
      for depth in 1 ... 4 {
        let objective = Problems.objective(kind: kind, rows: d, columns: d, reduction: depth % 2 == 0 ? .mean : .halfSum, seed: UInt64(d * 10 + depth))
        let shape = NetworkShape(rows: d, columns: d, depth: depth)
        let fixed = GradientEngine(shape: shape, objective: objective)
        let scalar = GradientEngine(shape: shape, objective: objective, path: .scalar)
        #expect(fixed.path == .fixedSize)
        let factors = Problems.factors(shape, seed: 13)
        let x = fixed.lossAndGradients(at: factors), y = scalar.lossAndGradients(at: factors)
        #expect(x.loss == y.loss)
        #expect(x.gradients == y.gradients)
      }
    }
    // Non-square or narrower networks of the same size stay on the scalar path.
    #expect(GradientEngine(shape: NetworkShape(rows: 2, columns: 3, depth: 2), objective: Problems.objective(kind: "all", rows: 2, columns: 3, reduction: .mean, seed: 1)).path == .scalar)
    #expect(GradientEngine(shape: NetworkShape(rows: 3, columns: 3, depth: 2, width: 2), objective: Problems.objective(kind: "all", rows: 3, columns: 3, reduction: .mean, seed: 1)).path == .scalar)
  }

  @Test(arguments: [2, 3, 4, 5])
  func fixedSizeTrainingRepeatsTheScalarTrajectory(depth: Int) throws {
    // Razin & Cohen's counterexample, 20 000 GD steps and a gradient flow: the specialized loops (fixed
    // depth for N ≤ 4, fixed size for N = 5) and the general one agree to the bit.
    let descent = Problems.razinCohen(
      depth: depth, initialization: .identity(scale: 1e-3), method: .descent(.gradientDescent(GradientDescent(learningRate: 0.02))),
      stop: StopRule(maxSteps: 20_000), recording: .everySteps(5000))
    let flow = Problems.razinCohen(
      depth: depth, initialization: .identity(scale: 0.1), method: .gradientFlow(relativeTolerance: 1e-8),
      stop: StopRule(maxTime: 50), recording: .everyTime(10))
    for problem in [descent, flow] {
      let fixed = try Trainer.train(problem)
      let scalar = try Trainer.train(problem, path: .scalar)
      #expect(fixed.trajectory.map(\.loss) == scalar.trajectory.map(\.loss))
      #expect(fixed.factors == scalar.factors)
      #expect(fixed.loss < 0.5 * fixed.trajectory[0].loss)
    }
  }

  @Test(arguments: 1 ... 4)
  func registerDescentRepeatsTheScalarTrajectory(d: Int) throws {
    // Gradient descent on a fixed-size completion network runs the fixed-depth engine's own loop (the
    // factors in registers, G from a lane mask); against the general loop on the scalar path it must
    // repeat every recorded loss and the final factors to the bit, including where a run stops early:
    // converged below a loss threshold, diverged at a step too large, or given no step at all.
    var statuses: [TrainingStatus] = []
    for depth in 2 ... 4 {
      let objective = Problems.objective(kind: "entries", rows: d, columns: d, reduction: depth == 3 ? .halfSum : .mean, seed: UInt64(40 + d * 4 + depth))
      for (eta, stop) in [
        (0.05, StopRule(maxSteps: 3000)), (0.05, StopRule(maxSteps: 100_000, lossBelow: 1e-6)), (5.0, StopRule(maxSteps: 3000)),
        (0.05, StopRule(maxSteps: 0)),
      ] {
        let problem = TrainingProblem(
          target: objective.target, observations: objective.observations, depth: depth,
          initialization: .gaussian(scale: 0.6, seed: UInt64(d + depth)), loss: objective.reduction,
          method: .descent(.gradientDescent(GradientDescent(learningRate: eta))), stop: stop, recording: .everySteps(700))
        #expect(GradientEngine(shape: problem.shape, objective: problem.objective).path == .fixedSize)
        let fixed = try Trainer.train(problem)
        let scalar = try Trainer.train(problem, path: .scalar)
        #expect(fixed.status == scalar.status)
        #expect(fixed.steps == scalar.steps)
        #expect(fixed.trajectory.map(\.loss).map(\.bitPattern) == scalar.trajectory.map(\.loss).map(\.bitPattern))
        #expect(fixed.factors == scalar.factors || fixed.status == .diverged)
        #expect(fixed.loss.bitPattern == scalar.loss.bitPattern || fixed.status == .diverged)
        statuses.append(fixed.status)
      }
    }
    // Every way a run can end was exercised.
    #expect([TrainingStatus.maxSteps, .converged, .diverged].allSatisfy(statuses.contains), "\(statuses)")
  }

  /// Loss and every factor's gradient agree to `tolerance` relative to their size.
  static func expectAgreement(_ a: GradientEngine, _ b: GradientEngine, at factors: [Matrix], tolerance: Double) {
    let x = a.lossAndGradients(at: factors), y = b.lossAndGradients(at: factors)
    #expect(abs(x.loss - y.loss) <= tolerance * Swift.max(1, abs(y.loss)))
    for (gx, gy) in zip(x.gradients, y.gradients) {
      #expect((gx - gy).maxAbsoluteElement <= tolerance * Swift.max(1, gy.maxAbsoluteElement))
    }
  }

  @Test(arguments: [2, 3, 4])
  func oneSmallStepFollowsTheEndToEndDynamics(depth: Int) throws {
    // Arora, Cohen & Hazan (2018): from a balanced init, gradient flow on the factors moves W by
    // dW/dt = −Σ_j (W Wᵀ)^{(j−1)/N} ∇ℓ(W) (Wᵀ W)^{(N−j)/N}. One GD step of size η approximates it.
    let n = 5
    let objective = Problems.objective(kind: "entries", rows: n, columns: n, reduction: .halfSum, seed: 21)
    let shape = NetworkShape(rows: n, columns: n, depth: depth)
    let factors = try Initialization.balanced(scale: 1, seed: 4, determinant: nil).factors(for: shape)
    let engine = GradientEngine(shape: shape, objective: objective)
    let (_, gradients) = engine.lossAndGradients(at: factors)
    let eta = 1e-7
    let stepped = zip(factors, gradients).map { $0 - eta * $1 }
    let w = engine.product(of: engine.parameters(of: factors))
    let observed = (engine.product(of: engine.parameters(of: stepped)) - w) / eta
    let grad = objective.lossAndGradient(at: w).gradient
    let wwt = Matrix.product(w, w, transposingRight: true), wtw = Matrix.product(w, w, transposingLeft: true)
    var predicted = Matrix.zeros(n, n)
    for j in 1 ... depth {
      let left = try wwt.positiveSemidefinitePower(Double(j - 1) / Double(depth))
      let right = try wtw.positiveSemidefinitePower(Double(depth - j) / Double(depth))
      predicted -= left * grad * right
    }
    #expect((observed - predicted).frobeniusNorm / predicted.frobeniusNorm < 1e-5)
  }

  @Test func lossConventions() {
    let target = Matrix([[1, 2], [3, 4]])
    let w = Matrix([[0, 2], [3, 2]])
    let entries: Observations = .entries([.init(0, 0), .init(1, 1)])
    // Residuals −1 (observed), −2 (observed): half-sum ½(1 + 4), mean (1 + 4)/2.
    #expect(Objective(target: target, observations: entries, reduction: .halfSum).loss(at: w) == 2.5)
    #expect(Objective(target: target, observations: entries, reduction: .mean).loss(at: w) == 2.5)
    #expect(Objective(target: target, observations: .all, reduction: .mean).loss(at: w) == 5.0 / 4)
    let gradient = Objective(target: target, observations: entries, reduction: .halfSum).lossAndGradient(at: w).gradient
    #expect(gradient == Matrix([[-1, 0], [0, -2]]))
    // Sensing with A = E₁₁: y = 1, ⟨A, W⟩ = 0.
    let sensing = Objective(target: target, observations: .sensing([Matrix([[1, 0], [0, 0]])]), reduction: .halfSum)
    #expect(sensing.loss(at: w) == 0.5)
  }
}
