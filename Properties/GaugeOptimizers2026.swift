import ClaimKit
import Foundation

/// "The Loss Does Not See the Basis, but Adam Does" (2026), arXiv 2608.05136, as summarised in the
/// notes (`../shared/notes/next-papers.md` §3; the paper itself, and its authors, are not in the
/// corpus this project can read).
///
/// The factorization W = W₂W₁ is unchanged by (W₂Q, QᵀW₁) for orthogonal Q: the loss does not see
/// the hidden basis. GD, momentum and optimizers with one shared scalar per factor (GroupRMSprop,
/// shared-scalar Adam) commute with that change of basis (`GaugeEquivarianceTests`); coordinate-wise
/// Adam and RMSprop rescale each weight by its own history, which depends on the basis. The paper's
/// thesis, as the notes give it, is that the first group keeps GD's low-rank bias and the second
/// loses it. AG1 checks the Adam half against GD, with heavy ball as the equivariant control. The
/// shared-scalar half is not claimed: see AG1's findings.
enum GaugeOptimizers2026 {
  static let paper = PaperReference("“The Loss Does Not See the Basis, but Adam Does”", 2026, arXiv: "2608.05136")

  /// One completion instance trained from one init by several optimizers.
  struct Comparison: Sendable, CustomStringConvertible {
    var instance: ProblemInstance
    var seed: UInt64
    /// The optimizer compared with GD (Adam in AG1).
    var challenger: OptimizerChoice.Kind
    var description: String { "\(instance), depth 3, Gaussian init 1e-4, GD against \(challenger), seed \(seed)" }

    /// ‖W − M‖_F/‖M‖_F and erank(W) at the end of a run with `kind` (GD at η = 0.25/σ₁(M), heavy ball
    /// at the same effective step, the adaptive methods at lr 1e-3), to L < 1e-8‖M‖_F² or 2·10⁵ steps.
    func run(_ kind: OptimizerChoice.Kind) throws -> (error: Double, erank: Double) {
      let target = instance.target, sigma = try target.spectralNorm()
      let optimizer: OptimizerChoice = switch kind {
      case .gradientDescent, .weightDecay: OptimizerChoice(kind, learningRate: 0.25 / sigma)
      // Heavy ball with μ = 0.9 at η(1 − μ): the same effective step as GD's.
      case .momentum: OptimizerChoice(kind, learningRate: 0.025 / sigma)
      default: OptimizerChoice(kind, learningRate: 1e-3)
      }
      let result = try train(TrainingProblem(
        target: target, observations: instance.observations, depth: 3, initialization: .gaussian(scale: 1e-4, seed: seed), loss: .halfSum,
        method: .descent(optimizer), stop: StopRule(maxSteps: 200_000, lossBelow: 1e-8 * target.frobeniusNorm * target.frobeniusNorm),
        recording: .everySteps(10_000_000)))
      return ((result.product - target).frobeniusNorm / target.frobeniusNorm, try result.product.effectiveRank())
    }
  }

  static let comparisons = ClaimSetting(
    cases: zip(CompletionDistribution(rows: 20 ... 20, rank: 2 ... 2, observations: .count(120 ... 120), minPerLine: .rank).gen, Gen<UInt64>.seed).map {
      Comparison(instance: $0, seed: $1, challenger: .adam)
    },
    budget: .cases(quick: 32, ci: 64, full: 200),
    hypotheses: [
      "20×20 rank-2 targets, 120 uniform observations with at least 2 per row and column (1.6× the degrees of freedom)",
      "depth 3, Arora et al.'s Gaussian init at scale 1e-4 (the same start for both runs); GD at η = 0.25/σ₁(M); the adaptive method at lr 1e-3, its other hyperparameters at their defaults (Adam β 0.9, 0.999, ε 1e-8; GroupRMSprop β 0.99, ε 1e-4); ½-sum loss to 1e-8‖M‖_F² or 2·10⁵ steps",
    ])

