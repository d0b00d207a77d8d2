import Foundation
import ClaimKit
import Properties
import PropertyTesting

extension Report {
  /// The original-scale figures the claims that ran declare (``Claim/figures``), drawn from the runs
  /// they recorded (results.jsonl keeps each run's `run: …` quantities in case order), grouped by
  /// figure: Arora et al.'s Figure 2 panels, Figure 3, Razin & Cohen's tensor figure, the component
  /// norms. Razin & Cohen's Figure 1 stands with the report's other norm figures. Nothing when no
  /// such claim ran.
  static func paperFigures(rows: [VerdictRow]) -> [Figure] {
    let declared = rows.flatMap { row in declaredFigures(row).map { (figure: $0, row: row) } }
    let order: (ClaimFigure) -> Int? = { figure in
      switch figure {
      case .aroraFigure2: 0
      case .aroraFigure3: 1
      case .razinCohenTensorFigure: 2
      case .componentNorms: 3
      case .razinCohenFigure1: nil
      case .plot: 4
      }
    }
    return (0 ... 4).flatMap { rank in declared.filter { order($0.figure) == rank }.flatMap { draw($0.figure, from: $0.row) } }
  }

  /// The figures the catalogue's claim of `row` declares (none for a claim the catalogue lacks).
  static func declaredFigures(_ row: VerdictRow) -> [ClaimFigure] {
    Catalog.claim(id: row.id)?.figures ?? []
  }

  /// The panels of `figure` from the runs `row` recorded.
  static func draw(_ figure: ClaimFigure, from row: VerdictRow) -> [Figure] {
    switch figure {
    case .aroraFigure2(let observations): figure2Panels(row, observations: observations)
    case .aroraFigure3: figure3Panels(row)
    case .razinCohenFigure1: razinCohenFigure1Panels(row)
    case .razinCohenTensorFigure: tensorFigurePanels(row)
    case .componentNorms: componentNormPanels(row)
    case .plot(let plot): claimPlot(plot, from: row)
    }
  }

  /// A claim's own figure: `y` against `x` over its recorded runs, a line per value of `lineBy`
  /// (points in x order, each marked). Named by the claim's id and the plot's place among its figures.
  static func claimPlot(_ plot: ClaimPlot, from row: VerdictRow) -> [Figure] {
    let runs = runs(of: row).filter { $0[plot.x] != nil && $0[plot.y] != nil }
    guard !runs.isEmpty else { return [] }
    let groups: [(label: String, runs: [[RunQuantity: Double]])]
    if let lineBy = plot.lineBy {
      let values = Array(Set(runs.compactMap { $0[lineBy] })).sorted()
      groups = values.map { value in ("\(lineBy.name) = \(String(format: "%g", value))", runs.filter { $0[lineBy] == value }) }
    } else {
      groups = [(plot.y.name, runs)]
    }
    let series = groups.map { group in
      switch plot.summary {
      case .cases:
        Series(label: group.label, points: group.runs.map { ($0[plot.x]!, $0[plot.y]!) }.sorted { $0.0 < $1.0 }, markers: true, joined: plot.joined)
      case .medianWithInterval:
        medians(group.runs, x: plot.x, y: plot.y, label: plot.lineBy == nil ? "median" : group.label, joined: plot.joined)
      }
    }
    let index = (declaredFigures(row).firstIndex(of: .plot(plot)) ?? 0) + 1
    let code = Catalog.claim(id: row.id)?.code ?? row.id
    return [chart(
      name: "\(row.id)-plot-\(index)", title: "\(code): \(plot.title) (\(runs.count) runs)", xLabel: plot.x.name, yLabel: plot.y.name,
      series: series, logX: plot.logX, logY: plot.logY, xCategories: plot.categories)]
  }

  /// Razin & Cohen 2020's tensor figure (order 3): reconstruction error and estimated CP rank against
  /// the observed entries, one line per init std with ± one standard deviation over the repetitions,
  /// beside the memoriser.
  static func tensorFigurePanels(_ row: VerdictRow) -> [Figure] {
    let runs = runs(of: row)
    guard !runs.isEmpty else { return [] }
    let stds = Set(runs.compactMap { $0[.initStd] }).sorted()
    func series(_ key: RunQuantity, _ label: String, of group: [[RunQuantity: Double]], log: Bool) -> Series {
      averaged(group, x: .observations, y: key, label: label, log: log)
    }
    let title = "Razin & Cohen 2020: 8×8×8 rank-1 completion, R = 64 (\(runs.count) runs)"
    return [
      chart(
        name: "razin-cohen-tensor-figure-error", title: title, xLabel: "observed entries (of 512)", yLabel: "‖W − W*‖_F/‖W*‖_F",
        series: stds.map { std in series(.error, "init std \(std)", of: runs.filter { $0[.initStd] == std }, log: true) }
          + [series(.memoriserError, "memoriser", of: runs, log: true)] + tensorFigurePaperValues,
        logY: true),
      chart(
        name: "razin-cohen-tensor-figure-cp-rank", title: title, xLabel: "observed entries (of 512)", yLabel: "estimated CP rank (5 = above 4)",
        series: stds.map { std in series(.cpRank, "init std \(std)", of: runs.filter { $0[.initStd] == std }, log: false) },
        references: [Reference("the target's rank", at: 1)]),
    ]
  }

