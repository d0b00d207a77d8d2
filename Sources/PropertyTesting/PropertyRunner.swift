/// Runs properties and statistical claims: search, shrink, confirm, decide, report.
///
/// Deterministic properties ("for every instance, X holds") run in phases: a replay token from the
/// configuration, if it names this property, runs alone; otherwise explicit examples, pinned
/// counterexamples and the failure database come first, then generated cases (in parallel, consumed
/// in case-index order). The first failing case is shrunk, re-run to confirm it fails the same way
/// (else the verdict is `flaky`), stored in the database and reported with its replay token.
///
/// Statistical claims ("X holds with probability ≥ p0") draw i.i.d. cases and feed Wald's SPRT in
/// case-index order until it decides or the case budget is spent; nothing replayed, hand-picked or
/// shrunk enters the statistics.
public struct PropertyRunner: Sendable {
  /// Run-wide settings.
  public var configuration: RunConfiguration
  /// How a case's body is executed and classified.
  public var executor: any CaseExecutor
  /// Cases the shards of a sharded run recorded: the property they belong to takes its generated
  /// cases from them (running locally only cases no shard ran) instead of generating them.
  package var merged: ShardedCases?
  /// How many of a property's recorded cases a merge runs again (the first ones by index) to
  /// confirm that the shards' records reproduce under this build.
  package var mergeSpotChecks = 2

  /// A runner with the given settings and executor.
  public init(configuration: RunConfiguration = RunConfiguration(), executor: any CaseExecutor = ThrowingExecutor()) {
    self.configuration = configuration
    self.executor = executor
  }

  /// One generated and executed case.
  struct CaseRun: Sendable {
    var evaluation: Evaluation
    var labels: [String]
    var measurements: [(String, Double)]
    var seconds: Double
    var valueDescription: String
    /// The tape of a case taken from a shard's record (whose evaluation carries no choices).
    var recordedTape: Tape? = nil
    /// The case's index among the generated cases.
    var index = 0
    /// How the case ended when re-run under a rounding-level perturbation (nil: not re-run).
    var perturbedOutcome: CaseOutcome? = nil

    var tape: Tape { recordedTape ?? evaluation.tape }
  }

  /// Generates a case from `source` and runs `body` on it through the executor.
  func runCase<Value: Sendable>(
    _ gen: Gen<Value>, source: ChoiceSource, body: @escaping @Sendable (Value) throws -> Void
  ) async -> CaseRun {
    let start = ContinuousClock.now
    let recorder = CaseRecorder()
    var description = ""
    let outcome: CaseOutcome
    do {
      let value = try gen.generate(source)
      description = String(describing: value)
      outcome = await PropertyContext.$current.withValue(recorder) {
        await executor.execute { try body(value) }
      }
    } catch {
      outcome = .from(error: error)
    }
    let elapsed = ContinuousClock.now - start
    return CaseRun(
      evaluation: Evaluation(outcome: outcome, nodes: source.nodes, spans: source.spans),
      labels: recorder.recordedLabels,
      measurements: recorder.recordedMeasurements,
      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
      valueDescription: description)
  }

  /// Runs generated case `index` from `seed`, and again under a rounding-level perturbation when the
  /// run's sensitivity check covers it.
  func runGenerated<Value: Sendable>(
    _ gen: Gen<Value>, index: Int, seed: UInt64, body: @escaping @Sendable (Value) throws -> Void
  ) async -> CaseRun {
    let maxChoices = configuration.maxChoices
    var run = await runCase(gen, source: ChoiceSource(seed: seed, maxChoices: maxChoices), body: body)
    run.index = index
    if configuration.effectiveSensitivity.covers(index), !run.evaluation.outcome.isDiscard {
      let perturbed = await PropertyContext.$perturbation.withValue(SensitivityCheck.perturbationSeed(forCase: seed)) {
        await runCase(gen, source: ChoiceSource(seed: seed, maxChoices: maxChoices), body: body)
      }
      run.perturbedOutcome = perturbed.evaluation.outcome
      run.seconds += perturbed.seconds
    }
    return run
  }

