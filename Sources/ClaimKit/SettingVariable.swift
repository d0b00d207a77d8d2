/// A number of a claim's setting that limits and frontiers move: an init scale, a step size, a
/// horizon. Declared with ``Claim/varying(_:)``: `name` is what `dmf frontier --vary NAME=…` and a
/// limit name, `set` changes one case to a value.
public struct SettingVariable<Case: Sendable>: Sendable {
  /// The name on the command line (`init-scale`, `step-factor`).
  public var name: String
  /// What it is, in words ("the smaller init scale, compared with 1e-2").
  public var meaning: String
  /// The value the claim's own setting uses (nil: it varies between cases).
  public var current: Double?
  /// Sets a case's variable to a value.
  public var set: @Sendable (inout Case, Double) -> Void

  /// A variable.
  public init(_ name: String, meaning: String, current: Double? = nil, set: @escaping @Sendable (inout Case, Double) -> Void) {
    self.name = name
    self.meaning = meaning
    self.current = current
    self.set = set
  }
}

/// A setting variable of a claim, its case type erased: what ``Claim`` keeps and `dmf` lists.
public struct ClaimVariable: Sendable {
  /// See ``SettingVariable/name``.
  public var name: String
  /// See ``SettingVariable/meaning``.
  public var meaning: String
  /// See ``SettingVariable/current``.
  public var current: Double?
  /// The change that sets each case to a value (typed by the claim's case; checked when run).
  let change: @Sendable (Double) -> CaseChange
}

/// A change to each case of a claim, its type erased (a `@Sendable (inout Case) -> Void`).
struct CaseChange: @unchecked Sendable {
  /// The typed closure.
  let apply: Any
}
