import Foundation
import PropertyTesting
import Synchronization
import Testing

/// Counts calls of a property's body across tasks.
final class CallCounter: Sendable {
  private let count = Mutex(0)
  func increment() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}

/// Sharded runs: N slices of the cases, recorded apart and merged, decide exactly as one run does.
struct ShardingTests {
  @Test(arguments: [("3/8", 3, 8), ("1/1", 1, 1), (" 4/4 ", 4, 4)])
  func shardSpecificationsParse(text: String, index: Int, count: Int) throws {
    let shard = try Shard(parsing: text)
    #expect(shard.index == index && shard.count == count)
  }

  @Test(arguments: ["{\"index\":0,\"count\":4}", "{\"index\":5,\"count\":4}", "{\"index\":1,\"count\":0}", "{\"index\":1,\"count\":-1}", "{\"index\":1,\"count\":9223372036854775807}"])
  func decodedShardsAreCheckedLikeParsedOnes(json: String) {
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Shard.self, from: Data(json.utf8)) }
  }

  @Test(arguments: ["0/4", "5/4", "2/0", "2", "a/b", "1/2/3", "", "1/10001", "1/9223372036854775807"])
  func badShardSpecificationsSayWhy(text: String) {
    #expect(throws: ShardError.self) { try Shard(parsing: text) }
  }

  @Test func slicesPartitionTheCaseIndices() {
    let shards = (1 ... 3).map { Shard(index: $0, count: 3) }
    for index in 0 ..< 30 { #expect(shards.filter { $0.contains(caseIndex: index) }.count == 1) }
    #expect(shards.map { $0.share(of: 10) } == [4, 3, 3])
    #expect(shards.map { $0.caseIndex(at: 2) } == [6, 7, 8])
  }

  /// Runs `run` once whole, then as `count` shards whose records go through JSON (as between
  /// processes) and are merged; returns both results.
  static func wholeAndMerged(
    count: Int, seed: UInt64 = 11, profile: Profile = .quick, keep: @Sendable (CaseRecord) -> Bool = { _ in true },
    _ run: @escaping @Sendable (PropertyRunner) async -> PropertyResult
  ) async throws -> (whole: PropertyResult, merged: PropertyResult, parts: [PropertyResult]) {
    let whole = await run(testRunner(seed: seed, profile: profile))
    var parts: [PropertyResult] = []
    for k in 1 ... count {
      var runner = testRunner(seed: seed, parallelism: k % 2 + 1, profile: profile)
      runner.configuration.shard = Shard(index: k, count: count)
      let part = await run(runner)
      let line = try PropertyResult.lineEncoder().encode(part)
      var decoded = try PropertyResult.lineDecoder().decode(PropertyResult.self, from: line)
      decoded.recorded?.cases.removeAll { !keep($0) }
      parts.append(decoded)
    }
    var merger = testRunner(seed: seed, profile: profile)
    let recorded = parts.compactMap(\.recorded)
    if !recorded.isEmpty { merger.merged = try ShardedCases(merging: recorded.reversed()) }
    return (whole, await run(merger), parts)
  }

  static func expectSameDecision(_ a: PropertyResult, _ b: PropertyResult) {
    #expect(a.verdict == b.verdict)
    #expect(a.casesRun == b.casesRun && a.casesPassed == b.casesPassed && a.casesDiscarded == b.casesDiscarded)
    #expect(a.failure?.token == b.failure?.token && a.failure?.message == b.failure?.message)
    #expect(a.statistics?.trials == b.statistics?.trials && a.statistics?.failures == b.statistics?.failures)
    #expect(a.statistics?.logLikelihoodRatio.bitPattern == b.statistics?.logLikelihoodRatio.bitPattern)
    #expect(a.statistics?.failingTokens == b.statistics?.failingTokens)
    #expect(a.statistics?.decidedAfter == b.statistics?.decidedAfter && a.statistics?.confidenceSequence95 == b.statistics?.confidenceSequence95)
    #expect(a.statistics?.precisionStop == b.statistics?.precisionStop)
    #expect(a.labels == b.labels && a.measurements == b.measurements)
  }

  @Test func aPassingPropertyMergesToTheSameResult() async throws {
    let gen = Gen<Int>.int(in: 0 ... 1000)
    let calls = CallCounter()
    let (whole, merged, parts) = try await Self.wholeAndMerged(count: 4) { runner in
      let merging = runner.merged != nil
      return await runner.check("sharding.passes", gen) { x in
        if merging { calls.increment() }
        PropertyContext.label(x < 500 ? "small" : "large")
        PropertyContext.measure("x", Double(x))
        try require(x >= 0)
      }
    }
    #expect(whole.verdict == .passed && whole.casesRun == 100)
    #expect(parts.allSatisfy { $0.verdict == .partial } && parts.map(\.casesRun) == [25, 25, 25, 25])
    // The merge ran no case itself but its two spot checks: every decision came from the shards' records.
    #expect(calls.value == 2)
    #expect(!merged.health.contains { $0.check == .mergeMismatch })
    Self.expectSameDecision(whole, merged)
  }

  @Test func aRecordThatDoesNotReproduceMakesTheMergeUnhealthy() async throws {
    // Every case fails; the shards' first records are flipped to passes, as an edited file would be.
    let gen = Gen<Int>.int(in: 0 ... 1000)
    var parts: [RecordedCases] = []
    for k in 1 ... 2 {
      var runner = testRunner(seed: 3)
      runner.configuration.shard = Shard(index: k, count: 2)
      var recorded = try #require(await runner.check("sharding.always-fails", gen) { _ in try require(false) }.recorded)
      for i in recorded.cases.indices {
        recorded.cases[i].outcome = .passed
        recorded.cases[i].token = nil
      }
      parts.append(recorded)
    }
    var merger = testRunner(seed: 3)
    merger.merged = try ShardedCases(merging: parts)
    let merged = await merger.check("sharding.always-fails", gen) { _ in try require(false) }
    #expect(merged.verdict == .unhealthy)
    let finding = try #require(merged.health.first { $0.check == .mergeMismatch })
    #expect(finding.isError && finding.message.contains("case 0 was recorded by its shard as passed but failed"))
  }

  @Test func aFailingPropertyShrinksToTheSameToken() async throws {
    let gen = Gen<Int>.int(in: 0 ... 1000)
    let (whole, merged, parts) = try await Self.wholeAndMerged(count: 4) { runner in
      await runner.check("sharding.fails", gen) { x in try require(x < 990, "x = \(x) is too large") }
    }
    #expect(whole.verdict == .failed && whole.failure?.minimalCase == "990")
    // A shard stops at its own first failure: no later case of it can matter.
    #expect(parts.contains { $0.recorded?.cases.last?.status == .failed })
    Self.expectSameDecision(whole, merged)
  }

  @Test(arguments: [0.97, 0.6])
  func aStatisticalClaimMergesToTheSameSequentialTest(rate: Double) async throws {
    let design = SPRTDesign(p0: 0.9, p1: 0.75, alpha: 0.05, beta: 0.05)
    let (whole, merged, _) = try await Self.wholeAndMerged(count: 3) { runner in
      await runner.claim("sharding.claim.\(rate)", .double(in: 0 ... 1), design: design) { u in
        PropertyContext.measure("u", u)
        return u < rate
      }
    }
    #expect(whole.verdict == (rate > 0.9 ? .holds : .fails))
    Self.expectSameDecision(whole, merged)
  }

  @Test func discardsPastTheHorizonAreCoveredOrRunDuringTheMerge() async throws {
    // Two thirds of the cases are discarded, so the run needs indices far past the budget of 100.
    let gen = Gen<Int>.int(in: 0 ... 1000)
    let (whole, merged, parts) = try await Self.wholeAndMerged(count: 4) { runner in
      await runner.check("sharding.discards", gen) { x in try assume(x % 3 == 0, "not divisible by 3") }
    }
    #expect(whole.verdict == .passed && whole.casesDiscarded > 100)
    #expect(parts.allSatisfy { ($0.recorded?.cases.last?.index ?? 0) >= 100 })
    Self.expectSameDecision(whole, merged)
  }

  @Test func casesNoShardRanAreRunDuringTheMerge() async throws {
    // Records past index 60 are dropped (as if the shards had stopped there): the merge runs them.
    let gen = Gen<Int>.int(in: 0 ... 1000)
    let (whole, merged, _) = try await Self.wholeAndMerged(count: 2, keep: { $0.index < 60 }) { runner in
      await runner.check("sharding.truncated", gen) { x in try require(x < 995, "x = \(x)") }
    }
    let note = merged.health.first { $0.check == .mergeRanCases }
    #expect(note?.message.hasPrefix("\(whole.casesRun + whole.casesDiscarded - 60) cases") == true)
    Self.expectSameDecision(whole, merged)
  }

  @Test func shardsThatDoNotFitTogetherAreRefused() {
    func part(_ k: Int, of n: Int, horizon: Int = 10, property: String = "p", indices: [Int]? = nil) -> RecordedCases {
      let shard = Shard(index: k, count: n)
      let cases = (indices ?? (0 ..< shard.share(of: horizon)).map(shard.caseIndex(at:))).map {
        CaseRecord(index: $0, outcome: .passed, labels: [], measurements: [], seconds: 0)
      }
      return RecordedCases(property: property, shard: shard, horizon: horizon, cases: cases)
    }
    #expect(throws: MergeError("p: shard 2/3 missing")) { try ShardedCases(merging: [part(1, of: 3), part(3, of: 3)]) }
    #expect(throws: MergeError("p: shard 1/2 appears twice")) { try ShardedCases(merging: [part(1, of: 2), part(1, of: 2), part(2, of: 2)]) }
    #expect(throws: MergeError.self) { try ShardedCases(merging: [part(1, of: 2), part(2, of: 3)]) }
    #expect(throws: MergeError.self) { try ShardedCases(merging: [part(1, of: 2), part(2, of: 2, horizon: 20)]) }
    #expect(throws: MergeError.self) { try ShardedCases(merging: [part(1, of: 2), part(2, of: 2, property: "q")]) }
    #expect(throws: MergeError("p: shard 2/2 recorded case 4, which is not in its slice")) {
      try ShardedCases(merging: [part(1, of: 2), part(2, of: 2, indices: [1, 4])])
    }
    #expect(throws: Never.self) { try ShardedCases(merging: [part(2, of: 2), part(1, of: 2)]) }
  }
}

