import ArgumentParser

/// How `dmf verify` and `dmf merge` print verdicts and progress.
struct VerdictOptions: ParsableArguments {
  @Flag(help: "Print one JSON object per claim instead of the table.")
  var json = false

  @Flag(help: "Count inconclusive verdicts as failures.")
  var strict = false

  @Option(help: "Progress on standard error: auto is a live line on a terminal, plain lines otherwise.")
  var progress: ProgressDisplay.Style = .auto

  /// A session printing as asked.
  func session() -> ClaimSession {
    ClaimSession(json: json, strict: strict, results: nil, progress: ProgressDisplay(style: progress))
  }
}
