@testable import dmf
import Foundation
import ClaimKit
import Properties
import PropertyTesting
import Testing

/// `report.html` shows what a failing claim needs to be followed up.
struct ReportTests {
  @Test func aFailureIsShownWithItsMinimalCaseAndReplayCommand() throws {
    let json = """
      {"name": "p", "kind": "deterministic", "verdict": "failed", "profile": "quick", "runSeed": "1", "seedSource": "explicit",
       "casesRun": 3, "casesPassed": 2, "casesDiscarded": 0, "casesReplayed": 0,
       "failure": {"message": "x = 2, expected [0, 1]", "origin": {"kind": "measurement", "site": "p", "parts": ["x"]}, "minimalCase": "the 2×2 case", "token": "dmf1.1.2.AA",
                   "originalChoices": 3, "shrunkChoices": 1, "shrinkCalls": 4, "successfulShrinks": 1, "shrinkSeconds": 0,
                   "shrinkBudgetExhausted": false, "foundBy": "generated", "shrinkPasses": []},
       "health": [], "labels": [], "measurements": [], "timing": {"totalSeconds": 0, "medianCaseSeconds": 0, "p95CaseSeconds": 0}}
      """
    let result = try JSONDecoder().decode(PropertyResult.self, from: Data(json.utf8))
    let page = Report.html(rows: [VerdictRow(claim: Catalog.all[0], result: result)], figures: [])
    #expect(page.contains("Failures and findings"))
    #expect(page.contains("minimal case: <code>the 2×2 case</code>"))
    #expect(page.contains("<code>dmf replay dmf1.1.2.AA</code>"))
    // A counter-setting's failure is the expected outcome, coloured as a pass.
    #expect(Report.colour(VerdictRow(claim: Catalog.all[0], result: result)) == "failed")
    #expect(Report.colour(VerdictRow(claim: Catalog.all[0], result: result, counterSetting: true)) == "passed")
    #expect(Report.colour(VerdictRow(claim: Catalog.all[0].refuted("planted"), result: result)) == "passed")
  }

  @Test func aReportOfOtherClaimsDrawsNoneOfThePapersIllustrations() throws {
    let json = """
      {"name": "p", "kind": "deterministic", "verdict": "passed", "profile": "quick", "runSeed": "1", "seedSource": "explicit",
       "casesRun": 3, "casesPassed": 3, "casesDiscarded": 0, "casesReplayed": 0,
       "health": [], "labels": [], "measurements": [], "timing": {"totalSeconds": 0, "medianCaseSeconds": 0, "p95CaseSeconds": 0}}
      """
    let result = try JSONDecoder().decode(PropertyResult.self, from: Data(json.utf8))
    var row = VerdictRow(claim: Catalog.all[0], result: result)
    row.id = "my-paper.depth-3-low-rank"
    let none = Report.figures(rows: [row]).map(\.name)
    row.id = "saxe.flow-follows-the-sigmoid"
    let saxe = Report.figures(rows: [row]).map(\.name)
    #expect(saxe.count == none.count + 1, "\(none) against \(saxe)")
    row.id = "arora.end-to-end-dynamics"
    #expect(Report.figures(rows: [row]).count > none.count + 3)
  }
}

/// The Saxe et al. figure: the closed-form curves and the trained modes on them.
struct SigmoidFigureTests {
  @Test func theFigureShowsTheClosedFormAndBothTrainings() throws {
    let figure = try #require(Report.sigmoidFigure()).svg
    #expect(figure.contains("<svg") && figure.contains("Saxe et al. 2014 eq. 9"))
    for label in ["s = 3, closed form", "σ1, flow", "σ3, GD η = 0.05"] {
      #expect(figure.contains(Report.escape(label)), "\(label)")
    }
  }
}

