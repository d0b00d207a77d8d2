// Properties/MyPaper.swift — the README's "Adding a claim" example (ReadmeExampleTests checks that the
// README shows exactly this file, and runs the claim and its counter-setting).
import DeepFactorization
import LinearAlgebra
import Problems
import Properties
import PropertyTesting

enum MyPaper {
  /// One case: a completion instance and the depth it is trained at.
  struct Completion: Sendable, CustomStringConvertible {
    var instance: ProblemInstance
    var depth: Int
    var description: String { "\(instance), depth \(depth)" }
  }

  /// Rank-1 targets, 6×6 to 10×10, 3× oversampled with at least 2 observations in every row and column.
  static func cases(depth: Int) -> Gen<Completion> {
    CompletionDistribution(rows: 6 ... 10, rank: 1 ... 1, observations: .oversampling(3 ... 3), minPerLine: .fixed(2)).gen
      .map { Completion(instance: $0, depth: depth) }
  }

  static let lowRankAtDepthThree = Claim.forEvery(
    id: "my-paper.depth-3-low-rank", code: "M1",
    paper: PaperReference("Me & You", 2026, arXiv: "2601.00001", at: "Conjecture 1"),
    statement: "Depth-3 GD from small init completes a rank-1 matrix with effective rank below 1.5.",
    hypotheses: [
      "6×6 to 10×10 rank-1 targets, 3× oversampled, at least 2 observations per row and column",
      "GD η = 0.1 on the mean loss from Gaussian init 1e-3, until L < 1e-8 or 20 000 steps",
    ],
    budget: .cases(quick: 5, ci: 20, full: 100),
    cases: cases(depth: 3),
    counterSetting: "depth 1: least squares never moves an unobserved entry, so the completion keeps a high effective rank",
    counterCases: cases(depth: 1)
  ) { c in
    let result = try train(TrainingProblem(
      target: c.instance.target, observations: c.instance.observations, depth: c.depth,
      initialization: .gaussian(scale: 1e-3, seed: 1), loss: .mean,
      method: .descent(GradientDescent(learningRate: 0.1)), stop: StopRule(maxSteps: 20_000, lossBelow: 1e-8)))
    return Measurement("effective rank", try result.product.effectiveRank(), expected: 1 ... 1.5)
  }

  static let claims = [lowRankAtDepthThree]
}
