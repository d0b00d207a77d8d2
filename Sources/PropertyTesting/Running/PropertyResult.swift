/// Everything a report needs about one property or claim run. Codable, so `dmf verify` writes it
/// as a line of `results.jsonl`.
public struct PropertyResult: Sendable, Codable {
  /// Whether the property is checked case by case or statistically.
  public enum Kind: String, Sendable, Codable {
    /// "For every instance, X holds": any failing case refutes it.
    case deterministic
    /// "X holds with probability ≥ p0": decided by a sequential test.
    case statistical
  }

  /// The outcome.
  public enum Verdict: String, Sendable, Codable {
    /// A deterministic property passed every case.
    case passed
    /// A deterministic property failed; ``PropertyResult/failure`` has the minimal case.
    case failed
    /// A statistical claim holds (the SPRT accepted p ≥ p0).
    case holds
    /// A statistical claim is violated (the SPRT accepted p ≤ p1).
    case fails
    /// A statistical claim reached its case budget without a decision.
    case inconclusive
    /// The failure did not reproduce when the minimal case was re-run.
    case flaky
    /// A health check stopped the run (too many discards, a budget that can never decide, …).
    case unhealthy
    /// A shard's slice of the cases was recorded; `dmf merge` decides.
    case partial

    /// Whether the verdict counts as a failure (inconclusive does not, except in strict mode).
    public var isFailure: Bool { self == .failed || self == .fails || self == .flaky || self == .unhealthy }
  }

  /// The property's stable name.
  public var name: String
  /// Deterministic or statistical.
  public var kind: Kind
  /// The outcome.
  public var verdict: Verdict
  /// The profile the run used.
  public var profile: Profile
  /// The run seed.
  public var runSeed: RunSeed
  /// Where the run seed came from.
  public var seedSource: SeedSource
  /// Cases whose outcome was counted (generated, or drawn for the statistics).
  public var casesRun: Int
  /// Cases that passed (deterministic) or satisfied the claim (statistical).
  public var casesPassed: Int
  /// Cases discarded by filters or assumptions.
  public var casesDiscarded: Int
  /// Explicit, pinned and database cases replayed before generation (never in the statistics).
  public var casesReplayed: Int
  /// The minimal failing case, for a failed deterministic property.
  public var failure: Failure?
  /// The sequential test, for a statistical claim.
  public var statistics: Statistics?
  /// Health-check findings.
  public var health: [HealthFinding]
  /// How many cases carried each label, sorted by label.
  public var labels: [LabelCount]
  /// Each measured quantity summarised over the counted cases, in order of first appearance.
  public var measurements: [MeasurementSummary] = []
  /// Wall-clock timings.
  public var timing: Timing
  /// The cases a shard ran, for `dmf merge` (only in a shard's result).
  package var recorded: RecordedCases?

  /// A failing case and how it was shrunk.
  public struct Failure: Sendable, Codable {
    /// The failure's message.
    public var message: String
    /// Where it failed (a requirement's location or an error type); shrinking keeps it.
    public var origin: FailureOrigin
    /// The minimal case, described.
    public var minimalCase: String
    /// The replay token of the minimal case.
    public var token: String
    /// Choices in the original failing case.
    public var originalChoices: Int
    /// Choices in the minimal case.
    public var shrunkChoices: Int
    /// Property calls spent shrinking.
    public var shrinkCalls: Int
    /// Shrink steps that were accepted.
    public var successfulShrinks: Int
    /// Seconds spent shrinking: a timing, which nothing decides on (the budget is in calls).
    public var shrinkSeconds: Double
    /// Whether shrinking stopped on its budget rather than at a fixed point.
    public var shrinkBudgetExhausted: Bool
    /// Where the failing case came from.
    public var foundBy: CaseSource
    /// What each shrink pass tried and kept, in the order the passes run (empty when not shrunk).
    public var shrinkPasses: [ShrinkPassStatistics] = []
    /// The failing case as found, before shrinking (nil when nothing was shrunk: an explicit example,
    /// a replay). Shrinking minimises the case, not the violation, so this one usually fails by more.
    public var firstFailingCase: FirstFailingCase? = nil
  }

  /// A failing case as it was found, before shrinking: a different case from the minimal one.
  public struct FirstFailingCase: Sendable, Codable, Equatable {
    /// The case, described.
    public var description: String
    /// Its failure message (for a claim, the measured values against their thresholds).
    public var message: String
    /// Its replay token.
    public var token: String
  }

  /// One shrink pass's share of the shrinking: property calls it spent and shrinks it had accepted.
  public struct ShrinkPassStatistics: Sendable, Codable, Equatable {
    /// The pass's name ("delete spans", or a domain pass's name).
    public var pass: String
    /// Property calls spent on its candidates.
    public var calls = 0
    /// Candidates accepted (simpler, failing the same way).
    public var successes = 0
  }

