import ClaimKit
import Baselines
import Foundation

/// Gissin, Shalev-Shwartz & Daniely (2020), "The Implicit Bias of Depth: How Incremental Learning
/// Drives Generalization", ICLR 2020, arXiv 1909.12051.
enum Gissin2020 {
  struct Comparison: Sendable, CustomStringConvertible {
    var deeper: Int
    var shallower: Int
    var productInit: Double
    var description: String { "depth \(deeper) against depth \(shallower), init x₀ = \(productInit), σ = (1, 0.5)" }
  }

  /// x₂/σ₂ at the moment x₁ first reaches 0.9·σ₁ (toy diagonal model, GD η = 0.01).
  static func lag(depth: Int, productInit: Double) throws -> Double {
    let sigma = [1.0, 0.5]
    let result = try train(TrainingProblem(
      target: Matrix.diagonal(sigma), observations: .all, depth: depth, initialization: .identity(scale: productInit), loss: .halfSum,
      method: .descent(.gradientDescent(GradientDescent(learningRate: 0.01))), stop: StopRule(maxSteps: 2_000_000, lossBelow: 0.5 * 0.25 * 0.25 * 0.5),
      recording: .everySteps(1)))
    guard let moment = result.trajectory.first(where: { ($0.singularValues.first ?? 0) >= 0.9 * sigma[0] }) else {
      throw PropertyFailure("x₁ never reached 0.9σ₁")
    }
    return moment.singularValues[1] / sigma[1]
  }

  static let depthSharpensIncrementalLearning = Claim.forEvery(
    id: "gissin.depth-sharpens-incremental-learning", code: "S1",
    paper: PaperReference("Gissin, Shalev-Shwartz & Daniely", 2020, arXiv: "1909.12051", at: "Section 3 (toy model)"),
    thresholds: [Threshold(.lagRatio, 0 ... 0.1, source: "notes S1: x₂/σ₂ when x₁ = 0.9σ₁ is 6.0e-3 (N=2) and 1.6e-5 (N=3); assert N=3 ≤ 0.1 × N=2")],
    statement: "Depth 3 learns more incrementally than depth 2: when the first value is learned, the second has progressed at most a tenth as far.",
    hypotheses: ["toy diagonal model σ = (1, 0.5), product init x₀ ∈ {1e-6, 1e-5}", "GD η = 0.01 (small-step regime of the paper's flow)"],
    setting: ClaimSetting(
      cases: Gen<Double>.element(of: [1e-6, 1e-5]).map { Comparison(deeper: 3, shallower: 2, productInit: $0) },
      examples: [Comparison(deeper: 3, shallower: 2, productInit: 1e-6)], budget: .cases(quick: 2, ci: 2, full: 2)),
    counter: { $0.changingEachCase("depth 2 against depth 2: no sharpening") { $0.deeper = 2 } }
  ) { c in
    let ratio = try lag(depth: c.deeper, productInit: c.productInit) / lag(depth: c.shallower, productInit: c.productInit)
    return Measurement("(x₂/σ₂ at depth \(c.deeper)) / (x₂/σ₂ at depth \(c.shallower))", ratio, threshold: .lagRatio)
  }

  static let claims: [Claim] = [depthSharpensIncrementalLearning]
}
