public import PropertyTesting
import Foundation
import SeededRandom

/// What a claim's generated cases measured over many random run seeds, with nothing decided: per
/// threshold, the quantity's distribution, its worst case and margin, and a bound on how often a case
/// falls outside; per run seed, the verdict a run with that seed reaches. Written to
/// `Fixtures/calibration/CODE.json` by `dmf calibrate`, and checked by `swift test`.
public struct CalibrationRecord: Sendable, Codable, Equatable {
  /// The claim's id and code.
  public var claim: String
  public var code: String
  /// The thresholds the record was measured against (a record whose thresholds differ from the
  /// claim's is stale: the claim changed after it was calibrated).
  public var thresholds: [ThresholdBounds]
  /// Why the record has fewer cases than the rule asks for (a budget), if it does.
  public var note: String?
  /// The build (a hash of the `dmf` executable) and the OpenBLAS kernel the cases ran under.
  public var build: String
  public var kernel: String
  /// The claim's side and the counter-setting's.
  public var sides: [Side]

  /// A threshold's interval as recorded (nil: an unbounded end).
  public struct ThresholdBounds: Sendable, Codable, Equatable {
    public var name: String
    public var lower: Double?
    public var upper: Double?

    /// The bounds of `threshold`.
    public init(_ threshold: Threshold) {
      name = threshold.name
      lower = threshold.interval.lowerBound.isFinite ? threshold.interval.lowerBound : nil
      upper = threshold.interval.upperBound.isFinite ? threshold.interval.upperBound : nil
    }
  }

  /// One side's calibration: the cases of every run seed, summarised.
  public struct Side: Sendable, Codable, Equatable {
    /// `claim` or `counter`.
    public var side: CalibrationSide
    /// How the claim is decided ("every instance", "P ≥ 0.95 (vs 0.7, …)").
    public var decidedBy: String
    /// The profile whose runs each seed reproduces, and the generated cases such a run draws (at
    /// most, for a statistical claim: it stops at the SPRT's decision).
    public var profile: Profile
    public var casesPerRun: Int
    /// The seed the run seeds were drawn from (hexadecimal), and the run seeds themselves.
    public var masterSeed: String
    public var runSeeds: [String]
    /// Cases measured (discards excluded), discarded, and ended by a thrown failure with no measurement.
    public var cases: Int
    public var discarded: Int
    public var unmeasured: Int
    /// The first thrown failure's message, if any.
    public var firstUnmeasured: String?
    /// Cases in which every part held.
    public var casesHolding: Int
    /// The rate of cases in which every part held, with its exact 95 % interval.
    public var holdingRate: ProbabilityInterval
    /// The verdict a run with each seed reaches, counted: `passed`/`failed` (every instance) or
    /// `holds`/`fails`/`inconclusive` (statistical).
    public var runVerdicts: [String: Int]
    /// Per threshold (or unnamed quantity), in the order the measurement lists them.
    public var quantities: [Quantity]
    /// The claim's explicit examples (claim side only), each `true` when it held.
    public var examples: [Bool]
    /// Mean seconds a case here (reported; nothing depends on it).
    public var meanSecondsPerCase: Double
  }

  /// One measured quantity over every case.
  public struct Quantity: Sendable, Codable, Equatable {
    /// The threshold's name (or the quantity's, when it names none) and the quantity.
    public var threshold: String
    public var quantity: String
    /// The interval it is held to (nil: an unbounded end).
    public var lower: Double?
    public var upper: Double?
    /// Values recorded, and how many fell outside the interval (NaN counts as outside).
    public var count: Int
    public var outside: Int
    /// The exact one-sided 95 % upper confidence bound on the rate at which a case falls outside.
    public var outsideRateUpper: Double
    /// The 1, 10, 50, 90 and 99 % quantiles with their order-statistic 95 % intervals (finite values only).
    public var quantiles: [QuantileEstimate]
    /// Values that were not finite (a run that diverged: NaN is outside every interval).
    public var nonFinite: Int
    /// The case with the smallest value and the one with the largest (finite values), each with its
    /// margin to the bound on its side: how far a threshold is from the calibration's worst case.
    public var lowest: WorstCase?
    public var highest: WorstCase?
  }

  /// An extreme case of a quantity: its value and its distance to the bound on that side.
  public struct WorstCase: Sendable, Codable, Equatable {
    /// The value.
    public var value: Double
    /// The distance to the bound on its side, positive inside and negative outside (nil: that side
    /// is unbounded).
    public var margin: Double?
    /// The run seed (hexadecimal) and case index: `dmf verify --seed S` draws this case.
    public var runSeed: String
    public var index: Int
    /// The case.
    public var description: String
  }