  /// Checks a deterministic property: every case must pass.
  ///
  /// - Parameters:
  ///   - name: the property's stable name (seeds, database and tokens are keyed by it).
  ///   - gen: the case generator.
  ///   - examples: explicit cases, run first and never shrunk.
  ///   - budget: per-profile case counts and shrink budgets.
  ///   - shrinkPasses: domain shrink passes, tried before the generic ones.
  ///   - body: the property; it fails by throwing (``require(_:_:fileID:line:)``) or, under the
  ///     Swift Testing glue, by a failed `#expect`.
  public func check<Value: Sendable>(
    _ name: String, _ gen: Gen<Value>, examples: [Value] = [], budget: Budget = .standard,
    shrinkPasses: [ShrinkPass] = [], _ body: @escaping @Sendable (Value) throws -> Void
  ) async -> PropertyResult {
    let clock = ContinuousClock.now
    let profile = configuration.profile
    let (runSeed, seedSource) = configuration.runSeed(for: name)
    var result = PropertyResult(
      name: name, kind: .deterministic, verdict: .passed, profile: profile, runSeed: hex(runSeed),
      seedSource: seedSource, casesRun: 0, casesPassed: 0, casesDiscarded: 0, casesReplayed: 0,
      failure: nil, statistics: nil, health: [], labels: [],
      timing: PropertyResult.Timing(totalSeconds: 0, medianCaseSeconds: 0, p95CaseSeconds: 0))
    func finish() -> PropertyResult {
      result.timing.totalSeconds = seconds(since: clock)
      return result
    }
    let maxChoices = configuration.maxChoices

    // A replay token for this property: exactly that case, nothing else.
    if let token = configuration.replay, token.belongs(to: name) {
      await replay(token, gen, body: body, into: &result)
      return finish()
    }

    // A shard records its slice of the generated cases; the merge decides.
    if let shard = configuration.shard {
      let cases = budget.cases[profile] ?? profile.defaultCases
      await record(name, runSeed: runSeed, gen, body: body, shard: shard, horizon: cases, stopAtFailure: true, into: &result)
      return finish()
    }

    // Explicit examples.
    for (index, example) in examples.enumerated() {
      let outcome = await executor.execute { try body(example) }
      result.casesReplayed += 1
      if case .failed(let message, let origin) = outcome {
        result.verdict = .failed
        result.failure = PropertyResult.Failure(
          message: message, origin: origin, minimalCase: String(describing: example),
          token: "(explicit example #\(index))", originalChoices: 0, shrunkChoices: 0, shrinkCalls: 0,
          successfulShrinks: 0, shrinkSeconds: 0, shrinkBudgetExhausted: false, foundBy: "example")
        return finish()
      }
    }

    let shrinkCalls = budget.shrinkCalls[profile] ?? profile.shrinkCalls
    let shrinkSeconds = budget.shrinkSeconds[profile] ?? profile.shrinkSeconds
    let replayTape: @Sendable (Tape) async -> CaseRun = { [self] tape in
      await runCase(gen, source: ChoiceSource(replaying: tape, maxChoices: maxChoices), body: body)
    }

    // Shrinks a failing case, confirms it, stores it, and fills in the failure.
    func report(_ failing: CaseRun, caseSeed: UInt64, foundBy: String) async {
      let shrinkStart = ContinuousClock.now
      configuration.progress?(RunProgress(
        property: name, phase: .shrinking, cases: result.casesRun, failures: 1, discarded: result.casesDiscarded,
        test: nil, elapsedSeconds: seconds(since: clock)))
      let shrinker = Shrinker(
        failing: failing.evaluation, passes: shrinkPasses, callBudget: shrinkCalls, seconds: shrinkSeconds,
        evaluate: { await replayTape($0).evaluation })
      await shrinker.run()
      let minimalTape = shrinker.best.tape
      let confirmation = await replayTape(minimalTape)
      let token = ReplayToken(propertyName: name, caseSeed: caseSeed, tape: minimalTape)
      guard case .failed(let message, let origin) = confirmation.evaluation.outcome,
        origin == failing.evaluation.outcome.origin
      else {
        result.verdict = .flaky
        result.health.append(.init(
          check: .nondeterministicReplay,
          message: "the minimal case \(outcomeWord(confirmation.evaluation.outcome)) when re-run; the property or its generator is not deterministic given the tape (token \(token))",
          isError: true))
        return
      }
      result.verdict = .failed
      result.failure = PropertyResult.Failure(
        message: message, origin: origin, minimalCase: confirmation.valueDescription, token: token.description,
        originalChoices: failing.evaluation.nodes.count, shrunkChoices: minimalTape.count,
        shrinkCalls: shrinker.calls, successfulShrinks: shrinker.successes,
        shrinkSeconds: seconds(since: shrinkStart), shrinkBudgetExhausted: shrinker.budgetExhausted, foundBy: foundBy)
      configuration.database?.save(token, for: name)
    }

    // Pinned counterexamples, then the failure database.
    var pinned: [ReplayToken] = []
    if let directory = configuration.pinnedDirectory {
      do {
        pinned = try PinnedExamples.tokens(in: directory, for: name)
      } catch {
        result.verdict = .unhealthy
        result.health.append(.init(check: .pinnedExamples, message: "\(error)", isError: true))
        return finish()
      }
    }
    let stored = configuration.database?.tokens(for: name) ?? []
    for (token, origin) in pinned.map({ ($0, "pinned") }) + stored.map({ ($0, "database") }) {
      let run = await replayTape(token.tape)
      result.casesReplayed += 1
      if run.evaluation.outcome.isFailure {
        await report(run, caseSeed: token.caseSeed, foundBy: origin)
        return finish()
      }
      if origin == "database" { configuration.database?.delete(token, for: name) }
    }

    // Generated cases, in parallel, consumed in index order.
    let cases = budget.cases[profile] ?? profile.defaultCases
    var firstFailure: (CaseRun, UInt64)?
    let tally = await generateCases(
      name, runSeed: runSeed, gen, body: body, start: clock,
      counted: { result.casesRun }, failures: { firstFailure == nil ? 0 : 1 }
    ) { run, seed in
      result.casesRun += 1
      guard run.evaluation.outcome == .passed else {
        firstFailure = (run, seed)
        return false
      }
      result.casesPassed += 1
      return result.casesPassed < cases
    }
    tally.record(into: &result)
    let discardReasons = tally.discardReasons
    if let mismatch = tally.mergeMismatch {
      result.verdict = .unhealthy
      result.health.append(mismatch)
      return finish()
    }

    if case (var run, let seed)? = firstFailure {
      if let finding = tally.sensitivity.finding(tolerance: configuration.effectiveSensitivity.tolerance, deciding: run.index), finding.isError {
        // A failure that passes under a rounding-level perturbation is not worth shrinking.
        result.verdict = .unhealthy
        result.health.append(finding)
        return finish()
      }
      if run.recordedTape != nil {
        // A shard's failure: re-run it here for the choices' constraints the shrinker needs.
        let local = await runCase(gen, source: ChoiceSource(seed: seed, maxChoices: maxChoices), body: body)
        guard local.evaluation.outcome == run.evaluation.outcome else {
          result.verdict = .flaky
          result.health.append(.init(
            check: .nondeterministicReplay,
            message: "case \(result.casesRun - 1) failed on its shard (\(outcomeWord(run.evaluation.outcome))) but \(outcomeWord(local.evaluation.outcome)) when re-run for the merge; shards and merge must run the same build on machines with the same OpenBLAS kernels",
            isError: true))
          return finish()
        }
        run = local
      }
      await report(run, caseSeed: seed, foundBy: "generated")
      return finish()
    }
    if let finding = tally.sensitivity.finding(tolerance: configuration.effectiveSensitivity.tolerance) {
      result.health.append(finding)
      if finding.isError {
        result.verdict = .unhealthy
        return finish()
      }
    }
    if result.casesPassed < cases {
      result.verdict = .unhealthy
      result.health.append(.init(
        check: .tooManyDiscards,
        message: "\(result.casesDiscarded) cases discarded against \(result.casesPassed) valid (e.g. \(discardReasons.joined(separator: "; "))); the filter or assumption is too strict or the property is vacuous",
        isError: true))
    } else if result.casesDiscarded > result.casesPassed {
      result.health.append(.init(
        check: .manyDiscards, message: "\(result.casesDiscarded) discarded for \(result.casesPassed) valid cases", isError: false))
    }
    return finish()
  }
}

