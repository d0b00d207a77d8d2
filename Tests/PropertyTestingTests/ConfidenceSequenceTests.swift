import PropertyTesting
import SeededRandom
import Testing

/// The anytime-valid interval for a statistical claim's rate, the continued sampling after the SPRT's
/// decision, and the order-statistic intervals of measured quantities.
struct ConfidenceSequenceTests {
  /// The SPRT of `ShardingTests`' indifference example: p0 = 0.95 against p1 = 0.75, α = β = 1 %.
  static let design = SPRTDesign(p0: 0.95, p1: 0.75, alpha: 0.01, beta: 0.01)

  @Test func theMixtureBoundsMatchValuesComputedIndependently() {
    // Computed with the same definition in Python (lgamma, bisection on log M_n(p) = log 20):
    // {p : B(½ + S, ½ + n − S)/B(½, ½) / (p^S (1 − p)^{n−S}) < 20}.
    let cases: [(Int, Int, Double, Double)] = [(90, 100, 0.77249, 0.97094), (360, 400, 0.83899, 0.94462), (100, 200, 0.38060, 0.61940)]
    for (successes, trials, lower, upper) in cases {
      let interval = BinomialBounds.confidenceSequence(successes: successes, trials: trials)
      #expect(abs(interval.lower - lower) < 1e-4 && abs(interval.upper - upper) < 1e-4, "\(successes)/\(trials): \(interval)")
      // Wider than Wilson's fixed-n interval, which is the price of validity at every n.
      let wilson = BinomialBounds.wilson(successes: successes, trials: trials)
      #expect(interval.lower < wilson.lower && interval.upper > wilson.upper)
    }
    let empty = BinomialBounds.confidenceSequence(successes: 0, trials: 0)
    #expect(empty.lower == 0 && empty.upper == 1)
    let allPassed = BinomialBounds.confidenceSequence(successes: 50, trials: 50)
    #expect(allPassed.upper == 1 && allPassed.lower > 0.85 && allPassed.lower < 0.97)
  }

  /// Runs `runs` coins of rate `p` through ``SequentialEstimate`` and counts, at the SPRT's stop and
  /// at the end of the continued sampling, how often each interval covers p.
  static func coverage(p: Double, precision: Double?, runs: Int, seed: UInt64) -> (wilsonAtStop: Double, sequenceAtStop: Double, sequenceAtEnd: Double) {
    var generator = Xoshiro256StarStar(seed: seed)
    var wilsonAtStop = 0, sequenceAtStop = 0, sequenceAtEnd = 0
    for _ in 0 ..< runs {
      var estimate = SequentialEstimate(design: design, budget: 2000, precisionTarget: precision)
      var checkedStop = false
      while estimate.observe(success: generator.nextDouble() < p) {
        if !checkedStop && estimate.decidedAfter != nil {
          checkedStop = true
          let wilson = BinomialBounds.wilson(successes: estimate.successes, trials: estimate.trials)
          if wilson.lower <= p && p <= wilson.upper { wilsonAtStop += 1 }
          let sequence = estimate.confidenceSequence95
          if sequence.lower <= p && p <= sequence.upper { sequenceAtStop += 1 }
        }
      }
      if !checkedStop {  // decided on the last case observed (or the budget ran out)
        let wilson = BinomialBounds.wilson(successes: estimate.successes, trials: estimate.trials)
        if wilson.lower <= p && p <= wilson.upper { wilsonAtStop += 1 }
        let sequence = estimate.confidenceSequence95
        if sequence.lower <= p && p <= sequence.upper { sequenceAtStop += 1 }
      }
      let sequence = estimate.confidenceSequence95
      if sequence.lower <= p && p <= sequence.upper { sequenceAtEnd += 1 }
    }
    let n = Double(runs)
    return (Double(wilsonAtStop) / n, Double(sequenceAtStop) / n, Double(sequenceAtEnd) / n)
  }

  @Test func afterTheSPRTsStopTheConfidenceSequenceCoversAndWilsonDoesNot() {
    // p = 0.9 lies inside the indifference zone [0.75, 0.95]: the SPRT stops early on runs whose p̂ is
    // off, and the fixed-n Wilson interval computed there misses p far more often than 5 % (measured
    // here: Wilson 0.896, the confidence sequence 0.997 at the stop and 0.9997 at the end; 0.884 in an
    // independent Python simulation of 4000 runs; the binomial spread at 3000 runs is ±0.006).
    let (wilson, sequence, end) = Self.coverage(p: 0.9, precision: 0.1, runs: 3000, seed: 7)
    #expect(wilson < 0.92, "Wilson after the stop covered \(wilson)")
    #expect(sequence >= 0.95, "the confidence sequence after the stop covered \(sequence)")
    #expect(end >= 0.95, "the confidence sequence after the continued sampling covered \(end)")
  }

  @Test(arguments: [0.97, 0.8, 0.6])
  func theConfidenceSequenceCoversAtEveryRateTried(p: Double) {
    let (_, sequence, end) = Self.coverage(p: p, precision: 0.1, runs: 1500, seed: UInt64(p * 100))
    #expect(sequence >= 0.95 && end >= 0.95, "p = \(p): \(sequence) at the stop, \(end) at the end")
  }

