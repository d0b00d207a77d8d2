import Baselines
import DeepFactorization
import Foundation
import LinearAlgebra
import Problems
import ClaimKit
import Properties
import PropertyTesting

/// The self-contained HTML report of `dmf verify --report DIR`: the verdict table and figures in the
/// style of the papers, as inline SVG (no scripts, no network).
enum Report {
  /// The row's colour class: its verdict's, except that a failure which is the expected outcome (a
  /// counter-setting, a claim declared refuted) is coloured as a pass, and its holding as a failure.
  static func colour(_ row: VerdictRow) -> String {
    guard row.counterSetting != nil || row.status == .expectedRefuted else { return row.verdict }
    switch row.verdict {
    case "failed", "fails": return "passed"
    case "passed", "holds": return "failed"
    default: return row.verdict
    }
  }

  /// Every figure of a report on `rows`: the statistics of the claims that ran, the original-scale
  /// figures drawn from the paper-profile claims' recorded runs, then the small illustrations.
  ///
  /// A paper's illustrations (its figures redrawn from small runs) appear only when one of its claims
  /// ran, so that a report of a user's own claims holds their figures only.
  static func figures(rows: [VerdictRow]) -> [Figure] {
    let statistics = [forestPlot(rows: rows)].compactMap { $0 } + distributionFigures(rows: rows)
    func ran(_ prefixes: String...) -> Bool { rows.contains { row in prefixes.contains { row.id.hasPrefix($0) } } }
    var illustrations: [Figure] = []
    if ran("arora.") { illustrations += singularValueFigures() }
    if ran("razin-cohen.") {
      // Figure 1 from the runs of the claim that declares it (R10, paper profile, to loss 1e-4) when
      // it ran, else the cheap one.
      let figure1 = rows.first { declaredFigures($0).contains(.razinCohenFigure1) }.map(razinCohenFigure1Panels) ?? []
      let norms = normFigures()
      illustrations += figure1.isEmpty ? norms : figure1 + norms.suffix(1)
    }
    if ran("arora.") { illustrations += depthFigures() }
    if ran("cao-qian.") { illustrations += [stageFigure()].compactMap { $0 } }
    if ran("saxe.") { illustrations += [sigmoidFigure()].compactMap { $0 } }
    if ran("razin-maman-cohen.", "razin-cohen.tensor") { illustrations += tensorFigures() }
    return statistics + paperFigures(rows: rows) + illustrations
  }

  /// Arora et al. Figure 3 style: singular values of W against iterations, one panel per depth.
  static func singularValueFigures() -> [Figure] {
    let target = Targets.lowRank(rows: 10, columns: 10, singularValues: [10, 5, 2.5], seedU: 1, seedV: 2)
    return [2, 3, 4].compactMap { depth -> Figure? in
      let problem = TrainingProblem(
        target: target, observations: .all, depth: depth, initialization: .gaussian(scale: 1e-4, seed: 1),
        loss: .halfSum, method: .descent(.gradientDescent(GradientDescent(learningRate: 0.01))), stop: StopRule(maxSteps: depth == 2 ? 600 : (depth == 3 ? 3000 : 10_000)), recording: .everySteps(5))
      guard let result = try? Trainer.train(problem) else { return nil }
      let series = (0 ..< 4).map { i in
        Series(label: "σ\(i + 1)", points: result.trajectory.map { (Double($0.step), i < $0.singularValues.count ? $0.singularValues[i] : .nan) })
      }
      return chart(name: "singular-values-depth-\(depth)", title: "Singular values, depth \(depth) (σ(M) = 10, 5, 2.5)", xLabel: "iteration", yLabel: "σᵢ(W)", series: series)
    }
  }

  /// Razin & Cohen Figure 1 in every report, cheaply: on (? 1; 1 0) at depth 3 from a balanced init
  /// with det > 0, |W11| and the norms against the loss to L = 1e-3 (GD η = 0.02, stable there; the
  /// paper profile's R10 draws the run to 1e-4, ``razinCohenFigure1Panels(_:)``), its effective rank,
  /// and the perturbed family (? −2; 0.5 ε) from det W(0) < 0, where |W11| stops near 1/ε.
  static func normFigure() -> Figure? { normFigures().first }

