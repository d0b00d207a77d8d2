import ArgumentParser
import Foundation
import ClaimKit
import Properties
import PropertyTesting

/// `dmf merge FILES...`: combines the results files of `dmf verify --shard K/N` into the verdicts
/// one unsharded run would have given.
struct Merge: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Merge the shards of a sharded dmf verify run: the same verdicts as one unsharded run.",
    discussion: "Each claim's recorded cases are replayed in case-index order through the same decisions as dmf verify (the SPRT, the first failing case and its shrinking, the health checks). Explicit and pinned examples and the failure database run here, as in an unsharded run; a case no shard recorded is run here too."
  )

  @Argument(help: "The shard files (DIR/shard-K-of-N.jsonl), all N of them, in any order.")
  var files: [String]

  @Option(help: "Directory for results.jsonl and report.html (created if missing).")
  var report: String?

  @OptionGroup var output: VerdictOptions


  func run() async throws {
    try ClaimSelection.requireValidCatalogue()
    var session = output.session()
    let json = output.json
    guard !files.isEmpty else { throw Self.failInput("merge: name the shard files (DIR/shard-K-of-N.jsonl)") }

    // Every claim's lines, in the order the claims first appear.
    var order: [String] = []
    var lines: [String: [(file: String, line: ResultLine)]] = [:]  // looked up by claim id; output follows `order`
    var read: [(file: String, lines: [ResultLine])] = []
    for file in files {
      let fileLines = try ResultsFile.read(file, option: "merge")
      for line in fileLines {
        guard line.result.recorded != nil || line.result.verdict == .unhealthy else {
          throw Self.failInput("merge: \(file): \(line.id) has the verdict \"\(line.result.verdict.rawValue)\", not a shard's recorded cases; merge takes the files of dmf verify --shard K/N")
        }
        if lines[line.id] == nil { order.append(line.id) }
        lines[line.id, default: []].append((file, line))
      }
      read.append((file, fileLines))
    }
    guard !order.isEmpty else { throw Self.failInput("merge: the files hold no results") }
    // Whether the shards fit together (1…N, each once) is ShardedCases' check, claim by claim, below.
    for (file, fileLines) in read { try Self.requireFinished(file, lines: fileLines) }

    var plan: [(Claim, PropertyRunner)] = []
    var kernels: [String] = []
    for id in order {
      guard let claim = Catalog.claim(id: id) else { throw Self.failInput("merge: no claim \"\(id)\" in this build's catalogue") }
      let parts = lines[id] ?? []
      let first = parts[0].line.result
      for (file, line) in parts {
        guard line.result.runSeed == first.runSeed, line.result.seedSource == first.seedSource else {
          throw Self.failInput("merge: \(id): \(file) ran with seed \(line.result.runSeed), \(parts[0].file) with \(first.runSeed); shards must share --seed")
        }
        guard line.result.profile == first.profile else {
          throw Self.failInput("merge: \(id): \(file) ran the \(line.result.profile.rawValue) profile, \(parts[0].file) the \(first.profile.rawValue) profile")
        }
        if let kernel = line.openblas, !kernels.contains(kernel) { kernels.append(kernel) }
      }
      var configuration = RunConfiguration(profile: first.profile)
      switch first.seedSource {
      case .derivedFromName: configuration.isCI = true
      case .explicit, .random: configuration.seed = first.runSeed.value
      }
      // Shards run with an explicit seed, and a run with an explicit seed consults no failure
      // database (so that it repeats exactly); the merge decides as that run would.
      configuration.database = nil
      configuration.pinnedDirectory = Catalog.pinnedDirectory
      var runner = PropertyRunner(configuration: configuration)
      let recorded = parts.compactMap(\.line.result.recorded)
      if !recorded.isEmpty {
        do {
          runner.merged = try ShardedCases(merging: recorded)
        } catch {
          throw Self.failInput("merge: \(error)")
        }
      }
      plan.append((claim, runner))
    }
    if kernels.count > 1 {
      var standardError = StandardError()
      print("dmf: warning: the shards ran on different OpenBLAS kernels (\(kernels.joined(separator: "; "))); last-bit differences can change a borderline case", to: &standardError)
    }

    if let report { session.results = try ResultsFile(directory: report, name: "results.jsonl", resuming: false) }
    if !json {
      let shards = plan.compactMap { $0.1.merged?.shardCount }.first.map { "\($0) shards" } ?? "shards"
      print("merging \(shards) from \(files.count) files, \(plan.count) claims")
      print(VerdictRow.header)
    }
    for (claim, runner) in plan {
      try await session.run(claim, with: runner)
    }
    try session.finish(reportDirectory: report)
  }

  /// Refuses a shard file whose run did not finish, by the run record `dmf verify --shard` writes
  /// beside it, or that lacks a line for a claim the run selected: a shard killed by a time limit (or
  /// a file cut short), named with what is missing.
  static func requireFinished(_ file: String, lines: [ResultLine]) throws {
    let url = URL(fileURLWithPath: file)
    let recordPath = RunRecord.path(directory: url.deletingLastPathComponent().path, resultsFileName: url.lastPathComponent)
    guard let record = try RunRecord.read(recordPath, option: "merge") else {
      throw failInput("merge: \(file) has no run record \(recordPath) (dmf verify --shard writes it when the shard starts), so merge cannot tell whether the shard finished; run the shard again with this build")
    }
    guard let shard = record.shard, let parsed = try? parseShard(shard) else {
      throw failInput("merge: \(file): its run record \(recordPath) is not a shard's (dmf verify --shard K/N writes one)")
    }
    let present = Set(lines.map(\.id))  // membership only
    let missing = record.selected.filter { !present.contains($0) }
    guard record.finished, missing.isEmpty else {
      let what = missing.isEmpty ? "its run did not reach its end" : "it has no line for \(missing.count) of its \(record.selected.count) claims (\(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", …" : ""))"
      throw failInput("merge: shard \(parsed.index) of \(parsed.count) (\(file)) is unfinished: \(what); continue it with dmf verify --resume \(url.deletingLastPathComponent().path) --shard \(shard)")
    }
  }
}