/// The statistics figures: the forest plot of rates and each claim's distribution against its interval.
struct StatisticsFigureTests {
  @Test func aStatisticalClaimGetsAForestRowAndItsDistribution() async throws {
    let runner = PropertyRunner(configuration: RunConfiguration(profile: .ci, seed: 3, parallelism: 2))
    let claim = try #require(Catalog.claim(id: "razin-cohen.tensor-completion-recovers"))
    // A cheap stand-in with the same shape of result: a coin claim measured like a claim.
    let result = await runner.claim("coin", Gen<Double>.double(in: 0 ... 1), design: .mostInstances) { u in
      PropertyContext.measure("u", u, primary: true)
      return u < 0.97
    }
    var annotated = result
    annotated.measurements[0].expectedLower = 0
    annotated.measurements[0].expectedUpper = 0.97
    let row = VerdictRow(claim: claim, result: annotated)
    let forest = try #require(Report.forestPlot(rows: [row]))
    #expect(forest.svg.contains("R8 (n = \(result.casesRun))"))
    #expect(forest.csv.hasPrefix("code,cases,p_hat,") && forest.csv.contains("\nR8,\(result.casesRun),"))
    let distributions = Report.distributionFigures(rows: [row])
    #expect(distributions.count == 1 && distributions[0].svg.contains("<rect"), "the expected interval is shaded")
    #expect(distributions[0].svg.contains("green: expected interval"))
    // Without an expected interval (a counter-setting's row) neither the band nor its key is drawn.
    let bare = try #require(Report.distributionFigures(rows: [VerdictRow(claim: claim, result: result)]).first)
    #expect(!bare.svg.contains("<rect") && !bare.svg.contains("green"))
    #expect(distributions[0].csv.split(separator: "\n").count == result.measurements[0].values.count + 1)
    // The ci profile kept sampling after the decision, and the row says whether the precision was reached.
    #expect((result.statistics?.decidedAfter ?? .max) < result.casesRun)
    #expect(row.precision?.contains("≤ 0.1") == true)
    #expect(result.measurements[0].quantiles.map(\.level) == [0.1, 0.5, 0.9])
  }

  @Test func aWideIntervalIsClippedAndTheAxisFitsTheDataWithRoundTicks() async throws {
    // A1's shape: errors near 1e-11 held to [0, 1e-5]. The axis spans the data (0 … 6e-11 in steps
    // of 2e-11), not the interval, whose band runs off the right edge with its end named.
    let claim = try #require(Catalog.claim(id: "arora.end-to-end-dynamics"))
    var result = await PropertyRunner(configuration: RunConfiguration(seed: 1)).check("p", Gen<Int>.int(in: 0 ... 1)) { _ in }
    var summary = PropertyResult.MeasurementSummary(quantity: "relative error", values: [1.26e-11, 1.6e-11, 2.49e-11, 3.27e-11, 5.74e-11])
    summary.expectedLower = 0
    summary.expectedUpper = 1e-5
    result.measurements = [summary]
    let svg = try #require(Report.distributionFigures(rows: [VerdictRow(claim: claim, result: result)]).first).svg
    #expect(svg.contains("1.00e-05 ▶"), "the clipped interval's end is named")
    for label in [">0<", ">2.00e-11<", ">4.00e-11<", ">6.00e-11<"] { #expect(svg.contains(label), "\(label)") }
    #expect(!svg.contains("e-06<"), "no tick out in the interval's range")
  }
}

/// The charts a reader would put in a paper: decade ticks, bands, references, every figure's data as CSV.
struct ChartTests {
  @Test(arguments: [
    (1e-6, 0.15, [-6.0, -5, -4, -3, -2, -1, 0]),
    (0.004404, 0.01939, [-3.0, -2, -1]),
    (2e-9, 3e3, [-9.0, -7, -5, -3, -1, 1, 3, 5]),
  ])
  func logAxesTickAtDecades(low: Double, high: Double, ticks: [Double]) {
    let axis = AxisTicks.ticks(low: low, high: high, log: true)
    #expect(axis.ticks == ticks)
    #expect(axis.range.lowerBound <= log10(low) && axis.range.upperBound >= log10(high))
    #expect(AxisTicks.label(-5, log: true) == "10⁻⁵" && AxisTicks.label(0, log: true) == "10⁰" && AxisTicks.label(3, log: true) == "10³")
    #expect(AxisTicks.label(150_000, log: false) == "150\u{2009}000" && AxisTicks.label(-20, log: false) == "−20" && AxisTicks.label(0.2, log: false) == "0.2")
    // Spacing decides the decimals: ticks 0.0005 apart near 1 stay distinct.
    #expect([1, 1.0005, 1.001, 1.0015].map { AxisTicks.label($0, log: false, step: 0.0005) } == ["1.0000", "1.0005", "1.0010", "1.0015"])
    #expect(AxisTicks.label(0.4, log: false, step: 0.2) == "0.4" && AxisTicks.label(1, log: false, step: 0.2) == "1.0")
  }

