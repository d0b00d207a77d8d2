/// The harness's health checks: what a ``PropertyResult/HealthFinding`` is about. The raw values are
/// the names results files and reports use.
public enum HealthCheck: String, Sendable, Codable, CaseIterable {
  /// Discards dominated: the filter or assumption is too strict, or the property is vacuous.
  case tooManyDiscards = "too-many-discards"
  /// More discarded cases than valid ones (a warning).
  case manyDiscards = "many-discards"
  /// A failure did not reproduce when its case was re-run.
  case nondeterministicReplay = "nondeterministic-replay"
  /// The pinned counterexamples could not be read.
  case pinnedExamples = "pinned-examples"
  /// What a replayed case did when it did not fail.
  case replay
  /// A statistical budget that cannot, or can barely, decide.
  case statisticalBudget = "statistical-budget"
  /// A statistical claim's case threw, and counted as a failure.
  case thrownError = "thrown-error"
  /// A merge ran cases no shard had recorded.
  case mergeRanCases = "merge-ran-cases"
  /// A recorded case a merge ran again did not reproduce.
  case mergeMismatch = "merge-mismatch"
  /// The outcome follows rounding (``SensitivityCheck``).
  case numericallyFragile = "numerically-fragile"
  /// The failure database could not store a failing case (a warning: the verdict stands).
  case failureDatabase = "failure-database"
}
