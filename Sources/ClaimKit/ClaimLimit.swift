/// The limit a claim's theorem takes: a variable and a ladder of its values towards the limit.
///
/// The harness decides the claim at each rung, tests the trend of its measured quantity along the
/// ladder and fits the rate (``LimitVerdict``).
public struct ClaimLimit: Sendable, Equatable {
  /// The variable (a ``SettingVariable`` name of the claim).
  public var variable: String
  /// Its values, from the farthest from the limit to the nearest (`[1e-2, 1e-3, 1e-4]` for init → 0).
  public var rungs: [Double]
  /// The limit, in words ("init → 0").
  public var description: String

  /// A limit along `variable`'s `rungs`, far to near.
  public init(_ variable: String, rungs: [Double], _ description: String) {
    self.variable = variable
    self.rungs = rungs
    self.description = description
  }
}
