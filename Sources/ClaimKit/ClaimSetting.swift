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
  /// The profiles the claim runs in (costly ones only in `full`, original-scale ones only in `paper`).
  public var profiles: Set<Profile>
  /// Domain shrink passes, tried before the generic ones.
  public var shrinkPasses: [ShrinkPass]
  /// What the setting assumes, in words (the claim's hypotheses begin with these).
  public var hypotheses: [String]
  /// What one case costs, from a short calibration (`dmf verify --dry-run`); nil: not estimated.
  public var cost: (@Sendable (Case) throws -> CaseCost)?
  /// When set to k, shrinking keeps a failure's margin: a case that misses its interval by at least
  /// k times the interval's width shrinks only to cases that miss by at least that much, and one
  /// that misses by less shrinks only to such cases. Shrinking minimises the case, not the violation;
  /// without this, a gross failure usually shrinks to a marginal one. Nil: the case alone is minimised.
  public var shrinkKeepingMargin: Double?

  /// A setting.
  public init(
    cases: Gen<Case>, examples: [Case] = [], budget: Budget, profiles: Set<Profile> = [.quick, .ci, .full],
    shrinkPasses: [ShrinkPass] = [], hypotheses: [String] = [], cost: (@Sendable (Case) throws -> CaseCost)? = nil,
    shrinkKeepingMargin: Double? = nil
  ) {
    self.shrinkKeepingMargin = shrinkKeepingMargin
    self.cases = cases
    self.examples = examples
    self.budget = budget
    self.profiles = profiles
    self.shrinkPasses = shrinkPasses
    self.hypotheses = hypotheses
    self.cost = cost
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

/// What one case of a claim is expected to cost, from a short calibration run of its engine.
public struct CaseCost: Sendable, Equatable {
  /// Seconds of one core for a typical case (its expected number of steps).
  public var typicalSeconds: Double
  /// Seconds of one core at the case's step budget.
  public var maxSeconds: Double
  /// How it was estimated ("≈ 60 000 steps, at most 10⁶, × 0.21 ms a step").
  public var basis: String

  /// A cost estimate.
  public init(typicalSeconds: Double, maxSeconds: Double, basis: String) {
    self.typicalSeconds = typicalSeconds
    self.maxSeconds = maxSeconds
    self.basis = basis
  }
}
