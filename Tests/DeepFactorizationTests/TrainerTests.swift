import DeepFactorization
import Foundation
import LinearAlgebra
import SeededRandom
import Testing

struct TrainerTests {
  /// ℓ = ½ w², one parameter, w₀ = 1: the optimizers' first three iterates, computed by hand.
  static func scalarProblem(_ method: TrainingMethod) -> TrainingProblem {
    TrainingProblem(
      target: Matrix([[0]]), observations: .all, depth: 1, initialization: .factors([Matrix([[1]])]),
      loss: .halfSum, method: method, stop: StopRule(maxSteps: 3), recording: .everySteps(1))
  }

  @Test(arguments: [
    (OptimizerChoice.Kind.gradientDescent, 0.1, [0.9, 0.81, 0.7290000000000001]),
    (.momentum, 0.1, [0.9, 0.72, 0.486]),
    (.adam, 0.1, [0.9000000009999999, 0.8004122297123379, 0.7015862745044147]),
    (.rmsprop, 0.01, [0.900000009999999, 0.8329179752650592, 0.779982281982354]),
    (.groupRMSprop, 0.1, [0.9000099990000999, 0.8053885079539956, 0.7163700439809673]),
    // W ← W − η sign(W): η a step.
    (.signDescent, 0.1, [0.9, 0.8, 0.7000000000000001]),
    // One block of one parameter: the block's mean square is g², so the steps are Adam's.
    (.sharedScalarAdam, 0.1, [0.9000000009999999, 0.8004122297123379, 0.7015862745044147]),
    // W ← (1 − ηλ)W − η W at the default λ = 1e-4: 0.89999ᵗ.
    (.weightDecay, 0.1, [0.89999, 0.8099820001, 0.72897570027]),
  ])
  func firstThreeStepsMatchTheUpdateRules(kind: OptimizerChoice.Kind, learningRate: Double, expected: [Double]) throws {
    // Every kind at its default hyperparameters (momentum μ = 0.9).
    let optimizer = OptimizerChoice(kind, learningRate: learningRate)
    let result = try Trainer.train(Self.scalarProblem(.descent(optimizer)))
    let iterates = result.trajectory.dropFirst().map { $0.singularValues[0] }
    #expect(result.trajectory.count == 4)
    for (got, want) in zip(iterates, expected) {
      #expect(abs(got - want) <= 1e-14 * abs(want), "\(kind): \(got) vs \(want)")
    }
    // The loss at step t is that of W after t updates.
    #expect(abs(result.trajectory[3].loss - 0.5 * expected[2] * expected[2]) <= 1e-13 * expected[2] * expected[2])
  }

  @Test func gradientFlowMatchesTheClosedForm() throws {
    // N = 1, full observation, half-sum: W(t) = M + (W₀ − M) e^{−t}.
    let target = Matrix([[1, -2], [0.5, 3]])
    let start = Matrix([[0, 1], [2, -1]])
    let problem = TrainingProblem(
      target: target, observations: .all, depth: 1, initialization: .factors([start]), loss: .halfSum,
      method: .gradientFlow(relativeTolerance: 1e-10), stop: StopRule(maxTime: 3), recording: .everyTime(1))
    let result = try Trainer.train(problem)
    #expect(result.status == .maxTime)
    #expect(result.time == 3)
    let exact = target + exp(-3.0) * (start - target)
    #expect((result.product - exact).frobeniusNorm / exact.frobeniusNorm < 1e-8)
    // Records at t = 0, 1, 2, 3 with the closed-form loss ½‖W₀ − M‖² e^{−2t}.
    let times = result.trajectory.compactMap(\.time)
    #expect(times == [0, 1, 2, 3])
    let initial = 0.5 * (start - target).frobeniusNorm * (start - target).frobeniusNorm
    for point in result.trajectory {
      let t = point.time ?? 0
      #expect(abs(point.loss - initial * exp(-2 * t)) <= 1e-8 * initial)
    }
  }