  @Test func theConfidenceSequenceCoversAtEveryNAtOnce() {
    // The time-uniform property itself: along whole paths of 300 cases, the fraction of paths on
    // which the interval ever excluded p stays below 5 % (checked at every n).
    var generator = Xoshiro256StarStar(seed: 3)
    let p = 0.85, paths = 300
    var everMissed = 0
    for _ in 0 ..< paths {
      var successes = 0
      for n in 1 ... 300 {
        if generator.nextDouble() < p { successes += 1 }
        let interval = BinomialBounds.confidenceSequence(successes: successes, trials: n)
        if !(interval.lower <= p && p <= interval.upper) {
          everMissed += 1
          break
        }
      }
    }
    #expect(Double(everMissed) / Double(paths) <= 0.05, "\(everMissed) of \(paths) paths were missed at some n")
  }

  @Test func continuedSamplingStopsAtThePrecisionTargetOrTheBudget() {
    var generator = Xoshiro256StarStar(seed: 5)
    var reached = SequentialEstimate(design: Self.design, budget: 2000, precisionTarget: 0.1)
    while reached.observe(success: generator.nextDouble() < 0.97) {}
    #expect(reached.precisionStop == .reached && reached.halfWidth <= 0.1 && reached.trials > reached.decidedAfter!)
    var budgeted = SequentialEstimate(design: Self.design, budget: 60, precisionTarget: 0.01)
    while budgeted.observe(success: generator.nextDouble() < 0.97) {}
    #expect(budgeted.precisionStop == .budget && budgeted.trials == 60)
    var quick = SequentialEstimate(design: Self.design, budget: 2000, precisionTarget: nil)
    while quick.observe(success: generator.nextDouble() < 0.97) {}
    #expect(quick.precisionStop == .notRequested && quick.trials == quick.decidedAfter)
  }

  @Test func theRunnerKeepsSamplingInTheCIProfileAndTheVerdictStaysTheSPRTs() async {
    let coin = Gen<Double>.double(in: 0 ... 1)
    let quick = await testRunner(profile: .quick).claim("precision coin", coin, design: Self.design) { $0 < 0.97 }
    let ci = await testRunner(profile: .ci).claim("precision coin", coin, design: Self.design) { $0 < 0.97 }
    #expect(quick.verdict == .holds && ci.verdict == .holds)
    #expect(quick.statistics?.precisionStop == .notRequested && quick.casesRun == quick.statistics?.decidedAfter)
    #expect(ci.statistics?.precisionStop == .reached && ci.casesRun > (ci.statistics?.decidedAfter ?? .max))
    let interval = ci.statistics?.confidenceSequence95
    #expect(interval.map { ($0.upper - $0.lower) / 2 <= 0.1 && $0.lower <= 0.97 && 0.97 <= $0.upper } == true)
  }

  @Test func aMedianIntervalUsesTheTabulatedRanks() throws {
    // n = 100: the 95 % distribution-free interval for the median is [X₍₄₀₎, X₍₆₁₎] (Hahn & Meeker's table).
    let median = try #require(QuantileBounds.quantile((1 ... 100).map(Double.init).shuffled(), level: 0.5))
    #expect(median.estimate == 50 && median.lower == 40 && median.upper == 61)
    // Too few values for a 95 % interval of the 10 % quantile: both ends are reported missing.
    let low = try #require(QuantileBounds.quantile([1, 2, 3, 4, 5], level: 0.1))
    #expect(low.lower == nil)
  }

  @Test func quantileIntervalsCoverAtTheirLevel() {
    var generator = Xoshiro256StarStar(seed: 9)
    var covered = [0.1: 0, 0.5: 0, 0.9: 0]
    let runs = 2000
    for _ in 0 ..< runs {
      let values = (0 ..< 60).map { _ in generator.nextDouble() }  // uniform: the q-quantile is q
      for q in [0.1, 0.5, 0.9] {
        if let estimate = QuantileBounds.quantile(values, level: q), let lower = estimate.lower, let upper = estimate.upper, lower <= q && q <= upper {
          covered[q]! += 1
        }
      }
    }
    for q in [0.1, 0.5, 0.9] { #expect(Double(covered[q]!) / Double(runs) >= 0.94, "q = \(q): \(covered[q]!) of \(runs)") }
  }
}

extension ShardingTests {
  @Test func shardsOfAClaimThatKeepsSamplingMergeToTheUnshardedResult() async throws {
    for seed in UInt64(1) ... 4 {
      let (whole, merged, _) = try await Self.wholeAndMerged(count: 2, seed: seed, profile: .ci) { runner in
        await runner.claim("sharding.precision", .double(in: 0 ... 1), design: SPRTDesign(p0: 0.9, p1: 0.75, alpha: 0.05, beta: 0.05), budget: .cases(300)) { $0 < 0.93 }
      }
      #expect(whole.statistics?.precisionStop != .notRequested)
      Self.expectSameDecision(whole, merged)
    }
  }
}
