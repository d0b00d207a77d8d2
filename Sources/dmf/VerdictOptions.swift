import ArgumentParser

/// How `dmf verify` and `dmf merge` print verdicts and progress.
struct VerdictOptions: ParsableArguments {
  @Flag(help: "Print one JSON object per claim instead of the table.")
  var json = false

  @Flag(help: "Count inconclusive verdicts as failures.")
  var strict = false

  @Option(help: "Progress on standard error: auto (a live line on a terminal, plain lines otherwise), live, plain or off.")
  var progress: String = "auto"

  /// A session printing as asked, or the bad-input exit naming `--progress`.
  func session() throws -> ClaimSession {
    guard let style = ProgressDisplay.Style(rawValue: progress) else {
      throw Verify.failInput("--progress: \"\(progress)\" is not one of auto, live, plain, off")
    }
    return ClaimSession(json: json, strict: strict, results: nil, progress: ProgressDisplay(style: style))
  }
}