/// Collects measured quantities in case order, keeping the order in which quantities first appear.
struct MeasurementCollector {
  private var names: [String] = []
  private var values: [String: [Double]] = [:]  // looked up by name; output follows `names`

  mutating func add(_ measurements: [(String, Double)]) {
    for (name, value) in measurements {
      if values[name] == nil { names.append(name) }
      values[name, default: []].append(value)
    }
  }

  var summaries: [PropertyResult.MeasurementSummary] {
    names.map { PropertyResult.MeasurementSummary(quantity: $0, values: values[$0] ?? []) }
  }
}

/// What generating cases leaves besides the counted cases: discards, timings, labels, measurements.
struct GenerationTally {
  var discarded = 0
  var discardReasons: [String] = []
  var times: [Double] = []
  var labelCounts: [String: Int] = [:]  // output sorted by label
  var measured = MeasurementCollector()
  /// Cases a merge had to run itself because no shard recorded them.
  var ranDuringMerge = 0
  /// The re-runs under a rounding-level perturbation.
  var sensitivity = SensitivityTally()
  /// Seconds the shards spent on the recorded cases a merge used (nil outside a merge).
  var shardSeconds: Double?
  /// The recorded cases a merge ran again.
  var spotChecks: [SpotCheck] = []

  /// A recorded case that ended otherwise when the merge ran it again: the shards' records are not
  /// this build's (an edit the line check missed, another build, or a machine whose rounding differs).
  var mergeMismatch: PropertyResult.HealthFinding? {
    guard let bad = spotChecks.first(where: { !$0.sameOutcome }) else { return nil }
    return .init(
      check: .mergeMismatch,
      message: "case \(bad.index) was recorded by its shard as \(bad.recorded.rawValue) but \(bad.again.rawValue) when the merge ran it again; shards and merge must run the same build",
      isError: true)
  }

