import Foundation
import Problems
import Testing

/// `dmf baseline FILE`: the minimum nuclear norm and minimum Frobenius norm solutions a claim compares
/// with, from the same problem file `dmf train` reads.
struct BaselineCommandTests {
  static func solutions(_ file: String, name: String) throws -> (nuclear: [String: Any], frobenius: [String: Any]) {
    let path = try TrainCommandTests.write(file, name: name)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = try TrainCommandTests.run(["baseline", path, "--json"])
    #expect(run.status == 0, "\(run)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String: Any]])
    return (try #require(object["minimumNuclearNorm"]), try #require(object["minimumFrobeniusNorm"]))
  }

  @Test func theRazinCohenProblemsBaselinesPutZeroInTheMissingEntry() throws {
    // (? 1; 1 0): ‖(x 1; 1 0)‖_* = √(x² + 4), least at x = 0 (nuclear norm 2); the minimum
    // Frobenius norm solution puts 0 there too.
    let (nuclear, frobenius) = try Self.solutions(ProblemFile.example, name: "baseline-rc")
    #expect(abs((nuclear["nuclearNorm"] as? Double ?? .nan) - 2) <= 1e-6)
    let x = try #require(nuclear["x"] as? [[Double]])
    #expect(abs(x[0][0]) <= 1e-6 && abs(x[0][1] - 1) <= 1e-6)
    #expect(abs((frobenius["frobeniusNorm"] as? Double ?? .nan) - 2.0.squareRoot()) <= 1e-12)
  }

  @Test func aRankOneCompletionIsRecoveredByNuclearNormAndNotByFrobenius() throws {
    // The 3×3 all-ones matrix with (0, 0) and (2, 2) unobserved: every row and column keeps an
    // entry, so minimum nuclear norm recovers it (‖X‖_* = 3); minimum Frobenius leaves zeros there.
    let file = """
      {"target": [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
       "observations": {"kind": "entries", "entries": [[0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1]]},
       "model": {"depth": 2}, "initialization": {"kind": "gaussian", "scale": 0.001, "seed": 1}, "loss": "half-sum",
       "optimizer": {"kind": "gd", "learningRate": 0.1}, "stop": {"maxSteps": 10}, "record": {"every": 10}}
      """
    let (nuclear, frobenius) = try Self.solutions(file, name: "baseline-ones")
    #expect(abs((nuclear["nuclearNorm"] as? Double ?? .nan) - 3) <= 1e-4, "\(nuclear)")
    let nuclearError = try #require(nuclear["targetError"] as? [String: Any]), frobeniusError = try #require(frobenius["targetError"] as? [String: Any])
    #expect((nuclearError["frobenius"] as? Double ?? .nan) <= 1e-4)
    #expect(abs((frobeniusError["unobservedFrobenius"] as? Double ?? .nan) - 2.0.squareRoot()) <= 1e-12 && frobeniusError["unobservedCount"] as? Int == 2)
  }

  @Test func aTensorProblemIsRefusedWithOneMessage() throws {
    let path = try TrainCommandTests.write(#"{"tensor": {"dimensions": [2, 2, 2]}}"#, name: "baseline-tensor")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = try TrainCommandTests.run(["baseline", path])
    #expect(run.status == 2 && run.error.contains("a tensor problem") && run.error.split(separator: "\n").count == 1, "\(run)")
  }
}
