public import PropertyTesting
import Foundation
import Synchronization

/// Where a claim comes from.
public struct PaperReference: Sendable, Codable, Equatable, CustomStringConvertible {
  /// "Razin & Cohen".
  public var authors: String
  /// 2020.
  public var year: Int
  /// The arXiv identifier, e.g. "2005.06398".
  public var arXiv: String
  /// Theorem, section or figure.
  public var location: String

  /// A reference to `location` (a theorem, section or figure) of a paper.
  public init(_ authors: String, _ year: Int, arXiv: String, at location: String = "") {
    self.authors = authors
    self.year = year
    self.arXiv = arXiv
    self.location = location
  }

  /// The same paper at `location`: `RazinCohen2020.paper.at("Theorem 1")`.
  public func at(_ location: String) -> PaperReference {
    PaperReference(authors, year, arXiv: arXiv, at: location)
  }

  /// "Razin & Cohen 2020 (arXiv 2005.06398), Theorem 1".
  public var description: String { "\(authors) \(year) (arXiv \(arXiv)), \(location)" }
}

/// A number a claim measured on one case, against the interval the paper leads us to expect.
public struct Measurement: Sendable, Equatable, CustomStringConvertible {
  /// What was measured, e.g. "|W11|·√(2L)".
  public var quantity: String
  /// The value.
  public var value: Double
  /// The expected interval.
  public var expected: ClosedRange<Double>
  /// Further measurements that must hold too (a claim with several parts).
  public var conditions: [Measurement]
  /// Whether this is a yes/no part (``condition(_:_:)``) rather than a number with an interval.
  public var isCondition = false
  /// The name of the claim threshold it is held to, if any.
  public internal(set) var thresholdName: String?
  /// False until a measurement made against a threshold name has its interval (the claim resolves it).
  var isResolved = true

  /// A measurement, with further conditions that must also hold.
  public init(_ quantity: String, _ value: Double, expected: ClosedRange<Double>, and conditions: [Measurement] = []) {
    self.quantity = quantity
    self.value = value
    self.expected = expected
    self.conditions = conditions
  }

  /// A yes/no part of a claim ("the values are learned in order"): it must hold. Recorded as 1 or 0
  /// beside the numbers, and reported as "yes" or "no".
  public static func condition(_ statement: String, _ holds: Bool) -> Measurement {
    var part = Measurement(statement, holds ? 1 : 0, expected: 1 ... 1)
    part.isCondition = true
    return part
  }

  /// Whether the value lies in the expected interval (NaN never does) and every condition holds;
  /// a measurement whose named threshold has not been resolved never holds.
  public var holds: Bool { isResolved && expected.contains(value) && conditions.allSatisfy(\.holds) }

  /// The quantities, this one and its conditions', that lie outside their expected intervals.
  public var failingParts: [String] {
    (expected.contains(value) ? [] : [quantity]) + conditions.flatMap(\.failingParts)
  }

  /// The largest miss among the parts outside their intervals, in units of the interval's width (of
  /// the finite bound's magnitude when the interval is a half-line or a point); 0 when every part
  /// holds, infinity for a NaN value or a yes/no part that fails.
  public var largestMiss: Double {
    ([self] + conditions).map { part -> Double in
      if part.isCondition { return part.expected.contains(part.value) ? 0 : .infinity }
      return part.ownMiss
    }.max() ?? 0
  }

  private var ownMiss: Double {
    if value.isNaN { return .infinity }
    if expected.contains(value) { return 0 }
    let a = expected.lowerBound, b = expected.upperBound
    let distance = value < a ? a - value : value - b
    let width = b - a
    let scale = width.isFinite && width > 0 ? width : Swift.max(a.isFinite ? abs(a) : 0, b.isFinite ? abs(b) : 0, .leastNormalMagnitude)
    return distance / scale
  }

  /// `|W11|·√(2L) = 0.998, expected [0.95, 1.05]` (and the conditions, separated by semicolons).
  public var description: String {
    ([self] + conditions).map {
      $0.isCondition
        ? "\($0.quantity): \($0.value == 1 ? "yes" : "no")"
        : "\($0.quantity) = \(format($0.value)), expected [\(format($0.expected.lowerBound)), \(format($0.expected.upperBound))]"
    }.joined(separator: "; ")
  }
}

package func format(_ x: Double) -> String {
  if x.isNaN { return "NaN" }
  if x.isInfinite { return x > 0 ? "∞" : "−∞" }
  if x != 0 && (abs(x) < 1e-3 || abs(x) >= 1e5) { return String(format: "%.3e", x) }
  return String(format: "%.4g", x)
}