  /// Copies the counts into a result.
  func record(into result: inout PropertyResult) {
    result.timing.shardSeconds = shardSeconds
    if let drift = spotChecks.first(where: { $0.sameOutcome && !$0.sameMeasurements }) {
      result.health.append(.init(
        check: .mergeMismatch,
        message: "case \(drift.index) ran again during the merge with the same outcome but measurements that differ in the last bits (another OpenBLAS kernel?)",
        isError: false))
    }
    if ranDuringMerge > 0 {
      result.health.append(.init(
        check: .mergeRanCases,
        message: "\(ranDuringMerge) cases lay past what the shards recorded (a sequential test longer than the shards' horizon, or discards beyond the case budget) and were run during the merge",
        isError: false))
    }
    result.casesDiscarded = discarded
    result.labels = labelCounts.keys.sorted().map { PropertyResult.LabelCount(label: $0, count: labelCounts[$0]!) }
    result.measurements = measured.summaries
    result.timing.medianCaseSeconds = percentile(times, 0.5)
    result.timing.p95CaseSeconds = percentile(times, 0.95)
  }
}

extension PropertyRunner {
  /// Generates cases 0, 1, 2, … from their derived seeds, runs them in parallel and hands the
  /// non-discarded ones to `consume` in case-index order until it returns false. Discards are
  /// counted here and stop the run when they dominate (Hypothesis's rule: at least 50, and more
  /// than ten per counted case); labels and measurements of every counted case are tallied.
  ///
  /// When ``merged`` holds this property's shards, a case a shard recorded is taken from its record
  /// and only cases no shard ran (past the shards' horizon) are run here.
  func generateCases<Value: Sendable>(
    _ name: String, runSeed: UInt64, _ gen: Gen<Value>, body: @escaping @Sendable (Value) throws -> Void,
    start: ContinuousClock.Instant, counted: () -> Int, failures: () -> Int, test: () -> SequentialTest? = { nil },
    consume: (CaseRun, UInt64) -> Bool
  ) async -> GenerationTally {
    var tally = GenerationTally()
    let merged = merged?.property == name ? merged : nil
    let spotChecks = mergeSpotChecks
    let evaluate: @Sendable (Int) async -> (CaseRun, UInt64, Bool, SpotCheck?) = { [self] index in
      let seed = PropertyIdentity.caseSeed(runSeed: runSeed, name: name, index: index)
      if let record = merged?.record(at: index) {
        guard index < spotChecks else { return (record.caseRun, seed, false, nil) }
        let again = await runCase(gen, source: ChoiceSource(seed: seed, maxChoices: configuration.maxChoices), body: body)
        return (record.caseRun, seed, false, SpotCheck(record: record, again: again))
      }
      return (await runGenerated(gen, index: index, seed: seed, body: body), seed, merged != nil, nil)
    }
    var stopped = false
    func take(_ item: (CaseRun, UInt64, Bool, SpotCheck?)) -> Bool {
      let (run, seed, ranDuringMerge, spotCheck) = item
      if let spotCheck { tally.spotChecks.append(spotCheck) }
      if ranDuringMerge { tally.ranDuringMerge += 1 }
      if merged != nil && !ranDuringMerge { tally.shardSeconds = (tally.shardSeconds ?? 0) + run.seconds }
      tally.times.append(run.seconds)
      defer {
        configuration.progress?(RunProgress(
          property: name, phase: .generating, cases: counted(), failures: failures(), discarded: tally.discarded,
          test: test(), elapsedSeconds: seconds(since: start)))
      }
      tally.sensitivity.add(
        index: run.index, original: run.evaluation.outcome, perturbed: run.perturbedOutcome,
        token: ReplayToken(propertyName: name, caseSeed: seed, tape: run.tape).description)
      let goOn: Bool
      if case .discarded(let reason) = run.evaluation.outcome {
        tally.discarded += 1
        if tally.discardReasons.count < 3 { tally.discardReasons.append(reason) }
        goOn = !(tally.discarded >= 50 && tally.discarded > 10 * (counted() + 1))
      } else {
        for label in run.labels { tally.labelCounts[label, default: 0] += 1 }
        tally.measured.add(run.measurements)
        goOn = consume(run, seed)
      }
      stopped = !goOn
      return goOn
    }
    // A merge first takes the shards' contiguous records (nothing is run ahead of need there), then
    // runs any further case here, in parallel like an unsharded run.
    let recorded = merged?.recordedPrefix ?? 0
    await evaluateInOrder(0 ..< recorded, width: configuration.parallelism, evaluate: evaluate) { take($1) }
    if !stopped {
      await evaluateInOrder(recorded ..< Int.max, width: configuration.parallelism, evaluate: evaluate) { take($1) }
    }
    return tally
  }