  /// A statistical claim's evidence.
  public struct Statistics: Sendable, Codable {
    /// The SPRT design.
    public var design: SPRTDesign
    /// The case budget (truncation).
    public var budget: Int
    /// Cases observed (the SPRT's and any drawn after its decision for precision).
    public var trials: Int
    /// Cases in which the claim failed.
    public var failures: Int
    /// The observed success rate over every observed case.
    public var pHat: Double
    /// The two-sided 95 % Wilson interval of the success rate: valid for a fixed number of cases
    /// only, so after the SPRT's data-dependent stop it may cover less than 95 % (shown for comparison).
    public var wilson95: ProbabilityInterval
    /// The exact two-sided 95 % Clopper–Pearson interval: fixed-n, like Wilson's.
    public var clopperPearson95: ProbabilityInterval
    /// The 95 % anytime-valid confidence sequence of the success rate (beta-binomial mixture), valid
    /// under the SPRT's stop and the continued sampling: the interval to quote (nil in older records).
    public var confidenceSequence95: ProbabilityInterval?
    /// The SPRT's number of cases at its decision (nil: undecided).
    public var decidedAfter: Int?
    /// The half-width the profile asked of the confidence sequence after the decision (nil: none).
    public var precisionTarget: Double?
    /// Whether the precision target was reached or the budget stopped the sampling first.
    public var precisionStop: SequentialEstimate.PrecisionStop?
    /// The final log-likelihood ratio and the two decision thresholds (B < 0 < A).
    public var logLikelihoodRatio: Double
    /// ln(β/(1−α)).
    public var lowerThreshold: Double
    /// ln((1−β)/α).
    public var upperThreshold: Double
    /// Wald's expected sample size at p0, for judging the budget.
    public var expectedCasesAtP0: Double
    /// Replay tokens of the first few failing cases (witnesses; not shrunk).
    public var failingTokens: [String]
  }

  /// Makes the result unhealthy because discards kept it from its cases: `casesDiscarded` cases
  /// discarded against `counted`, with example reasons and, if given, what to do.
  mutating func markTooManyDiscards(against counted: String, reasons: [String], advice: String? = nil) {
    verdict = .unhealthy
    health.append(.init(
      check: .tooManyDiscards,
      message: "\(casesDiscarded) cases discarded against \(counted) (e.g. \(reasons.joined(separator: "; ")))" + (advice.map { "; " + $0 } ?? ""),
      isError: true))
  }

  /// One health-check finding.
  public struct HealthFinding: Sendable, Codable, Equatable {
    /// Which check.
    public var check: HealthCheck
    /// What it found.
    public var message: String
    /// Whether it stopped the run (otherwise a warning).
    public var isError: Bool
  }

  /// A label and the number of cases that carried it.
  public struct LabelCount: Sendable, Codable, Equatable {
    /// The label.
    public var label: String
    /// How many counted cases carried it.
    public var count: Int
  }

  /// A measured quantity over the counted cases.
  public struct MeasurementSummary: Sendable, Codable, Equatable {
    /// The quantity's name.
    public var quantity: String
    /// How many values.
    public var count: Int
    /// The smallest value.
    public var min: Double
    /// The median.
    public var median: Double
    /// The largest value.
    public var max: Double
    /// Every value, in case order (for calibrating a threshold); empty in files written before it was kept.
    public var values: [Double]
    /// The 10 %, 50 % and 90 % quantiles, each with its distribution-free 95 % interval from order
    /// statistics (``QuantileBounds``); empty in files written before they were kept.
    public var quantiles: [QuantileEstimate]
    /// The interval the quantity was held to, when the property reported one (a claim's threshold).
    public var expectedLower: Double?
    /// See ``expectedLower``.
    public var expectedUpper: Double?

    /// The quantile levels summarised.
    public static let quantileLevels = [0.1, 0.5, 0.9]

    private enum CodingKeys: String, CodingKey {
      case quantity, count, min, median, max, values, quantiles, expectedLower, expectedUpper
    }

    /// Decodes a summary; `values` may be absent (older results files).
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      quantity = try c.decode(String.self, forKey: .quantity)
      count = try c.decode(Int.self, forKey: .count)
      min = try c.decode(Double.self, forKey: .min)
      median = try c.decode(Double.self, forKey: .median)
      max = try c.decode(Double.self, forKey: .max)
      values = try c.decodeIfPresent([Double].self, forKey: .values) ?? []
      quantiles = try c.decodeIfPresent([QuantileEstimate].self, forKey: .quantiles) ?? []
      expectedLower = try c.decodeIfPresent(Double.self, forKey: .expectedLower)
      expectedUpper = try c.decodeIfPresent(Double.self, forKey: .expectedUpper)
    }

