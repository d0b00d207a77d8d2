import DeepFactorization
import RealModule
import SeededRandom
import TensorFactorization
import Testing

/// ‖w_rⁿ‖² − ‖w_r^m‖² is conserved by gradient flow; which discrete updates keep it to O(η²).
struct ConservationTests {
  /// The largest change of ‖w_rⁿ‖² − ‖w_r¹‖² over 20 steps of `optimizer(η)`.
  static func drift(_ optimizer: (Double) -> any Optimizer, eta: Double) -> Double {
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
      shape: shape, objective: objective, initialization: .parameters(start), optimizer: optimizer(eta), stop: StopRule(maxSteps: 20), recordEvery: 20))
    return zip(imbalance(result.parameters), imbalance(start)).map { abs($0 - $1) }.max() ?? 0
  }

  static func order(_ optimizer: (Double) -> any Optimizer) -> Double {
    Double.log2(drift(optimizer, eta: 2e-3) / drift(optimizer, eta: 1e-3))
  }

  @Test func gradientDescentDriftsAtSecondOrder() {
    #expect(abs(Self.order { GradientDescent(learningRate: $0) } - 2) < 0.1)
  }

  @Test func groupRMSpropIsGradientDescentWithAScalarStepAndDriftsAtSecondOrderToo() {
    // The notes' TF1 proposed GroupRMSprop as a counter-setting; its step is a scalar multiple of the
    // gradient, so it keeps the O(η²) drift. Adam's per-coordinate scaling does not.
    #expect(abs(Self.order { GroupRMSprop(learningRate: $0, epsilon: 1e-6) } - 2) < 0.1)
    #expect(abs(Self.order { Adam(learningRate: $0) } - 1) < 0.2)
  }
}

