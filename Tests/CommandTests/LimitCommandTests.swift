import Foundation
import Testing

/// `dmf limit` and `dmf frontier` as a user runs them: lines written as they are decided, a report.
struct LimitCommandTests {
  @Test func aLimitWritesEachRungThenItsVerdictAndAReport() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-limit-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let run = try TrainCommandTests.run(["limit", "BZ1", "--json", "--report", directory])
    #expect(run.status == 0, "\(run.error)")
    let lines = run.output.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    #expect(lines.count == 5 && lines.allSatisfy { $0 != nil })
    #expect(lines.prefix(4).allSatisfy { $0?["rung"] != nil }, "one line a rung")
    let verdict = try #require(lines.last??["verdict"] as? [String: Any])
    #expect(verdict["outcome"] as? String == "holds in the limit")
    // The same lines in results.jsonl, and the figure with its data.
    let written = try String(contentsOfFile: directory + "/results.jsonl", encoding: .utf8)
    #expect(written == run.output)
    let html = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("figures/bai-zhao-zhang.disconnected-minimum-nuclear-norm-limit.csv"))
    #expect(FileManager.default.fileExists(atPath: directory + "/figures/bai-zhao-zhang.disconnected-minimum-nuclear-norm-limit.csv"))
  }

  @Test func theFrontierOfEO1BracketsTheEdgeOfStability() throws {
    let run = try TrainCommandTests.run(["frontier", "EO1", "--vary", "step-factor=0.9...1.1", "--tolerance", "0.005", "--json"])
    #expect(run.status == 0, "\(run.error)")
    let last = try #require(run.output.split(separator: "\n").last)
    let line = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    let frontier = try #require(line["frontier"] as? [String: Any])
    let bracket = try #require(frontier["bracket"] as? [Double])
    // η* = 2/(Lσ₁^{2−2/L}) is step-factor 1: the bracket holds it, within the tolerance.
    #expect(bracket[0] <= 1.0 && 1.0 <= bracket[1] + 0.005 && bracket[1] - bracket[0] <= 0.005 * 1.1 + 1e-12, "\(bracket)")
    #expect(frontier["holdsBelow"] as? Bool == false)
  }
}
