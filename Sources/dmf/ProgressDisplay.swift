import Foundation
import PropertyTesting
import Synchronization

/// Progress of the running claim on standard error: a live line redrawn in place on a terminal,
/// plain lines (a claim's start, then one every half minute) when standard error is a file or pipe.
final class ProgressDisplay: Sendable {
  /// How progress is shown.
  enum Style: String, CaseIterable {
    /// A live line on a terminal, plain lines otherwise.
    case auto
    /// Always the live line.
    case live
    /// Always plain lines.
    case plain
    /// Nothing.
    case off
  }

  private struct State {
    var claim = ""
    var lastDraw = ContinuousClock.now
    var lastPlain = ContinuousClock.now
    var drawn = false
  }

  private let live: Bool
  private let enabled: Bool
  private let plainInterval: Duration
  private let state = Mutex(State())

  init(style: Style, plainInterval: Duration = .seconds(30)) {
    enabled = style != .off
    live = style == .live || (style == .auto && isatty(STDERR_FILENO) == 1)
    self.plainInterval = plainInterval
  }

  /// A claim starts.
  func begin(_ claim: String) {
    guard enabled else { return }
    state.withLock { state in
      state.claim = claim
      state.lastPlain = .now
      if !live { FileHandleOutput.writeToStandardError("\(claim): started\n") }
    }
  }

  /// A case finished (called by the runner); `claim` names the claim when several run at once.
  func update(_ progress: RunProgress, claim: String? = nil) {
    guard enabled else { return }
    state.withLock { state in
      if let claim { state.claim = claim }
      let now = ContinuousClock.now
      if live {
        guard !state.drawn || now - state.lastDraw >= .milliseconds(100) else { return }
        state.lastDraw = now
        state.drawn = true
        FileHandleOutput.writeToStandardError("\r\u{1B}[2K" + Self.describe(progress, claim: state.claim))
      } else if now - state.lastPlain >= plainInterval {
        state.lastPlain = now
        FileHandleOutput.writeToStandardError(Self.describe(progress, claim: state.claim) + "\n")
      }
    }
  }

  /// The claim finished: the live line is cleared before its row is printed.
  func end() {
    guard enabled else { return }
    state.withLock { state in
      if live && state.drawn { FileHandleOutput.writeToStandardError("\r\u{1B}[2K") }
      state.drawn = false
    }
  }

  /// `A5 arora.…: 37 cases (3 failed), Λ = −2.31 ∈ (−4.60, 4.60), 12.3 s`.
  static func describe(_ progress: RunProgress, claim: String) -> String {
    let cases = progress.cases == 1 ? "1 case" : "\(progress.cases) cases"
    var text = "\(claim): "
    switch progress.phase {
    case .generating: text += cases
    case .recording: text += "\(cases) recorded for this shard"
    case .shrinking: text += "shrinking a failing case (after \(cases))"
    }
    if progress.phase != .shrinking && progress.failures > 0 { text += " (\(progress.failures) failed)" }
    if progress.discarded > 0 { text += ", \(progress.discarded) discarded" }
    if let test = progress.test {
      text += String(format: ", SPRT Λ = %.2f in (%.2f, %.2f)", test.logLikelihoodRatio, test.design.lowerThreshold, test.design.upperThreshold)
    }
    text += String(format: ", %.1f s", progress.elapsedSeconds)
    return text
  }
}
