import ArgumentParser
import Foundation
import ClaimKit
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
  /// Whether the session runs the claims' counter-settings (`dmf verify --counter`), each of which must fail.
  var counterSettings = false

  /// Whether `claim`'s verdict counts as a failure of the run: for a counter-setting, anything but a
  /// failure; for a claim, what its status says (a claim declared refuted fails the run if it holds).
  func counts(_ claim: Claim, _ verdict: PropertyResult.Verdict) -> Bool {
    if counterSettings { return verdict != .failed && verdict != .fails }
    return claim.status.failsTheRun(verdict, strict: strict)
  }

  /// Runs `claim` with `runner` and reports it.
  mutating func run(_ claim: Claim, with runner: PropertyRunner) async throws {
    progress.begin(label(claim))
    let result = try await ClaimSelection.run(claim, with: reporting(claim, runner), counterSetting: counterSettings)
    try report(claim, result)
  }

  /// Runs `claims` with up to `width` of them at once, so that claims with a few slow cases do not
  /// leave a core idle, and reports them in the given order as they finish. A claim evaluates its
  /// cases one at a time while enough claims remain to fill the cores, and `width` at a time at the
  /// end of the run: several cases of one claim at once are partly speculative (a statistical claim
  /// stops at its SPRT decision, a deterministic one at its first failure) and that work is lost.
  /// Every claim's result is what it is alone: claims share no state, and verdicts do not depend on
  /// the parallelism.
  mutating func run(_ claims: [Claim], with runner: PropertyRunner, width: Int) async throws {
    guard width > 1 && claims.count > 1 else {
      for claim in claims { try await run(claim, with: runner) }
      return
    }
    var pending: [Int: PropertyResult] = [:]  // finished, waiting for the claims before them
    var reported = 0, started = 0
    try await withThrowingTaskGroup(of: (Int, PropertyResult).self) { group in
      func start(_ index: Int) {
        var runner = reporting(claims[index], runner)
        runner.configuration.parallelism = claims.count - index >= width ? 1 : width
        let claim = claims[index], counter = counterSettings
        progress.begin(label(claim))
        group.addTask { (index, try await ClaimSelection.run(claim, with: runner, counterSetting: counter)) }
      }
      while started < Swift.min(width, claims.count) {
        start(started)
        started += 1
      }
      while let (index, result) = try await group.next() {
        pending[index] = result
        while let next = pending.removeValue(forKey: reported) {
          try report(claims[reported], next)
          reported += 1
        }
        if started < claims.count {
          start(started)
          started += 1
        }
      }
    }
  }

  private func label(_ claim: Claim) -> String { "\(claim.code) \(claim.id)" }

  /// `runner` with its progress shown under the claim's name.
  private func reporting(_ claim: Claim, _ runner: PropertyRunner) -> PropertyRunner {
    var runner = runner
    let display = progress, label = label(claim)
    runner.configuration.progress = { display.update($0, claim: label) }
    return runner
  }

  /// Reports one finished claim: the row, the results line, a failure's details.
  private mutating func report(_ claim: Claim, _ result: PropertyResult) throws {
    progress.end()
    let row = VerdictRow(claim: claim, result: result, counterSetting: counterSettings)
    rows.append(row)
    let line = row.jsonLine
    try results?.append(line)
    if json { print(line) } else { print(row.text) }
    let counted = counts(claim, result.verdict)
    if counted { failures += 1 }
    // The details of what went wrong, and of an expected failure's counterexample (a refuted claim's,
    // a counter-setting's: not counted, but its case and token are what a user replays next).
    if !json && (counted || result.verdict.isFailure) {
      print(result.summary.split(separator: "\n").dropFirst().map { "    " + $0 }.joined(separator: "\n"))
    }
    fflush(nil)  // every stream: a batch log (stdout to a file is block-buffered) shows each row as its claim finishes
  }

  /// Closes the results file, writes `report.html` next to it when asked, prints the last line and
  /// exits 1 when a claim failed.
  func finish(reportDirectory: String?) throws {
    results?.close()
    if let directory = reportDirectory {
      let figures = Report.figures(rows: rows)
      do {
        try FileManager.default.createDirectory(atPath: directory + "/figures", withIntermediateDirectories: true)
        for figure in figures {
          try figure.csv.write(toFile: directory + "/figures/\(figure.name).csv", atomically: true, encoding: .utf8)
        }
        try Report.html(rows: rows, figures: figures).write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
      } catch {
        throw Verify.failInput("--report: cannot write \(directory)/report.html or its figures (\(PathProblem.writing(directory + "/report.html", error)))")
      }
    }
    if !json {
      // The precision each statistical claim's rate reached after its SPRT decision (ci and full profiles).
      for row in rows { if let precision = row.precision { print("\(row.code): rate \(row.interval95.map { "\($0)" } ?? "") — \(precision)") } }
      if counterSettings {
        print(failures == 0 ? "every counter-setting failed, as it must" : "\(failures) counter-settings did not fail")
      } else {
        print(failures == 0 ? "no claim failed" : "\(failures) claims failed")
      }
    }
    if failures > 0 { throw ExitCode(1) }
  }
}
