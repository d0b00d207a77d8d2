import DeepFactorization
import Foundation
import SeededRandom
import TensorFactorization

extension Report {
  /// Razin, Maman & Cohen 2021 style: the component norms against iterations (the TF3 setting:
  /// 4×4×4, W* = 2e₁⊗e₁⊗e₁ + e₂⊗e₂⊗e₂, R = 8, balanced init ‖w_rⁿ‖ = 1e-2, GD η = 0.01), and Razin &
  /// Cohen 2020's tensor figure: reconstruction error against the number of observed entries for
  /// init std 1e-3 and 1e-2 beside the memoriser (8×8×8 rank-1 target, R = 64, GroupRMSprop, 2000 steps:
  /// the std-1e-2 runs never reach the claim's loss 1e-12, GroupRMSprop's normalised step leaves them
  /// near 1e-7, and their error has settled by then).
  static func tensorFigures() -> [Figure] {
    var target = Tensor(dimensions: [4, 4, 4], entries: [Double](repeating: 0, count: 64))
    target.entries[0] = 2
    target.entries[1 + 4 + 16] = 1
    let incremental = CPTrainer.train(CPProblem(
      shape: CPShape(dimensions: [4, 4, 4], components: 8), objective: TensorObjective(target: target, observed: nil, reduction: .halfSum),
      initialization: .balanced(norm: 1e-2, seed: 1), optimizer: .gradientDescent(GradientDescent(learningRate: 0.01)), stop: StopRule(maxSteps: 25_000), recording: .everySteps(100)))
    let norms = (0 ..< 4).map { k in
      Series(label: "component \(k + 1)", points: incremental.trajectory.map { (Double($0.step), $0.componentNorms[k]) })
    }
    var figures = [chart(
      name: "razin-maman-cohen-component-norms", title: "Razin, Maman & Cohen 2021: component norms (target norms 2, 1)", xLabel: "iteration", yLabel: "‖w_r¹ ⊗ w_r² ⊗ w_r³‖",
      series: norms, logY: true)]

    let counts = [50, 100, 200, 300, 500]
    var small: [(Double, Double)] = [], large: [(Double, Double)] = [], memoriser: [(Double, Double)] = []
    for m in counts {
      let truth = Tensor.randomLowRank(dimensions: [8, 8, 8], rank: 1, seed: 7)
      var generator = Xoshiro256StarStar(seed: SeedDerivation.derive(7, index: UInt64(m)))
      let objective = TensorObjective(target: truth, observed: generator.sampleWithoutReplacement(m, from: 512), reduction: .mean)
      for (std, into) in [(1e-3, 0), (1e-2, 1)] {
        let result = CPTrainer.train(CPProblem(
          shape: CPShape(dimensions: [8, 8, 8], components: 64), objective: objective, initialization: .gaussian(std: std, seed: 3),
          optimizer: .groupRMSprop(GroupRMSprop(learningRate: 0.01, epsilon: 1e-6)), stop: StopRule(maxSteps: 2000, lossBelow: 1e-12), recording: .everySteps(2000)))
        let error = result.trajectory.last?.reconstructionError ?? .nan
        if into == 0 { small.append((Double(m), error)) } else { large.append((Double(m), error)) }
      }
      memoriser.append((Double(m), objective.memoriserError))
    }
    figures.append(chart(
      name: "razin-cohen-tensor-completion", title: "Razin & Cohen 2020: tensor completion (8×8×8, rank 1, R = 64)", xLabel: "observed entries", yLabel: "‖W − W*‖_F/‖W*‖_F",
      series: [Series(label: "init 1e-3", points: small), Series(label: "init 1e-2", points: large), Series(label: "memoriser", points: memoriser)],
      logY: true))
    return figures
  }
}