/// How a claim is decided.
public enum ClaimKind: Sendable, Equatable, CustomStringConvertible {
  /// A theorem-like statement: every case must satisfy it (failures are shrunk).
  case everyInstance
  /// A statement about most instances of the paper's distribution, decided by an SPRT.
  case statistical(SPRTDesign)

  /// "every instance" or "P ≥ p0 (vs p1, α, β)".
  public var description: String {
    switch self {
    case .everyInstance: "every instance"
    case .statistical(let d): "P ≥ \(d.p0) (vs \(d.p1), α = \(d.alpha), β = \(d.beta))"
    }
  }
}

/// One executable claim of a paper: what it says, under which hypotheses, how it is measured, and
/// a sibling setting where the paper says it does not hold (so that the check can be seen to fail).
public struct Claim: Sendable, Identifiable {
  /// A stable id, `paper.claim` (e.g. `razin-cohen.norms-diverge`); seeds and databases key on it.
  public let id: String
  /// The short id of the notes' tables (R2, A5, …).
  public let code: String
  /// The paper.
  public let paper: PaperReference
  /// The statement, in words.
  public let statement: String
  /// The hypotheses the check assumes: the setting's, then the theorem's preconditions.
  public let hypotheses: [String]
  /// What running the claim has shown: seeds, counts, where a setting was corrected ("seen at …").
  public let findings: [String]
  /// An operational definition, where the paper's exact one is not available.
  public let operationalDefinition: String?
  /// How it is decided.
  public let kind: ClaimKind
  /// Case counts and shrink budgets per profile.
  public let budget: Budget
  /// The profiles the claim runs in (costly ones only in `full`).
  public let profiles: Set<Profile>
  /// The intervals its measured quantities are held to, each with its source.
  public let thresholds: [Threshold]
  /// The setting where the paper says the claim does not hold.
  public let counterSetting: String
  /// The figures its runs feed (the report draws them when the claim ran).
  public private(set) var figures: [ClaimFigure] = []
  /// What its verdict means for a run: established (must hold, the default), expected-refuted
  /// (must go on failing) or exploratory (decides nothing).
  public private(set) var status: ClaimStatus = .established
  /// The setting variables a limit or a frontier can move (``varying(_:)``).
  public private(set) var variables: [ClaimVariable] = []
  /// The limit its theorem takes, if it declares one (``limit(_:rungs:_:)``).
  public private(set) var limit: ClaimLimit?
  /// The claim's case type, so that a variable of another claim's cases is caught.
  let caseType: ObjectIdentifier
  /// Runs the claim's property, under `name`, on its setting's generated cases with a change applied
  /// to each (no explicit examples: they are the paper's setting); nil when the change is not of this
  /// claim's case type.
  let runChanged: @Sendable (CaseChange, String, PropertyRunner) async -> PropertyResult?
  let runClaim: @Sendable (PropertyRunner) async -> PropertyResult
  /// The interval each primary quantity was held to, noted as cases run, for reports.
  let expectations: ExpectationLog
  let runCounter: @Sendable (PropertyRunner) async -> PropertyResult
  /// The counter-setting's case counts per profile.
  let counterBudget: Budget
  /// Measures one generated case of a side, from its choice source, deciding nothing (calibration).
  let sampleCase: @Sendable (CalibrationSide, ChoiceSource) -> CalibrationSample
  /// Measures explicit example `k` (calibration).
  let sampleExample: @Sendable (Int) -> CalibrationSample
  /// How many explicit examples the setting has.
  let exampleCount: Int
  /// A mistake in the claim's definition met while measuring (a threshold it does not declare):
  /// once one is seen, every later case stops at once and the run ends in that error, not a verdict.
  let definitionErrors: DefinitionErrorLog
  let estimateCases: (@Sendable (Profile, UInt64) throws -> [(description: String, cost: CaseCost)])?

  /// The cases a run of `profile` with `runSeed` draws (the same as the run: same seeds, same case
  /// indices), each with its estimated cost, without training anything but the setting's short
  /// calibration; nil when the setting has no cost model.
  public func estimatedCases(profile: Profile, runSeed: UInt64) throws -> [(description: String, cost: CaseCost)]? {
    try estimateCases?(profile, runSeed)
  }

