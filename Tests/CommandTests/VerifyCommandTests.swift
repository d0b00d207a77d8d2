import Foundation
import Testing

/// `dmf verify` and `dmf replay` as a user runs them.
struct VerifyCommandTests {
  @Test func verifyPrintsATableAndWritesResultsAsItGoes() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-verify-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (status, output, _) = try TrainCommandTests.run(["verify", "--claim", "razin-cohen.norms-diverge", "--seed", "7", "--report", directory])
    #expect(status == 0)
    #expect(output.contains("razin-cohen.norms-diverge") && output.contains("passed") && output.contains("|W11|·√(2L)"))
    let lines = try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    #expect(object["verdict"] as? String == "passed" && object["id"] as? String == "razin-cohen.norms-diverge")
    // The self-contained page: the verdict row and inline SVG figures, no scripts or external links.
    let page = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
    #expect(page.contains("razin-cohen.norms-diverge") && page.contains("<svg"))
    #expect(!page.contains("<script") && !page.contains("http://") && !page.contains("https://"))
  }

  @Test func counterRunsEachCounterSettingWhichMustFail() throws {
    let run = try TrainCommandTests.run(["verify", "--counter", "--claim", "R2", "--claim", "gidel.exact-discrete-map", "--seed", "1", "--json", "--progress", "off"])
    #expect(run.status == 0, "\(run)")
    let rows = try run.output.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    #expect(rows.map { $0["id"] as? String } == ["razin-cohen.norms-diverge#counter", "gidel.exact-discrete-map#counter"])
    #expect(rows.allSatisfy { $0["verdict"] as? String == "failed" && !(($0["counterSetting"] as? String) ?? "").isEmpty })
    let table = try TrainCommandTests.run(["verify", "--counter", "--claim", "R2", "--seed", "1", "--progress", "off"])
    #expect(table.status == 0 && table.output.contains("every counter-setting failed, as it must"), "\(table)")
  }

  @Test func resumeKeepsFinishedClaimsAndRunsTheRest() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-resume-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    // A run killed after its first claim: the file has R2's line, the record says the run is unfinished.
    _ = try TrainCommandTests.run(["verify", "--claim", "razin-cohen.norms-diverge", "--claim", "gissin.depth-sharpens-incremental-learning", "--report", directory])
    let first = try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8).split(separator: "\n")[0]
    try (first + "\n").write(toFile: directory + "/results.jsonl", atomically: true, encoding: .utf8)
    let (status, output, _) = try TrainCommandTests.run(["verify", "--resume", directory])
    #expect(status == 0)
    #expect(output.contains("resuming: 1 claims already"))
    let ids = try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8).split(separator: "\n").compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
    }
    #expect(ids == ["razin-cohen.norms-diverge", "gissin.depth-sharpens-incremental-learning"])
    let page = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
    #expect(page.contains("razin-cohen.norms-diverge") && page.contains("gissin.depth-sharpens-incremental-learning"))
    try "not json\n".write(toFile: directory + "/results.jsonl", atomically: true, encoding: .utf8)
    let corrupt = try TrainCommandTests.run(["verify", "--resume", directory])
    #expect(corrupt.status == 2 && corrupt.error.contains("is not a result line"))
  }

  @Test func aDryRunDoesNotCallWhatItCannotEstimateZero() throws {
    let dry = try TrainCommandTests.run(["verify", "--dry-run", "--claim", "R2", "--claim", "S1"])
    #expect(dry.status == 0 && dry.output.contains("total: not estimated — none of the 2 claims has a cost model"), "\(dry.output)")
    #expect(!dry.output.contains("0.00 core-hours") && !dry.output.contains("about 0.0 s"))
  }

  @Test func badInputIsOneMessageAndExitTwo() throws {
    let unknown = try TrainCommandTests.run(["verify", "--claim", "no.such-claim"])
    #expect(unknown.status == 2 && unknown.error.contains("no claim \"no.such-claim\""))
    let profile = try TrainCommandTests.run(["verify", "--profile", "fast"])
    #expect(profile.status == 2 && profile.error.contains("--profile"))
    let token = try TrainCommandTests.run(["replay", "dmf1.zz.0.AA"])
    #expect(token.status == 2 && token.error.contains("replay token"))
    let foreign = try TrainCommandTests.run(["replay", "dmf1.0000000000000001.0000000000000000."])
    #expect(foreign.status == 2 && foreign.error.contains("no claim"))
  }

  /// The claims the sharding test runs: deterministic and statistical, with a pinned example.
  static let shardedClaims = [
    "razin-cohen.norms-diverge", "cao-qian.stages-over-random-ranks", "arora.depth-3-beats-nuclear-norm",
    "li-luo-lyu.first-escape-direction",
  ]

  /// What must agree between a merged and an unsharded run of a claim (not its timings).
  static func decision(_ line: Substring) throws -> [String] {
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    let result = try #require(object["result"] as? [String: Any])
    let statistics = result["statistics"] as? [String: Any]
    return try [
      object["id"], object["verdict"], object["cases"], object["pHat"], object["measured"], object["token"], object["runSeed"],
      result["casesDiscarded"], result["casesReplayed"], statistics?["logLikelihoodRatio"], statistics?["failingTokens"],
      result["measurements"], result["labels"],
    ].map { value in
      // Nested objects as sorted JSON, so that key order cannot differ.
      guard let value, JSONSerialization.isValidJSONObject(value) else { return "\(value ?? "nil")" }
      return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }
  }

  @Test func fourShardsInSeparateProcessesMergeToTheUnshardedVerdicts() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-shards-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let selection = Self.shardedClaims.flatMap { ["--claim", $0] }
    // The four shards at once, as four processes.
    let shards = try (1 ... 4).map { k in
      let process = Process()
      process.executableURL = TrainCommandTests.executable
      process.arguments = ["verify", "--seed", "7", "--shard", "\(k)/4", "--report", directory + "/parts", "--progress", "off"] + selection
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
    for process in shards { process.waitUntilExit() }
    #expect(shards.allSatisfy { $0.terminationStatus == 0 })
    let files = (1 ... 4).map { "\(directory)/parts/shard-\($0)-of-4.jsonl" }
    let merged = try TrainCommandTests.run(["merge"] + files.reversed() + ["--json", "--report", directory + "/merged", "--progress", "off"])
    let whole = try TrainCommandTests.run(["verify", "--seed", "7", "--json", "--progress", "off"] + selection)
    #expect(merged.status == 0 && whole.status == 0, "\(merged.error)")
    let mergedLines = merged.output.split(separator: "\n"), wholeLines = whole.output.split(separator: "\n")
    #expect(mergedLines.count == Self.shardedClaims.count && wholeLines.count == Self.shardedClaims.count)
    for (a, b) in zip(mergedLines, wholeLines) {
      let (x, y) = (try Self.decision(a), try Self.decision(b))
      #expect(x == y, "merged \(x.enumerated().filter { $0.element != y[$0.offset] }) vs \(y.enumerated().filter { $0.element != x[$0.offset] })")
    }
    #expect(FileManager.default.fileExists(atPath: directory + "/merged/report.html"))
    #expect(try String(contentsOfFile: directory + "/merged/results.jsonl", encoding: .utf8).split(separator: "\n").count == Self.shardedClaims.count)

    // Shards that do not fit together, and files that are not shards: one message, exit 2.
    let missing = try TrainCommandTests.run(["merge"] + files.dropLast())
    #expect(missing.status == 2 && missing.error.contains("shard 4/4 missing"), "\(missing.error)")
    let twice = try TrainCommandTests.run(["merge", files[0], files[0], files[1], files[2]])
    #expect(twice.status == 2 && twice.error.contains("shard 1/4 appears twice"), "\(twice.error)")
    // A shard killed before its end (a Slurm time limit): its record says unfinished and lines are missing.
    let complete = try String(contentsOfFile: files[3], encoding: .utf8)
    let record = directory + "/parts/shard-4-of-4.run.json"
    let finished = try String(contentsOfFile: record, encoding: .utf8)
    try (String(complete.split(separator: "\n")[0]) + "\n").write(toFile: files[3], atomically: true, encoding: .utf8)
    try finished.replacingOccurrences(of: "\"finished\" : true", with: "\"finished\" : false").write(toFile: record, atomically: true, encoding: .utf8)
    let killed = try TrainCommandTests.run(["merge"] + files)
    #expect(killed.status == 2 && killed.error.contains("shard 4 of 4 (\(files[3])) is unfinished: it has no line for 3 of its 4 claims"), "\(killed.error)")
    // The same file cut after its run finished.
    try finished.write(toFile: record, atomically: true, encoding: .utf8)
    let cut = try TrainCommandTests.run(["merge"] + files)
    #expect(cut.status == 2 && cut.error.contains("is unfinished: it has no line for 3 of its 4 claims"), "\(cut.error)")
    try complete.write(toFile: files[3], atomically: true, encoding: .utf8)
    try FileManager.default.removeItem(atPath: record)
    let unrecorded = try TrainCommandTests.run(["merge"] + files)
    #expect(unrecorded.status == 2 && unrecorded.error.contains("has no run record"), "\(unrecorded.error)")
    try finished.write(toFile: record, atomically: true, encoding: .utf8)
    let notShards = try TrainCommandTests.run(["merge", directory + "/merged/results.jsonl"])
    #expect(notShards.status == 2 && notShards.error.contains("not a shard's recorded cases"))
    let absent = try TrainCommandTests.run(["merge", directory + "/none.jsonl"])
    #expect(absent.status == 2 && absent.error.contains("cannot read"))

    // A shard line edited after it was written (here its case budget gets a leading 1; a recorded failure
    // turned into a pass is caught the same way): its line check refuses it.
    let original = try String(contentsOfFile: files[1], encoding: .utf8)
    let edited = original.replacingOccurrences(of: "\"horizon\":", with: "\"horizon\":1")
    #expect(edited != original, "the edit applies")
    try edited.write(toFile: files[1], atomically: true, encoding: .utf8)
    let tampered = try TrainCommandTests.run(["merge"] + files)
    #expect(tampered.status == 2 && tampered.error.contains("shard-2-of-4.jsonl:1 does not match its check"), "\(tampered.error)")
  }

  @Test func claimsRunAtOnceGiveTheVerdictsOfOneAtATime() throws {
    // DMF_PARALLELISM claims at once (each evaluating its cases one at a time until the last ones):
    // the same rows, in the same order, as one claim and one case at a time.
    let selection = Self.shardedClaims.flatMap { ["--claim", $0] }
    let serial = try TrainCommandTests.run(["verify", "--seed", "11", "--json", "--progress", "off"] + selection, environment: ["DMF_PARALLELISM": "1"])
    let wide = try TrainCommandTests.run(["verify", "--seed", "11", "--json", "--progress", "off"] + selection, environment: ["DMF_PARALLELISM": "3"])
    #expect(serial.status == 0 && wide.status == 0, "\(wide.error)")
    let serialLines = serial.output.split(separator: "\n"), wideLines = wide.output.split(separator: "\n")
    #expect(serialLines.count == Self.shardedClaims.count && wideLines.count == Self.shardedClaims.count)
    for (a, b) in zip(serialLines, wideLines) { #expect(try Self.decision(a) == Self.decision(b)) }
    let malformed = try TrainCommandTests.run(["verify", "--seed", "11", "--claim", "R1"], environment: ["DMF_PARALLELISM": "0"])
    #expect(malformed.status == 2 && malformed.error.contains("DMF_PARALLELISM"))
  }

  @Test func shardFlagsAreChecked() throws {
    let noSeed = try TrainCommandTests.run(["verify", "--shard", "1/2", "--report", "/tmp/x"])
    #expect(noSeed.status == 2 && noSeed.error.contains("--shard needs --seed"))
    let outOfRange = try TrainCommandTests.run(["verify", "--shard", "3/2", "--seed", "1", "--report", "/tmp/x"])
    #expect(outOfRange.status == 2 && outOfRange.error.contains("K must lie in 1…2"))
    let noReport = try TrainCommandTests.run(["verify", "--shard", "1/2", "--seed", "1"])
    #expect(noReport.status == 2 && noReport.error.contains("--shard needs --report DIR"))
    let progress = try TrainCommandTests.run(["verify", "--progress", "fancy"])
    #expect(progress.status == 2 && progress.error.contains("--progress"))
  }

  @Test func progressIsALiveLineOrPlainLines() throws {
    let plain = try TrainCommandTests.run(["verify", "--claim", "razin-cohen.norms-diverge", "--progress", "plain"])
    #expect(plain.status == 0)
    #expect(plain.error.contains("R2 razin-cohen.norms-diverge: started"))
    #expect(!plain.error.contains("\u{1B}["))
    // The live line is redrawn in place and cleared before the claim's row.
    let live = try TrainCommandTests.run(["verify", "--claim", "cao-qian.stages-over-random-ranks", "--progress", "live"])
    #expect(live.status == 0)
    #expect(live.error.contains("\r\u{1B}[2KQ2 cao-qian.stages-over-random-ranks: 1 case,"))
    #expect(live.error.contains("SPRT Λ = "))
    #expect(live.error.hasSuffix("\r\u{1B}[2K"))
  }

  @Test func replayRunsExactlyTheTokensCase() throws {
    // The simplest case of R2 (an empty tape), as pinned under Fixtures/counterexamples.
    let pinned = try String(contentsOfFile: "Fixtures/counterexamples/razin-cohen.norms-diverge.tokens", encoding: .utf8)
      .split(separator: "\n").first { $0.hasPrefix("dmf1.") || $0.hasPrefix("dmf2.") }.map(String.init)
    let (status, output, _) = try TrainCommandTests.run(["replay", try #require(pinned)])
    #expect(status == 0)
    #expect(output.contains("1 replayed"))
  }
}

/// `dmf regress` as a user runs it after changing an optimizer.
struct RegressCommandTests {
  @Test func driftExitsOneAndMissingBaselinesExitTwo() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-regress-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: "Fixtures/baselines") {
      try FileManager.default.copyItem(atPath: "Fixtures/baselines/" + name, toPath: directory + "/" + name)
    }
    let clean = try TrainCommandTests.run(["regress", "--quick", "--baselines", directory])
    #expect(clean.status == 0 && clean.output.contains("no drift"))
    // A baseline that no longer matches: the loss of one case changed.
    let path = directory + "/completion-gd-depth3.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(of: "\"value\" : 3000", with: "\"value\" : 2999").write(toFile: path, atomically: true, encoding: .utf8)
    let drift = try TrainCommandTests.run(["regress", "--quick", "--baselines", directory])
    #expect(drift.status == 1 && drift.output.contains("DRIFT") && drift.output.contains("completion-gd-depth3"))
    // The drift names what it may have changed: the claims whose cases train with gradient descent.
    let named = try #require(drift.output.split(separator: "\n").first { $0.contains("completion-gd-depth3 trains with gd: ") })
    #expect(named.contains("R1, R1#counter") && named.contains("A5") && !named.contains("E1"), "\(named)")
    try FileManager.default.removeItem(atPath: path)
    let missing = try TrainCommandTests.run(["regress", "--quick", "--baselines", directory])
    #expect(missing.status == 2 && missing.error.contains("missing baseline"))
  }
}

