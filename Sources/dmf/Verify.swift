import ArgumentParser
import Foundation
import Properties
import PropertyTesting

/// `dmf verify`: runs the claims and prints a verdict table.
struct Verify: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Verify the papers' claims: one verdict row per claim, exit 0 only if none fails.",
    discussion: "Profiles: quick (seconds per claim), ci (fixed seeds, more cases), full (the papers' statistics, the original-scale A8). With --report DIR, results.jsonl gets one line per claim as it finishes."
  )

  @Option(help: "quick, ci or full.")
  var profile: String = "quick"

  @Option(name: .customLong("claim"), help: "Run only this claim id (repeatable); default: every claim of the profile.")
  var claims: [String] = []

  @Option(help: "The run seed (decimal or 0x-hexadecimal); default: random, printed.")
  var seed: String?

  @Option(help: "Directory for results.jsonl (created if missing).")
  var report: String?

  @Flag(help: "Print one JSON object per claim instead of the table.")
  var json = false

  @Flag(help: "Count inconclusive verdicts as failures.")
  var strict = false

  @Option(help: "Continue a killed run: skip the claims already in DIR/results.jsonl and append the rest.")
  var resume: String?

  func run() async throws {
    guard let chosenProfile = Profile(rawValue: profile) else {
      throw Self.failInput("--profile: \"\(profile)\" is not a profile (quick, ci, full)")
    }
    var configuration = RunConfiguration(profile: chosenProfile)
    if let seed {
      guard let parsed = RunConfiguration.parseSeed(seed) else { throw Self.failInput("--seed: \"\(seed)\" is not a 64-bit seed") }
      configuration.seed = parsed
    }
    configuration.database = FailureDatabase(directory: ".pbt")
    configuration.pinnedDirectory = "Fixtures/counterexamples"
    var selected: [Claim] = []  // narrowed by --resume below
    if claims.isEmpty {
      selected = Catalog.all.filter { $0.profiles.contains(chosenProfile) }
    } else {
      for id in claims {
        guard let claim = Catalog.claim(id: id) else {
          throw Self.failInput("--claim: no claim \"\(id)\" (dmf verify --help; ids are listed in README.md, \"Claims\")")
        }
        selected.append(claim)
      }
    }
    if resume != nil && report != nil && resume != report {
      throw Self.failInput("--resume and --report name different directories")
    }
    var failures = 0
    var results: FileHandle?
    if let directory = resume ?? report {
      let path = directory + "/results.jsonl"
      if resume != nil {
        // Finished claims are kept, never repeated; a corrupt line stops the run before anything runs.
        guard let data = FileManager.default.contents(atPath: path) else { throw Self.failInput("--resume: cannot read \(path)") }
        var done: [String: String] = [:]
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
          guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let id = object["id"] as? String, let verdict = object["verdict"] as? String
          else { throw Self.failInput("--resume: \(path):\(number + 1) is not a result line") }
          done[id] = verdict
        }
        let before = selected.count
        selected.removeAll { done[$0.id] != nil }
        failures = done.values.filter { ["failed", "fails", "flaky", "unhealthy"].contains($0) || (strict && $0 == "inconclusive") }.count
        if !json { print("resuming: \(before - selected.count) claims already in \(path) (\(failures) failed), \(selected.count) to run") }
      }
      do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if resume == nil || !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        results = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        results?.seekToEndOfFile()
      } catch {
        throw Self.failInput("--report: cannot write \(path) (\(error.localizedDescription))")
      }
    }
    let runner = PropertyRunner(configuration: configuration)
    if !json {
      let (runSeed, source) = configuration.runSeed(for: "")
      print("profile \(chosenProfile.rawValue), seed 0x\(String(runSeed, radix: 16)) (\(source.rawValue); repeat with --seed 0x\(String(runSeed, radix: 16))), \(selected.count) claims")
      print(VerdictRow.header)
    }
    var rows: [VerdictRow] = []
    for claim in selected {
      let result = await claim.run(with: runner)
      let row = VerdictRow(claim: claim, result: result)
      rows.append(row)
      let line = row.jsonLine
      results?.write(Data((line + "\n").utf8))  // written as each claim finishes: an interrupted run loses nothing
      if json { print(line) } else { print(row.text) }
      if result.verdict.isFailure || (strict && result.verdict == .inconclusive) {
        failures += 1
        if !json { print(result.summary.split(separator: "\n").dropFirst().map { "    " + $0 }.joined(separator: "\n")) }
      }
    }
    try? results?.close()
    if let directory = resume ?? report {
      let figures = Report.singularValueFigures() + [Report.normFigure()].compactMap { $0 } + Report.depthFigures() + [Report.stageFigure()].compactMap { $0 }
      do {
        try Report.html(rows: rows, figures: figures).write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
      } catch {
        throw Self.failInput("--report: cannot write \(directory)/report.html (\(error.localizedDescription))")
      }
    }
    if !json { print(failures == 0 ? "no claim failed" : "\(failures) claims failed") }
    if failures > 0 { throw ExitCode(1) }
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
  var wilson95: ProbabilityInterval?
  var measured: String
  var seconds: Double
  var runSeed: String
  var token: String?
  var result: PropertyResult

  init(claim: Claim, result: PropertyResult) {
    code = claim.code
    id = claim.id
    paper = claim.paper.description
    kind = claim.kind.description
    verdict = result.verdict.rawValue
    cases = result.casesRun
    pHat = result.statistics?.pHat
    wilson95 = result.statistics?.wilson95
    measured = result.measurements.first.map { "\($0.quantity): median \(Self.short($0.median)) [\(Self.short($0.min)), \(Self.short($0.max))]" }
      ?? result.failure?.message ?? ""
    seconds = result.timing.totalSeconds
    runSeed = result.runSeed
    token = result.failure?.token ?? result.statistics?.failingTokens.first
    self.result = result
  }

  static let header = "code  claim                                          verdict       n   p̂ (Wilson 95%)        time   measured"

  var text: String {
    let statistics = pHat.map { "\(Self.short($0)) \(wilson95.map { "\($0)" } ?? "")" } ?? "—"
    return "\(pad(code, 5)) \(pad(id, 46)) \(pad(verdict, 12)) \(pad(String(cases), 4)) \(pad(statistics, 21)) \(pad(String(format: "%.1fs", seconds), 6)) \(measured)"
  }

  var jsonLine: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
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