    /// Summarises `values` (not empty).
    public init(quantity: String, values: [Double]) {
      let sorted = values.sorted()
      self.quantity = quantity
      count = sorted.count
      min = sorted.first ?? .nan
      max = sorted.last ?? .nan
      median = sorted.isEmpty ? .nan : (sorted.count % 2 == 1 ? sorted[sorted.count / 2] : 0.5 * (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]))
      self.values = values
      quantiles = Self.quantileLevels.compactMap { QuantileBounds.quantile(values, level: $0) }
    }
  }

  /// Timings in seconds.
  public struct Timing: Sendable, Codable {
    /// The whole run.
    public var totalSeconds: Double
    /// Median time of one counted case (generation and property).
    public var medianCaseSeconds: Double
    /// 95th percentile of one counted case.
    public var p95CaseSeconds: Double
    /// For a merged run: the seconds the shards spent on the cases the merge used (`totalSeconds`
    /// is the merge's own time).
    public var shardSeconds: Double?
  }

  /// A multi-line human summary: verdict, counts, statistics, the minimal case and the token.
  public var summary: String {
    var lines: [String] = []
    lines.append("\(name): \(verdict.rawValue) — \(casesRun) cases (\(casesPassed) passed, \(casesDiscarded) discarded, \(casesReplayed) replayed), profile \(profile.rawValue), seed \(runSeed.digits) (\(seedSource.rawValue))")
    if let statistics {
      lines.append(
        "  SPRT p0 = \(statistics.design.p0), p1 = \(statistics.design.p1), α = \(statistics.design.alpha), β = \(statistics.design.beta): n = \(statistics.trials), failures = \(statistics.failures), p̂ = \(ProbabilityInterval.format(statistics.pHat)), Wilson 95% \(statistics.wilson95), Clopper–Pearson 95% \(statistics.clopperPearson95), Λ = \(ProbabilityInterval.format(statistics.logLikelihoodRatio)) in (\(ProbabilityInterval.format(statistics.lowerThreshold)), \(ProbabilityInterval.format(statistics.upperThreshold))), budget \(statistics.budget)")
      if let first = statistics.failingTokens.first {
        lines.append("  first failing case: \(first)")
      }
    }
    if let failure {
      let source = failure.foundBy.summaryNote.map { " (\($0))" } ?? ""
      if let first = failure.firstFailingCase {
        lines.append("  first failing case, as found\(source): \(first.message)")
        lines.append("    replay: DMF_REPLAY=\(first.token)")
      }
      if failure.foundBy == .replay {
        lines.append("  replayed case (\(failure.shrunkChoices) choices): \(failure.minimalCase)")
      } else {
        lines.append("  minimal case (\(failure.shrunkChoices) choices, from \(failure.originalChoices); \(failure.successfulShrinks) shrinks in \(failure.shrinkCalls) calls\(failure.shrinkBudgetExhausted ? ", budget exhausted" : "")): \(failure.minimalCase)")
      }
      lines.append("    fails at \(failure.origin)\(failure.firstFailingCase == nil ? source : ""): \(failure.message)")
      let passes = failure.shrinkPasses.filter { $0.calls > 0 }
      if !passes.isEmpty {
        lines.append("  shrink passes: " + passes.map { "\($0.pass) \($0.successes)/\($0.calls)" }.joined(separator: ", "))
      }
      lines.append("    replay: DMF_REPLAY=\(failure.token)")
    }
    for finding in health {
      lines.append("  health \(finding.isError ? "error" : "warning") [\(finding.check.rawValue)]: \(finding.message)")
    }
    for m in measurements {
      lines.append("  \(m.quantity): median \(m.median), range [\(m.min), \(m.max)] over \(m.count) cases\(failure?.firstFailingCase == nil ? "" : " as generated (not the minimal case)")")
    }
    if !labels.isEmpty {
      let total = max(1, casesRun)
      lines.append("  labels: " + labels.map { "\($0.label) \(Int((100 * Double($0.count) / Double(total)).rounded()))%" }.joined(separator: ", "))
    }
    return lines.joined(separator: "\n")
  }
}

extension PropertyResult {
  /// The result of a run that has just started: no cases, no findings, the verdict it has until a
  /// phase changes it. Both kinds of run build their result from here.
  init(starting name: String, kind: Kind, verdict: Verdict, profile: Profile, runSeed: UInt64, seedSource: SeedSource) {
    self.init(
      name: name, kind: kind, verdict: verdict, profile: profile, runSeed: RunSeed(runSeed), seedSource: seedSource,
      casesRun: 0, casesPassed: 0, casesDiscarded: 0, casesReplayed: 0, failure: nil, statistics: nil, health: [], labels: [],
      timing: Timing(totalSeconds: 0, medianCaseSeconds: 0, p95CaseSeconds: 0))
  }
}
