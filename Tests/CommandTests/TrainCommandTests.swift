import Foundation
import Problems
import Testing

/// `dmf train` as a user runs it: the built executable, its output and its exit codes.
struct TrainCommandTests {
  static var executable: URL {
    // The test bundle sits in the build products directory, next to the dmf executable.
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dmf")
  }

  /// Runs `dmf` with `arguments`; `environment` replaces variables of this process's environment
  /// (a nil value removes one).
  static func run(_ arguments: [String], environment: [String: String?] = [:]) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if !environment.isEmpty {
      var merged = ProcessInfo.processInfo.environment
      for (name, value) in environment { merged[name] = value }
      process.environment = merged
    }
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
  }

  /// Starts `dmf` with `arguments` in the background (its output discarded), for tests that act on a
  /// run while it runs.
  static func launch(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Polls `condition` every `interval` µs, at most `polls` times; whether it became true.
  @discardableResult
  static func wait(polls: Int, every interval: useconds_t, until condition: () -> Bool) -> Bool {
    for _ in 0 ..< polls {
      if condition() { return true }
      usleep(interval)
    }
    return condition()
  }

  static func write(_ text: String, name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-\(ProcessInfo.processInfo.processIdentifier)-\(name).json").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func jsonOutputHasTheDocumentedFields() throws {
    let path = try Self.write(ProblemFile.example, name: "good")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (status, output, _) = try Self.run(["train", path, "--json"])
    #expect(status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    #expect(Set(object.keys).isSuperset(of: ["status", "steps", "loss", "product", "trajectory"]))
    let trajectory = try #require(object["trajectory"] as? [[String: Any]])
    #expect((trajectory.first?["step"] as? Int) == 0)
    #expect(Set(trajectory[0].keys).isSuperset(of: ["step", "loss", "singularValues", "effectiveRank"]))
    #expect((object["product"] as? [[Double]])?.count == 2)
    // The error against the target (0 1; 1 0), recomputed from the product; (0, 0) is unobserved.
    let product = try #require(object["product"] as? [[Double]])
    let error = try #require(object["targetError"] as? [String: Any])
    let expected = (pow(product[0][0], 2) + pow(product[0][1] - 1, 2) + pow(product[1][0] - 1, 2) + pow(product[1][1], 2)).squareRoot()
    #expect(abs((error["frobenius"] as? Double ?? .nan) - expected) <= 1e-12 * max(1, expected))
    #expect(abs((error["unobservedFrobenius"] as? Double ?? .nan) - abs(product[0][0])) <= 1e-12 * max(1, abs(product[0][0])))
    #expect(error["unobservedCount"] as? Int == 1)
    let text = try Self.run(["train", path])
    #expect(text.output.contains("error against the target: ‖W − T‖_F = ") && text.output.contains("on the 1 unobserved entry"))
  }

  @Test func badInputExitsWithTwoAndOneLine() throws {
    let path = try Self.write(ProblemFile.example.replacingOccurrences(of: "[1, 1]]", with: "[5, 0]]"), name: "bad")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (status, output, error) = try Self.run(["train", path])
    #expect(status == 2)
    #expect(output.isEmpty)
    #expect(error.contains("observations.entries[2]: (5, 0) is outside the 2×2 target"))
    #expect(error.split(separator: "\n").count == 1)
    let missing = try Self.run(["train", "/nonexistent/problem.json"])
    #expect(missing.status == 2 && missing.error.contains("cannot read"))
  }

  @Test func divergenceIsAReportedOutcome() throws {
    let path = try Self.write(ProblemFile.example.replacingOccurrences(of: "\"learningRate\": 0.02", with: "\"learningRate\": 50").replacingOccurrences(of: "0.001}", with: "1}"), name: "diverge")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (status, output, _) = try Self.run(["train", path, "--json"])
    #expect(status == 3)
    #expect(output.contains("\"status\":\"diverged\""))
  }
}
