import Synchronization

/// A mistake in a claim's own definition — a duplicate id or code, a threshold a measurement names
/// but the claim does not declare, a missing counter-setting: a programming error in the catalogue,
/// never a verdict, never a counterexample, never a replay token. `dmf` exits 2 with it and
/// `swift test` fails with it.
public struct ClaimDefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The claim at fault (`CODE id`).
  public var claim: String
  /// The field of the claim that is wrong (`id`, `code`, `thresholds`, `counter`, …).
  public var field: String
  /// What is wrong with it.
  public var problem: String

  /// A mistake in `field` of `claim`.
  public init(claim: String, field: String, problem: String) {
    self.claim = claim
    self.field = field
    self.problem = problem
  }

  /// "claim TF3 razin-maman-cohen.incremental-rank-learning, field thresholds: …".
  public var description: String { "claim \(claim), field \(field): \(problem)" }
}

/// The first definition mistake a claim's measurements met (shared by the claim's cases).
final class DefinitionErrorLog: Sendable {
  private let mistake = Mutex<ClaimDefinitionError?>(nil)

  /// Notes `error` unless one was noted already.
  func note(_ error: ClaimDefinitionError) {
    mistake.withLock { if $0 == nil { $0 = error } }
  }

  /// The first mistake noted, if any.
  var first: ClaimDefinitionError? { mistake.withLock { $0 } }
}
