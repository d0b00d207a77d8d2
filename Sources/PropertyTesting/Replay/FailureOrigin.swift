/// Where a failing case failed: what the shrinker keeps fixed, so that a smaller case is one that fails
/// the same way (after Hypothesis's `InterestingOrigin`), and what a report names.
///
/// Two origins are equal when the failure is the same: the same requirement (file and line), the same
/// failing parts of the same claim's measurement, a statistical predicate's "no", or the same error type.
public struct FailureOrigin: Sendable, Hashable, Codable, CustomStringConvertible {
  /// What kind of failure.
  public enum Kind: String, Sendable, Codable {
    /// A `require` (or a thrown ``PropertyFailure``) at a source location.
    case requirement
    /// A claim's measurement: some of its parts lay outside their intervals.
    case measurement
    /// A statistical claim's predicate said no.
    case falsePredicate = "false-predicate"
    /// An error of some type escaped the property.
    case error
    /// A test issue recorded inside the property (the Swift Testing glue).
    case issue
  }

  /// The kind.
  public var kind: Kind
  /// `Module/File.swift:line` (requirement, issue), the claim's id (measurement) or the error's type.
  public var site: String
  /// For a measurement, the quantities outside their intervals; otherwise empty.
  public var parts: [String]

  init(kind: Kind, site: String, parts: [String] = []) {
    self.kind = kind
    self.site = site
    self.parts = parts
  }

  /// A requirement at `fileID:line`.
  public static func requirement(fileID: String, line: Int) -> FailureOrigin {
    FailureOrigin(kind: .requirement, site: "\(fileID):\(line)")
  }

  /// Claim `claim`'s measurement, whose `parts` lay outside their intervals.
  public static func measurement(claim: String, parts: [String]) -> FailureOrigin {
    FailureOrigin(kind: .measurement, site: claim, parts: parts)
  }

  /// A statistical claim's predicate returned false (rather than throwing).
  public static let falsePredicate = FailureOrigin(kind: .falsePredicate, site: "")

  /// An error of type `type` escaped the property.
  public static func error(type: String) -> FailureOrigin {
    FailureOrigin(kind: .error, site: type)
  }

  /// A test issue recorded at `site` (`Module/File.swift:line`, or "issue" when it has no location).
  public static func issue(at site: String) -> FailureOrigin {
    FailureOrigin(kind: .issue, site: site)
  }

  /// `Module/File.swift:12`, `claim-id: quantity, quantity`, `claim predicate` or `error Type`.
  public var description: String {
    switch kind {
    case .requirement, .issue: site
    case .measurement: parts.isEmpty ? site : "\(site): \(parts.joined(separator: ", "))"
    case .falsePredicate: "claim predicate"
    case .error: "error \(site)"
    }
  }
}