  /// A shard's part of a property: runs the shard's case indices below `horizon` in order (and past
  /// it while discards leave the shard short of its share of counted cases) and records them.
  /// A deterministic property's shard stops at its first failure: no later case can matter.
  func record<Value: Sendable>(
    _ name: String, runSeed: UInt64, _ gen: Gen<Value>, body: @escaping @Sendable (Value) throws -> Void,
    shard: Shard, horizon: Int, stopAtFailure: Bool, into result: inout PropertyResult
  ) async {
    let start = ContinuousClock.now
    let share = shard.share(of: horizon)
    var records: [CaseRecord] = []
    var counted = 0, failed = 0, discarded = 0
    var times: [Double] = []
    let evaluate: @Sendable (Int) async -> (Int, UInt64, CaseRun) = { [self] position in
      let index = shard.caseIndex(at: position)
      let seed = PropertyIdentity.caseSeed(runSeed: runSeed, name: name, index: index)
      return (index, seed, await runGenerated(gen, index: index, seed: seed, body: body))
    }
    func consume(_ item: (Int, UInt64, CaseRun)) -> Bool {
      let (index, seed, run) = item
      records.append(CaseRecord(index: index, run: run, token: ReplayToken(propertyName: name, caseSeed: seed, tape: run.tape)))
      times.append(run.seconds)
      switch run.evaluation.outcome {
      case .discarded: discarded += 1
      case .failed: counted += 1; failed += 1
      case .passed: counted += 1
      }
      configuration.progress?(RunProgress(
        property: name, phase: .recording, cases: counted, failures: failed, discarded: discarded, test: nil,
        elapsedSeconds: seconds(since: start)))
      return !(stopAtFailure && failed > 0)
    }
    // The shard's indices below the horizon, then — only when discards left it short — past it, to
    // its share with some slack for the other shards' discards (a case no shard ran is run by the merge).
    await evaluateInOrder(0 ..< share, width: configuration.parallelism, evaluate: evaluate) { consume($1) }
    if discarded > 0 && !(stopAtFailure && failed > 0) {
      let target = share + Swift.max(2, Int((2 * Double(share).squareRoot()).rounded(.up)))
      await evaluateInOrder(share ..< Int.max, width: configuration.parallelism, evaluate: evaluate) {
        consume($1) && counted < target && !(discarded >= 50 && discarded > 10 * (counted + 1))
      }
    }
    result.verdict = .partial
    result.casesRun = counted
    result.casesPassed = counted - failed
    result.casesDiscarded = discarded
    result.timing.medianCaseSeconds = percentile(times, 0.5)
    result.timing.p95CaseSeconds = percentile(times, 0.95)
    result.recorded = RecordedCases(property: name, shard: shard, horizon: horizon, cases: records)
  }

