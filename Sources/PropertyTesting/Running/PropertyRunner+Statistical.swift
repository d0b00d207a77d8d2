extension PropertyRunner {
  /// Decides a statistical claim "`body` returns true with probability ≥ p0 over `gen`'s distribution".
  ///
  /// Cases are drawn i.i.d. (each from its own derived seed), evaluated in parallel and fed to the
  /// SPRT in case-index order, so the verdict depends only on the run seed. The run stops at the
  /// first decision or at the case budget (`inconclusive`). A body that throws counts as a case where
  /// the claim failed (and its message is kept); a discarded case (filter, ``assume(_:_:)``) is not
  /// an observation. A budget too small for the SPRT ever to say "holds" is a health error before
  /// any case runs.
  public func claim<Value: Sendable>(
    _ name: String, _ gen: Gen<Value>, design: SPRTDesign, budget: Budget = .standard,
    _ body: @escaping @Sendable (Value) throws -> Bool
  ) async -> PropertyResult {
    let clock = ContinuousClock.now
    let profile = configuration.profile
    let (runSeed, seedSource) = configuration.runSeed(for: name)
    let caseBudget = budget.cases[profile] ?? profile.defaultStatisticalBudget
    var result = PropertyResult(starting: name, kind: .statistical, verdict: .inconclusive, profile: profile, runSeed: runSeed, seedSource: seedSource)

    // The claim's body as a property that fails when the predicate is false.
    let asProperty: @Sendable (Value) throws -> Void = { value in
      let holds = try body(value)
      if !holds { throw PropertyFailure("the claim's predicate is false for this case", origin: .falsePredicate) }
    }

    if let token = configuration.replay, token.belongs(to: name) {
      await replay(token, gen, body: asProperty, into: &result)
      result.timing.totalSeconds = seconds(since: clock)
      return result
    }

    var estimate = SequentialEstimate(design: design, budget: caseBudget, precisionTarget: profile.precisionTarget)
    let expectedAtP0 = design.expectedSampleSize(at: design.p0)
    if caseBudget < design.earliestHolds {
      result.verdict = .unhealthy
      result.health.append(.init(
        check: .statisticalBudget,
        message: "a budget of \(caseBudget) cases can never decide \"holds\": the SPRT needs at least \(design.earliestHolds) (p0 = \(design.p0), p1 = \(design.p1), α = \(design.alpha), β = \(design.beta))",
        isError: true))
      result.statistics = statistics(of: estimate, budget: caseBudget, expectedAtP0: expectedAtP0, failingTokens: [])
      result.timing.totalSeconds = seconds(since: clock)
      return result
    }
    if Double(caseBudget) < 2 * expectedAtP0 {
      result.health.append(.init(
        check: .statisticalBudget,
        message: "the budget of \(caseBudget) cases is under twice Wald's expected \(Int(expectedAtP0.rounded())) at p0; expect inconclusive verdicts near the indifference zone",
        isError: false))
    }

    if let shard = configuration.shard {
      // Shards cannot see the combined test stop, so they run to twice the design's largest expected
      // sample size (or the budget, if smaller), or to the budget when the profile asks for precision
      // after the decision; the merge runs any case a longer test needs.
      let horizon = profile.precisionTarget == nil ? Swift.min(caseBudget, Int((2 * design.largestExpectedSampleSize).rounded(.up))) : caseBudget
      await record(name, runSeed: runSeed, gen, body: asProperty, shard: shard, horizon: horizon, stopAtFailure: false, into: &result)
      result.timing.totalSeconds = seconds(since: clock)
      return result
    }

    var failingTokens: [String] = []
    var observed: [(index: Int, success: Bool)] = []  // in the order the test saw them
    let tally = await generateCases(
      name, runSeed: runSeed, gen, body: asProperty, start: clock,
      counted: { estimate.trials }, failures: { estimate.trials - estimate.successes }, test: { estimate.test }
    ) { run, seed in
      let success = run.evaluation.outcome == .passed
      observed.append((run.index, success))
      if !success, failingTokens.count < 5 {
        failingTokens.append(ReplayToken(propertyName: name, caseSeed: seed, tape: run.tape).description)
      }
      if case .failed(let message, let origin) = run.evaluation.outcome, origin != .falsePredicate,
        !result.health.contains(where: { $0.check == .thrownError })
      {
        result.health.append(.init(check: .thrownError, message: "a case threw and was counted as a failure: \(message)", isError: false))
      }
      return estimate.observe(success: success)
    }
    tally.record(into: &result)
    let discardReasons = tally.discardReasons
    // A statistical verdict follows rounding only if it does: decide again with every re-run case at
    // its perturbed outcome. The same decision makes flips a warning (a case near its threshold, as a
    // continuous quantity has now and then); so does a re-decision the cases run cannot finish when
    // the flips are not significantly more than the tolerance (one flip in the quick profile's three
    // re-run cases says little about the rate).
    var excuse: String?
    let sensitivityCheck = tally.sensitivity
    if estimate.test.decision != .undecided, !sensitivityCheck.flips.isEmpty {
      let perturbed = sensitivityCheck.flips.map(\.index)
      var again = SequentialTest(design: design)
      for (index, success) in observed where again.decision == .undecided {
        again.observe(success: perturbed.contains(index) ? !success : success)
      }
      let tolerance = configuration.effectiveSensitivity.tolerance
      let lowerRate = BinomialBounds.clopperPearsonLowerBound(successes: sensitivityCheck.flips.count, trials: sensitivityCheck.checked, confidence: 0.95)
      if again.decision == estimate.test.decision {
        excuse = "the SPRT decides the same (\(again.decision.rawValue)) with their perturbed outcomes, so the verdict does not follow rounding"
      } else if again.decision == .undecided && lowerRate <= tolerance {
        excuse = "with their perturbed outcomes the SPRT needs more cases than were run, and the flip rate is not significantly above the \(Int((tolerance * 100).rounded())) % tolerance (its 95 % lower bound is \(Int((lowerRate * 1000).rounded()) / 10) %)"
      }
    }
    let sensitivity = sensitivityCheck.finding(tolerance: configuration.effectiveSensitivity.tolerance, excuse: excuse)

    result.casesRun = estimate.trials
    result.casesPassed = estimate.successes
    result.statistics = statistics(of: estimate, budget: caseBudget, expectedAtP0: expectedAtP0, failingTokens: failingTokens)
    switch estimate.test.decision {
    case .holds: result.verdict = .holds
    case .violated: result.verdict = .fails
    case .undecided:
      if estimate.trials < caseBudget {
        result.markTooManyDiscards(against: "\(estimate.trials) observed", reasons: discardReasons)
      } else {
        result.verdict = .inconclusive
      }
    }
    if let sensitivity {
      result.health.append(sensitivity)
      if sensitivity.isError { result.verdict = .unhealthy }
    }
    if let mismatch = tally.mergeMismatch {
      result.health.append(mismatch)
      result.verdict = .unhealthy
    }
    result.timing.totalSeconds = seconds(since: clock)
    return result
  }

  private func statistics(of estimate: SequentialEstimate, budget: Int, expectedAtP0: Double, failingTokens: [String]) -> PropertyResult.Statistics {
    let test = estimate.test, n = estimate.trials, k = estimate.successes
    return PropertyResult.Statistics(
      design: test.design, budget: budget, trials: n, failures: n - k,
      pHat: n == 0 ? 0 : Double(k) / Double(n),
      wilson95: BinomialBounds.wilson(successes: k, trials: n, confidence: 0.95),
      clopperPearson95: BinomialBounds.clopperPearson(successes: k, trials: n, confidence: 0.95),
      confidenceSequence95: estimate.confidenceSequence95, decidedAfter: estimate.decidedAfter,
      precisionTarget: estimate.precisionTarget, precisionStop: estimate.precisionStop,
      logLikelihoodRatio: test.logLikelihoodRatio, lowerThreshold: test.design.lowerThreshold,
      upperThreshold: test.design.upperThreshold, expectedCasesAtP0: expectedAtP0, failingTokens: failingTokens)
  }
}