/// `dmf verify --resume` keeps only what belongs to the run it continues.
struct ResumeFilterTests {
  static func ids(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
    }
  }

  @Test func foreignDuplicateAndCutLinesAreSetAsideAndTheirClaimsRunAgain() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-resume-filter-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/results.jsonl"
    _ = try TrainCommandTests.run(["verify", "--claim", "R2", "--claim", "S1", "--seed", "0x5", "--report", directory])
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    // S1 from a run with another seed (a whole, checked line).
    _ = try TrainCommandTests.run(["verify", "--claim", "S1", "--seed", "0x6", "--report", directory + "/other"])
    let foreign = try String(contentsOfFile: directory + "/other/results.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)[0]
    // S1 edited by hand (its verdict), which its check notices.
    let edited = lines[1].replacingOccurrences(of: "\"verdict\":\"passed\"", with: "\"verdict\":\"failed\"")
    #expect(edited != lines[1], "the edit applies")
    // R2 twice, the foreign and the edited S1, and a line cut in the middle by a crash.
    try ([lines[0], lines[0], foreign, edited].joined(separator: "\n") + "\n" + String(lines[1].prefix(40))).write(toFile: path, atomically: true, encoding: .utf8)
    let resumed = try TrainCommandTests.run(["verify", "--claim", "R2", "--claim", "S1", "--seed", "0x5", "--resume", directory])
    #expect(resumed.status == 0, "\(resumed)")
    #expect(resumed.error.contains("the last line was cut"))
    #expect(resumed.error.contains("moved 4 lines that do not belong to this run to \(directory)/results.set-aside.jsonl"), "\(resumed.error)")
    #expect(resumed.error.contains("razin-cohen.norms-diverge appears twice") && resumed.error.contains("was run with seed 0x6"), "\(resumed.error)")
    #expect(resumed.error.contains("does not match its check: the line was edited"))
    #expect(resumed.output.contains("resuming: 1 claims already"))
    #expect(try Self.ids(path) == ["razin-cohen.norms-diverge", "gissin.depth-sharpens-incremental-learning"])
    // Nothing is lost: the four lines are kept, as they were.
    let kept = try String(contentsOfFile: directory + "/results.set-aside.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(kept == [lines[0], foreign, edited, String(lines[1].prefix(40))])
  }

  /// `path`'s run record with `finished` false and the results file cut to its first `keep` lines:
  /// what a run killed at that point leaves.
  static func interrupt(_ directory: String, keeping keep: Int) throws {
    let path = directory + "/results.jsonl"
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").prefix(keep)
    try lines.map { $0 + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
    let record = try String(contentsOfFile: directory + "/run.json", encoding: .utf8)
    #expect(record.contains("\"finished\" : true"))
    try record.replacingOccurrences(of: "\"finished\" : true", with: "\"finished\" : false").write(toFile: directory + "/run.json", atomically: true, encoding: .utf8)
  }

  @Test func aResumeWithoutFlagsContinuesTheRunsSeedProfileAndClaims() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-resume-seed-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let arguments = ["verify", "--profile", "ci", "--claim", "R1", "--claim", "A4", "--seed", "0x77", "--json", "--progress", "off"]
    let uninterrupted = try TrainCommandTests.run(arguments + ["--report", directory])
    #expect(uninterrupted.status == 0, "\(uninterrupted)")
    try Self.interrupt(directory, keeping: 1)
    // The README's resume, with no flags: the ci profile, seed 0x77 and the two claims are the run's own.
    let resumed = try TrainCommandTests.run(["verify", "--resume", directory, "--json", "--progress", "off"])
    #expect(resumed.status == 0, "\(resumed)")
    #expect(resumed.output.contains("\"runSeed\":\"0000000000000077\"") && resumed.output.contains("\"profile\":\"ci\""), "\(resumed.output)")
    let lines = try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(try lines.map(VerifyCommandTests.decision) == uninterrupted.output.split(separator: "\n").map(VerifyCommandTests.decision))
    #expect(!FileManager.default.fileExists(atPath: directory + "/results.set-aside.jsonl"), "every finished line was kept in place")
    // A flag that contradicts the run is refused before anything is touched.
    try Self.interrupt(directory, keeping: 1)
    let before = try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8)
    for (flags, recorded) in [(["--profile", "quick"], "--profile ci"), (["--seed", "0x2b"], "--seed 0x77"), (["--claim", "R1"], "--claim R1 --claim A4")] {
      let refused = try TrainCommandTests.run(["verify", "--resume", directory] + flags)
      #expect(refused.status == 2 && refused.error.contains("was started with \(recorded); drop \(flags.joined(separator: " "))"), "\(refused)")
    }
    #expect(try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8) == before)
  }

  @Test func crlfLineEndsAndTrailingSpacesReadAsWritten() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-resume-crlf-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(try TrainCommandTests.run(["verify", "--claim", "R2", "--claim", "R1", "--seed", "5", "--report", directory]).status == 0)
    try Self.interrupt(directory, keeping: 1)
    // The file copied through Windows and an editor: CRLF line ends, trailing blanks.
    let path = directory + "/results.jsonl"
    let line = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")[0]
    try (line + "  \t\r\n").write(toFile: path, atomically: true, encoding: .utf8)
    let resumed = try TrainCommandTests.run(["verify", "--resume", directory])
    #expect(resumed.status == 0 && resumed.output.contains("resuming: 1 claims already") && !resumed.error.contains("dmf:"), "\(resumed)")
  }

  @Test func aPaperRunKilledBeforeItsFirstClaimFinishedResumesToTheUninterruptedRun() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-resume-killed-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    // R10, the paper profile's short claim (about 2 s), with a random seed: when it is killed, no
    // result line holds the seed, only the run record.
    let run = try TrainCommandTests.launch(["verify", "--profile", "paper", "--claim", "R10", "--report", directory, "--progress", "off"])
    TrainCommandTests.wait(polls: 400, every: 10_000) { FileManager.default.fileExists(atPath: directory + "/results.jsonl") }
    usleep(300_000)
    kill(run.processIdentifier, SIGKILL)
    run.waitUntilExit()
    #expect(try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8).isEmpty, "killed before R10 finished")
    let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/run.json"))) as? [String: Any])
    // A random seed is in the record; under CI=true each claim's seed derives from its name instead.
    let seed = (record["seed"] as? String).map { ["--seed", "0x" + $0] } ?? []
    #expect(record["finished"] as? Bool == false && record["profile"] as? String == "paper")
    let resumed = try TrainCommandTests.run(["verify", "--resume", directory, "--json", "--progress", "off"])
    #expect(resumed.status == 0, "\(resumed)")
    let uninterrupted = try TrainCommandTests.run(["verify", "--profile", "paper", "--claim", "R10", "--json", "--progress", "off"] + seed)
    #expect(try resumed.output.split(separator: "\n").map(VerifyCommandTests.decision) == uninterrupted.output.split(separator: "\n").map(VerifyCommandTests.decision))
    #expect(resumed.output.split(separator: "\n").count == 1)
  }
}