  @Test(arguments: [1e-300, 1e-30])
  func anIntegratorThatCannotProgressStopsWithAStatus(relativeTolerance: Double) throws {
    // A tolerance below double precision asks for steps that cannot move the time: the run ends
    // as stalled after a bounded number of attempts (it used to accept 1e-14 steps forever).
    let problem = Problems.razinCohen(
      depth: 3, initialization: .identity(scale: 0.1), method: .gradientFlow(relativeTolerance: relativeTolerance),
      stop: StopRule(maxTime: 10), recording: .everyTime(1))
    let result = try Trainer.train(problem)
    #expect(result.status == .stalled)
    #expect(result.time ?? 10 < 1e-6)
    #expect(result.loss.isFinite)
  }

  @Test func anOrdinaryToleranceDoesNotStall() throws {
    let problem = Problems.razinCohen(
      depth: 3, initialization: .identity(scale: 0.1), method: .gradientFlow(relativeTolerance: 1e-13),
      stop: StopRule(maxTime: 10), recording: .everyTime(1))
    #expect(try Trainer.train(problem).status == .maxTime)
  }
  @Test func gradientFlowKeepsBalancedFactorsBalanced() throws {
    final class Balance: TrainingObserver {
      var worst = 0.0
      func observe(_ snapshot: TrainingSnapshot) { worst = max(worst, Metrics.balancednessDeviation(snapshot.factors)) }
    }
    let balance = Balance()
    let problem = Problems.razinCohen(
      depth: 3, initialization: .balanced(scale: 0.1, seed: 1, determinant: .positive),
      method: .gradientFlow(relativeTolerance: 1e-10), stop: StopRule(maxTime: 50), recording: .everyTime(5))
    _ = try Trainer.train(problem, observers: [balance])
    #expect(balance.worst < 1e-8)
  }

  @Test func aBlowUpIsReportedAsDivergedNotACrash() throws {
    let problem = Problems.razinCohen(
      depth: 3, initialization: .identity(scale: 1), method: .descent(.gradientDescent(GradientDescent(learningRate: 10))),
      stop: StopRule(maxSteps: 1000))
    let result = try Trainer.train(problem)
    #expect(result.status == .diverged)
    #expect(result.steps < 1000)
    #expect(!result.loss.isFinite || result.loss > 1e12 * result.trajectory[0].loss)
  }

  @Test func theCounterexampleConvergesWithGrowingW11() throws {
    let problem = Problems.razinCohen(
      depth: 3, initialization: .balanced(scale: 0.01, seed: 3, determinant: .positive),
      method: .descent(.gradientDescent(GradientDescent(learningRate: 0.02))), stop: StopRule(maxSteps: 100_000, lossBelow: 1e-3), recording: .everySteps(1000))
    let result = try Trainer.train(problem)
    #expect(result.status == .converged)
    // Razin & Cohen: |W₁₁| ≈ 1/√(2L) = 22.36 at L = 1e-3 while det stays positive.
    #expect(abs(abs(result.product[0, 0]) * (2 * result.loss).squareRoot() - 1) < 0.05)
    #expect(result.trajectory.allSatisfy { ($0.determinant ?? 0) > 0 })
  }

  @Test func reRunsAreBitIdentical() throws {
    let problem = TrainingProblem(
      target: Matrix.gaussian(rows: 12, columns: 9, seed: 1), observations: .all, depth: 3,
      initialization: .gaussian(scale: 0.1, seed: 2), loss: .mean, method: .descent(.adam(Adam(learningRate: 0.01))),
      stop: StopRule(maxSteps: 300), recording: .everySteps(50))
    let a = try Trainer.train(problem), b = try Trainer.train(problem)
    #expect(a.product == b.product)
    #expect(a.trajectory == b.trajectory)
  }

  @Test func stopRulesAndRecording() throws {
    let problem = Problems.razinCohen(
      depth: 2, initialization: .identity(scale: 0.1), method: .descent(.gradientDescent(GradientDescent(learningRate: 0.01))),
      stop: StopRule(maxSteps: 250), recording: .everySteps(100))
    let result = try Trainer.train(problem)
    #expect(result.status == .maxSteps && result.steps == 250)
    #expect(result.trajectory.map(\.step) == [0, 100, 200, 250])
  }
}