  /// The claim with `figures` declared: the report draws them from its runs.
  public func drawing(_ figures: ClaimFigure...) -> Claim {
    var claim = self
    claim.figures += figures
    return claim
  }

  /// The claim kept as a refuted conjecture: `finding` says what refuted it (seeds, the minimal case).
  /// Its failure is then the expected outcome, and a run fails if it ever holds.
  public func refuted(_ finding: String) -> Claim {
    var claim = self
    claim.status = .expectedRefuted(finding)
    return claim
  }

  /// The claim with `variable` of its setting declared, for limits and `dmf frontier`. A variable of
  /// another case type, or a name declared twice, is a definition mistake the catalogue reports.
  public func varying<Case: Sendable>(_ variable: SettingVariable<Case>) -> Claim {
    var claim = self
    let set = variable.set
    claim.variables.append(ClaimVariable(name: variable.name, meaning: variable.meaning, current: variable.current) { value in
      CaseChange(apply: { @Sendable (c: inout Case) in set(&c, value) } as @Sendable (inout Case) -> Void)
    })
    claim.variableTypes.append(ObjectIdentifier(Case.self))
    return claim
  }

  /// The case types of ``variables``, in order (checked against ``caseType`` by the catalogue).
  var variableTypes: [ObjectIdentifier] = []

  /// Whether every variable is declared for this claim's case type.
  public var variablesMatchTheCases: Bool { variableTypes.allSatisfy { $0 == caseType } }

  /// The claim with its theorem's limit declared: `variable` (declared with ``varying(_:)``) along
  /// `rungs`, from the farthest from the limit to the nearest.
  public func limit(_ variable: String, rungs: [Double], _ description: String) -> Claim {
    var claim = self
    claim.limit = ClaimLimit(variable, rungs: rungs, description)
    return claim
  }

  /// The variable named `name`, if the claim declares it.
  public func variable(named name: String) -> ClaimVariable? {
    variables.first { $0.name == name }
  }

  /// Runs the claim with `variable` set to `value` in every generated case (explicit examples left
  /// out), under the property name `id@variable=value`, so that each value draws its own cases; a
  /// mistake in the claim's definition is thrown instead of a verdict.
  public func run(setting variable: ClaimVariable, to value: Double, with runner: PropertyRunner) async throws(ClaimDefinitionError) -> PropertyResult {
    let name = "\(id)@\(variable.name)=\(value)"
    guard var result = await runChanged(variable.change(value), name, runner) else {
      throw ClaimDefinitionError(claim: "\(code) \(id)", field: "variables", problem: "\(variable.name) is declared for another claim's cases")
    }
    if let mistake = definitionErrors.first { throw mistake }
    expectations.annotate(&result)
    return result
  }

  /// The claim as exploratory: run and reported, never failing a run.
  public func exploratory() -> Claim {
    var claim = self
    claim.status = .exploratory
    return claim
  }

  /// Runs the claim; a mistake in the claim's own definition met on the way (a threshold it does
  /// not declare) is thrown instead of a verdict.
  public func run(with runner: PropertyRunner) async throws(ClaimDefinitionError) -> PropertyResult {
    var result = await runClaim(runner)
    if let mistake = definitionErrors.first { throw mistake }
    expectations.annotate(&result)
    return result
  }

  /// Runs the claim's property on its counter-setting (where it should fail); a mistake in the
  /// claim's definition is thrown instead of a verdict.
  public func runCounterSetting(with runner: PropertyRunner) async throws(ClaimDefinitionError) -> PropertyResult {
    let result = await runCounter(runner)
    if let mistake = definitionErrors.first { throw mistake }
    return result
  }

