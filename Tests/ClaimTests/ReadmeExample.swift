// Properties/MyPaper.swift — the README's "Adding a claim" example (ReadmeExampleTests checks that the
// README shows exactly this file, and runs the claim and its counter-setting).
import ClaimKit
import Properties

enum MyPaper {
  /// One case: a completion instance and the depth it is trained at.
  struct Completion: Sendable, CustomStringConvertible {
    var instance: ProblemInstance
    var depth: Int
    var description: String { "\(instance), depth \(depth)" }
  }

  /// Rank-1 targets, 6×6 to 10×10, 3× oversampled with at least 2 observations in every row and
  /// column, trained at depth 3. The counter-setting is this setting changed, not written again.
  static let rankOneCompletions = ClaimSetting(
    cases: CompletionDistribution(rows: 6 ... 10, rank: 1 ... 1, observations: .oversampling(3 ... 3), minPerLine: .fixed(2)).gen
      .map { Completion(instance: $0, depth: 3) },
    budget: .cases(quick: 60, ci: 100, full: 150),
    hypotheses: ["6×6 to 10×10 rank-1 targets, 3× oversampled, at least 2 observations per row and column"])

  /// Statistical, not "for every instance": the harness found instances where it fails.
  static let lowRankAtDepthThree = Claim.statistical(
    id: "my-paper.depth-3-low-rank", code: "M1",
    paper: PaperReference("Me & You", 2026, arXiv: "2601.00001", at: "Conjecture 1"),
    thresholds: [Threshold(.effectiveRank, 1 ... 1.5, source: "Conjecture 1: 'close to rank 1'; 1.5 is halfway to rank 2")],
    statement: "Depth-3 GD from small init completes a rank-1 matrix with effective rank below 1.5 (with probability ≥ 0.95).",
    hypotheses: ["GD η = 0.1 on ½Σ(observed residual)² from Gaussian init 1e-3, to L < 1e-6 within 50 000 steps"],
    findings: ["for every instance it is false: about 1 instance in 50 ends at effective rank 1.5–1.96 (seeds 1 and 2, full profile), at init 1e-2, 1e-3 and 1e-4 alike"],
    design: .mostInstances, setting: rankOneCompletions,
    counter: rankOneCompletions.changingEachCase("depth 1: least squares never moves an unobserved entry, so the completion keeps a high effective rank") {
      $0.depth = 1
    }
  ) { c in
    let result = try train(TrainingProblem(
      target: c.instance.target, observations: c.instance.observations, depth: c.depth,
      initialization: .gaussian(scale: 1e-3, seed: 1), loss: .halfSum,
      method: .descent(.gradientDescent(GradientDescent(learningRate: 0.1))), stop: StopRule(maxSteps: 50_000, lossBelow: 1e-6)))
    try assume(result.status == .converged, "stopped at loss \(result.loss) (\(result.status.rawValue))")
    return Measurement("effective rank", try result.product.effectiveRank(), threshold: .effectiveRank)
  }

  static let claims = [lowRankAtDepthThree]
}
