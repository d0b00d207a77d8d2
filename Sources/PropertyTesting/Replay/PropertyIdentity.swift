import SeededRandom

/// Stable names, their hashes and the seeds derived from them.
///
/// A case's seed is derived from the run seed, the property's stable name and the case index, so a
/// case is the same whichever cases run before it, on however many cores.
public enum PropertyIdentity {
  /// FNV-1a of the name: stable across processes and machines.
  public static func hash(_ name: String) -> UInt64 {
    SeedDerivation.fnv1a(name)
  }

  /// The seed of case `index` of property `name` in the run with seed `runSeed`.
  public static func caseSeed(runSeed: UInt64, name: String, index: Int) -> UInt64 {
    SeedDerivation.derive(SeedDerivation.derive(runSeed, name), index: UInt64(index))
  }
}

/// Where a run's seed came from.
public enum SeedSource: String, Hashable, Sendable, Codable {
  /// Given explicitly (configuration or `DMF_SEED`).
  case explicit
  /// Fixed from the property's name because `CI` is set, so CI runs the same cases each time.
  case derivedFromName = "derived-from-name"
  /// Fresh for this run; printed so the run can be repeated.
  case random
}
