/// Where a run's failing case came from (results files write the raw value).
public enum CaseSource: String, Sendable, Codable, CaseIterable {
  /// Generated from the run seed.
  case generated
  /// Stored in the failure database by an earlier run, replayed first.
  case database
  /// A pinned counterexample (`Fixtures/counterexamples`).
  case pinned
  /// An explicit example of the property.
  case example
  /// The case a replay token names.
  case replay

  /// What a failure's summary says about where it came from; nil for a generated or replayed case.
  var summaryNote: String? {
    switch self {
    case .database: "a case stored in the failure database by an earlier run, replayed first"
    case .pinned: "a pinned counterexample"
    case .example: "an explicit example"
    case .generated, .replay: nil
    }
  }
}
