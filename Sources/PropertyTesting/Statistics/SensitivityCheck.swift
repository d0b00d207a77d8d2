/// The numerical-sensitivity check: generated cases are run a second time under a rounding-level
/// perturbation, and a property whose pass/fail outcome flips between the two runs is reported
/// `numerically fragile`, never `passed` or `holds`.
///
/// What "a rounding-level perturbation" means is the property's side to say: while the harness
/// re-runs a case, ``PropertyContext/perturbationSeed`` holds a seed, and the property's numerics
/// read it (the claims perturb every initial parameter by a relative 1e-12 with it). The harness
/// itself stays free of numerics: it only compares the two outcomes. A verdict that changes when
/// the last bits of the computation change is one that a different BLAS kernel, compiler or CPU
/// could change too.
public struct SensitivityCheck: Sendable, Equatable {
  /// How many generated cases of each property are re-run (the first ones, by case index); `nil`
  /// re-runs every generated case, `0` turns the check off.
  public var cases: Int?
  /// The largest fraction of re-run cases whose outcome may flip before the property is fragile.
  ///
  /// A deterministic property's deciding failure must not flip at all: a failure that passes under
  /// a rounding-level perturbation is not a counterexample.
  public var tolerance: Double

  /// A check of the first `cases` generated cases (every case when `nil`).
  public init(cases: Int?, tolerance: Double = SensitivityCheck.defaultTolerance) {
    precondition(cases.map { $0 >= 0 } ?? true, "a sensitivity check of \(cases!) cases")
    precondition(tolerance >= 0 && tolerance < 1, "a flip tolerance of \(tolerance)")
    self.cases = cases
    self.tolerance = tolerance
  }

  /// 5 %: above it, the verdict is a statement about rounding.
  public static let defaultTolerance = 0.05

  /// The check each profile runs: a few cases per property in `quick`, every case in `ci` and `full`,
  /// the first two in `paper` (whose cases are long runs: re-running every one doubles the job).
  public static func standard(for profile: Profile) -> SensitivityCheck {
    switch profile {
    case .quick: SensitivityCheck(cases: 3)
    case .paper: SensitivityCheck(cases: 2)
    case .ci, .full: SensitivityCheck(cases: nil)
    }
  }

  /// No re-runs.
  public static let off = SensitivityCheck(cases: 0)

  /// Whether generated case `index` is re-run.
  public func covers(_ index: Int) -> Bool {
    cases.map { index < $0 } ?? true
  }

  /// Parses `off`, `all` or a case count (the `DMF_SENSITIVITY` variable, `--sensitivity`).
  public init?(parsing text: String) {
    switch text {
    case "off": self = .off
    case "all": self.init(cases: nil)
    default:
      guard let count = Int(text), count >= 0 else { return nil }
      self.init(cases: count)
    }
  }

  /// The seed of case `caseSeed`'s perturbed re-run.
  static func perturbationSeed(forCase caseSeed: UInt64) -> UInt64 {
    PropertyIdentity.hash("sensitivity/\(caseSeed)")
  }
}

/// What the sensitivity check saw over one property's generated cases.
struct SensitivityTally: Sendable {
  /// Cases re-run (neither run discarded).
  var checked = 0
  /// Cases whose outcome flipped: index, the original and the perturbed outcome, the replay token.
  var flips: [(index: Int, original: CaseOutcome, perturbed: CaseOutcome, token: String)] = []

  /// Counts one re-run case.
  mutating func add(index: Int, original: CaseOutcome, perturbed: CaseOutcome?, token: @autoclosure () -> String) {
    guard let perturbed else { return }
    if case .discarded = original { return }
    if case .discarded = perturbed { return }
    checked += 1
    if original.isFailure != perturbed.isFailure {
      flips.append((index, original, perturbed, token()))
    }
  }

  /// The health error for a fragile property, or a note of what was checked; `deciding` is the index
  /// of a deterministic property's deciding failure, which must not flip; `excuse` says why a
  /// statistical claim's flips do not make its verdict follow rounding (then they are a warning).
  func finding(tolerance: Double, deciding: Int? = nil, excuse: String? = nil) -> PropertyResult.HealthFinding? {
    guard checked > 0 else { return nil }
    let decidingFlipped = deciding.map { d in flips.contains { $0.index == d } } ?? false
    let fragile = decidingFlipped || Double(flips.count) > tolerance * Double(checked)
    if fragile, let excuse {
      return .init(
        check: .numericallyFragile,
        message: "\(flips.count) of \(checked) cases changed outcome under a rounding-level perturbation, but \(excuse): \(describe(flips.prefix(3)))",
        isError: false)
    }
    guard fragile else {
      return flips.isEmpty ? nil : .init(
        check: .numericallyFragile,
        message: "\(flips.count) of \(checked) cases changed outcome under a rounding-level perturbation (within the \(percent(tolerance)) tolerance): \(describe(flips.prefix(3)))",
        isError: false)
    }
    let lead = decidingFlipped
      ? "the failing case \(deciding!) passes under a rounding-level perturbation, so the failure is a statement about rounding"
      : "\(flips.count) of \(checked) cases (more than \(percent(tolerance))) changed outcome under a rounding-level perturbation"
    return .init(
      check: .numericallyFragile,
      message: "numerically fragile: \(lead); its verdict would follow the BLAS kernel, compiler or CPU. \(describe(flips.prefix(5)))",
      isError: true)
  }

  private func describe(_ flips: ArraySlice<(index: Int, original: CaseOutcome, perturbed: CaseOutcome, token: String)>) -> String {
    flips.map { "case \($0.index) \(word($0.original)) → \(word($0.perturbed)) perturbed\(reason($0.original, $0.perturbed)) (\($0.token))" }.joined(separator: "; ")
  }

  /// What the failing run of a flipped case said.
  private func reason(_ original: CaseOutcome, _ perturbed: CaseOutcome) -> String {
    guard case .failed(let message, _) = perturbed.isFailure ? perturbed : original, !message.isEmpty else { return "" }
    return ": " + (message.count > 160 ? String(message.prefix(160)) + "…" : message)
  }

  private func word(_ outcome: CaseOutcome) -> String {
    outcome.isFailure ? "failed" : "passed"
  }

  private func percent(_ x: Double) -> String {
    "\(Int((x * 100).rounded())) %"
  }
}
