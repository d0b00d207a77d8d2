public import PropertyTesting

/// What a claim's verdict means for a run (`swift test`, `dmf verify`'s exit status).
///
/// An established claim must hold. A conjecture the harness has refuted can be kept in the catalogue
/// as ``expectedRefuted(_:)``: its failure is the expected outcome and keeps the run green, and the
/// run fails if it ever holds (the refutation no longer stands, so the status must change). An
/// ``exploratory`` claim is run and reported and never fails a run, except for a mistake in its
/// definition, which is always an error.
public enum ClaimStatus: Sendable, Equatable, CustomStringConvertible {
  /// The claim must hold (the default).
  case established
  /// The claim is known to be false, for the reason given (the refuting finding); it must go on failing.
  case expectedRefuted(String)
  /// The claim is under exploration: its verdict is reported and decides nothing.
  case exploratory

  /// Whether `verdict` fails the run (`strict`: an inconclusive verdict of a claim that must hold
  /// or must fail does too).
  public func failsTheRun(_ verdict: PropertyResult.Verdict, strict: Bool = false) -> Bool {
    switch self {
    case .established:
      return verdict.isFailure || (strict && verdict == .inconclusive)
    case .expectedRefuted:
      switch verdict {
      case .failed, .fails: return false
      case .inconclusive: return strict
      case .partial: return false
      case .passed, .holds, .flaky, .unhealthy: return true
      }
    case .exploratory:
      return false
    }
  }

  /// How a verdict reads under this status: "failed (refuted, as expected)", "holds (exploratory)",
  /// "passed (refuted claim now holds)"; the verdict alone for an established claim.
  public func describe(_ verdict: PropertyResult.Verdict) -> String {
    switch self {
    case .established: verdict.rawValue
    case .expectedRefuted:
      switch verdict {
      case .failed, .fails: "\(verdict.rawValue) (refuted, as expected)"
      case .passed, .holds: "\(verdict.rawValue) (declared refuted: no longer refuted?)"
      default: "\(verdict.rawValue) (declared refuted)"
      }
    case .exploratory: "\(verdict.rawValue) (exploratory)"
    }
  }

  /// `established`, `expected-refuted: <reason>` or `exploratory`.
  public var description: String {
    switch self {
    case .established: "established"
    case .expectedRefuted(let reason): "expected-refuted: \(reason)"
    case .exploratory: "exploratory"
    }
  }

  /// `established`, `expected-refuted` or `exploratory`, for result files.
  public var name: String {
    switch self {
    case .established: "established"
    case .expectedRefuted: "expected-refuted"
    case .exploratory: "exploratory"
    }
  }
}