  /// The panels of ``normFigure()``: norms, effective rank, the perturbed family.
  static func normFigures() -> [Figure] {
    let instance = PaperFixtures.razinCohen2x2
    let problem = TrainingProblem(
      target: instance.target, observations: instance.observations, depth: 3, initialization: .balanced(scale: 1e-2, seed: 3, determinant: .positive),
      loss: .halfSum, method: .descent(.gradientDescent(GradientDescent(learningRate: 0.02))), stop: StopRule(maxSteps: 200_000, lossBelow: 1e-3), recording: .everySteps(200))
    let entries = NormRecorder()
    guard (try? Trainer.train(problem, observers: [entries])) != nil else { return [] }
    let points = entries.points.filter { $0.loss < 0.5 }
    var figures = razinCohenFigure1(
      depths: [(3, points)], title: "Razin & Cohen Fig. 1: (? 1; 1 0), depth 3, GD η = 0.02 to L = 1e-3", paperMarker: false)
    var family: [Series] = [], limits: [Reference] = []
    for epsilon in [0.5, 0.1, 0.05] {
      let run = NormRecorder()
      let perturbed = PaperFixtures.perturbed(epsilon: epsilon)
      let problem = TrainingProblem(
        target: perturbed.target, observations: perturbed.observations, depth: 3, initialization: .balanced(scale: 1e-2, seed: 3, determinant: .negative),
        loss: .halfSum, method: .descent(.gradientDescent(GradientDescent(learningRate: 0.02))), stop: StopRule(maxSteps: 2_000_000, lossBelow: 1e-6), recording: .everySteps(500))
      guard (try? Trainer.train(problem, observers: [run])) != nil else { continue }
      family.append(Series(label: "ε = \(epsilon)", points: run.points.filter { $0.loss < 0.5 }.map { ($0.loss, $0.w11) }))
      limits.append(Reference("1/ε = \(Int((1 / epsilon).rounded()))", at: 1 / epsilon))
    }
    figures.append(chart(
      name: "razin-cohen-perturbed-family", title: "Razin & Cohen: (? −2; 0.5 ε), depth 3, det W(0) < 0", xLabel: "loss L", yLabel: "|W11|",
      series: family, references: limits, logX: true, logY: true))
    return figures
  }

  /// Figure 1's two panels for runs at the given depths: |W11| and the norms against the loss (the
  /// authors' |W11| ≈ 60–70 at L = 1e-4 marked when asked), and the effective rank.
  static func razinCohenFigure1(depths: [(Int, [NormRecorder.Point])], title: String, paperMarker: Bool) -> [Figure] {
    var norms: [Series] = [], ranks: [Series] = []
    for (depth, points) in depths {
      let suffix = depths.count > 1 ? ", depth \(depth)" : ""
      norms += [
        Series(label: "|W11|" + suffix, points: points.map { ($0.loss, $0.w11) }),
        Series(label: "‖W‖_*" + suffix, points: points.map { ($0.loss, $0.nuclear) }, markers: true),
        Series(label: "‖W‖_F" + suffix, points: points.map { ($0.loss, $0.frobenius) }),
        Series(label: "‖W‖_2" + suffix, points: points.map { ($0.loss, $0.spectral) }),
      ]
      ranks.append(Series(label: "erank(W)" + suffix, points: points.map { ($0.loss, $0.erank) }))
    }
    let losses = depths.flatMap { $0.1.map(\.loss) }
    norms.append(Series(label: "1/√(2L)", points: losses.sorted().map { ($0, 1 / (2 * $0).squareRoot()) }))
    // The authors' depth-3 and depth-4 plots (example_plots/dmf_orig_d3.png, _d4.png; notes §2.3).
    if paperMarker { norms.append(Series(label: "paper: |W11| 60–70", points: [(1e-4, 60), (1e-4, 70)], markers: true)) }
    return [
      chart(name: "razin-cohen-figure-1", title: title, xLabel: "loss L", yLabel: "value", series: norms, logX: true, logY: true),
      chart(
        name: "razin-cohen-figure-1-effective-rank", title: "Razin & Cohen Fig. 1: the effective rank falls to 1 as the norms grow", xLabel: "loss L",
        yLabel: "effective rank", series: ranks, references: [Reference("rank 1", at: 1)], logX: true),
    ]
  }