  /// Runs exactly the case of `token` and records it as the run's only case.
  func replay<Value: Sendable>(
    _ token: ReplayToken, _ gen: Gen<Value>, body: @escaping @Sendable (Value) throws -> Void, into result: inout PropertyResult
  ) async {
    let run = await runCase(gen, source: ChoiceSource(replaying: token.tape, maxChoices: configuration.maxChoices), body: body)
    result.casesReplayed = 1
    if case .failed(let message, let origin) = run.evaluation.outcome {
      result.verdict = .failed
      result.failure = PropertyResult.Failure(
        message: message, origin: origin, minimalCase: run.valueDescription, token: token.description,
        originalChoices: token.tape.count, shrunkChoices: run.evaluation.nodes.count, shrinkCalls: 0,
        successfulShrinks: 0, shrinkSeconds: 0, shrinkBudgetExhausted: false, foundBy: "replay")
    } else {
      result.verdict = .passed
      result.health.append(.init(check: .replay, message: "the replayed case \(outcomeWord(run.evaluation.outcome)): \(run.valueDescription)", isError: false))
    }
  }
}

func outcomeWord(_ outcome: CaseOutcome) -> String {
  switch outcome {
  case .passed: "passed"
  case .failed(let message, let origin): "failed differently (\(origin): \(message))"
  case .discarded(let reason): "was discarded (\(reason))"
  }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
  let elapsed = ContinuousClock.now - start
  return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

func percentile(_ values: [Double], _ q: Double) -> Double {
  guard !values.isEmpty else { return 0 }
  let sorted = values.sorted()
  return sorted[Swift.min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded()))]
}

/// A recorded case of a shard that a merge ran again, and how the two compare.
struct SpotCheck: Sendable {
  var index: Int
  var recorded: CaseRecord.Status
  var again: CaseRecord.Status
  var sameMeasurements: Bool

  init(record: CaseRecord, again run: PropertyRunner.CaseRun) {
    index = record.index
    recorded = record.status
    again = CaseRecord.Status(run.evaluation.outcome)
    sameMeasurements = record.measurements.count == run.measurements.count
      && zip(record.measurements, run.measurements).allSatisfy { $0.quantity == $1.0 && $0.value.bitPattern == $1.1.bitPattern }
  }

  var sameOutcome: Bool { recorded == again }
}