  /// The side `side`, if recorded.
  public func side(_ side: CalibrationSide) -> Side? { sides.first { $0.side == side } }
}

extension CalibrationRecord.Side {
  /// Summarises `runs` (each run seed's samples, in index order) of `claim`'s `side`.
  init(
    claim: Claim, side: CalibrationSide, profile: Profile, masterSeed: UInt64, runs: [(seed: UInt64, samples: [CalibrationSample])],
    examples: [CalibrationSample]
  ) {
    self.side = side
    decidedBy = claim.kind.description
    self.profile = profile
    casesPerRun = claim.casesPerRun(side, profile: profile)
    self.masterSeed = hex(masterSeed)
    runSeeds = runs.map { hex($0.seed) }
    let all = runs.flatMap(\.samples)
    let counted = all.filter(\.counts)
    cases = counted.count
    discarded = all.count - counted.count
    let thrown = counted.compactMap { sample -> String? in
      if case .failed(let message) = sample.outcome { return message }
      return nil
    }
    unmeasured = thrown.count
    firstUnmeasured = thrown.first
    casesHolding = counted.filter(\.holds).count
    holdingRate = BinomialBounds.clopperPearson(successes: casesHolding, trials: counted.count)
    var verdicts: [String: Int] = [:]
    for run in runs {
      verdicts[Self.verdict(of: run.samples, kind: claim.kind), default: 0] += 1
    }
    runVerdicts = verdicts
    var keys: [(String, String, ClosedRange<Double>)] = []
    for part in counted.flatMap(\.parts) where !keys.contains(where: { $0.0 == part.key }) {
      keys.append((part.key, part.quantity, part.interval))
    }
    quantities = keys.map { key, quantity, interval in
      var values: [(Double, UInt64, Int, String)] = []
      for run in runs {
        for sample in run.samples where sample.counts {
          for part in sample.parts where part.key == key { values.append((part.value, run.seed, sample.index, sample.caseDescription)) }
        }
      }
      return CalibrationRecord.Quantity(key: key, quantity: quantity, interval: interval, values: values)
    }
    self.examples = examples.map(\.holds)
    meanSecondsPerCase = all.isEmpty ? 0 : all.map(\.seconds).reduce(0, +) / Double(all.count)
  }

  /// The verdict a run reaches on these samples: every instance must hold, or the SPRT's decision
  /// over them in index order.
  static func verdict(of samples: [CalibrationSample], kind: ClaimKind) -> String {
    switch kind {
    case .everyInstance:
      return samples.allSatisfy { $0.holds || !$0.counts } ? "passed" : "failed"
    case .statistical(let design):
      var test = SequentialTest(design: design)
      for sample in samples where sample.counts {
        if test.observe(success: sample.holds) != .undecided { break }
      }
      switch test.decision {
      case .holds: return "holds"
      case .violated: return "fails"
      case .undecided: return "inconclusive"
      }
    }
  }
}

extension CalibrationRecord.Quantity {
  init(key: String, quantity: String, interval: ClosedRange<Double>, values: [(value: Double, seed: UInt64, index: Int, description: String)]) {
    threshold = key
    self.quantity = quantity
    lower = interval.lowerBound.isFinite ? interval.lowerBound : nil
    upper = interval.upperBound.isFinite ? interval.upperBound : nil
    count = values.count
    outside = values.filter { !interval.contains($0.value) }.count
    outsideRateUpper = count == 0 ? 1 : 1 - BinomialBounds.clopperPearsonLowerBound(successes: count - outside, trials: count, confidence: 0.95)
    let finite = values.map(\.value).filter(\.isFinite)
    quantiles = [0.01, 0.1, 0.5, 0.9, 0.99].compactMap { QuantileBounds.quantile(finite, level: $0) }
    nonFinite = values.count - finite.count
    func extreme(_ i: Int?, margin: (Double) -> Double?) -> CalibrationRecord.WorstCase? {
      i.map { i in
        CalibrationRecord.WorstCase(
          value: values[i].value, margin: margin(values[i].value), runSeed: hex(values[i].seed), index: values[i].index, description: values[i].description)
      }
    }
    // The first of equal extremes, so that the record does not depend on anything but the seeds.
    let candidates = values.indices.filter { values[$0].value.isFinite }
    lowest = extreme(candidates.min { values[$0].value < values[$1].value }) { x in interval.lowerBound.isFinite ? x - interval.lowerBound : nil }
    highest = extreme(candidates.min { values[$0].value > values[$1].value }) { x in interval.upperBound.isFinite ? interval.upperBound - x : nil }
  }
}

/// `0x…`, the way `dmf` prints seeds.
func hex(_ seed: UInt64) -> String { "0x" + String(seed, radix: 16) }