  /// The values read off the paper's order-3 plots (notes §2.5), drawn as markers beside the runs.
  static let tensorFigurePaperValues = [
    Series(label: "paper, init 1e-3 (read off the plot)", points: [(100, 4e-3), (150, 4e-4), (200, 5e-6), (300, 5e-6), (400, 5e-6), (511, 5e-6)], markers: true),
    Series(label: "paper, init 1e-2 (read off the plot)", points: [(150, 1e-2), (200, 1e-2), (300, 5e-4), (400, 5e-4), (511, 5e-4)], markers: true),
    Series(label: "paper, memoriser (read off the plot)", points: [(50, 0.9), (511, 0.07)], markers: true),
  ]

  /// Razin & Cohen's Figure 1 from R10's runs (GD η = 1e-3 to loss 1e-4): the first run at each depth.
  static func razinCohenFigure1Panels(_ row: VerdictRow) -> [Figure] {
    let runs = runs(of: row)
    guard !runs.isEmpty else { return [] }
    var byDepth: [(Int, [NormRecorder.Point])] = []
    var k = 0
    while k < runs.count {
      // A run's records are consecutive and its loss falls; a rise starts the next run.
      var points: [NormRecorder.Point] = []
      let depth = Int(runs[k][.depth] ?? 0)
      repeat {
        let r = runs[k]
        points.append(NormRecorder.Point(
          loss: r[.loss] ?? .nan, w11: r[.w11] ?? .nan, nuclear: r[.nuclearNorm] ?? .nan, frobenius: r[.frobeniusNorm] ?? .nan,
          spectral: r[.spectralNorm] ?? .nan, erank: r[.effectiveRank] ?? .nan))
        k += 1
      } while k < runs.count && Int(runs[k][.depth] ?? 0) == depth && (runs[k][.loss] ?? 0) <= (runs[k - 1][.loss] ?? 0)
      if !byDepth.contains(where: { $0.0 == depth }) { byDepth.append((depth, points.filter { $0.loss < 0.5 })) }
    }
    return razinCohenFigure1(
      depths: byDepth.sorted { $0.0 < $1.0 }, title: "Razin & Cohen Fig. 1: (? 1; 1 0), GD η = 1e-3 to L = 1e-4 (R10)", paperMarker: true)
  }

  /// Razin, Maman & Cohen 2021 at the tensor code's defaults (TF4): the eight largest component norms
  /// against the iteration, learned one after another.
  static func componentNormPanels(_ row: VerdictRow) -> [Figure] {
    let runs = runs(of: row)
    guard !runs.isEmpty else { return [] }
    let series = (1 ... 8).map { i in
      Series(label: "component \(i)", points: runs.compactMap { r in r[.step].flatMap { step in r[.componentNorm(i)].map { (step, $0) } } })
    }
    return [chart(
      name: "razin-maman-cohen-original-scale-component-norms", title: "Razin, Maman & Cohen 2021: order 4, d = 10, CP rank 5, R = 1000, init std 5e-3",
      xLabel: "iteration", yLabel: "component norm (sorted)", series: series, logY: true)]
  }

  /// Arora et al. Figure 3: the top-10 singular values against the iteration, and the mean diagonal
  /// and off-diagonal magnitude of Uᵀ∇ℓ(W)V, one pair of panels per depth the claim ran.
  static func figure3Panels(_ row: VerdictRow) -> [Figure] {
    let runs = runs(of: row)
    let depths = Set(runs.compactMap { $0[.depth] }).sorted()
    return depths.flatMap { depth -> [Figure] in
      let here = runs.filter { $0[.depth] == depth }
      let values = (1 ... 10).map { i in
        Series(label: "σ\(i)", points: here.compactMap { r in r[.step].flatMap { step in r[.singularValue(i)].map { (step, $0) } } })
      }
      let alignment = [
        Series(label: "diag/mean", points: here.compactMap { r in r[.step].flatMap { step in r[.diagonalMean].map { (step, $0) } } }),
        Series(label: "off_diag/mean", points: here.compactMap { r in r[.step].flatMap { step in r[.offDiagonalMean].map { (step, $0) } } }),
      ]
      let title = "Arora et al. Fig. 3: depth \(Int(depth)), 100×100 rank 5, 2000 observed, GD η = 0.01"
      return [
        chart(name: "arora-figure-3-depth-\(Int(depth))-singular-values", title: title, xLabel: "iteration", yLabel: "σᵢ(W), top 10", series: values, logY: true),
        chart(name: "arora-figure-3-depth-\(Int(depth))-alignment", title: title, xLabel: "iteration", yLabel: "|Uᵀ∇ℓ(W)V|, mean", series: alignment, logY: true),
      ]
    }
  }