  static let adamLosesTheBias = Claim.statistical(
    id: "gauge.adam-loses-the-low-rank-bias", code: "AG1", paper: paper.at("the abstract: coordinate-wise Adam loses GD's low-rank bias"),
    thresholds: [
      Threshold(.erankDifference, 0.25 ... .infinity, source: "the notes' check (30×30 rank 3, 30 % observed, depth 2, 3 seeds): erank 4.5–5.1 under GD against 8.4–8.7 under Adam. Here, depth 3: a first calibration (218 cases) measured Adam − GD at q10 0.20, median 0.61, q90 1.30, and heavy-ball momentum − GD at median 0.018, q99 0.28. Calibration: Fixtures/calibration/AG1.json"),
    ],
    statement: "On the same completion instance from the same small init, coordinate-wise Adam ends at a higher effective rank than gradient descent (typically, over instances and inits): its per-coordinate scaling does not follow GD's low-rank route.",
    findings: [
      "the paper (arXiv 2608.05136) could not be read here, nor its authors found: the claim is the notes' summary of its abstract, calibrated on this setting",
      "the test error is not claimed: Adam's error over GD's had median 3.9 but was below 1 on 47 of 218 cases (where GD itself did not find the low-rank completion), so 'higher error' holds on about 78 % of instances, in the SPRT's indifference zone",
      "at depth 2 from init 1e-3 (the notes' depth) GD ended at erank 4–5.5 for a rank-2 target, and heavy ball at GD's effective step differed from it by up to 0.7: the bias is too weak there to tell optimizers apart, so the claim is made at depth 3 from 1e-4, where GD ends at erank ≈ 2.06",
      "coordinate-wise RMSprop (lr 1e-3, α 0.99) loses the bias too: erank(RMSprop) − erank(GD) had median +2.27 (0.72 … 3.38) at run seed 0x2a and +2.47 (1.98 … 3.54) at 0x7, 7 cases each, in this setting. It is not a claim of its own: its runs take 1.9 s a case (to the 2·10⁵-step cap), which the CI's quick runs cannot afford",
      "shared-scalar Adam (one second moment per factor, lr 1e-3) is gauge-equivariant but did not keep GD's effective rank at depth 2: +0.24 … +0.68 over 13 cases at seed 0x2a, against Adam's +1.0 … +2.0. Normalising a factor's tiny early gradient makes its first steps large, as a larger init would; so the shared-scalar half of the paper's statement (AG2) is not claimed",
    ],
    operationalDefinition: "erank(W_challenger) − erank(W_GD) at the end of both runs (the error ratio recorded beside it)",
    design: .typically, setting: comparisons,
    counter: { $0.changingEachCase("heavy-ball momentum (μ = 0.9 at GD's effective step) instead of Adam: a multiple of the gradient's history, it commutes with the hidden basis and ends where GD does") { $0.challenger = .momentum } }
  ) { c in
    let gd = try c.run(.gradientDescent), other = try c.run(c.challenger)
    PropertyContext.measure("erank under GD", gd.erank)
    PropertyContext.measure("error under GD", gd.error)
    PropertyContext.measure("error(challenger)/error(GD)", other.error / gd.error)
    recordFigure(gd: gd.erank, c.challenger, other.erank)
    return Measurement("erank(challenger) − erank(GD)", other.erank - gd.erank, threshold: .erankDifference)
  }.drawing(.plot(figure))

  // MARK: - AG2

  static let groupComparisons = comparisons.changed("GroupRMSprop against GD") {
    $0.cases = $0.cases.map { var c = $0; c.challenger = .groupRMSprop; return c }
  }.setting

  static let groupRMSpropKeepsTheBias = Claim.statistical(
    id: "gauge.group-rmsprop-keeps-the-low-rank-bias", code: "AG2", paper: paper.at("the abstract: per-layer shared-scalar adaptive methods keep GD's low-rank bias"),
    thresholds: [Threshold(.erankGap, 0 ... 0.1, source: "the notes (every research code the catalogue cites trains with GroupRMSprop, one scalar per layer); a first look at seed 0x2a (7 cases) measured erank(GroupRMSprop) − erank(GD) from −0.03 to +0.02, against Adam's +0.1 … +1.8. Calibration: Fixtures/calibration/AG2.json")],
    statement: "GroupRMSprop, which divides each factor's gradient by one running RMS for the whole factor (the optimizer of the research codes behind A8, TF4, H3), ends within 0.1 of gradient descent's effective rank from the same start (typically): it keeps the low-rank bias that coordinate-wise Adam loses.",
    findings: [
      "the paper (arXiv 2608.05136) could not be read here: the claim is the notes' summary of its abstract, checked for the one shared-scalar method the papers' own code uses",
      "shared-scalar Adam (one second moment per factor, momentum 0.9 and bias correction, lr 1e-3) did not keep it in the same setting: +0.20 at the median (−0.01 … +0.73, 13 cases at seed 0x2a). Gauge equivariance alone is not enough here: its bias-corrected first steps are large next to the small init, as a larger init would be",
    ],
    operationalDefinition: "|erank(W_GroupRMSprop) − erank(W_GD)| at the end of both runs, GroupRMSprop at lr 1e-3 (β 0.99, ε 1e-4)",
    design: .typically, setting: groupComparisons,
    counter: { $0.changingEachCase("coordinate-wise Adam instead of GroupRMSprop (AG1's claim)") { $0.challenger = .adam } }
  ) { c in
    let gd = try c.run(.gradientDescent), other = try c.run(c.challenger)
    PropertyContext.measure("erank under GD", gd.erank)
    PropertyContext.measure("error(challenger)/error(GD)", other.error / gd.error)
    recordFigure(gd: gd.erank, c.challenger, other.erank)
    return Measurement("|erank(challenger) − erank(GD)|", abs(other.erank - gd.erank), threshold: .erankGap)
  }.drawing(.plot(figure))

  /// The optimizers the figures place on x, in this order.
  static let figureOptimizers: [OptimizerChoice.Kind] = [.gradientDescent, .momentum, .adam, .groupRMSprop]

  /// The figures' x: an optimizer's place in ``figureOptimizers``.
  static let optimizerIndex = RunQuantity(named: "optimizer")

  /// Effective rank per optimizer: each case's two runs, summarised per optimizer as the median with
  /// its 95 % interval (AG1's and AG2's figure; a counter-setting's runs draw their own optimizer).
  static let figure = ClaimPlot(
    title: "effective rank at the end per optimizer", x: optimizerIndex, y: .effectiveRank, summary: .medianWithInterval,
    categories: figureOptimizers.map(\.rawValue))

  /// Records a case's two runs for ``figure`` (a challenger the figure does not place is left out).
  static func recordFigure(gd: Double, _ challenger: OptimizerChoice.Kind, _ erank: Double) {
    guard let index = figureOptimizers.firstIndex(of: challenger) else { return }
    FigureData.record(optimizerIndex, 0)
    FigureData.record(.effectiveRank, gd)
    FigureData.record(optimizerIndex, Double(index))
    FigureData.record(.effectiveRank, erank)
  }

  static let claims: [Claim] = [adamLosesTheBias, groupRMSpropKeepsTheBias]
}
