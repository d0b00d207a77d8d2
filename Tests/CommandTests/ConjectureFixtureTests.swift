import ClaimKit
import Foundation
import LinearAlgebra
import Synchronization
import Testing

/// Issue 32's done-when on the seven conjectures of ``Conjectures`` (a user's claims, not the
/// catalogue's), at one seed: each verdict is what its status expects and each counter-setting fails;
/// a refuted conjecture is green declared so and red declared plainly; a failure's first and minimal
/// cases and their tokens are the same on an idle and a loaded machine; and replaying a failing case,
/// exporting its training problem and training the file with `dmf train` (and `dmf baseline`)
/// recomputes the value the claim measured, the tensor claim's included.
struct ConjectureFixtureTests {
  static let seed: UInt64 = 0x2a

  static func runner(replay: ReplayToken? = nil) -> PropertyRunner {
    PropertyRunner(configuration: RunConfiguration(profile: .quick, seed: seed, replay: replay, parallelism: 1))
  }

  static func claim(_ code: String) throws -> Claim {
    try #require(Conjectures.all.first { $0.code == code })
  }

  @Test(arguments: [
    ("U1", PropertyResult.Verdict.failed), ("U2", .failed), ("U3", .holds), ("U4", .passed), ("U5", .passed), ("U6", .passed), ("U7", .failed),
  ])
  func eachVerdictIsWhatItsStatusExpectsAndItsCounterSettingFails(code: String, verdict: PropertyResult.Verdict) async throws {
    let claim = try Self.claim(code)
    let result = try await claim.run(with: Self.runner())
    #expect(result.verdict == verdict, "\(result.summary)")
    #expect(!claim.status.kind.failsTheRun(result.verdict), "swift test stays green: \(claim.status)")
    let counter = try await claim.runCounterSetting(with: Self.runner())
    #expect(counter.verdict == .failed || counter.verdict == .fails, "\(counter.summary)")
  }

  @Test func aRefutedConjectureIsGreenAndTheSameClaimDeclaredPlainlyIsRed() async throws {
    let declared = try await Conjectures.nuclearNormBound.run(with: Self.runner())
    let plain = try await Conjectures.nuclearNormBoundAsWritten.run(with: Self.runner())
    #expect(declared.verdict == .failed && plain.verdict == .failed)
    #expect(!Conjectures.nuclearNormBound.status.kind.failsTheRun(declared.verdict))
    #expect(Conjectures.nuclearNormBoundAsWritten.status.kind.failsTheRun(plain.verdict))
  }

  /// Runs `body` while one thread per core spins.
  static func underLoad<T>(_ body: () async throws -> T) async rethrows -> T {
    let stop = Atomic<Bool>(false), threads = ProcessInfo.processInfo.activeProcessorCount
    let running = Atomic<Int>(0)
    for _ in 0 ..< threads {
      Thread.detachNewThread {
        running.add(1, ordering: .relaxed)
        var x = 1.0
        while !stop.load(ordering: .relaxed) { x = x * 1.000_000_1 + 1e-9 }
        if x == 0 { print(x) }
        running.subtract(1, ordering: .relaxed)
      }
    }
    defer {
      stop.store(true, ordering: .relaxed)
      while running.load(ordering: .relaxed) > 0 { usleep(1000) }
    }
    while running.load(ordering: .relaxed) < threads { usleep(1000) }
    return try await body()
  }

  @Test func theFailuresAreTheSameOnAnIdleAndALoadedMachine() async throws {
    let claims = try ["U1", "U2", "U7"].map(Self.claim)
    var idle: [PropertyResult.Failure] = []
    for claim in claims { idle.append(try #require(try await claim.run(with: Self.runner()).failure)) }
    // One spinning thread per core while the three run again (the rest of the suite runs beside them too).
    let loaded = try await Self.underLoad {
      var failures: [PropertyResult.Failure] = []
      for claim in claims { failures.append(try #require(try await claim.run(with: Self.runner()).failure)) }
      return failures
    }
    for (idle, loaded) in zip(idle, loaded) {
      #expect(loaded.token == idle.token && loaded.minimalCase == idle.minimalCase && loaded.message == idle.message)
      #expect(loaded.firstFailingCase?.token == idle.firstFailingCase?.token && idle.firstFailingCase != nil)
      #expect(loaded.shrinkCalls == idle.shrinkCalls && loaded.successfulShrinks == idle.successfulShrinks && loaded.shrinkBudgetExhausted == idle.shrinkBudgetExhausted)
    }
  }

  /// What `dmf train --json FILE` (and `dmf baseline --json FILE`) print, read as the claim's quantity.
  static func recompute(_ code: String, file: String) throws -> Double {
    let train = try TrainCommandTests.run(["train", file, "--json"])
    #expect(train.status == 0, "\(train.error)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(train.output.utf8)) as? [String: Any])
    let loss = try #require(json["loss"] as? Double)
    func product() throws -> Matrix {
      let rows = try #require(json["product"] as? [[Double]])
      return Matrix(rows)
    }
    switch code {
    case "U1":
      let baseline = try TrainCommandTests.run(["baseline", file, "--json"])
      let solved = try #require(try JSONSerialization.jsonObject(with: Data(baseline.output.utf8)) as? [String: Any])
      let minimum = try #require((solved["minimumNuclearNorm"] as? [String: Any])?["nuclearNorm"] as? Double, "\(solved.keys.sorted())")
      return try product().nuclearNorm() / minimum
    case "U2":
      return try #require((json["targetError"] as? [String: Any])?["relative"] as? Double)
    case "U3#counter", "U6#counter":
      return try product().effectiveRank()
    case "U4#counter":
      return abs(try product()[0, 0]) * (2 * loss).squareRoot()
    case "U5#counter":
      return try #require((json["trajectory"] as? [[String: Any]])?.last?["reconstructionError"] as? Double)
    case "U7":
      return loss
    default:
      Issue.record("no recomputation for \(code)")
      return .nan
    }
  }

  @Test(arguments: ["U1", "U2", "U7", "U3#counter", "U4#counter", "U5#counter", "U6#counter"])
  func replayThenExportThenTrainRecomputesTheMeasuredValue(name: String) async throws {
    let counter = name.hasSuffix("#counter")
    let claim = try Self.claim(String(name.prefix(2)))
    let run = try await (counter ? claim.runCounterSetting(with: Self.runner()) : claim.run(with: Self.runner()))
    let token = try ReplayToken(parsing: try #require(run.failure?.token ?? run.statistics?.failingTokens.first, "\(run.summary)"))
    // dmf replay: the case again, with every training problem it ran.
    let log = TrainingLog()
    let replayed = try await log.collecting {
      try await (counter ? claim.runCounterSetting(with: Self.runner(replay: token)) : claim.run(with: Self.runner(replay: token)))
    }
    #expect(replayed.verdict.isFailure)
    let measured = try #require(replayed.measurements.first { !$0.quantity.hasPrefix("run: ") }?.values.first)
    // --export: the case's (only) training problem as a problem file.
    #expect(log.entries.count == 1)
    let data = try #require(log.entries.first).problemFile()
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-conjecture-\(ProcessInfo.processInfo.processIdentifier)-\(name).json").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    try data.write(to: URL(fileURLWithPath: file))
    // dmf train (and dmf baseline): the measured value from what they print.
    let again = try Self.recompute(name, file: file)
    #expect(abs(again - measured) <= 1e-12 * abs(measured), "\(name): measured \(measured), recomputed \(again)")
  }
}
