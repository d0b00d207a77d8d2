/// How thoroughly to check: case counts, statistical budgets and shrink budgets.
public enum Profile: String, Hashable, Sendable, Codable, CaseIterable {
  /// The default under `swift test`: few cases, fast feedback.
  case quick
  /// Continuous integration: more cases; the run seed is fixed by the property's name.
  case ci
  /// Full verification (`dmf verify --profile full`): the papers' statistics, at the analogues' size.
  case full
  /// The papers' experiments at their original scale (`dmf verify --profile paper`): only the claims
  /// that declare it run, each case one long training run that shards, resumes and merges.
  case paper

  /// Generated cases of a deterministic property.
  public var defaultCases: Int {
    switch self {
    case .quick: 100
    case .ci: 200
    case .full: 1000
    case .paper: 12
    }
  }

  /// The truncation of a statistical claim (cases at most).
  public var defaultStatisticalBudget: Int {
    switch self {
    case .quick: 400
    case .ci: 600
    case .full: 2000
    case .paper: 200
    }
  }

  /// The half-width a statistical claim's 95 % confidence sequence must reach after the SPRT's
  /// decision (sampling goes on until then, within the budget); nil: stop at the decision.
  public var precisionTarget: Double? {
    switch self {
    case .quick: nil
    case .ci: 0.1
    case .full: 0.05
    case .paper: nil
    }
  }

  /// Shrink budget in property calls: the only shrink budget, so that a minimal case does not depend
  /// on the machine's speed or load.
  public var shrinkCalls: Int {
    switch self {
    case .quick: 300
    case .ci: 500
    case .full: 2000
    case .paper: 0
    }
  }

}

/// Per-property case counts and budgets, each optionally different per profile.
public struct Budget: Hashable, Sendable {
  /// Generated cases (deterministic) or the truncation (statistical), per profile; `nil` keeps the profile's default.
  public var cases: [Profile: Int]
  /// Shrink calls per profile (the shrink budget has no seconds: see ``Profile/shrinkCalls``).
  public var shrinkCalls: [Profile: Int]

  /// A budget; unspecified entries use the profile's defaults.
  public init(cases: [Profile: Int] = [:], shrinkCalls: [Profile: Int] = [:]) {
    self.cases = cases
    self.shrinkCalls = shrinkCalls
  }

  /// The profile defaults.
  public static let standard = Budget()

  /// The same case count in every profile.
  public static func cases(_ count: Int) -> Budget {
    Budget(cases: Dictionary(uniqueKeysWithValues: Profile.allCases.map { ($0, count) }))
  }

  /// Different case counts per profile (`paper`: only for claims that run in it).
  public static func cases(quick: Int, ci: Int, full: Int, paper: Int? = nil) -> Budget {
    var cases: [Profile: Int] = [.quick: quick, .ci: ci, .full: full]
    if let paper { cases[.paper] = paper }
    return Budget(cases: cases)
  }

  /// Case counts for a claim that runs only in the `paper` profile.
  public static func paper(_ count: Int) -> Budget {
    Budget(cases: [.quick: 0, .ci: 0, .full: 0, .paper: count])
  }
}