/// Two runs into one report directory: the second refuses while the first holds the lock.
struct ReportLockTests {
  @Test func aSecondRunIntoTheSameDirectoryRefusesUntilTheFirstEnds() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-lock-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = try TrainCommandTests.launch(["verify", "--claim", "G1", "--seed", "1", "--report", directory, "--progress", "off"])
    TrainCommandTests.wait(polls: 200, every: 50_000) { FileManager.default.fileExists(atPath: directory + "/results.jsonl") }
    let second = try TrainCommandTests.run(["verify", "--claim", "R2", "--seed", "1", "--report", directory])
    #expect(second.status == 2 && second.error.contains("another dmf run is writing"), "\(second)")
    first.terminate()  // SIGTERM: the lock goes with the process
    first.waitUntilExit()
    let third = try TrainCommandTests.run(["verify", "--claim", "R2", "--seed", "1", "--report", directory])
    #expect(third.status == 0, "\(third)")
  }
}

/// A `--resume` while the run is still writing: refused before it reads or rewrites anything.
struct ConcurrentResumeTests {
  @Test func aConcurrentResumeLeavesTheRunningRunsFileIntact() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-concurrent-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = try TrainCommandTests.launch(["verify", "--claim", "R2", "--claim", "G1", "--seed", "0x2a", "--report", directory, "--progress", "off"])
    let path = directory + "/results.jsonl"
    TrainCommandTests.wait(polls: 400, every: 50_000) { !((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").isEmpty }
    let written = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!written.isEmpty && first.isRunning, "R2's line is written while G1 runs")
    let second = try TrainCommandTests.run(["verify", "--resume", directory, "--seed", "0x2b"])
    #expect(second.status == 2 && second.error.contains("another dmf run is writing"), "\(second)")
    #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix(written), "the running run's lines are where they were")
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    #expect(try ResumeFilterTests.ids(path) == ["razin-cohen.norms-diverge", "gunasekar.commuting-limit-is-min-nuclear-norm"])
  }
}

/// A full disk: the write that fails leaves the file with whole lines only, and `--resume` continues.
struct DiskFullTests {
  /// Runs `command` through the shell; its exit status.
  static func shell(_ command: String) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// A small tmpfs can be mounted here (root with CAP_SYS_ADMIN, as on CI's machines).
  static let canMount: Bool = {
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-mount-probe-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { _ = shell("umount '\(probe)' 2>/dev/null; rmdir '\(probe)'") }
    return shell("mkdir -p '\(probe)' && mount -t tmpfs -o size=16k tmpfs '\(probe)'") == 0
  }()

