import Foundation
import Testing

/// A ladder run in shards and merged gives the unsharded run's lines, bit for bit.
struct LimitShardTests {
  @Test func shardsMergeToTheUnshardedRun() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-limit-shards-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    for k in 1 ... 3 {
      let shard = try TrainCommandTests.run(["limit", "BZ1", "--shard", "\(k)/3", "--report", base + "/\(k)", "--json"])
      #expect(shard.status == 0, "\(shard.error)")
    }
    let merged = try TrainCommandTests.run(["limit", "BZ1", "--merge", base + "/3", base + "/1", base + "/2", "--json"])
    let whole = try TrainCommandTests.run(["limit", "BZ1", "--json"])
    #expect(merged.status == 0 && whole.status == 0, "\(merged.error)")
    #expect(merged.output == whole.output)
    // A shard missing: bad input naming the rungs.
    let partial = try TrainCommandTests.run(["limit", "BZ1", "--merge", base + "/1"])
    #expect(partial.status == 2 && partial.error.contains("no shard has the rungs") && partial.output.isEmpty)
  }
}
