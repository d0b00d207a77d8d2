import ClaimKit
import Baselines
import Foundation

/// Gunasekar, Woodworth, Bhojanapalli, Neyshabur & Srebro (2017), "Implicit Regularization in
/// Matrix Factorization", arXiv 1705.09280, with Arora et al.'s depth-N extension (Section 2).
enum Gunasekar2017 {
  struct Commuting: Sendable, CustomStringConvertible {
    var depth: Int
    var alphas: [Double]
    var seed: UInt64
    var description: String { "10×10 diagonal sensing, 5 measurements, depth \(depth), per-layer init \(alphas), seed \(seed)" }
  }

  static func cases(depth: Int, alphas: [Double]) -> Gen<Commuting> {
    Gen<UInt64>.seed.map { Commuting(depth: depth, alphas: alphas, seed: $0) }
  }

  static let g1RelativeDistance = Threshold(
    .relativeDistance, 0 ... 0.25,
    source: "Gunasekar et al. 2017 Thm 1 / Arora et al. 2019 Thm 1 (commuting case): the small-init limit is the minimum-nuclear-norm solution. At the finite α = 1e-2 (depth 3) the distance to the exact LP solution, relative to the minimum-Frobenius solution's, ranged 3.7e-5 … 0.16 over 9 random instances (notes G1: 3e-4 absolute on theirs); 0.25 keeps the check far from the bias-free value ≈ 1 of the counter-setting")

  static let commutingLimitIsMinimumNuclearNorm = Claim.forEvery(
    id: "gunasekar.commuting-limit-is-min-nuclear-norm", code: "G1",
    paper: PaperReference("Gunasekar et al.", 2017, arXiv: "1705.09280", at: "Theorem 1; Arora et al. 2019, Theorem 1 for depth N ≥ 3"),
    thresholds: [g1RelativeDistance],
    statement: "With commuting (diagonal) measurements, gradient descent from α·I converges, as α → 0, to the minimum-nuclear-norm solution, at every depth.",
    hypotheses: ["Aᵢ = diag(aᵢ), aᵢ ~ N(0, I₁₀), 5 measurements of a nonnegative 2-sparse diagonal target", "GD η = 0.02 from W_j(0) = α·I per layer, 10⁴/α steps or L < 1e-9; the limit α → 0 is checked along α = 1e-2, 3e-3, 1e-3, the first α within the interval deciding (one instance, whose LP has a second vertex with ℓ₁ norm 0.1 % above the optimum, was 0.33 away at 1e-2 and 0.02 at 3e-3); a run that has not reached L < 1e-5 is discarded (counted and reported), not judged", "closeness is relative to the minimum-Frobenius solution (the absolute distance at α = 1e-2 ranged 4e-5 … 2e-2 over 8 instances, above the notes' 5e-3 on 2 of them)", "reference: the exact LP min 1ᵀx, Ax = y, x ≥ 0"],
    setting: ClaimSetting(cases: cases(depth: 3, alphas: [1e-2, 3e-3, 1e-3]), budget: .cases(quick: 1, ci: 4, full: 12)),
    counter: { $0.changingEachCase("depth 1, which converges to the minimum-Frobenius solution (plus its small init), not the minimum-nuclear-norm one") { $0.depth = 1 } },
    measure: commutingLimitIsMinimumNuclearNormMeasure)
    .varying(SettingVariable<Commuting>("alpha", meaning: "the per-layer init α alone, instead of the schedule 1e-2, 3e-3, 1e-3", current: 1e-2) { $0.alphas = [$1] })
    .limit("alpha", rungs: [1e-1, 3e-2, 1e-2, 3e-3, 1e-3], "α → 0")

  static func commutingLimitIsMinimumNuclearNormMeasure(_ c: Commuting) throws -> ClaimKit.Measurement {
    let d = 10
    var generator = Xoshiro256StarStar(seed: c.seed)
    let matrices = (0 ..< 5).map { _ in Matrix.diagonal((0 ..< d).map { _ in generator.nextGaussian() }) }
    var target = [Double](repeating: 0, count: d)
    for index in generator.sampleWithoutReplacement(2, from: d) { target[index] = generator.nextDouble(in: 0.5 ..< 1.5) }
    let targetMatrix = Matrix.diagonal(target)
    let y = matrices.map { Matrix.frobeniusInner($0, targetMatrix) }
    guard let reference = CommutingSensing.minimumNuclearNorm(matrices: matrices, measurements: y) else {
      throw PropertyFailure("the LP is infeasible")
    }
    // The implicit bias is measured against the alternative a bias-free method finds: the
    // minimum-Frobenius-norm solution (depth 1 from zero) fits the same measurements.
    let frobenius = try MinimumFrobeniusNorm.solve(.sensing(matrices: matrices, measurements: y))
    let scale = (frobenius - reference).frobeniusNorm
    let expected = g1RelativeDistance.interval
    // A limit as α → 0: the first α of the schedule that comes within the interval decides; an
    // instance whose LP has a nearly optimal second vertex needs a smaller α than most.
    var distance = Double.nan
    var used = c.alphas[0]
    for alpha in c.alphas {
      used = alpha
      let problem = TrainingProblem(
        target: targetMatrix, observations: .sensing(matrices), depth: c.depth,
        initialization: .identity(scale: pow(alpha, Double(c.depth))), loss: .halfSum,
        method: .descent(.gradientDescent(GradientDescent(learningRate: 0.02))), stop: StopRule(maxSteps: Int(1e4 / alpha), lossBelow: 1e-9),
        recording: .everySteps(10_000_000))
      let result = try train(problem)
      // Escapes from the plateaus are heavy-tailed (one instance sat at L = 1.1e-3 from step 10⁵ to
      // 3·10⁵, then converged by 306 575); a run still on a plateau says nothing about the limit.
      try assume(result.loss < 1e-5, "α = \(alpha) had not fitted the measurements after \(result.steps) steps (loss \(result.loss))")
      distance = (result.product - reference).frobeniusNorm / scale
      if expected.contains(distance) { break }
    }
    PropertyContext.label("decided at α = \(used)")
    return Measurement("distance to the LP solution / distance of the min-Frobenius solution", distance, threshold: g1RelativeDistance.key)
  }

  static let claims: [Claim] = [commutingLimitIsMinimumNuclearNorm]
}