  @Test(.enabled(if: canMount, "needs to mount a small tmpfs"))
  func aFullDiskLeavesWholeLinesAndResumeFinishesTheRun() throws {
    let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-full-\(ProcessInfo.processInfo.processIdentifier)").path
    #expect(Self.shell("mkdir -p '\(mountPoint)' && mount -t tmpfs -o size=1024k tmpfs '\(mountPoint)' && dd if=/dev/zero of='\(mountPoint)/fill' bs=1k count=1016") == 0)
    defer { _ = Self.shell("umount '\(mountPoint)'; rmdir '\(mountPoint)'") }
    let directory = mountPoint + "/report"
    // Two 4 KiB pages free: one for the run record (run.json), one where the first few result lines
    // (about 1 KB each) fit and the rest do not;
    // report.html (about 350 KB) is written once the space is back.
    let arguments = ["verify", "--claim", "razin-cohen.*", "--seed", "1", "--progress", "off"]
    let full = try TrainCommandTests.run(arguments + ["--report", directory])
    #expect(full.status == 2 && full.error.contains("cannot write") && full.error.contains("--resume continues"), "\(full)")
    let written = try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8)
    #expect(written.hasSuffix("\n") && written.split(separator: "\n").allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    try FileManager.default.removeItem(atPath: mountPoint + "/fill")
    let resumed = try TrainCommandTests.run(arguments + ["--resume", directory])
    #expect(resumed.status == 0, "\(resumed)")
    let reference = try TrainCommandTests.run(arguments + ["--json"])
    let lines = try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8).split(separator: "\n")
    let expected = reference.output.split(separator: "\n")
    #expect(try lines.map(VerifyCommandTests.decision) == expected.map(VerifyCommandTests.decision))
  }
}

/// The README's Slurm job array, run as written on a one-node cluster started from Debian's packages
/// (`.ci/slurm-array.sh`): the merged results must equal the unsharded run's. Skipped, with a note,
/// where no cluster can be started (not root, no packages and none installable).
struct SlurmArrayTests {
  @Test func theReadmesJobArrayAndItsMergeEqualTheUnshardedRun() throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [repository.appendingPathComponent(".ci/slurm-array.sh").path]
    var environment = ProcessInfo.processInfo.environment
    environment["DMF_BINARY"] = TrainCommandTests.executable.path
    process.environment = environment
    // Output to a file, not a pipe: a daemon that kept the pipe open would hold the test until it exits.
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-slurm-\(ProcessInfo.processInfo.processIdentifier).log")
    try #require(FileManager.default.createFile(atPath: log.path, contents: nil))
    defer { try? FileManager.default.removeItem(at: log) }
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    let text = try String(contentsOf: log, encoding: .utf8)
    if process.terminationStatus == 77 {
      print("SlurmArrayTests: skipped, no cluster here: \(text.split(separator: "\n").last ?? "")")
      return
    }
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(text.contains("merged results of 6 claims equal the unsharded run's"), "\(text)")
  }
}
