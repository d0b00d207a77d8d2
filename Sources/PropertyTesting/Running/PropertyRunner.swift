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
    var run = await runCase(gen, source: ChoiceSource(seed: seed, maxChoices: maxChoices, caseIndex: index), body: body)
    run.index = index
    if configuration.effectiveSensitivity.covers(index), !run.evaluation.outcome.isDiscard {
      let perturbed = await PropertyContext.$perturbation.withValue(SensitivityCheck.perturbationSeed(forCase: seed)) {
        await runCase(gen, source: ChoiceSource(seed: seed, maxChoices: maxChoices, caseIndex: index), body: body)
      }
      run.perturbedOutcome = perturbed.evaluation.outcome
      run.seconds += perturbed.seconds
    }
    return run
  }

  /// Checks a deterministic property: every case must pass.
  ///
  /// The phases, each run only while no earlier one has decided: a replay token naming this property
  /// (that case alone), or a shard's recording of its slice; otherwise the explicit examples, the
  /// stored counterexamples (pinned, then the failure database), the generated cases, and — for a
  /// failure found by the last two — shrinking (``shrink(_:caseSeed:foundBy:in:)``).
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
    var check = DeterministicCheck(runner: self, name: name, gen: gen, budget: budget, shrinkPasses: shrinkPasses, body: body)
    if let token = configuration.replay, token.belongs(to: name) {
      await replay(token, gen, body: body, into: &check.result)
    } else if let shard = configuration.shard {
      // A shard records its slice of the generated cases; the merge decides.
      await record(name, runSeed: check.runSeed, gen, body: body, shard: shard, horizon: check.cases, stopAtFailure: true, into: &check.result)
    } else {
      var found = await check.runExamples(examples)
      if case .none = found { found = await check.runStoredCases() }
      if case .none = found { found = await check.runGeneratedCases() }
      if case .failing(let run, let seed, let foundBy) = found { await check.shrink(run, caseSeed: seed, foundBy: foundBy) }
    }
    return check.finished()
  }
}

/// What a phase of a deterministic check found.
enum PhaseFinding {
  /// Nothing: the next phase runs.
  case none
  /// The phase decided the verdict itself (a failing explicit example, an unhealthy run).
  case decided
  /// A failing case to shrink, from its case seed, and where it was found.
  case failing(PropertyRunner.CaseRun, caseSeed: UInt64, foundBy: CaseSource)
}

/// One deterministic property's check, phase by phase, building its one result.
struct DeterministicCheck<Value: Sendable> {
  let runner: PropertyRunner
  let name: String
  let gen: Gen<Value>
  let budget: Budget
  let shrinkPasses: [ShrinkPass]
  let body: @Sendable (Value) throws -> Void
  let clock = ContinuousClock.now
  let runSeed: UInt64
  /// The result every phase writes into.
  var result: PropertyResult

  init(
    runner: PropertyRunner, name: String, gen: Gen<Value>, budget: Budget, shrinkPasses: [ShrinkPass],
    body: @escaping @Sendable (Value) throws -> Void
  ) {
    self.runner = runner
    self.name = name
    self.gen = gen
    self.budget = budget
    self.shrinkPasses = shrinkPasses
    self.body = body
    let (seed, source) = runner.configuration.runSeed(for: name)
    runSeed = seed
    result = PropertyResult(starting: name, kind: .deterministic, verdict: .passed, profile: runner.configuration.profile, runSeed: seed, seedSource: source)
  }

  var profile: Profile { runner.configuration.profile }
  /// The generated cases that must pass.
  var cases: Int { budget.cases[profile] ?? profile.defaultCases }

  /// The result, with its total time.
  func finished() -> PropertyResult {
    var done = result
    done.timing.totalSeconds = seconds(since: clock)
    return done
  }

  func replayTape(_ tape: Tape) async -> PropertyRunner.CaseRun {
    await runner.runCase(gen, source: ChoiceSource(replaying: tape, maxChoices: runner.configuration.maxChoices), body: body)
  }

  /// Explicit examples: the paper's own cases, never shrunk; a failure decides.
  mutating func runExamples(_ examples: [Value]) async -> PhaseFinding {
    for (index, example) in examples.enumerated() {
      let body = self.body
      let outcome = await runner.executor.execute { try body(example) }
      result.casesReplayed += 1
      if case .failed(let message, let origin) = outcome {
        result.verdict = .failed
        result.failure = PropertyResult.Failure(
          message: message, origin: origin, minimalCase: String(describing: example),
          token: "(explicit example #\(index))", originalChoices: 0, shrunkChoices: 0, shrinkCalls: 0,
          successfulShrinks: 0, shrinkSeconds: 0, shrinkBudgetExhausted: false, foundBy: .example)
        return .decided
      }
    }
    return .none
  }

