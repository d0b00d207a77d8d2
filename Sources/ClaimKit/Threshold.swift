import PropertyTesting

/// The name of a claim's threshold: a measurement names the threshold it is held to by one of these
/// values, never by a string, so a misspelt name does not compile (the catalogue's names are in
/// `ThresholdName+Catalog.swift`). Claims that share a measurement may declare the same name with
/// different intervals; each claim's own interval applies.
public struct ThresholdName: Hashable, Sendable, CustomStringConvertible {
  /// "relative-error": what `dmf explain` prints and calibration records key on.
  public let rawValue: String

  /// A name, e.g. `ThresholdName("relative-error")`.
  public init(_ rawValue: String) {
    self.rawValue = rawValue
  }

  /// The name as printed.
  public var description: String { rawValue }
}

/// The interval a claim's measured quantity must lie in, and where that interval comes from.
///
/// A claim declares its thresholds beside itself (`thresholds:` of ``Claim``), so that the number it
/// is held to and its source are read where the claim is, and `dmf explain` prints them.
public struct Threshold: Sendable, Equatable, CustomStringConvertible {
  /// A short name, unique within the claim ("relative-error"); `dmf explain` prints `CODE.name`.
  public var name: String { key.rawValue }
  /// The name as measurements spell it (`.relativeError`).
  public let key: ThresholdName
  /// The expected interval (an infinite end for a one-sided bound).
  public let interval: ClosedRange<Double>
  /// The paper, table, derivation or calibration run the interval comes from.
  public let source: String

  /// A threshold `name` with its interval and source.
  public init(_ name: ThresholdName, _ interval: ClosedRange<Double>, source: String) {
    precondition(!interval.lowerBound.isNaN && !interval.upperBound.isNaN, "threshold \(name): NaN end")
    self.key = name
    self.interval = interval
    self.source = source
  }

  /// `relative-error: [0, 1e-05] — Arora et al. …`.
  public var description: String {
    "\(name): [\(format(interval.lowerBound)), \(format(interval.upperBound))] — \(source)"
  }
}

extension Measurement {
  /// A measurement held to the claim's threshold named `name` (declared in the claim's
  /// `thresholds:`; the claim fills in its interval before judging the measurement).
  public init(_ quantity: String, _ value: Double, threshold name: ThresholdName, and conditions: [Measurement] = []) {
    self.init(quantity, value, expected: 0 ... 0, and: conditions)
    thresholdName = name.rawValue
    isResolved = false
  }

  /// This measurement with every named threshold's interval taken from `thresholds`; a name none
  /// of them has is a mistake in the claim's definition (``ClaimDefinitionError``), never a verdict.
  package func resolved(against thresholds: [Threshold], claim: String) throws(ClaimDefinitionError) -> Measurement {
    var copy = self
    if !isResolved, let name = thresholdName {
      guard let threshold = thresholds.first(where: { $0.name == name }) else {
        throw ClaimDefinitionError(
          claim: claim, field: "thresholds",
          problem: "it measures \"\(quantity)\" against a threshold \"\(name)\" it does not declare (its thresholds: \(thresholds.map(\.name).joined(separator: ", ")))")
      }
      copy.expected = threshold.interval
      copy.isResolved = true
    }
    copy.conditions = []
    for condition in conditions { copy.conditions.append(try condition.resolved(against: thresholds, claim: claim)) }
    return copy
  }
}
