public import PropertyTesting
import Foundation
import SeededRandom

/// Which setting of a claim a calibration draws from: the claim's own, where it must hold, or its
/// counter-setting, where it must fail.
public enum CalibrationSide: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  /// The claim's setting.
  case claim
  /// The counter-setting.
  case counter

  /// "claim" or "counter".
  public var description: String { rawValue }
}

/// One case of a claim measured without any decision: what it measured, part by part, or how it
/// ended without a measurement (a requirement that failed, a discarded draw).
public struct CalibrationSample: Sendable {
  /// How the case ended.
  public enum Outcome: Sendable, Equatable {
    /// The claim returned a measurement; `holds` is whether every part lies in its interval.
    case measured(holds: Bool)
    /// The claim threw (a `require` that failed, a run that never reached its stage).
    case failed(String)
    /// The generator or an assumption rejected the draw; it counts neither way.
    case discarded(String)
  }

  /// One measured part: the primary quantity or one of its conditions.
  public struct Part: Sendable, Equatable {
    /// The claim threshold it is held to, or the quantity itself when it names none.
    public var key: String
    /// What was measured.
    public var quantity: String
    /// The value (NaN for a run that diverged).
    public var value: Double
    /// The interval it was held to.
    public var interval: ClosedRange<Double>
  }

  /// The run seed the case belongs to (its case seed derives from it, the property's name and the index).
  public var runSeed: UInt64
  /// The case's index among the run's generated cases.
  public var index: Int
  /// The case, as `dmf replay` prints it.
  public var caseDescription: String
  /// How it ended.
  public var outcome: Outcome
  /// The measured parts, in the measurement's order (empty unless measured).
  public var parts: [Part]
  /// Seconds it took (reported, never used to decide anything).
  public var seconds: Double

  /// Whether the case satisfies the claim (measured, every part in its interval).
  public var holds: Bool { outcome == .measured(holds: true) }
  /// Whether the case counts at all (not discarded).
  public var counts: Bool {
    if case .discarded = outcome { return false }
    return true
  }
}

extension Measurement {
  /// This measurement and its conditions, depth first, as calibration parts.
  var calibrationParts: [CalibrationSample.Part] {
    [CalibrationSample.Part(key: thresholdName ?? quantity, quantity: quantity, value: value, interval: expected)]
      + conditions.flatMap(\.calibrationParts)
  }
}

extension Claim {
  /// The property name a side's cases are seeded by (the runner's: the counter-setting is `id#counter`).
  public func propertyName(_ side: CalibrationSide) -> String {
    side == .claim ? id : id + "#counter"
  }

  /// Generated cases a run of `profile` draws for one side (deterministic claims) or at most
  /// (statistical claims: the truncation).
  public func casesPerRun(_ side: CalibrationSide, profile: Profile) -> Int {
    let budget = side == .claim ? budget : counterBudget
    switch kind {
    case .everyInstance: return budget.cases[profile] ?? profile.defaultCases
    case .statistical: return budget.cases[profile] ?? profile.defaultStatisticalBudget
    }
  }

  /// Measures generated case `index` of run seed `runSeed` on `side`, deciding nothing: the same case
  /// a run with that seed draws (same case seed, same choices), without the sensitivity perturbation.
  public func sample(_ side: CalibrationSide, runSeed: UInt64, index: Int) -> CalibrationSample {
    let start = ContinuousClock.now
    let caseSeed = PropertyIdentity.caseSeed(runSeed: runSeed, name: propertyName(side), index: index)
    var sample = sampleCase(side, ChoiceSource(seed: caseSeed, caseIndex: index))
    sample.runSeed = runSeed
    sample.index = index
    let elapsed = ContinuousClock.now - start
    sample.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return sample
  }

  /// Measures the claim's explicit examples (the paper's cases every run checks first).
  public func sampleExamples() -> [CalibrationSample] {
    (0 ..< exampleCount).map { sampleExample($0) }
  }
}

/// The measurement of one case, or how it ended without one (shared by the claim's sample closures).
func calibrationSample<Case>(_ value: Case, _ measure: (Case) throws -> Measurement) -> CalibrationSample {
  let description = String(describing: value)
  do {
    let measurement = try measure(value)
    return CalibrationSample(
      runSeed: 0, index: 0, caseDescription: description, outcome: .measured(holds: measurement.holds), parts: measurement.calibrationParts, seconds: 0)
  } catch let definition as ClaimDefinitionError {
    return CalibrationSample(runSeed: 0, index: 0, caseDescription: description, outcome: .failed("\(definition)"), parts: [], seconds: 0)
  } catch {
    switch CaseOutcome.from(error: error) {
    case .discarded(let reason):
      return CalibrationSample(runSeed: 0, index: 0, caseDescription: description, outcome: .discarded(reason), parts: [], seconds: 0)
    case .failed(let message, _):
      return CalibrationSample(runSeed: 0, index: 0, caseDescription: description, outcome: .failed(message), parts: [], seconds: 0)
    case .passed:
      return CalibrationSample(runSeed: 0, index: 0, caseDescription: description, outcome: .failed("\(error)"), parts: [], seconds: 0)
    }
  }
}
