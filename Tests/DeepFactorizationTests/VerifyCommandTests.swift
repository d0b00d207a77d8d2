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

  @Test func resumeKeepsFinishedClaimsAndRunsTheRest() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-resume-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    _ = try TrainCommandTests.run(["verify", "--claim", "razin-cohen.norms-diverge", "--report", directory])
    let (status, output, _) = try TrainCommandTests.run(
      ["verify", "--claim", "razin-cohen.norms-diverge", "--claim", "gissin.depth-sharpens-incremental-learning", "--resume", directory])
    #expect(status == 0)
    #expect(output.contains("resuming: 1 claims already"))
    let ids = try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8).split(separator: "\n").compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
    }
    #expect(ids == ["razin-cohen.norms-diverge", "gissin.depth-sharpens-incremental-learning"])
    try "not json\n".write(toFile: directory + "/results.jsonl", atomically: true, encoding: .utf8)
    let corrupt = try TrainCommandTests.run(["verify", "--resume", directory])
    #expect(corrupt.status == 2 && corrupt.error.contains("is not a result line"))
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

  @Test func replayRunsExactlyTheTokensCase() throws {
    // The simplest case of R2 (an empty tape), as pinned under Fixtures/counterexamples.
    let pinned = try String(contentsOfFile: "Fixtures/counterexamples/razin-cohen.norms-diverge.tokens", encoding: .utf8)
      .split(separator: "\n").first { $0.hasPrefix("dmf1.") }.map(String.init)
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
    try text.replacingOccurrences(of: "\"steps\" : 3000", with: "\"steps\" : 2999").write(toFile: path, atomically: true, encoding: .utf8)
    let drift = try TrainCommandTests.run(["regress", "--quick", "--baselines", directory])
    #expect(drift.status == 1 && drift.output.contains("DRIFT") && drift.output.contains("completion-gd-depth3"))
    try FileManager.default.removeItem(atPath: path)
    let missing = try TrainCommandTests.run(["regress", "--quick", "--baselines", directory])
    #expect(missing.status == 2 && missing.error.contains("missing baseline"))
  }
}
