import ArgumentParser
import Foundation
import LinearAlgebra
import ClaimKit
import Properties
import PropertyTesting

/// `dmf verify`: runs the claims and prints a verdict table.
struct Verify: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Verify the papers' claims: one verdict row per claim, exit 0 only if none fails.",
    discussion: "Profiles: quick (seconds per claim), ci (fixed seeds, more cases), full (the papers' statistics at the analogues' scale), paper (the papers' experiments at their original scale: A8, A10, TF4, …; see --dry-run). With --report DIR, results.jsonl gets one line per claim as it finishes."
  )

  @Option(help: "The profile; default: DMF_PROFILE, or quick.")
  var profile: Profile?

  @Option(name: .customLong("claim"), help: "Run only the claims this id, code (L2) or pattern (razin-cohen.*) names (repeatable); default: every claim of the profile.")
  var claims: [String] = []

  @Option(parsing: .unconditional, help: "The run seed (decimal or 0x-hexadecimal); default: DMF_SEED, or random (printed; under CI=true each claim's seed derives from its name).", transform: parseSeed)
  var seed: RunSeed?

  @Option(help: "Directory for results.jsonl (created if missing).")
  var report: String?

  @Option(help: "Generated cases per claim re-run under a rounding-level perturbation (1e-12 relative on the initial factors), compared with the first run: off, all, or a count. Default: DMF_SENSITIVITY, or 3 in quick, all in ci and full, 2 in paper.", transform: parseSensitivity)
  var sensitivity: SensitivityCheck?

  @Flag(help: "Consult no failure database (.pbt, or DMF_DATABASE); a seed (--seed or DMF_SEED) does not consult it either, so that the run repeats exactly.")
  var noDatabase = false

  @Flag(help: "Train nothing: list the claims' runs (cases, steps), time a short calibration of each setting's engine, and estimate the core-hours, on one core and on the cores given to the run (--shard K/N: that shard's part).")
  var dryRun = false

  @OptionGroup var output: VerdictOptions

  @Option(help: "Continue a killed run: skip the claims already in DIR/results.jsonl (or DIR/shard-K-of-N.jsonl) and append the rest.")
  var resume: String?

  @Flag(help: "Run each selected claim's counter-setting instead of the claim — the setting where its paper says it does not hold — which must fail: exit 0 only if every one fails.")
  var counter = false

  @Option(help: "Run only shard K of N (1 ≤ K ≤ N ≤ 10000): every claim's cases with index ≡ K−1 mod N, recorded in DIR/shard-K-of-N.jsonl for dmf merge. Needs --seed and --report DIR.", transform: parseShard)
  var shard: Shard?

  func validate() throws {
    if counter && (resume != nil || shard != nil) { throw ValidationError("--counter runs the counter-settings in one go: it cannot be combined with --resume or --shard") }
    if let resume, let report, resume != report { throw ValidationError("--resume and --report name different directories") }
    if shard != nil && !dryRun {
      guard seed != nil else { throw ValidationError("--shard needs --seed S, the same in every shard (otherwise each shard draws its own cases)") }
      guard resume ?? report != nil else { throw ValidationError("--shard needs --report DIR: the shard writes DIR/\(resultsFileName)") }
    }
  }

  /// `results.jsonl`, or a shard's own file.
  var resultsFileName: String {
    shard.map { "shard-\($0.index)-of-\($0.count).jsonl" } ?? "results.jsonl"
  }

  /// The run's configuration: the environment's (as `swift test` reads it: DMF_PROFILE, DMF_SEED,
  /// DMF_SENSITIVITY, DMF_PARALLELISM, DMF_DATABASE, CI), then the flags over it.
  func configuration() throws -> RunConfiguration {
    var configuration: RunConfiguration
    do { configuration = try RunConfiguration.fromEnvironment() } catch { throw Self.failInput("\(error)") }
    if let profile { configuration.profile = profile }
    if let seed { configuration.seed = seed.value }
    if let sensitivity { configuration.sensitivity = sensitivity }
    // The failure database replays earlier failures first: useful for random runs, but a run with a
    // seed must repeat exactly, and a shard's node does not share one (the merge replays it).
    if noDatabase || configuration.seed != nil || shard != nil { configuration.database = nil }
    configuration.shard = dryRun ? nil : shard
    configuration.pinnedDirectory = Catalog.pinnedDirectory
    return configuration
  }

  /// Takes the interrupted run's parameters from its record; a flag that contradicts one is refused
  /// (the resumed part must belong to the same run).
  func adopt(_ record: RunRecord, path: String, into configuration: inout RunConfiguration) throws {
    func refuse(_ flag: String, _ recorded: String) -> any Error {
      Self.failInput("--resume: the run in \(path) was started with \(recorded); drop \(flag) (a resumed run keeps its parameters) or start a new run in another directory")
    }
    if let profile, profile != record.profile { throw refuse("--profile \(profile.rawValue)", "--profile \(record.profile.rawValue)") }
    if let seed, seed != record.seed { throw refuse("--seed \(seed)", record.seed.map { "--seed \($0)" } ?? "seeds derived from the claims' names (CI=true)") }
    if !claims.isEmpty, claims != record.claims {
      throw refuse(claims.map { "--claim \($0)" }.joined(separator: " "), record.claims.isEmpty ? "every claim of the profile" : record.claims.map { "--claim \($0)" }.joined(separator: " "))
    }
    if let sensitivity, RunRecord.text(sensitivity) != record.sensitivity {
      throw refuse("--sensitivity \(RunRecord.text(sensitivity) ?? "")", record.sensitivity.map { "--sensitivity \($0)" } ?? "the profile's sensitivity check")
    }
    configuration.profile = record.profile
    switch record.seedSource {
    case .derivedFromName:
      configuration.seed = nil
      configuration.isCI = true
    case .explicit, .random:
      configuration.seed = record.seed?.value
    }
    configuration.database = nil
    configuration.sensitivity = record.sensitivity.flatMap(SensitivityCheck.init(parsing:))
  }

  func run() async throws {
    var session = output.session()
    session.counterSettings = counter
    let json = output.json
    var configuration = try configuration()
    var claimArguments = claims
    var recordPath: String?, resumedRecord: RunRecord?
    if !dryRun, let directory = resume ?? report {
      // The lock first: nothing of a running run's directory is read or rewritten without it.
      try ResultsFile.lock(directory + "/" + resultsFileName)
      recordPath = RunRecord.path(directory: directory, resultsFileName: resultsFileName)
      if resume != nil, let recordPath, let record = try RunRecord.read(recordPath, option: "--resume") {
        try adopt(record, path: recordPath, into: &configuration)
        claimArguments = record.claims
        resumedRecord = record
      }
    }
    let chosenProfile = configuration.profile
    var selected = try ClaimSelection.resolve(claimArguments, profile: chosenProfile)  // narrowed by --resume below
    if dryRun {
      try DryRun.print(selected, configuration: configuration, shard: shard)
      return
    }
    var record: RunRecord?
    if let directory = resume ?? report, let recordPath {
      // Paper-scale runs stream their trajectories beside the results as they train: a directory
      // that cannot hold them is bad input, before anything is written or trained.
      if chosenProfile == .paper {
        let trajectories = directory + "/trajectories"
        do {
          try FileManager.default.createDirectory(atPath: trajectories, withIntermediateDirectories: true)
        } catch {
          throw Self.failInput("--report: cannot create \(trajectories), where the paper profile streams its runs (is it a file?)")
        }
        TrajectoryStream.directory = trajectories
      }
      let path = directory + "/" + resultsFileName
      let selection = selected.map(\.id)
      if resume != nil {
        // A run killed before it created its results file has only its record: nothing to reconcile.
        let done = FileManager.default.fileExists(atPath: path) || resumedRecord == nil
          ? try ResultsFile.resume(path, configuration: &configuration, setAside: RunRecord.setAsidePath(directory: directory, resultsFileName: resultsFileName)) : []
        let before = selected.count
        selected.removeAll { claim in done.contains { $0.id == claim.id } }
        session.failures = done.filter { line in Catalog.claim(id: line.id).map { session.counts($0, line.result.verdict) } ?? line.result.verdict.isFailure }.count
        // The page covers the whole run, the claims finished before the interruption too.
        session.rows = done.compactMap { line in Catalog.claim(id: line.id).map { VerdictRow(claim: $0, result: line.result) } }
        if !json { print("resuming: \(before - selected.count) claims already in \(path) (\(session.failures) failed), \(selected.count) to run") }
      }
      // The run's parameters, before its first claim: a run killed at any point resumes as itself.
      let (runSeed, source) = configuration.runSeed(for: "")
      record = RunRecord(
        seed: source == .derivedFromName ? nil : RunSeed(runSeed), seedSource: source, profile: chosenProfile, claims: claimArguments,
        selected: selection, sensitivity: RunRecord.text(configuration.sensitivity), shard: configuration.shard.map { "\($0.index)/\($0.count)" },
        finished: false)
      try record?.write(to: recordPath)
      session.results = try ResultsFile(directory: directory, name: resultsFileName, resuming: resume != nil)
    }
    let runner = PropertyRunner(configuration: configuration)
    if !json {
      let (runSeed, source) = configuration.runSeed(for: "")
      let part = configuration.shard.map { ", shard \($0) (verdicts come from dmf merge)" } ?? ""
      print(KernelSelection.headerLine)
      print(Catalog.pinnedDirectory.map { "pinned counterexamples: \($0)" } ?? "pinned counterexamples: not found (no Fixtures/counterexamples beside this build's sources): not replayed")
      let skipped = noDatabase ? "--no-database" : configuration.seed != nil ? "a run with a seed repeats exactly" : "DMF_DATABASE=off"
      print(configuration.database.map { "failure database \($0.directory): earlier failures are replayed first (--no-database to skip)" }
        ?? "failure database not consulted (\(skipped))")
      let seed = RunSeed(runSeed)
      print("profile \(chosenProfile.rawValue), seed \(seed) (\(source.rawValue); repeat with --seed \(seed)), \(selected.count) claims\(part)")
      if counter { print("counter-settings: each must fail (a row that passed or holds is a claim that cannot fail)") }
      print(VerdictRow.header)
    }
    try await session.run(selected, with: runner, width: configuration.parallelism)
    // Every selected claim has its line: the run is finished (dmf merge takes only finished shards).
    if var record, let recordPath {
      record.finished = true
      try record.write(to: recordPath)
    }
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
  var runSeed: RunSeed
  var token: String?
  var openblas: String
  var result: PropertyResult

  /// For a counter-setting's row (`dmf verify --counter`): what it changes; the id is then `id#counter`.
  var counterSetting: String?
  /// The claim's status when it is not established: `expected-refuted` or `exploratory` (absent from
  /// the JSON otherwise).
  var status: ClaimStatus.Kind?

  init(claim: Claim, result: PropertyResult, counterSetting: Bool = false) {
    code = claim.code
    id = counterSetting ? claim.id + "#counter" : claim.id
    self.counterSetting = counterSetting ? claim.counterSetting : nil
    status = counterSetting || claim.status == .established ? nil : claim.status.kind
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

  /// The verdict as the table shows it, read through the claim's status ("failed (refuted, as expected)").
  var verdictText: String {
    guard let status, let verdict = PropertyResult.Verdict(rawValue: verdict) else { return self.verdict }
    return status.describe(verdict)
  }

  static let header = "code  claim                                          verdict       n   p̂ [anytime 95%]       time   measured"

  var text: String {
    let statistics = pHat.map { "\(Self.short($0)) \(interval95.map { "\($0)" } ?? "")" } ?? "—"
    return "\(pad(code, 5)) \(pad(id, 46)) \(pad(verdictText, 12)) \(pad(String(cases), 4)) \(pad(statistics, 21)) \(pad(String(format: "%.1fs", seconds), 6)) \(measured)"
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