  /// A claim: the designated initializer behind ``forEvery(id:code:paper:statement:hypotheses:findings:operationalDefinition:setting:counter:measure:)``
  /// and ``statistical(id:code:paper:statement:hypotheses:findings:operationalDefinition:design:setting:counter:measure:)``.
  ///
  /// `hypotheses` are the theorem's preconditions beyond the setting's own; `findings` what running
  /// the claim has shown (seeds, counts, "seen at …"); `measure` is the mathematics: it trains,
  /// measures and returns the measurement (it may also `require` intermediate facts).
  public init<Case: Sendable>(
    id: String, code: String, paper: PaperReference, thresholds: [Threshold] = [], statement: String, hypotheses: [String] = [], findings: [String] = [],
    operationalDefinition: String? = nil, kind: ClaimKind, setting: ClaimSetting<Case>, counter: CounterSetting<Case>,
    measure: @escaping @Sendable (Case) throws -> Measurement
  ) {
    self.id = id
    self.code = code
    self.paper = paper
    self.thresholds = thresholds
    self.statement = statement
    self.hypotheses = setting.hypotheses + hypotheses
    self.findings = findings
    self.operationalDefinition = operationalDefinition
    self.kind = kind
    self.budget = setting.budget
    self.profiles = setting.profiles
    self.counterSetting = counter.description
    caseType = ObjectIdentifier(Case.self)
    let budget = setting.budget, gen = setting.cases
    /// The setting's cases with a type-erased change applied to each, or nil for another case type.
    let changedCases: @Sendable (CaseChange) -> Gen<Case>? = { change in
      guard let apply = change.apply as? @Sendable (inout Case) -> Void else { return nil }
      return gen.map { drawn in
        var changed = drawn
        apply(&changed)
        return changed
      }
    }
    estimateCases = setting.cost.map { cost in
      { @Sendable profile, runSeed in
        let count = budget.cases[profile] ?? profile.defaultCases
        return try (0 ..< count).map { index in
          let seed = PropertyIdentity.caseSeed(runSeed: runSeed, name: id, index: index)
          let value = try gen.generate(ChoiceSource(seed: seed, caseIndex: index))
          return ("\(value)", try cost(value))
        }
      }
    }
    let expectations = ExpectationLog()
    self.expectations = expectations
    let definitionErrors = DefinitionErrorLog()
    self.definitionErrors = definitionErrors
    self.counterBudget = counter.setting.budget
    // The claim's measurement with its thresholds' intervals; a definition mistake is logged and
    // ends every later case at once (the run then throws it instead of deciding anything).
    let measured: @Sendable (Case) throws -> Measurement = { c in
      if let mistake = definitionErrors.first { throw mistake }
      do {
        return try measure(c).resolved(against: thresholds, claim: "\(code) \(id)")
      } catch let mistake as ClaimDefinitionError {
        definitionErrors.note(mistake)
        throw mistake
      }
    }
    let counterCases = counter.setting.cases, examples = setting.examples
    sampleCase = { side, source in
      let value: Case
      do {
        value = try (side == .claim ? gen : counterCases).generate(source)
      } catch {
        return CalibrationSample(runSeed: 0, index: 0, caseDescription: "", outcome: .discarded("\(error)"), parts: [], seconds: 0)
      }
      return calibrationSample(value, measured)
    }
    sampleExample = { k in calibrationSample(examples[k], measured) }
    // A statistical claim's runs do not check explicit examples, so neither does its calibration.
    if case .everyInstance = kind { exampleCount = examples.count } else { exampleCount = 0 }
    let keepMargin = setting.shrinkKeepingMargin
    switch kind {
    case .everyInstance:
      let property: @Sendable (Case) throws -> Void = { c in
        let m = try measured(c)
        PropertyContext.measure(m.quantity, m.value, primary: true)
        expectations.note(m)
        // The failure's origin names the parts that failed, so that shrinking keeps the same failure
        // (a case where only depth 3 misses is not "simplified" into one where every method misses).
        guard m.holds else {
          // With a margin to keep, the origin also says which side of it the failure lies on, so that
          // shrinking (which keeps the origin) keeps the margin.
          let margin = keepMargin.map { k in [m.largestMiss >= k ? "misses by ≥ \(format(k))× its interval's width" : "misses by < \(format(k))× its interval's width"] } ?? []
          throw PropertyFailure(m.description, origin: .measurement(claim: id, parts: m.failingParts + margin))
        }
      }
      runClaim = { runner in
        await runner.check(id, setting.cases, examples: setting.examples, budget: setting.budget, shrinkPasses: setting.shrinkPasses, property)
      }
      runCounter = { runner in await runner.check(id + "#counter", counter.setting.cases, budget: counter.setting.budget, property) }
      runChanged = { change, name, runner in
        guard let cases = changedCases(change) else { return nil }
        return await runner.check(name, cases, budget: setting.budget, property)
      }
    case .statistical(let design):
      let predicate: @Sendable (Case) throws -> Bool = { c in
        let m = try measured(c)
        PropertyContext.measure(m.quantity, m.value, primary: true)
        expectations.note(m)
        return m.holds
      }
      runClaim = { runner in await runner.claim(id, setting.cases, design: design, budget: setting.budget, predicate) }
      runCounter = { runner in await runner.claim(id + "#counter", counter.setting.cases, design: design, budget: counter.setting.budget, predicate) }
      runChanged = { change, name, runner in
        guard let cases = changedCases(change) else { return nil }
        return await runner.claim(name, cases, design: design, budget: setting.budget, predicate)
      }
    }
  }

