import Foundation
import Testing

/// `dmf calibrate` as a researcher runs it: a record written with --write, the same again from the
/// same master seed, and a table that names each threshold.
struct CalibrateCommandTests {
  @Test func theSameMasterSeedWritesTheSameRecord() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-calibrate-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    var records: [Data] = []
    for _ in 0 ..< 2 {
      let run = try TrainCommandTests.run(["calibrate", "A1", "--cases", "20", "--seed", "0x1", "--write", "--output", directory.path])
      #expect(run.status == 0, "\(run.error)")
      #expect(run.output.contains("relative-error [0, 1.00e-05]: n=20, outside 0") && run.output.contains("run verdicts: 2 passed"), "\(run.output)")
      #expect(run.output.contains("counter-setting") && run.output.contains("run verdicts: 2 failed"), "\(run.output)")
      records.append(try Data(contentsOf: directory.appendingPathComponent("A1.json")))
    }
    // Everything but the per-case timings repeats: the record is a function of the master seed.
    func withoutTimings(_ data: Data) throws -> [String] {
      String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !$0.contains("meanSecondsPerCase") }.map(String.init)
    }
    #expect(try withoutTimings(records[0]) == withoutTimings(records[1]))
    let record = try #require(try JSONSerialization.jsonObject(with: records[0]) as? [String: Any])
    #expect(record["code"] as? String == "A1" && (record["sides"] as? [Any])?.count == 2)
    // The record keeps the seed it was given, so --seed with it repeats the record.
    let sides = try #require(record["sides"] as? [[String: Any]])
    #expect(sides.allSatisfy { $0["masterSeed"] as? String == "0x1" })
  }
}