  /// Arora et al. Figure 2 style: reconstruction error and effective rank against init for depths
  /// 1–3 on one 30×30 rank-2 instance with 250 observations, beside minimum nuclear norm.
  static func depthFigures() -> [Figure] {
    guard let instance = try? CompletionDistribution(rows: 30 ... 30, rank: 2 ... 2, spectrum: .arora, observations: .count(250 ... 250)).gen.sample(seed: 1),
      case .entries(let entries) = instance.observations
    else { return [] }
    let inits = [1e-2, 1e-3, 1e-4]
    var errors: [Series] = [], ranks: [Series] = []
    for depth in 1 ... 3 {
      var e: [(Double, Double)] = [], r: [(Double, Double)] = []
      for scale in inits {
        let problem = TrainingProblem(
          target: instance.target, observations: instance.observations, depth: depth, initialization: .gaussian(scale: scale, seed: 1),
          loss: .mean, method: .descent(.gradientDescent(GradientDescent(learningRate: depth == 2 ? 1 : 0.3))), stop: StopRule(maxSteps: 100_000, lossBelow: 1e-6), recording: .everySteps(100_000))
        guard let w = try? Trainer.train(problem).product else { continue }
        e.append((scale, aroraError(w, instance.target)))
        r.append((scale, (try? w.effectiveRank()) ?? .nan))
      }
      errors.append(Series(label: "depth \(depth)", points: e))
      ranks.append(Series(label: "depth \(depth)", points: r))
    }
    let problem = NuclearNormProblem.completion(target: instance.target, observed: entries.map { .init($0.row, $0.column) })
    if let x = try? NuclearNormSolver(constraint: .withinTolerance(1e-3), relativeTolerance: 1e-5).solve(problem).x {
      errors.append(Series(label: "min ‖·‖_*", points: inits.map { ($0, aroraError(x, instance.target)) }))
      ranks.append(Series(label: "min ‖·‖_*", points: inits.map { ($0, (try? x.effectiveRank()) ?? .nan) }))
    }
    return [
      chart(name: "arora-analogue-error", title: "Reconstruction error (30×30, rank 2, 250 observed)", xLabel: "init scale", yLabel: "mean squared error", series: errors, logX: true, logY: true),
      chart(name: "arora-analogue-effective-rank", title: "Effective rank (30×30, rank 2, 250 observed)", xLabel: "init scale", yLabel: "effective rank", series: ranks, logX: true),
    ]
  }

  /// Escape stages on the loss curve (the Q1 setting, depth 3), with the plateaus ½Σ_{i>k}σᵢ².
  static func stageFigure() -> Figure? {
    let sigma = [10.0, 5, 2.5]
    let target = Targets.lowRank(rows: 10, columns: 10, singularValues: sigma, seedU: 1, seedV: 2)
    let problem = TrainingProblem(
      target: target, observations: .all, depth: 3, initialization: .gaussian(scale: 1e-4, seed: 1), loss: .halfSum,
      method: .descent(.gradientDescent(GradientDescent(learningRate: 0.01))), stop: StopRule(maxSteps: 3000), recording: .everySteps(5))
    guard let result = try? Trainer.train(problem) else { return nil }
    let steps = result.trajectory.map { Double($0.step) }
    var series = [Series(label: "loss", points: result.trajectory.map { (Double($0.step), $0.loss) })]
    for k in 0 ..< sigma.count {
      let plateau = 0.5 * sigma[k...].reduce(0) { $0 + $1 * $1 }
      series.append(Series(label: "½Σ_{i>\(k)}σᵢ²", points: [(steps.first ?? 0, plateau), (steps.last ?? 1, plateau)]))
    }
    return chart(name: "escape-stages", title: "Escape stages on the loss (depth 3, σ = 10, 5, 2.5)", xLabel: "iteration", yLabel: "loss", series: series, logY: true)
  }

