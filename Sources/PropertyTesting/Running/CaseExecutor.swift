/// How one case of a property ended.
public enum CaseOutcome: Sendable, Equatable {
  /// The property held.
  case passed
  /// The property failed with `message` at `origin` (a requirement's location, an issue's source
  /// location, or an error's type).
  case failed(message: String, origin: FailureOrigin)
  /// The case did not meet a filter or an assumption; it counts neither way.
  case discarded(reason: String)

  /// The outcome of a body that threw `error`: requirements and assumptions are recognised, any
  /// other error is a failure whose origin is its type.
  public static func from(error: any Error) -> CaseOutcome {
    switch error {
    case let failure as PropertyFailure: return .failed(message: failure.message, origin: failure.origin)
    case let rejected as AssumptionRejected: return .discarded(reason: "assumption: \(rejected.reason)")
    case let generation as GenerationError: return .discarded(reason: generation.description)
    default: return .failed(message: "threw \(error)", origin: .error(type: String(reflecting: type(of: error))))
    }
  }

  var isFailure: Bool {
    if case .failed = self { return true }
    return false
  }

  var isDiscard: Bool {
    if case .discarded = self { return true }
    return false
  }

  var origin: FailureOrigin? {
    if case .failed(_, let origin) = self { return origin }
    return nil
  }
}

/// Runs a property's body for one case and says how it ended.
///
/// The default executor catches thrown errors. The Swift Testing glue installs one that also
/// captures (and suppresses) `#expect` issues, so that a property can be written with `#expect`.
public protocol CaseExecutor: Sendable {
  /// Runs `body` once and classifies the outcome.
  func execute(_ body: @Sendable () throws -> Void) async -> CaseOutcome
}

/// The executor that classifies thrown errors only.
public struct ThrowingExecutor: CaseExecutor {
  /// The executor.
  public init() {}

  /// Runs `body`; a thrown error becomes the outcome ``CaseOutcome/from(error:)``.
  public func execute(_ body: @Sendable () throws -> Void) async -> CaseOutcome {
    do {
      try body()
      return .passed
    } catch {
      return .from(error: error)
    }
  }
}
