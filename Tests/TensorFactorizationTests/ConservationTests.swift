import DeepFactorization
import RealModule
import SeededRandom
import TensorFactorization
import Testing

/// ‖w_rⁿ‖² − ‖w_r^m‖² is conserved by gradient flow; which discrete updates keep it to O(η²); the CP
/// gradient flow against a scalar ODE it reduces to.
struct ConservationTests {
  /// The largest change of ‖w_rⁿ‖² − ‖w_r¹‖² over 20 steps of `optimizer(η)`.
  static func drift(_ optimizer: (Double) -> OptimizerChoice, eta: Double) -> Double {
    let shape = CPShape(dimensions: [4, 3, 5], components: 4)
    let target = Tensor.randomLowRank(dimensions: [4, 3, 5], rank: 2, seed: 3)
    var generator = Xoshiro256StarStar(seed: 8)
    let objective = TensorObjective(target: target, observed: generator.sampleWithoutReplacement(30, from: 60), reduction: .mean)
    let engine = CPEngine(shape: shape, objective: objective)
    func imbalance(_ p: [Double]) -> [Double] {
      (0 ..< 4).flatMap { c -> [Double] in
        let norms = engine.factorNorms(at: p, component: c)
        return norms.dropFirst().map { $0 * $0 - norms[0] * norms[0] }
      }
    }
    let start = CPInitialization.gaussian(std: 0.3, seed: 5).parameters(for: shape)
    let result = CPTrainer.train(CPProblem(
      shape: shape, objective: objective, initialization: .parameters(start), optimizer: optimizer(eta), stop: StopRule(maxSteps: 20), recording: .everySteps(20)))
    return zip(imbalance(result.parameters), imbalance(start)).map { abs($0 - $1) }.max() ?? 0
  }

  static func order(_ optimizer: (Double) -> OptimizerChoice) -> Double {
    Double.log2(drift(optimizer, eta: 2e-3) / drift(optimizer, eta: 1e-3))
  }

  @Test func gradientDescentDriftsAtSecondOrder() {
    #expect(abs(Self.order { .gradientDescent(GradientDescent(learningRate: $0)) } - 2) < 0.1)
  }

  @Test func groupRMSpropIsGradientDescentWithAScalarStepAndDriftsAtSecondOrderToo() {
    // The notes' TF1 proposed GroupRMSprop as a counter-setting; its step is a scalar multiple of the
    // gradient, so it keeps the O(η²) drift. Adam's per-coordinate scaling does not.
    #expect(abs(Self.order { .groupRMSprop(GroupRMSprop(learningRate: $0, epsilon: 1e-6)) } - 2) < 0.1)
    #expect(abs(Self.order { .adam(Adam(learningRate: $0)) } - 1) < 0.2)
  }

  @Test func gradientFlowConservesTheImbalancesToTheIntegratorsTolerance() {
    let shape = CPShape(dimensions: [4, 3, 5], components: 4)
    let target = Tensor.randomLowRank(dimensions: [4, 3, 5], rank: 2, seed: 3)
    var generator = Xoshiro256StarStar(seed: 8)
    let objective = TensorObjective(target: target, observed: generator.sampleWithoutReplacement(30, from: 60), reduction: .mean)
    let engine = CPEngine(shape: shape, objective: objective)
    let start = CPInitialization.gaussian(std: 0.3, seed: 5).parameters(for: shape)
    let result = CPTrainer.train(CPProblem(
      shape: shape, objective: objective, initialization: .parameters(start), method: .gradientFlow(relativeTolerance: 1e-10),
      stop: StopRule(maxTime: 100), recording: .everyTime(20)))
    #expect(result.status == .maxTime && result.time == 100)
    #expect(result.trajectory.map(\.time) == [0, 20, 40, 60, 80, 100])
    func imbalance(_ p: [Double]) -> [Double] {
      (0 ..< 4).flatMap { c -> [Double] in
        let norms = engine.factorNorms(at: p, component: c)
        return norms.dropFirst().map { $0 * $0 - norms[0] * norms[0] }
      }
    }
    let largest = (0 ..< 4).flatMap { engine.factorNorms(at: result.parameters, component: $0) }.map { $0 * $0 }.max()!
    let drift = zip(imbalance(result.parameters), imbalance(start)).map { abs($0 - $1) }.max()!
    #expect(drift <= 1e-9 * largest, "flow drift \(drift)")
    // The run moved: the loss fell by more than half, so the conservation is not that of a still state.
    #expect(result.loss < 0.5 * result.trajectory[0].loss)
  }

  @Test func anAlignedBalancedComponentFollowsItsScalarFlow() {
    // W = a₁a₂a₃·e₁⊗e₁⊗e₁ with every aₙ = u: ℓ = ½(u³ − s)², so du/dt = u²(s − u³), integrated
    // here by classical RK4 at h = 1e-4 (error ~1e-16·t); the CP flow must agree to its tolerance.
    let s = 2.0, u0 = 0.5
    let dimensions = [3, 3, 3]
    var entries = [Double](repeating: 0, count: 27)
    entries[0] = s
    let objective = TensorObjective(target: Tensor(dimensions: dimensions, entries: entries), observed: nil, reduction: .halfSum)
    let shape = CPShape(dimensions: dimensions, components: 1)
    var start = [Double](repeating: 0, count: shape.parameterCount)
    for n in 0 ..< 3 { start[shape.offset(ofMode: n)] = u0 }
    let result = CPTrainer.train(CPProblem(
      shape: shape, objective: objective, initialization: .parameters(start), method: .gradientFlow(relativeTolerance: 1e-10),
      stop: StopRule(maxTime: 3), recording: .everyTime(0.5)))
    func f(_ u: Double) -> Double { u * u * (s - u * u * u) }
    var u = u0, worst = 0.0
    let h = 1e-4
    for point in result.trajectory.dropFirst() {
      let steps = Int((0.5 / h).rounded())
      for _ in 0 ..< steps {
        let k1 = f(u), k2 = f(u + h / 2 * k1), k3 = f(u + h / 2 * k2), k4 = f(u + h * k3)
        u += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
      }
      worst = max(worst, abs(point.componentNorms[0] - u * u * u) / s)
    }
    #expect(result.trajectory.count == 7)
    #expect(worst <= 1e-8, "largest deviation from the scalar flow: \(worst)")
    #expect(abs(result.trajectory.last!.componentNorms[0] - s) < 1e-3, "the component is learned by t = 3")
  }
}
