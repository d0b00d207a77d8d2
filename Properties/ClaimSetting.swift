public import PropertyTesting

/// Where a claim is checked: the distribution of its cases, the paper's own examples, the budget per
/// profile and the profiles it runs in, with the hypotheses this setting stands for.
///
/// A counter-setting is the same value changed where the paper says the claim stops holding
/// (``changed(_:_:)``), so what differs between the two is visible in one line.
public struct ClaimSetting<Case: Sendable>: Sendable {
  /// The cases (random draws; shrunk on failure).
  public var cases: Gen<Case>
  /// The paper's own setting(s), run first and never shrunk.
  public var examples: [Case]
  /// Case counts and shrink budgets per profile.
  public var budget: Budget
  /// The profiles the claim runs in (costly ones only in `full`).
  public var profiles: Set<Profile>
  /// Domain shrink passes, tried before the generic ones.
  public var shrinkPasses: [ShrinkPass]
  /// What the setting assumes, in words (the claim's hypotheses begin with these).
  public var hypotheses: [String]

  /// A setting.
  public init(
    cases: Gen<Case>, examples: [Case] = [], budget: Budget, profiles: Set<Profile> = Set(Profile.allCases),
    shrinkPasses: [ShrinkPass] = [], hypotheses: [String] = []
  ) {
    self.cases = cases
    self.examples = examples
    self.budget = budget
    self.profiles = profiles
    self.shrinkPasses = shrinkPasses
    self.hypotheses = hypotheses
  }

  /// The counter-setting `description`: this setting with `change` applied (explicit examples
  /// dropped: they are the paper's, where the claim holds).
  public func changed(_ description: String, _ change: (inout ClaimSetting) -> Void) -> CounterSetting<Case> {
    var counter = self
    counter.examples = []
    change(&counter)
    return CounterSetting(description: description, setting: counter)
  }

  /// The counter-setting `description`: this setting with `change` applied to every case it draws
  /// (`modes.changingEachCase("depth 1") { $0.depth = 1 }`).
  public func changingEachCase(_ description: String, _ change: @escaping @Sendable (inout Case) -> Void) -> CounterSetting<Case> {
    changed(description) {
      $0.cases = $0.cases.map { drawn in
        var changed = drawn
        change(&changed)
        return changed
      }
    }
  }
}

/// The setting where the paper says a claim does not hold, so that its check can be seen to fail.
public struct CounterSetting<Case: Sendable>: Sendable {
  /// What changed and why the claim fails there.
  public var description: String
  /// The changed setting.
  public var setting: ClaimSetting<Case>
}
