import DeepFactorization
import LinearAlgebra
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
      let scalar = GradientEngine(shape: shape, objective: objective, forceScalarPath: true)
      let blas = GradientEngine(shape: shape, objective: objective, forceBLAS: true)
      #expect(scalar.usesScalarPath && !blas.usesScalarPath)
      let factors = Problems.factors(shape, seed: 5)
      let a = scalar.lossAndGradients(at: factors), b = blas.lossAndGradients(at: factors)
      #expect(abs(a.loss - b.loss) <= 1e-12 * Swift.max(1, abs(a.loss)))
      for (x, y) in zip(a.gradients, b.gradients) {
        #expect((x - y).maxAbsoluteElement <= 1e-12 * Swift.max(1, y.maxAbsoluteElement))
      }
    }
    // Small networks pick the scalar path by themselves, larger ones BLAS.
    #expect(GradientEngine(shape: NetworkShape(rows: 4, columns: 4, depth: 3), objective: Problems.objective(kind: "all", rows: 4, columns: 4, reduction: .mean, seed: 1)).usesScalarPath)
    #expect(!GradientEngine(shape: NetworkShape(rows: 5, columns: 4, depth: 3), objective: Problems.objective(kind: "all", rows: 5, columns: 4, reduction: .mean, seed: 1)).usesScalarPath)
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
