import ArgumentParser
import Foundation
import LinearAlgebra
import Properties
import PropertyTesting

/// `dmf verify`: runs the claims and prints a verdict table.
struct Verify: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Verify the papers' claims: one verdict row per claim, exit 0 only if none fails.",
    discussion: "Profiles: quick (seconds per claim), ci (fixed seeds, more cases), full (the papers' statistics at the analogues' scale), paper (the papers' experiments at their original scale: A8, A10, TF4, …; see --dry-run). With --report DIR, results.jsonl gets one line per claim as it finishes."
  )

  @Option(help: "quick, ci, full or paper.")
  var profile: String = "quick"

  @Option(name: .customLong("claim"), help: "Run only the claims this id, code (L2) or pattern (razin-cohen.*) names (repeatable); default: every claim of the profile.")
  var claims: [String] = []

  @Option(parsing: .unconditional, help: "The run seed (decimal or 0x-hexadecimal); default: random, printed.")
  var seed: String?

  @Option(help: "Directory for results.jsonl (created if missing).")
  var report: String?

  @Option(help: "Generated cases per claim re-run under a rounding-level perturbation (1e-12 relative on the initial factors), compared with the first run: off, all, or a count. Default: 3 in quick, all in ci and full, 2 in paper.")
  var sensitivity: String?

  @Flag(help: "Consult no failure database (.pbt); --seed does not consult it either, so that the run repeats exactly.")
  var noDatabase = false

  @Flag(help: "Train nothing: list the claims' runs (cases, steps), time a short calibration of each setting's engine, and estimate the core-hours, on one core and on the cores given to the run (--shard K/N: that shard's part).")
  var dryRun = false

  @OptionGroup var output: VerdictOptions

  @Option(help: "Continue a killed run: skip the claims already in DIR/results.jsonl (or DIR/shard-K-of-N.jsonl) and append the rest.")
  var resume: String?

  @Option(help: "Run only shard K of N (1 ≤ K ≤ N): every claim's cases with index ≡ K−1 mod N, recorded in DIR/shard-K-of-N.jsonl for dmf merge. Needs --seed and --report DIR.")
  var shard: String?

  func run() async throws {
    guard let chosenProfile = Profile(rawValue: profile) else {
      throw Self.failInput("--profile: \"\(profile)\" is not a profile (quick, ci, full, paper)")
    }
    var session = try output.session()
    let json = output.json
    var configuration = RunConfiguration(profile: chosenProfile)
    // Cases, and claims, evaluated at once (verdicts do not depend on it).
    do {
      if let width = try RunConfiguration.parallelism() { configuration.parallelism = width }
    } catch {
      throw Self.failInput("\(error)")
    }
    if let seed {
      guard let parsed = RunConfiguration.parseSeed(seed) else { throw Self.failInput("--seed: \"\(seed)\" is not a 64-bit seed") }
      configuration.seed = parsed
    }
    if let sensitivity {
      guard let check = SensitivityCheck(parsing: sensitivity) else {
        throw Self.failInput("--sensitivity: \"\(sensitivity)\" is not off, all or a case count")
      }
      configuration.sensitivity = check
    }
    // The failure database replays earlier failures first: useful for random runs, but a run with an
    // explicit seed must repeat exactly, so it does not consult one (nor with --no-database or DMF_DATABASE=off).
    let databaseSetting = ProcessInfo.processInfo.environment["DMF_DATABASE"]
    if !noDatabase && configuration.seed == nil && databaseSetting != "off" {
      configuration.database = FailureDatabase(directory: databaseSetting.flatMap { $0.isEmpty ? nil : $0 } ?? ".pbt")
    }
    configuration.pinnedDirectory = Catalog.pinnedDirectory
    var selected = try ClaimSelection.resolve(claims, profile: chosenProfile)  // narrowed by --resume below
    if dryRun {
      var part: Shard?
      if let shard {
        do { part = try Shard(parsing: shard) } catch { throw Self.failInput("--shard: \(error)") }
      }
      try DryRun.print(selected, configuration: configuration, shard: part)
      return
    }
    if resume != nil && report != nil && resume != report {
      throw Self.failInput("--resume and --report name different directories")
    }
    var fileName = "results.jsonl"
    if let shard {
      let parsed: Shard
      do {
        parsed = try Shard(parsing: shard)
      } catch {
        throw Self.failInput("--shard: \(error)")
      }
      fileName = "shard-\(parsed.index)-of-\(parsed.count).jsonl"
      guard configuration.seed != nil else {
        throw Self.failInput("--shard needs --seed S, the same in every shard (otherwise each shard draws its own cases)")
      }
      guard resume ?? report != nil else { throw Self.failInput("--shard needs --report DIR: the shard writes DIR/\(fileName)") }
      configuration.shard = parsed
      // A shard consults no failure database: cluster nodes do not share one, and the merge replays it.
      configuration.database = nil
    }
    if let directory = resume ?? report {
      if resume != nil {
        // Finished claims of this run are kept, never repeated; a corrupt line stops the run before
        // anything runs; lines that do not belong to this run are set aside (and the claim runs again).
        let path = directory + "/" + fileName
        let (lines, cutLastLine) = try ResultsFile.readForResume(path)
        if configuration.seed == nil, let first = lines.first(where: { $0.check == .matches })?.line.result, first.seedSource != .derivedFromName,
          let adopted = UInt64(first.runSeed, radix: 16)
        {
          configuration.seed = adopted  // the interrupted run's seed: the resumed part belongs to the same run
          configuration.database = nil
        }
        var done: [ResultLine] = [], kept: [String] = [], setAside: [String] = []
        for (number, (text, line, check)) in lines.enumerated() {
          let result = line.result
          let reason: String? =
            if let problem = check.problem { "line \(number + 1) (\(line.id)) \(problem)" }
            else if Catalog.claim(id: line.id) == nil { "\(line.id) is not a claim of this catalogue" }
            else if result.profile != chosenProfile { "\(line.id) was run in profile \(result.profile.rawValue)" }
            else if let seed = configuration.seed, result.seedSource != .derivedFromName, UInt64(result.runSeed, radix: 16) != seed {
              "\(line.id) was run with seed 0x\(result.runSeed)"
            } else if result.verdict == .partial && configuration.shard == nil { "\(line.id) is a shard's record (dmf merge decides it)" }
            else if done.contains(where: { $0.id == line.id }) { "\(line.id) appears twice" }
            else { nil }
          if let reason { setAside.append(reason) } else { done.append(line); kept.append(text) }
        }
        var standardError = StandardError()
        if cutLastLine { print("dmf: --resume: the last line of \(path) was cut (a crash or a full disk); its claim runs again", to: &standardError) }
        if !setAside.isEmpty {
          print("dmf: --resume: set aside \(setAside.count) line\(setAside.count == 1 ? "" : "s") that do not belong to this run (\(setAside.joined(separator: "; "))); those claims run again", to: &standardError)
        }
        if cutLastLine || !setAside.isEmpty { try ResultsFile.rewrite(path, lines: kept) }
        let before = selected.count
        selected.removeAll { claim in done.contains { $0.id == claim.id } }
        session.failures = done.filter { session.counts($0.result.verdict) }.count
        // The page covers the whole run, the claims finished before the interruption too.
        session.rows = done.compactMap { line in Catalog.claim(id: line.id).map { VerdictRow(claim: $0, result: line.result) } }
        if !json { print("resuming: \(before - selected.count) claims already in \(path) (\(session.failures) failed), \(selected.count) to run") }
      }
      session.results = try ResultsFile(directory: directory, name: fileName, resuming: resume != nil)
      // Paper-scale runs stream their trajectories beside the results as they train.
      if chosenProfile == .paper { TrajectoryStream.directory = directory + "/trajectories" }
    }
    let runner = PropertyRunner(configuration: configuration)
    if !json {
      let (runSeed, source) = configuration.runSeed(for: "")
      let part = configuration.shard.map { ", shard \($0) (verdicts come from dmf merge)" } ?? ""
      print(KernelSelection.headerLine)
      print(Catalog.pinnedDirectory.map { "pinned counterexamples: \($0)" } ?? "pinned counterexamples: not found (no Fixtures/counterexamples beside this build's sources): not replayed")
      print(configuration.database.map { "failure database \($0.directory): earlier failures are replayed first (--no-database to skip)" }
        ?? "failure database not consulted (\(noDatabase ? "--no-database" : configuration.seed != nil ? "an explicit --seed repeats the run exactly" : "DMF_DATABASE=off"))")
      print("profile \(chosenProfile.rawValue), seed 0x\(String(runSeed, radix: 16)) (\(source.rawValue); repeat with --seed 0x\(String(runSeed, radix: 16))), \(selected.count) claims\(part)")
      print(VerdictRow.header)
    }
    try await session.run(selected, with: runner, width: configuration.parallelism)
    // A shard's verdicts are partial: the page comes from the merge.
    try session.finish(reportDirectory: configuration.shard == nil ? resume ?? report : nil)
  }
}