  /// Saxe et al.'s closed-form sigmoid per mode against the trained network (claim E1's example:
  /// S = diag(3, 2, 1), u₀ = 1e-3, decoupled balanced init): gradient flow and GD at η = 0.05 (in
  /// flow time ηk), whose lag behind the curves is the discretisation.
  static func sigmoidFigure() -> Figure? {
    let strengths = [3.0, 2, 1], u0 = 1e-3, horizon = 6.0
    let factor = Matrix.diagonal([Double](repeating: u0.squareRoot(), count: 3))
    func run(_ method: TrainingMethod, stop: StopRule, recording: RecordingSchedule) -> TrainingResult? {
      try? Trainer.train(TrainingProblem(
        target: Matrix.diagonal(strengths), observations: .all, depth: 2, initialization: .factors([factor, factor]),
        loss: .halfSum, method: method, stop: stop, recording: recording))
    }
    let eta = 0.05
    guard let flow = run(.gradientFlow(relativeTolerance: 1e-10), stop: StopRule(maxTime: horizon), recording: .everyTime(0.2)),
      let descent = run(.descent(.gradientDescent(GradientDescent(learningRate: eta))), stop: StopRule(maxSteps: Int(horizon / eta)), recording: .everySteps(4))
    else { return nil }
    var series: [Series] = []
    for (i, s) in strengths.enumerated() {
      let times = (0 ... 120).map { horizon * Double($0) / 120 }
      series.append(Series(label: "s = \(Int(s)), closed form", points: times.map { ($0, s / (1 + (s / u0 - 1) * exp(-2 * s * $0))) }))
      series.append(Series(label: "σ\(i + 1), flow", points: flow.trajectory.map { ($0.time ?? 0, $0.singularValues.count > i ? $0.singularValues[i] : .nan) }))
      series.append(Series(label: "σ\(i + 1), GD η = \(eta)", points: descent.trajectory.map { (eta * Double($0.step), $0.singularValues.count > i ? $0.singularValues[i] : .nan) }))
    }
    return chart(name: "saxe-sigmoid", title: "Saxe et al. 2014 eq. 9 against training (u₀ = 1e-3)", xLabel: "time t (GD: ηk)", yLabel: "σᵢ(W(t))", series: series)
  }

  /// The page: the verdict table, then the figures.
  static func html(rows: [VerdictRow], figures: [Figure]) -> String {
    var page = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>ImplicitBias verification report</title>"
    page += "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px}code{overflow-wrap:anywhere;word-break:break-all}"
    page += ".holds,.passed{background:#e6f4e6}.fails,.failed,.flaky,.unhealthy{background:#f9e0e0}.inconclusive{background:#fff6d6}</style></head><body>"
    page += "<h1>ImplicitBias verification report</h1><table><tr><th>code</th><th>claim</th><th>paper</th><th>kind</th><th>verdict</th><th>n</th><th>p̂ [anytime 95%]</th><th>measured</th><th>seed</th></tr>"
    for row in rows {
      let statistics = row.pHat.map { escape("\(VerdictRow.short($0)) \(row.interval95.map { "\($0)" } ?? "")") + (row.precision.map { "<br><small>\(escape($0))</small>" } ?? "") } ?? "—"
      page += "<tr class='\(colour(row))'><td>\(escape(row.code))</td><td>\(escape(row.id))</td><td>\(escape(row.paper))</td><td>\(escape(row.kind))</td>"
      page += "<td>\(escape(row.verdictText))</td><td>\(row.cases)</td><td>\(statistics)</td><td>\(escape(row.measured))</td><td>\(escape(row.runSeed.digits))</td></tr>"
    }
    page += "</table>"
    let failing = rows.filter { $0.result.failure != nil || !($0.result.statistics?.failingTokens.isEmpty ?? true) || $0.result.health.contains { $0.isError } }
    if !failing.isEmpty {
      page += "<h2>Failures and findings</h2>"
      for row in failing {
        page += "<h3 class='\(colour(row))'>\(escape(row.code)) \(escape(row.id)): \(escape(row.verdictText))</h3><ul>"
        if let counter = row.counterSetting { page += "<li>counter-setting (must fail): \(escape(counter))</li>" }
        if let failure = row.result.failure {
          if let first = failure.firstFailingCase {
            page += "<li>first failing case, as found: \(escape(first.message)); replay: <code>dmf replay \(escape(first.token))</code></li>"
          }
          page += "<li>minimal case: <code>\(escape(failure.minimalCase))</code>: \(escape(failure.message)); replay: <code>dmf replay \(escape(failure.token))</code></li>"
        }
        for token in row.result.statistics?.failingTokens ?? [] { page += "<li>failing case: <code>dmf replay \(escape(token))</code></li>" }
        for finding in row.result.health where finding.isError { page += "<li>\(escape(finding.check.rawValue)): \(escape(finding.message))</li>" }
        page += "</ul>"
      }
    }
    page += "<h2>Figures</h2>"
    for figure in figures {
      page += "<figure>\(figure.svg)<figcaption><small>data: <a href='figures/\(escape(figure.name)).csv'>figures/\(escape(figure.name)).csv</a></small></figcaption></figure>\n"
    }
    page += "</body></html>\n"
    return page
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
      .replacingOccurrences(of: "'", with: "&#39;")
  }

  static func short(_ x: Double) -> String { VerdictRow.short(x) }
}
