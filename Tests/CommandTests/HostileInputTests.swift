import Foundation
import Testing

/// One case of the hostile-input corpus (`Fixtures/hostile/*-cases.json`).
struct HostileCase: Decodable, Sendable, CustomTestStringConvertible {
  var name: String
  /// `dmf`'s arguments; `{problems}`, `{shards}` and `{tmp}` stand for the corpus's directories and
  /// a fresh temporary directory.
  var arguments: [String]
  /// The exit code `dmf` must give.
  var exit: Int32
  /// Text the output must contain (for an error: the field, flag or file it names).
  var message: String
  /// Variables added to the environment.
  var environment: [String: String]?

  var testDescription: String { name }
}

/// The hostile-input corpus, run through the built `dmf`: every case ends with its stated exit code
/// and a message naming what is wrong — one line for bad input (ArgumentParser's usage errors add
/// the usage) — within 60 s and 4 GB of address space, with no crash.
struct HostileInputTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/hostile").path

  static func cases(_ file: String) -> [HostileCase] {
    guard let data = FileManager.default.contents(atPath: directory + "/" + file) else { return [] }
    return (try? JSONDecoder().decode([HostileCase].self, from: data)) ?? []
  }

  static let problemCases = cases("problem-cases.json")
  static let commandCases = cases("command-cases.json")

  @Test func theCorpusHasItsCases() {
    #expect(Self.problemCases.count >= 60, "problem files")
    #expect(Self.commandCases.count >= 40, "flags, tokens, shards and merge inputs")
  }

  @Test(arguments: problemCases)
  func problemFile(_ hostile: HostileCase) throws {
    try Self.check(hostile)
  }

  @Test(arguments: commandCases)
  func commandLine(_ hostile: HostileCase) throws {
    try Self.check(hostile)
  }

  static func check(_ hostile: HostileCase) throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-hostile-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let arguments = hostile.arguments.map {
      $0.replacingOccurrences(of: "{problems}", with: directory + "/problems")
        .replacingOccurrences(of: "{shards}", with: directory + "/shards")
        .replacingOccurrences(of: "{tmp}", with: scratch)
    }
    // Bounded: `timeout` kills the run after 60 s (exit 137), `ulimit -v` makes a runaway allocation fail.
    let bounded = ["-c", "ulimit -v 4000000 && exec timeout -s KILL 60 \"$@\"", "sh", TrainCommandTests.executable.path] + arguments
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = bounded
    if let extra = hostile.environment {
      process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    }
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let status = process.terminationStatus
    #expect(process.terminationReason == .exit && status < 128, "\(hostile.name): killed or crashed (status \(status)): \(err)")
    #expect(status == hostile.exit, "\(hostile.name): exit \(status), expected \(hostile.exit): \(err)")
    #expect((out + err).contains(hostile.message), "\(hostile.name): the output does not say \"\(hostile.message)\": \(err)")
    if hostile.exit == 2 && !err.contains("Usage:") {
      #expect(err.split(separator: "\n").count == 1, "\(hostile.name): one line, got \(err)")
    }
  }
}