  /// One line of an averaged figure: for each value of `x` among `runs`, the mean of `y` over the runs
  /// there, with a band of ± one standard deviation (on a log axis clamped above half the smallest value).
  static func averaged(_ runs: [[RunQuantity: Double]], x: RunQuantity, y: RunQuantity, label: String, log: Bool) -> Series {
    var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
    for at in Set(runs.compactMap { $0[x] }).sorted() {
      let values = runs.filter { $0[x] == at }.compactMap { $0[y] }.filter(\.isFinite)
      guard let smallest = values.min() else { continue }
      let mean = values.reduce(0, +) / Double(values.count)
      let sd = values.count > 1 ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot() : 0
      points.append((at, mean))
      band.append((at, log ? max(mean - sd, smallest * 0.5) : mean - sd, mean + sd))
    }
    return Series(label: label, points: points, band: band, markers: true)
  }

  /// At each distinct x, the median of the runs' y with the distribution-free 95 % interval of the
  /// median (``QuantileBounds``), or the smallest to the largest y where there are too few runs for one.
  static func medians(_ runs: [[RunQuantity: Double]], x: RunQuantity, y: RunQuantity, label: String, joined: Bool) -> Series {
    let groups = Set(runs.compactMap { $0[x] }).sorted().map { at in (x: at, values: runs.filter { $0[x] == at }.compactMap { $0[y] }) }
    return medians(groups, label: label, joined: joined)
  }

  /// Each group's median at its x with the distribution-free 95 % interval of the median, or its
  /// smallest to largest value where it has too few for one, as error bars (non-finite values left out).
  static func medians(_ groups: [(x: Double, values: [Double])], label: String, joined: Bool) -> Series {
    var points: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
    for group in groups {
      let values = group.values.filter(\.isFinite)
      guard let median = QuantileBounds.quantile(values, level: 0.5) else { continue }
      points.append((group.x, median.estimate))
      band.append((group.x, median.lower ?? values.min()!, median.upper ?? values.max()!))
    }
    return Series(label: label, points: points, band: band, markers: true, joined: joined, bars: true, bandLabel: "95 % CI")
  }

  /// The runs of a claim: one dictionary a case (or record point), quantity to value.
  static func runs(of row: VerdictRow) -> [[RunQuantity: Double]] {
    FigureData.runs(in: row.result.measurements)
  }

  /// Arora et al. Figure 2 for one observation count: error, nuclear norm and effective rank against
  /// the init scale, one line per depth with its mean ± one standard deviation over the instances,
  /// beside minimum nuclear norm and the ground truth, with the notebook's axis ranges shaded.
  /// Runs that did not reach the loss threshold are left out of the means and named in the title
  /// (their values are in the claim's row and results.jsonl): one blown-up run would hide the rest.
  static func figure2Panels(_ row: VerdictRow, observations count: Int) -> [Figure] {
    let all = runs(of: row)
    guard !all.isEmpty else { return [] }
    let runs = all.filter { ($0[.finalLoss] ?? .infinity) <= 1e-6 }
    let left = all.count - runs.count
    let observations = "\(count)"
    let depths = Set(runs.compactMap { $0[.depth] }).sorted()
    let instances = Set(runs.compactMap { $0[.instance] }).count
    func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
    /// One series per depth: `key` averaged over the instances at every init scale.
    func series(_ key: RunQuantity, log: Bool) -> [Series] {
      depths.map { depth in averaged(runs.filter { $0[.depth] == depth }, x: .initScale, y: key, label: "depth \(Int(depth))", log: log) }
    }
    func reference(_ label: String, _ key: RunQuantity) -> [Reference] {
      let values = runs.compactMap { $0[key] }.filter(\.isFinite)
      return values.isEmpty ? [] : [Reference(label, at: mean(values))]
    }
    let title = "Arora et al. Fig. 2: 100×100, rank 5, \(observations) observed (\(instances) instances"
      + (left == 0 ? ")" : "; \(left) run\(left == 1 ? "" : "s") not converged, left out)")
    let stem = "arora-figure-2-\(observations)"
    return [
      chart(
        name: "\(stem)-error", title: title, xLabel: "init scale", yLabel: "reconstruction error (mean squared)",
        series: series(.error, log: true),
        references: reference("min ‖·‖_*", .baselineError) + [Reference("notebook axis 1e-7…0.15", range: 1e-7 ... 0.15)],
        logX: true, logY: true),
      chart(
        name: "\(stem)-nuclear-norm", title: title, xLabel: "init scale", yLabel: "nuclear norm",
        series: series(.nuclearNorm, log: false),
        references: reference("min ‖·‖_*", .baselineNuclearNorm) + reference("ground truth", .truthNuclearNorm) + [Reference("notebook axis 210…223", range: 210 ... 223)],
        logX: true),
      chart(
        name: "\(stem)-effective-rank", title: title, xLabel: "init scale", yLabel: "effective rank",
        series: series(.effectiveRank, log: false),
        references: reference("min ‖·‖_*", .baselineEffectiveRank) + reference("ground truth", .truthEffectiveRank) + [Reference("notebook axis 4…11", range: 4 ... 11)],
        logX: true),
    ]
  }
}
