public import PropertyTesting

extension SPRTDesign {
  /// The design of a claim that holds for most instances of its distribution, not every one:
  /// P ≥ 0.95 against 0.7, α = β = 0.05. "Holds" needs at least 10 cases (all successes);
  /// Wald's expected sample size is 13 at p = 0.95.
  public static let mostInstances = SPRTDesign(p0: 0.95, p1: 0.7, alpha: 0.05, beta: 0.05)

  /// The design of a claim about what typically happens (a figure that averages runs): P ≥ 0.8
  /// against 0.4, α = β = 0.05.
  public static let typically = SPRTDesign(p0: 0.8, p1: 0.4, alpha: 0.05, beta: 0.05)
}
