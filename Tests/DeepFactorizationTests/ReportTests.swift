@testable import dmf
import Foundation
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
  }
}

/// The Saxe et al. figure: the closed-form curves and the trained modes on them.
struct SigmoidFigureTests {
  @Test func theFigureShowsTheClosedFormAndBothTrainings() throws {
    let figure = try #require(Report.sigmoidFigure())
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
    #expect(forest.contains("R8 (n = \(result.casesRun))"))
    let distributions = Report.distributionFigures(rows: [row])
    #expect(distributions.count == 1 && distributions[0].contains("<rect"), "the expected interval is shaded")
    // The ci profile kept sampling after the decision, and the row says whether the precision was reached.
    #expect((result.statistics?.decidedAfter ?? .max) < result.casesRun)
    #expect(row.precision?.contains("≤ 0.1") == true)
    #expect(result.measurements[0].quantiles.map(\.level) == [0.1, 0.5, 0.9])
  }
}