/// One claim's verdict as a table row and as a JSON line.
struct VerdictRow: Encodable {
  var code: String
  var id: String
  var paper: String
  var kind: String
  var verdict: String
  var cases: Int
  var pHat: Double?
  /// The anytime-valid 95 % interval of the rate (the confidence sequence), or Wilson's for records without one.
  var interval95: ProbabilityInterval?
  /// For a statistical claim under a precision target: "reached" or "budget".
  var precision: String?
  var measured: String
  var seconds: Double
  var runSeed: String
  var token: String?
  var openblas: String
  var result: PropertyResult

  init(claim: Claim, result: PropertyResult) {
    code = claim.code
    id = claim.id
    paper = claim.paper.description
    kind = claim.kind.description
    verdict = result.verdict.rawValue
    cases = result.casesRun
    pHat = result.statistics?.pHat
    interval95 = result.statistics.map { $0.confidenceSequence95 ?? $0.wilson95 }
    precision = result.statistics.flatMap { statistics in
      statistics.precisionTarget.map { target in
        let half = statistics.confidenceSequence95.map { ($0.upper - $0.lower) / 2 } ?? .nan
        return statistics.precisionStop == .reached
          ? "half-width \(Self.short(half)) ≤ \(Self.short(target)) after \(statistics.trials) cases"
          : "the budget (\(statistics.budget) cases) stopped it at half-width \(Self.short(half)) > \(Self.short(target))"
      }
    }
    measured = result.measurements.first.map { "\($0.quantity): median \(Self.short($0.median)) [\(Self.short($0.min)), \(Self.short($0.max))]" }
      ?? result.failure?.message ?? ""
    seconds = result.timing.totalSeconds + (result.timing.shardSeconds ?? 0)  // a merge: the shards' time on its cases too
    runSeed = result.runSeed
    token = result.failure?.token ?? result.statistics?.failingTokens.first
    openblas = "\(OpenBLAS.coreName), \(OpenBLAS.threadCount) thread\(OpenBLAS.threadCount == 1 ? "" : "s")"
    self.result = result
  }

  static let header = "code  claim                                          verdict       n   p̂ [anytime 95%]       time   measured"

  var text: String {
    let statistics = pHat.map { "\(Self.short($0)) \(interval95.map { "\($0)" } ?? "")" } ?? "—"
    return "\(pad(code, 5)) \(pad(id, 46)) \(pad(verdict, 12)) \(pad(String(cases), 4)) \(pad(statistics, 21)) \(pad(String(format: "%.1fs", seconds), 6)) \(measured)"
  }

  var jsonLine: String {
    (try? String(decoding: PropertyResult.lineEncoder().encode(self), as: UTF8.self)) ?? "{}"
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  static func short(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x != 0 && (abs(x) < 1e-3 || abs(x) >= 1e5) { return String(format: "%.2e", x) }
    return String(format: "%.4g", x)
  }
}
