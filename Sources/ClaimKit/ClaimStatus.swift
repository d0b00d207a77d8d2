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

  /// Which status, without its finding: what a verdict means depends on this alone.
  public enum Kind: String, Sendable, Codable {
    case established
    case expectedRefuted = "expected-refuted"
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
    /// "passed (declared refuted: no longer refuted?)"; the verdict alone for an established claim.
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
  }

  /// The status without its finding (`established`, `expected-refuted` or `exploratory` in result files).
  public var kind: Kind {
    switch self {
    case .established: .established
    case .expectedRefuted: .expectedRefuted
    case .exploratory: .exploratory
    }
  }

  /// Whether `verdict` fails the run (see ``Kind/failsTheRun(_:strict:)``).
  public func failsTheRun(_ verdict: PropertyResult.Verdict, strict: Bool = false) -> Bool {
    kind.failsTheRun(verdict, strict: strict)
  }

  /// How a verdict reads under this status (see ``Kind/describe(_:)``).
  public func describe(_ verdict: PropertyResult.Verdict) -> String { kind.describe(verdict) }

  /// `established`, `expected-refuted: <reason>` or `exploratory`.
  public var description: String {
    switch self {
    case .expectedRefuted(let reason): "expected-refuted: \(reason)"
    default: kind.rawValue
    }
  }
}
