import ArgumentParser
import Foundation
import PropertyTesting

/// The parameters of a `dmf verify --report DIR` run, written beside its results file when the run
/// starts (`DIR/run.json`, or `DIR/shard-K-of-N.run.json`) and marked finished when it ends: `--resume`
/// adopts them, so that a run killed before its first claim finished continues with its own seed,
/// profile and claims, and `dmf merge` refuses a shard whose run did not finish.
struct RunRecord: Codable, Equatable {
  /// The run seed, or nil when each claim's seed derives from its name (`CI=true`).
  var seed: RunSeed?
  /// Where the seed came from (a random one is kept so that the resumed part draws the same cases).
  var seedSource: SeedSource
  /// The profile.
  var profile: Profile
  /// The `--claim` arguments as given (empty: every claim of the profile).
  var claims: [String]
  /// The ids of the claims the run selected, in order.
  var selected: [String]
  /// The sensitivity check, as `--sensitivity` reads it (nil: the profile's default).
  var sensitivity: String?
  /// `K/N` for a shard.
  var shard: String?
  /// Whether the run reached its end (every selected claim has its line).
  var finished: Bool

  /// `off`, `all` or a count, as `--sensitivity` takes it; nil for the profile's default.
  static func text(_ check: SensitivityCheck?) -> String? {
    check.map { $0.cases.map { $0 == 0 ? "off" : String($0) } ?? "all" }
  }

  /// `DIR/results.set-aside.jsonl` (or `DIR/shard-K-of-N.set-aside.jsonl`): where `--resume` keeps the
  /// lines that do not belong to the run it continues.
  static func setAsidePath(directory: String, resultsFileName: String) -> String {
    directory + "/" + stem(resultsFileName) + ".set-aside.jsonl"
  }

  /// `results` of `results.jsonl`, `shard-1-of-4` of `shard-1-of-4.jsonl`.
  private static func stem(_ resultsFileName: String) -> String {
    resultsFileName.hasSuffix(".jsonl") ? String(resultsFileName.dropLast(".jsonl".count)) : resultsFileName
  }

  /// `DIR/run.json` for `results.jsonl`, `DIR/shard-K-of-N.run.json` for a shard's file.
  static func path(directory: String, resultsFileName: String) -> String {
    let stem = stem(resultsFileName)
    return directory + "/" + (stem == "results" ? "run" : stem + ".run") + ".json"
  }

  /// The record at `path`, nil when there is none (a directory written by an older build), or a
  /// message naming the file when it cannot be read.
  static func read(_ path: String, option: String) throws -> RunRecord? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    guard let data = FileManager.default.contents(atPath: path) else { throw Verify.failInput("\(option): cannot read \(path)") }
    do {
      return try JSONDecoder().decode(RunRecord.self, from: data)
    } catch {
      throw Verify.failInput("\(option): \(path) is not the run record of dmf verify (\(error)); it holds the run's seed, profile and claims")
    }
  }

  /// Writes the record whole (a temporary file renamed over it), or says why it could not.
  func write(to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let temporary = path + ".partial"
    do {
      try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: temporary))
      guard Foundation.rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw Verify.failInput("--report: cannot write \(path) (\(PathProblem.writing(path, error)))")
    }
  }
}
