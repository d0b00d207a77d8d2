import ClaimKit
import Baselines
import Foundation

/// Chou, Gieshoff, Maly & Rauhut, "Gradient descent for deep matrix factorization: dynamics and
/// implicit bias towards low rank", arXiv 2011.13772 (ACHA 2023).
enum ChouEtAl {
  static let paper = PaperReference("Chou, Gieshoff, Maly & Rauhut", 2023, arXiv: "2011.13772")

  struct Diagonal: Sendable, CustomStringConvertible {
    var singularValues: [Double]
    var depth: Int
    var productInit: Double
    var learningRate: Double
    var description: String { "A = diag\(singularValues), depth \(depth), W_j(0) = α·I with α^N = \(productInit), η = \(learningRate)" }

    func run(steps: Int, every: Int = 1) throws -> TrainingResult {
      try train(TrainingProblem(
        target: Matrix.diagonal(singularValues), observations: .all, depth: depth, initialization: .identity(scale: productInit),
        loss: .halfSum, method: .descent(.gradientDescent(GradientDescent(learningRate: learningRate))), stop: StopRule(maxSteps: steps), recording: .everySteps(every)))
    }
  }

  /// ∫_{x0}^{σ/2} dx / (η N x^{2−2/N} (σ − x)) by Simpson's rule in log x.
  static func flowSteps(sigma: Double, depth: Int, x0: Double, eta: Double) -> Double {
    let n = Double(depth), a = log(x0), b = log(sigma / 2), intervals = 4000
    let h = (b - a) / Double(intervals)
    func f(_ u: Double) -> Double {
      let x = exp(u)
      return x / (eta * n * pow(x, 2 - 2 / n) * (sigma - x))
    }
    var sum = f(a) + f(b)
    for k in 1 ..< intervals { sum += (k % 2 == 1 ? 4 : 2) * f(a + Double(k) * h) }
    return sum * h / 3
  }

  static let learningTimes = Claim.forEvery(
    id: "chou.learning-times-match-flow", code: "C1", paper: paper.at("Main theorem: per-coordinate dynamics dx/dt = N x^{2−2/N}(σ − x)"),
    thresholds: [Threshold(.relativeGap, 0 ... 0.005, source: "notes C1: GD iteration counts match the flow integral within 0.5 % (seen 0.1 %)")],
    statement: "From identical scaled-identity factors the product stays diagonal and each coordinate follows its own scalar recursion: the GD step at which xᵢ reaches σᵢ/2 matches the gradient-flow integral ∫ dx/(ηN x^{2−2/N}(σᵢ − x)).",
    hypotheses: ["A = diag(1, 0.5), full observation, ½‖W − A‖²", "W_j(0) = α·I", "GD η = 0.002 (small-step regime: a GD step multiplies by 1 + ηNσx^{1−2/N} where the flow multiplies by its exponential, an O(ησ) gap, 0.2 % here)"],
    setting: ClaimSetting(
      cases: zip(Gen<Int>.int(in: 2 ... 4), Gen<Double>.element(of: [1e-4, 1e-3])).map { Diagonal(singularValues: [1, 0.5], depth: $0, productInit: $1, learningRate: 0.002) },
      budget: .cases(quick: 3, ci: 9, full: 30)),
    counter: { $0.changingEachCase("a large step η = 0.4, where the recursion no longer follows the flow") { $0.learningRate = 0.4 } }
  ) { c in
    let predicted = c.singularValues.map { flowSteps(sigma: $0, depth: c.depth, x0: c.productInit, eta: c.learningRate) }
    let result = try c.run(steps: Int((predicted.max() ?? 1) * 1.5) + 10)
    let learned = IncrementalLearning(trajectory: result.trajectory, reference: c.singularValues, separation: 1.1).learnedAt
    var worst = 0.0
    for (moment, prediction) in zip(learned, predicted) {
      guard let moment else { throw PropertyFailure("a coordinate never reached σ/2") }
      worst = max(worst, abs(moment - prediction) / prediction)
    }
    return Measurement("relative gap between GD steps and the flow integral", worst, threshold: .relativeGap)
  }

  static let effectiveRankWindows = Claim.forEvery(
    id: "chou.effective-rank-windows", code: "C2", paper: paper.at("Corollary on effective rank (early stopping)"),
    thresholds: [Threshold(.erankGap, 0 ... 0.1, source: "notes C2 (proposed): erank within 0.1 of erank(A_r) inside the windows")],
    statement: "Between the r-th and (r+1)-th learning times the effective rank of W is close to that of the best rank-r approximation A_r.",
    hypotheses: ["A = diag(10, 5, 2.5, 0, 0, 0)", "depth 3, W_j(0) = α·I with α³ = 1e-4, GD η = 0.005"],
    operationalDefinition: "learning time of σᵢ: first step with σᵢ(W) > σᵢ/2; the window r is checked at the geometric mean of the r-th and (r+1)-th learning times, r = 1, 2; 'close' is within 0.1",
    setting: ClaimSetting(
      cases: Gen<Double>.element(of: [1e-4, 1e-5]).map { Diagonal(singularValues: [10, 5, 2.5, 0, 0, 0], depth: 3, productInit: $0, learningRate: 0.005) },
      budget: .cases(quick: 1, ci: 3, full: 6)),
    counter: { $0.changingEachCase("a large initialisation (α³ = 1): the windows vanish") { $0.productInit = 1 } }
  ) { c in
    let result = try c.run(steps: 6000, every: 5)
    let reference = Array(c.singularValues.prefix(3))
    let learned = IncrementalLearning(trajectory: result.trajectory, reference: reference).learnedAt
    var worst = 0.0
    for r in 1 ... 2 {
      guard let start = learned[r - 1], let end = learned[r] else { throw PropertyFailure("σ\(r + 1) was never learned") }
      let middle = (max(start, 1) * end).squareRoot()
      guard let point = result.trajectory.min(by: { abs(Double($0.step) - middle) < abs(Double($1.step) - middle) }), let erank = point.effectiveRank else { continue }
      worst = max(worst, abs(erank - SpectralFunctions.effectiveRank(Array(reference.prefix(r)))))
    }
    return Measurement("largest |erank(W) − erank(A_r)| in the windows", worst, threshold: .erankGap)
  }

  static let claims: [Claim] = [learningTimes, effectiveRankWindows]
}