/// An exact oracle for the gradient-flow integrator: symmetric depth-2 factorization. With
/// W₁ = Xᵀ, W₂ = X and the loss ½‖W − H‖² (H symmetric, every entry observed), the flow keeps
/// W₁ = W₂ᵀ and moves X by dX/dt = −(XXᵀ − H)X, whose product Z = XXᵀ has the closed form
/// Z_t = e^{tH}X₀(I + X₀ᵀA_tX₀)⁻¹X₀ᵀe^{tH}, A_t = 2∫₀ᵗ e^{2sH} ds = Σᵢ vᵢvᵢᵀ(e^{2thᵢ} − 1)/hᵢ
/// (a Riccati equation; the notes' "Other candidates", checked there against an ODE solver to 2.8e-12).
struct ClosedFormFlowTests {
  /// The closed form at time t for the eigen-decomposition of H.
  static func closedForm(_ h: Matrix, _ x0: Matrix, at t: Double) throws -> Matrix {
    let eigen = try h.symmetricEigen()
    let v = eigen.vectors
    let growth = Matrix.diagonal(eigen.values.map { exp(t * $0) })
    let integral = Matrix.diagonal(eigen.values.map { abs($0) < 1e-12 ? 2 * t : expm1(2 * t * $0) / $0 })
    let e = v * growth * v.transposed(), a = v * integral * v.transposed()
    let k = x0.columns
    let middle = Matrix.identity(k) + x0.transposed() * a * x0
    let y = e * x0
    return y * (try middle.solve(y.transposed()))
  }

  final class Snapshots: TrainingObserver {
    var points: [(time: Double, product: Matrix)] = []
    func observe(_ snapshot: TrainingSnapshot) { points.append((snapshot.time ?? 0, snapshot.product)) }
  }

  /// The largest relative error of the flow against the closed form over its record times.
  static func worstError(dimension d: Int, width k: Int, seed: UInt64, asymmetric: Bool = false, tolerance: Double) throws -> Double {
    var generator = Xoshiro256StarStar(seed: seed)
    let b = Matrix.gaussian(rows: d, columns: d, using: &generator)
    let h = 0.5 * (b + b.transposed())
    let x0 = 0.1 * Matrix.gaussian(rows: d, columns: k, using: &generator)
    // The counter-check: W₁ is not W₂ᵀ (a second draw), where the closed form for X₀ = W₂(0) does not apply.
    let first = asymmetric ? 0.1 * Matrix.gaussian(rows: k, columns: d, using: &generator) : x0.transposed()
    let snapshots = Snapshots()
    _ = try Trainer.train(
      TrainingProblem(
        target: h, observations: .all, depth: 2, width: k, initialization: .factors([first, x0]), loss: .halfSum,
        method: .gradientFlow(relativeTolerance: tolerance), stop: StopRule(maxTime: 3), recording: .everyTime(0.5)),
      observers: [snapshots])
    var worst = 0.0
    for (time, product) in snapshots.points {
      let exact = try closedForm(h, x0, at: time)
      worst = max(worst, (product - exact).frobeniusNorm / exact.frobeniusNorm)
    }
    return worst
  }

  @Test(arguments: [(5, 3, UInt64(1)), (6, 6, 2), (8, 2, 3), (4, 1, 4)])
  func theFlowMatchesTheRiccatiClosedForm(dimension: Int, width: Int, seed: UInt64) throws {
    // At the integrator's default tolerance (1e-6) and at a tight one (1e-10).
    #expect(try Self.worstError(dimension: dimension, width: width, seed: seed, tolerance: 1e-6) < 1e-5)
    #expect(try Self.worstError(dimension: dimension, width: width, seed: seed, tolerance: 1e-10) < 1e-9)
  }

  @Test func anAsymmetricStartDoesNotFollowIt() throws {
    #expect(try Self.worstError(dimension: 5, width: 3, seed: 1, asymmetric: true, tolerance: 1e-10) > 1e-2)
  }
}
