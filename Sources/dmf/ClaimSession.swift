import ArgumentParser
import Foundation
import Properties
import PropertyTesting

/// Runs claims one after another and reports each as it finishes — a table row (or a JSON line) on
/// standard output, a line of the results file, the details of a failure — for `dmf verify` and
/// `dmf merge`.
struct ClaimSession {
  var json: Bool
  var strict: Bool
  var results: ResultsFile?
  var progress: ProgressDisplay
  /// Failing claims so far (including those read back by `--resume`).
  var failures = 0
  /// The rows of the claims run in this session.
  var rows: [VerdictRow] = []

  /// Whether a verdict counts as a failure of the run.
  func counts(_ verdict: PropertyResult.Verdict) -> Bool {
    verdict.isFailure || (strict && verdict == .inconclusive)
  }

  /// Runs `claim` with `runner` and reports it.
  mutating func run(_ claim: Claim, with runner: PropertyRunner) async throws {
    var runner = runner
    let display = progress
    runner.configuration.progress = { display.update($0) }
    display.begin("\(claim.code) \(claim.id)")
    let result = await claim.run(with: runner)
    display.end()
    let row = VerdictRow(claim: claim, result: result)
    rows.append(row)
    let line = row.jsonLine
    try results?.append(line)
    if json { print(line) } else { print(row.text) }
    if counts(result.verdict) {
      failures += 1
      if !json { print(result.summary.split(separator: "\n").dropFirst().map { "    " + $0 }.joined(separator: "\n")) }
    }
    fflush(nil)  // every stream: a batch log (stdout to a file is block-buffered) shows each row as its claim finishes
  }

  /// Closes the results file, writes `report.html` next to it when asked, prints the last line and
  /// exits 1 when a claim failed.
  func finish(reportDirectory: String?) throws {
    results?.close()
    if let directory = reportDirectory {
      let figures = Report.singularValueFigures() + [Report.normFigure()].compactMap { $0 } + Report.depthFigures() + [Report.stageFigure()].compactMap { $0 }
      do {
        try Report.html(rows: rows, figures: figures).write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
      } catch {
        throw Verify.failInput("--report: cannot write \(directory)/report.html (\(error.localizedDescription))")
      }
    }
    if !json { print(failures == 0 ? "no claim failed" : "\(failures) claims failed") }
    if failures > 0 { throw ExitCode(1) }
  }
}
