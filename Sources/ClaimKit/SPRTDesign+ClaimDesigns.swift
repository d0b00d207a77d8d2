public import PropertyTesting

extension SPRTDesign {
  /// The design of a claim that holds for most instances of its distribution, not every one:
  /// P ≥ 0.95 against 0.7, α = 0.001, β = 0.01. "Holds" needs at least 16 cases (all successes);
  /// Wald's expected sample size is 23 at p = 0.95 and at most 58 inside the indifference zone.
  ///
  /// α is the rate at which a run wrongly says "fails". A verdict must not depend on the seed, so it
  /// is small: at the rates the calibrations measured (0.975–0.999) a quick run of 60 cases says
  /// "fails" with probability below 1e-5 and stops undecided below 3e-4 (α = 0.05 gave 5e-3 and 1e-2,
  /// about one quick run in 90 for L2).
  public static let mostInstances = SPRTDesign(p0: 0.95, p1: 0.7, alpha: 0.001, beta: 0.01)

  /// The design of a claim about what typically happens (a figure that averages runs): P ≥ 0.8
  /// against 0.4, α = 0.001, β = 0.01 ("holds" after at least 7 cases; Wald's expected sample size 14
  /// at p = 0.8, at most 42). At the rates calibrated for A5 and A7 (0.82–0.94) a run of 60 cases
  /// stops undecided with probability below 3e-5; a run of 30 did up to one time in 150.
  public static let typically = SPRTDesign(p0: 0.8, p1: 0.4, alpha: 0.001, beta: 0.01)
}