  /// A claim that must hold on every case of its setting (failures are shrunk).
  public static func forEvery<Case: Sendable>(
    id: String, code: String, paper: PaperReference, thresholds: [Threshold] = [], statement: String, hypotheses: [String] = [], findings: [String] = [],
    operationalDefinition: String? = nil, setting: ClaimSetting<Case>, counter: CounterSetting<Case>,
    measure: @escaping @Sendable (Case) throws -> Measurement
  ) -> Claim {
    Claim(
      id: id, code: code, paper: paper, thresholds: thresholds, statement: statement, hypotheses: hypotheses, findings: findings,
      operationalDefinition: operationalDefinition, kind: .everyInstance, setting: setting, counter: counter, measure: measure)
  }

  /// A claim about most instances of its setting's distribution, decided by Wald's SPRT.
  public static func statistical<Case: Sendable>(
    id: String, code: String, paper: PaperReference, thresholds: [Threshold] = [], statement: String, hypotheses: [String] = [], findings: [String] = [],
    operationalDefinition: String? = nil, design: SPRTDesign, setting: ClaimSetting<Case>, counter: CounterSetting<Case>,
    measure: @escaping @Sendable (Case) throws -> Measurement
  ) -> Claim {
    Claim(
      id: id, code: code, paper: paper, thresholds: thresholds, statement: statement, hypotheses: hypotheses, findings: findings,
      operationalDefinition: operationalDefinition, kind: .statistical(design), setting: setting, counter: counter, measure: measure)
  }

  /// A claim that must hold on every case, its counter-setting a change to its (inline) setting:
  /// `counter: { $0.changingEachCase("depth 1") { $0.depth = 1 } }`.
  public static func forEvery<Case: Sendable>(
    id: String, code: String, paper: PaperReference, thresholds: [Threshold] = [], statement: String, hypotheses: [String] = [],
    findings: [String] = [], operationalDefinition: String? = nil, setting: ClaimSetting<Case>,
    counter: (ClaimSetting<Case>) -> CounterSetting<Case>, measure: @escaping @Sendable (Case) throws -> Measurement
  ) -> Claim {
    forEvery(
      id: id, code: code, paper: paper, thresholds: thresholds, statement: statement, hypotheses: hypotheses, findings: findings,
      operationalDefinition: operationalDefinition, setting: setting, counter: counter(setting), measure: measure)
  }

  /// A claim about most instances, its counter-setting a change to its (inline) setting.
  public static func statistical<Case: Sendable>(
    id: String, code: String, paper: PaperReference, thresholds: [Threshold] = [], statement: String, hypotheses: [String] = [],
    findings: [String] = [], operationalDefinition: String? = nil, design: SPRTDesign, setting: ClaimSetting<Case>,
    counter: (ClaimSetting<Case>) -> CounterSetting<Case>, measure: @escaping @Sendable (Case) throws -> Measurement
  ) -> Claim {
    statistical(
      id: id, code: code, paper: paper, thresholds: thresholds, statement: statement, hypotheses: hypotheses, findings: findings,
      operationalDefinition: operationalDefinition, design: design, setting: setting, counter: counter(setting), measure: measure)
  }
}

/// The expected interval of each primary quantity a claim measured (the same for every case: it comes
/// from the claim's thresholds), kept so that results and figures can show it beside the values.
final class ExpectationLog: Sendable {
  private let intervals = Mutex<[String: ClosedRange<Double>]>([:])

  func note(_ measurement: Measurement) {
    guard measurement.isResolved else { return }
    intervals.withLock { if $0[measurement.quantity] == nil { $0[measurement.quantity] = measurement.expected } }
  }

  /// Writes the noted intervals into `result`'s measurement summaries (a merge whose cases all came
  /// from shards ran none here, and keeps none).
  func annotate(_ result: inout PropertyResult) {
    let known = intervals.withLock { $0 }
    for i in result.measurements.indices {
      if let interval = known[result.measurements[i].quantity] {
        result.measurements[i].expectedLower = interval.lowerBound
        result.measurements[i].expectedUpper = interval.upperBound
      }
    }
  }
}

extension Claim: CustomStringConvertible {
  /// "TF3 razin-maman-cohen.incremental-rank-learning".
  public var description: String { "\(code) \(id)" }
}