  /// Pinned counterexamples, then the failure database (a stored case that now passes is deleted).
  mutating func runStoredCases() async -> PhaseFinding {
    var pinned: [ReplayToken] = []
    if let directory = runner.configuration.pinnedDirectory {
      do {
        pinned = try PinnedExamples.tokens(in: directory, for: name)
      } catch {
        result.verdict = .unhealthy
        result.health.append(.init(check: .pinnedExamples, message: "\(error)", isError: true))
        return .decided
      }
    }
    let stored = runner.configuration.database?.tokens(for: name) ?? []
    for (token, source) in pinned.map({ ($0, CaseSource.pinned) }) + stored.map({ ($0, CaseSource.database) }) {
      let run = await replayTape(token.tape)
      result.casesReplayed += 1
      if run.evaluation.outcome.isFailure { return .failing(run, caseSeed: token.caseSeed, foundBy: source) }
      if source == .database { runner.configuration.database?.delete(token, for: name) }
    }
    return .none
  }

  /// Generated cases, in parallel, consumed in index order until the budget passes or one fails;
  /// then the run's health: merge spot checks, the sensitivity check, discards.
  mutating func runGeneratedCases() async -> PhaseFinding {
    let cases = self.cases
    var firstFailure: (PropertyRunner.CaseRun, UInt64)?
    var counted = 0, passed = 0
    let tally = await runner.generateCases(
      name, runSeed: runSeed, gen, body: body, start: clock,
      counted: { counted }, failures: { firstFailure == nil ? 0 : 1 }
    ) { run, seed in
      counted += 1
      guard run.evaluation.outcome == .passed else {
        firstFailure = (run, seed)
        return false
      }
      passed += 1
      return passed < cases
    }
    result.casesRun += counted
    result.casesPassed += passed
    tally.record(into: &result)
    if let mismatch = tally.mergeMismatch {
      result.verdict = .unhealthy
      result.health.append(mismatch)
      return .decided
    }
    let tolerance = runner.configuration.effectiveSensitivity.tolerance
    if case (var run, let seed)? = firstFailure {
      if let finding = tally.sensitivity.finding(tolerance: tolerance, deciding: run.index), finding.isError {
        // A failure that passes under a rounding-level perturbation is not worth shrinking.
        result.verdict = .unhealthy
        result.health.append(finding)
        return .decided
      }
      if run.recordedTape != nil {
        // A shard's failure: re-run it here for the choices' constraints the shrinker needs.
        let local = await runner.runCase(gen, source: ChoiceSource(seed: seed, maxChoices: runner.configuration.maxChoices, caseIndex: run.index), body: body)
        guard local.evaluation.outcome == run.evaluation.outcome else {
          result.verdict = .flaky
          result.health.append(.init(
            check: .nondeterministicReplay,
            message: "case \(result.casesRun - 1) failed on its shard (\(outcomeWord(run.evaluation.outcome))) but \(outcomeWord(local.evaluation.outcome)) when re-run for the merge; shards and merge must run the same build on machines with the same OpenBLAS kernels",
            isError: true))
          return .decided
        }
        run = local
      }
      return .failing(run, caseSeed: seed, foundBy: .generated)
    }
    if let finding = tally.sensitivity.finding(tolerance: tolerance) {
      result.health.append(finding)
      if finding.isError {
        result.verdict = .unhealthy
        return .decided
      }
    }
    if result.casesPassed < cases {
      result.markTooManyDiscards(
        against: "\(result.casesPassed) valid", reasons: tally.discardReasons,
        advice: "the filter or assumption is too strict or the property is vacuous")
    } else if result.casesDiscarded > result.casesPassed {
      result.health.append(.init(
        check: .manyDiscards, message: "\(result.casesDiscarded) discarded for \(result.casesPassed) valid cases", isError: false))
    }
    return .none
  }