extension ShardingTests {
  @Test func shardsOfAStatisticalClaimStopAtTwiceTheLargestExpectedSampleSize() async throws {
    // p0 = 0.9 vs p1 = 0.75 has its largest expected sample size (≈ 70) inside the indifference
    // zone; a true rate of 0.834 (zero drift) sits there, so the test often runs past the shards' horizon of 2× that
    // and the merge finishes it — with the same decision as one run.
    let design = SPRTDesign(p0: 0.9, p1: 0.75, alpha: 0.05, beta: 0.05)
    let horizon = Int((2 * design.largestExpectedSampleSize).rounded(.up))
    #expect(design.largestExpectedSampleSize > design.expectedSampleSize(at: 0.9))
    #expect((100 ... 200).contains(horizon))
    var completedByMerge = 0
    for seed in UInt64(1) ... 20 {
      let (whole, merged, parts) = try await Self.wholeAndMerged(count: 2, seed: seed) { runner in
        await runner.claim("sharding.indifferent", .double(in: 0 ... 1), design: design, budget: .cases(1000)) { $0 < 0.834 }
      }
      #expect(parts.allSatisfy { $0.recorded.map { $0.horizon == horizon && $0.cases.count == $0.shard.share(of: horizon) } == true })
      let ranInMerge = merged.health.contains { $0.check == .mergeRanCases }
      #expect(ranInMerge == ((whole.statistics?.trials ?? 0) > horizon))
      if ranInMerge { completedByMerge += 1 }
      Self.expectSameDecision(whole, merged)
    }
    #expect(completedByMerge > 0, "no seed exercised a test longer than the shards' horizon")
  }
}
