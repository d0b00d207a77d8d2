/// Where a property's generated cases come from: generated here from their seeds or, when a merge
/// holds the property's shards, taken from the shards' records (the first few run again here to
/// confirm them) and generated here only past what the shards recorded. The runner asks it for
/// case `index` and tallies the origin it is told; it never branches on a merge itself.
struct GeneratedCaseSource: Sendable {
  /// The shards' records of this property, or nil to generate every case here.
  let records: ShardedCases?
  /// How many of the recorded cases (the first by index) are run again to confirm them.
  let spotChecks: Int

  /// Where one case came from.
  enum Origin: Sendable {
    /// Generated and run here (an unsharded run).
    case generated
    /// Taken from a shard's record.
    case recorded
    /// Generated and run during a merge because no shard recorded it.
    case generatedPastRecords
  }

  /// One case as the source supplies it.
  struct SuppliedCase: Sendable {
    var run: PropertyRunner.CaseRun
    var seed: UInt64
    var origin: Origin
    /// The recorded case run again, for the first ``spotChecks`` records.
    var spotCheck: SpotCheck?
  }

  /// The source of property `name` in `runner`: its shards' records when the runner merges them.
  init(name: String, runner: PropertyRunner) {
    records = runner.merged?.property == name ? runner.merged : nil
    spotChecks = runner.mergeSpotChecks
  }

  /// Cases `0 ..< recordedPrefix` are all recorded: they are taken in order, nothing ahead of need.
  var recordedPrefix: Int { records?.recordedPrefix ?? 0 }

  /// Case `index` of property `name` under `runSeed`.
  func supply<Value: Sendable>(
    _ index: Int, name: String, runSeed: UInt64, _ gen: Gen<Value>, body: @escaping @Sendable (Value) throws -> Void, runner: PropertyRunner
  ) async -> SuppliedCase {
    let seed = PropertyIdentity.caseSeed(runSeed: runSeed, name: name, index: index)
    guard let record = records?.record(at: index) else {
      let run = await runner.runGenerated(gen, index: index, seed: seed, body: body)
      return SuppliedCase(run: run, seed: seed, origin: records == nil ? .generated : .generatedPastRecords)
    }
    guard index < spotChecks else { return SuppliedCase(run: record.caseRun, seed: seed, origin: .recorded) }
    let again = await runner.runCase(gen, source: ChoiceSource(seed: seed, maxChoices: runner.configuration.maxChoices, caseIndex: index), body: body)
    return SuppliedCase(run: record.caseRun, seed: seed, origin: .recorded, spotCheck: SpotCheck(record: record, again: again))
  }
}