  /// Shrinks a failing case, confirms that the minimal case fails the same way (else `flaky`),
  /// stores it in the failure database, and fills in the failure with per-pass statistics.
  mutating func shrink(_ failing: PropertyRunner.CaseRun, caseSeed: UInt64, foundBy: CaseSource) async {
    let shrinkStart = ContinuousClock.now
    let configuration = runner.configuration
    configuration.progress?(RunProgress(
      property: name, phase: .shrinking, cases: result.casesRun, failures: 1, discarded: result.casesDiscarded,
      test: nil, elapsedSeconds: seconds(since: clock)))
    let check = self
    let shrinker = Shrinker(
      failing: failing.evaluation, passes: shrinkPasses,
      callBudget: budget.shrinkCalls[profile] ?? profile.shrinkCalls,
      evaluate: { await check.replayTape($0).evaluation })
    await shrinker.run()
    let minimalTape = shrinker.best.tape
    let confirmation = await replayTape(minimalTape)
    let token = ReplayToken(propertyName: name, caseSeed: caseSeed, tape: minimalTape)
    guard case .failed(let message, let origin) = confirmation.evaluation.outcome, origin == failing.evaluation.outcome.origin else {
      result.verdict = .flaky
      result.health.append(.init(
        check: .nondeterministicReplay,
        message: "the minimal case \(outcomeWord(confirmation.evaluation.outcome)) when re-run; the property or its generator is not deterministic given the tape (token \(token))",
        isError: true))
      return
    }
    result.verdict = .failed
    let firstMessage = if case .failed(let message, _) = failing.evaluation.outcome { message } else { "" }
    result.failure = PropertyResult.Failure(
      message: message, origin: origin, minimalCase: confirmation.valueDescription, token: token.description,
      originalChoices: failing.evaluation.nodes.count, shrunkChoices: minimalTape.count,
      shrinkCalls: shrinker.calls, successfulShrinks: shrinker.successes,
      shrinkSeconds: seconds(since: shrinkStart), shrinkBudgetExhausted: shrinker.budgetExhausted, foundBy: foundBy,
      shrinkPasses: shrinker.passStatistics,
      firstFailingCase: PropertyResult.FirstFailingCase(
        description: failing.valueDescription, message: firstMessage,
        token: ReplayToken(propertyName: name, caseSeed: caseSeed, tape: failing.tape).description))
    do {
      try configuration.database?.save(token, for: name)
    } catch {
      // The verdict stands; the next run just cannot replay this failure first.
      result.health.append(.init(check: .failureDatabase, message: "the failure database \(error); the next run will not replay this failure first", isError: false))
    }
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

  /// Counts where a case came from (its spot check, a merge's own runs, the shards' seconds).
  mutating func count(_ supplied: GeneratedCaseSource.SuppliedCase) {
    if let spotCheck = supplied.spotCheck { spotChecks.append(spotCheck) }
    switch supplied.origin {
    case .generated: break
    case .recorded: shardSeconds = (shardSeconds ?? 0) + supplied.run.seconds
    case .generatedPastRecords: ranDuringMerge += 1
    }
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
  /// The cases come from a ``GeneratedCaseSource``: in a merge, the shards' records first.
  func generateCases<Value: Sendable>(
    _ name: String, runSeed: UInt64, _ gen: Gen<Value>, body: @escaping @Sendable (Value) throws -> Void,
    start: ContinuousClock.Instant, counted: () -> Int, failures: () -> Int, test: () -> SequentialTest? = { nil },
    consume: (CaseRun, UInt64) -> Bool
  ) async -> GenerationTally {
    var tally = GenerationTally()
    let source = GeneratedCaseSource(name: name, runner: self)
    let evaluate: @Sendable (Int) async -> GeneratedCaseSource.SuppliedCase = { [self] index in
      await source.supply(index, name: name, runSeed: runSeed, gen, body: body, runner: self)
    }
    var stopped = false
    func take(_ item: GeneratedCaseSource.SuppliedCase) -> Bool {
      let run = item.run, seed = item.seed
      tally.count(item)
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
    let recorded = source.recordedPrefix
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
    let source = ChoiceSource(replaying: token.tape, maxChoices: configuration.maxChoices)
    let run = await runCase(gen, source: source, body: body)
    result.casesReplayed = 1
    // A tape this property's generator does not read as written (choices of another kind or range,
    // or more choices than it asks for) is another property's, or from a build whose generator
    // changed: the case run may not be the one the token named, and the replay says so.
    if source.misalignedCount > 0 || source.unusedCount > 0 {
      result.health.append(.init(
        check: .replay,
        message: "the token's tape does not fit \(result.name)'s cases (\(source.misalignedCount) of its \(token.tape.count) choices did not fit and took their simplest value, \(source.unusedCount) were left over): it may name another claim's case, or one from a build whose generator changed",
        isError: false))
    }
    // The case's measurements, so that a replay shows its numbers (a statistical claim's failure
    // message says only that the predicate is false).
    var measured = MeasurementCollector()
    measured.add(run.measurements)
    result.measurements = measured.summaries
    if case .failed(let message, let origin) = run.evaluation.outcome {
      result.verdict = .failed
      result.failure = PropertyResult.Failure(
        message: message, origin: origin, minimalCase: run.valueDescription, token: token.description,
        originalChoices: token.tape.count, shrunkChoices: run.evaluation.nodes.count, shrinkCalls: 0,
        successfulShrinks: 0, shrinkSeconds: 0, shrinkBudgetExhausted: false, foundBy: .replay)
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