  @Test(arguments: [(210.0, 223.0, 5.0), (4.0, 11.0, 2.0), (0.0, 1.0, 0.2), (-3.0, 47.0, 10.0)])
  func linearAxesTickAtOneTwoFiveSteps(low: Double, high: Double, step: Double) {
    let axis = AxisTicks.ticks(low: low, high: high, log: false)
    #expect(axis.range.lowerBound <= low && axis.range.upperBound >= high)
    for (a, b) in zip(axis.ticks, axis.ticks.dropFirst()) { #expect(abs(b - a - step) < 1e-9 * step) }
    #expect(axis.ticks.allSatisfy { abs(($0 / step).rounded() * step - $0) < 1e-9 * step }, "ticks are multiples of the step")
  }

  @Test func aChartDrawsBandsReferencesAndAnOutsideLegendAndKeepsItsData() {
    let series = [Report.Series(label: "depth 3", points: [(1e-4, 2e-5), (1e-3, 3e-5)], band: [(1e-4, 1e-5, 3e-5), (1e-3, 2e-5, 4e-5)])]
    let figure = Report.chart(
      name: "demo", title: "demo", xLabel: "init", yLabel: "error", series: series,
      references: [Report.Reference("min ‖·‖_*", at: 0.05), Report.Reference("notebook axis", range: 1e-7 ... 0.15)], logX: true, logY: true)
    #expect(figure.svg.contains("<polygon"), "the band")
    #expect(figure.svg.contains("stroke-dasharray='4,4'"), "the reference line")
    #expect(figure.svg.contains("fill-opacity='0.12'"), "the reference range")
    #expect(figure.svg.contains("10⁻⁷") && figure.svg.contains("10⁻¹"), "decade ticks")
    #expect(!figure.svg.contains("0.004404"))
    #expect(figure.csv == """
      series,x,y,low,high
      depth 3,0.0001,2e-05,1e-05,3e-05
      depth 3,0.001,3e-05,2e-05,4e-05
      min ‖·‖_*,,0.05,,
      notebook axis,,,1e-07,0.15

      """)
  }

  @Test func linesThatCoincideStayVisible() {
    // As |W11|, ‖W‖_* and ‖W‖_F on Razin & Cohen's rank-1 path: nearly equal values. Distinct dashes
    // and markers keep all three visible (the report's Figure 1 draws ‖W‖_* with markers).
    let losses = [1e-1, 1e-2, 1e-3, 1e-4]
    let figure = Report.chart(
      name: "coincide", title: "coincide", xLabel: "loss", yLabel: "value",
      series: [
        Report.Series(label: "|W11|", points: losses.map { ($0, 1 / (2 * $0).squareRoot()) }),
        Report.Series(label: "‖W‖_*", points: losses.map { ($0, 1.0001 / (2 * $0).squareRoot()) }, markers: true),
        Report.Series(label: "‖W‖_F", points: losses.map { ($0, 1.00005 / (2 * $0).squareRoot()) }),
      ], logX: true, logY: true)
    #expect(figure.svg.contains("stroke-dasharray='6,3'") && figure.svg.contains("stroke-dasharray='2,2'") && figure.svg.contains("<circle"))
    #expect(figure.csv.contains("‖W‖_*,") && figure.csv.contains("‖W‖_F,"))
  }
}

/// Arora et al.'s Figure 2 panels come from the runs a paper-profile claim recorded.
struct PaperFigureTests {
  @Test func aClaimsOwnPlotIsDrawnFromTheQuantitiesItRecorded() throws {
    let gap = RunQuantity(named: "gap"), width = RunQuantity(named: "width")
    // Four cases, recorded as FigureData.record files them: two widths, observations out of order.
    let recorded: [(String, [Double])] = [("observations", [30, 10, 20, 10]), ("gap", [0.3, 0.1, 0.2, 0.4]), ("width", [1, 1, 1, 2])]
    let json = """
      {"name": "x", "kind": "deterministic", "verdict": "passed", "profile": "quick", "runSeed": "2a", "seedSource": "explicit",
       "casesRun": 4, "casesPassed": 4, "casesDiscarded": 0, "casesReplayed": 0,
       "health": [], "labels": [], "measurements": [], "timing": {"totalSeconds": 0, "medianCaseSeconds": 0, "p95CaseSeconds": 0}}
      """
    var result = try JSONDecoder().decode(PropertyResult.self, from: Data(json.utf8))
    result.measurements = recorded.map { PropertyResult.MeasurementSummary(quantity: "run: " + $0.0, values: $0.1) }
    let row = VerdictRow(claim: Catalog.all[0], result: result)
    let plot = ClaimPlot(title: "gap against observations", x: .observations, y: gap, lineBy: width)
    let figure = try #require(Report.claimPlot(plot, from: row).first)
    #expect(figure.name == "\(Catalog.all[0].id)-plot-1")
    #expect(figure.svg.contains("\(Catalog.all[0].code): gap against observations (4 runs)"))
    let lines = figure.csv.split(separator: "\n").map(String.init)
    #expect(lines == ["series,x,y,low,high", "width = 1,10.0,0.1,,", "width = 1,20.0,0.2,,", "width = 1,30.0,0.3,,", "width = 2,10.0,0.4,,"], "a line per width, points in x order")
    #expect(!figure.svg.contains("<polyline") && figure.svg.contains("<circle"), "cases are points: several share an x")
    let joined = try #require(Report.claimPlot(ClaimPlot(title: "t", x: .observations, y: gap, joined: true), from: row).first)
    #expect(joined.svg.contains("<polyline"))
    #expect(Report.claimPlot(ClaimPlot(title: "t", x: .observations, y: RunQuantity(named: "never recorded")), from: row).isEmpty)
  }

  @Test func aSummarisedPlotDrawsEachCategorysMedianWithTheIntervalOfTheMedian() throws {
    let erank = RunQuantity(named: "erank"), optimizer = RunQuantity(named: "optimizer")
    // Category 0: 10 cases 1…10 (the 95 % interval of the median is [X₍₂₎, X₍₉₎] = [2, 9]); category 1: 3 cases, too few for one.
    let x = [Double](repeating: 0, count: 10) + [1, 1, 1], y = (1 ... 10).map(Double.init) + [7, 5, 6]
    let json = """
      {"name": "x", "kind": "statistical", "verdict": "passed", "profile": "quick", "runSeed": "2a", "seedSource": "explicit",
       "casesRun": 13, "casesPassed": 13, "casesDiscarded": 0, "casesReplayed": 0,
       "health": [], "labels": [], "measurements": [], "timing": {"totalSeconds": 0, "medianCaseSeconds": 0, "p95CaseSeconds": 0}}
      """
    var result = try JSONDecoder().decode(PropertyResult.self, from: Data(json.utf8))
    result.measurements = [
      PropertyResult.MeasurementSummary(quantity: "run: optimizer", values: x), PropertyResult.MeasurementSummary(quantity: "run: erank", values: y),
    ]
    let row = VerdictRow(claim: Catalog.all[0], result: result)
    let plot = ClaimPlot(title: "t", x: optimizer, y: erank, summary: .medianWithInterval, categories: ["gd", "adam", "never run"])
    let figure = try #require(Report.claimPlot(plot, from: row).first)
    let lines = figure.csv.split(separator: "\n").map(String.init)
    #expect(lines == ["series,x,y,low,high", "median,0.0,5.0,2.0,9.0", "median,1.0,6.0,5.0,7.0"], "the median and its interval; the range where n < 6")
    #expect(figure.svg.contains(">gd</text>") && figure.svg.contains(">adam</text>") && figure.svg.contains(">never run</text>"), "the categories label the axis")
    #expect(!figure.svg.contains("<polygon") && figure.svg.contains("95 % CI"), "intervals are bars, named in the legend")
  }

  @Test func figure2PanelsAverageTheRepetitionsOfEachGridPoint() throws {
    // Two instances × depths 3, 4 × inits 1e-3, 1e-5, recorded as the claim records them.
    var columns: [String: [Double]] = [:]
    for instance in 0 ..< 2 {
      for depth in [3.0, 4.0] {
        for scale in [1e-3, 1e-5] {
          let row: [String: Double] = [
            "depth": depth, "init scale": scale, "instance": Double(instance), "error": (depth == 3 ? 1e-4 : 1e-5) * (1 + Double(instance)),
            "‖W‖_*": 220 + Double(instance), "effective rank": 5, "error of min ‖·‖_*": 0.05, "‖X_min‖_*": 215, "effective rank of min ‖·‖_*": 8,
            "‖W*‖_*": 219.6, "effective rank of W*": 4.9, "final loss": 9.9e-7,
          ]
          for (key, value) in row { columns[key, default: []].append(value) }
        }
      }
    }
    // A run that did not converge (blown up): left out of the means, named in the title.
    for (key, value) in columns { columns[key] = value + [value.last!] }
    columns["error"]![columns["error"]!.count - 1] = 62
    columns["final loss"]![columns["final loss"]!.count - 1] = 1.2e-3
    let measurements = columns.keys.sorted().map { key in
      PropertyResult.MeasurementSummary(quantity: "run: " + key, values: columns[key]!)  // as results.jsonl files them
    }
    let json = """
      {"name": "arora.figure-2-few-observations", "kind": "deterministic", "verdict": "passed", "profile": "paper", "runSeed": "2a", "seedSource": "explicit",
       "casesRun": 8, "casesPassed": 8, "casesDiscarded": 0, "casesReplayed": 0,
       "health": [], "labels": [], "measurements": [], "timing": {"totalSeconds": 0, "medianCaseSeconds": 0, "p95CaseSeconds": 0}}
      """
    var result = try JSONDecoder().decode(PropertyResult.self, from: Data(json.utf8))
    result.measurements = measurements
    let claim = try #require(Catalog.claim(id: "arora.figure-2-few-observations"))
    let panels = Report.paperFigures(rows: [VerdictRow(claim: claim, result: result)])
    #expect(panels.map(\.name) == ["arora-figure-2-2000-error", "arora-figure-2-2000-nuclear-norm", "arora-figure-2-2000-effective-rank"])
    // Depth 3 at init 1e-3: the mean of 1e-4 and 2e-4, with its band.
    let lines = panels[0].csv.split(separator: "\n").map(String.init)
    let depth3 = try #require(lines.first { $0.hasPrefix("depth 3,0.001,") })
    let fields = depth3.split(separator: ",").compactMap { Double($0) }
    #expect(abs(fields[1] - 1.5e-4) < 1e-18)
    #expect(abs(fields[3] - (1.5e-4 + (0.5e-8).squareRoot())) < 1e-12, "mean + one standard deviation over the two instances")
    /// The value of the reference line `label` in a figure's CSV.
    func reference(_ label: String, in csv: String) -> Double? {
      csv.split(separator: "\n").first { $0.hasPrefix(label + ",,") }.flatMap { Double($0.split(separator: ",", omittingEmptySubsequences: false)[2]) }
    }
    #expect(abs(try #require(reference("min ‖·‖_*", in: panels[0].csv)) - 0.05) < 1e-12)
    #expect(abs(try #require(reference("ground truth", in: panels[1].csv)) - 219.6) < 1e-9)
    #expect(panels[1].csv.contains("notebook axis 210…223,,,210.0,223.0"), "\(panels[1].csv)")
    #expect(panels[0].svg.contains("(2 instances; 1 run not converged, left out)"))
    #expect(!panels[0].csv.contains(",62"), "the blown-up run is not averaged in")
  }
}
