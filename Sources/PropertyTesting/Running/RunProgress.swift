/// Where a running property stands, reported after every case for a live progress line.
public struct RunProgress: Sendable {
  /// What the run is doing.
  public enum Phase: String, Sendable {
    /// Generating cases and deciding.
    case generating
    /// Generating this shard's slice of the cases (nothing is decided).
    case recording
    /// Shrinking a failing case.
    case shrinking
  }

  /// The property's stable name.
  public var property: String
  /// What the run is doing.
  public var phase: Phase
  /// Counted cases so far (discards excluded).
  public var cases: Int
  /// Counted cases in which the property or claim failed.
  public var failures: Int
  /// Discarded cases so far.
  public var discarded: Int
  /// The sequential test's state, for a statistical claim.
  public var test: SequentialTest?
  /// Seconds since the property started.
  public var elapsedSeconds: Double
}
