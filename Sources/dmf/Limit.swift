import ArgumentParser
import ClaimKit
import Foundation
import Properties
import PropertyTesting

/// `dmf limit`: a claim decided along its declared limit — at each rung, the trend, the rate.
struct Limit: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Decide a claim along its limit (init → 0, loss → 0, …): its verdict at each rung, the trend and the rate.",
    discussion: """
      The claim runs at each rung of its declared ladder (dmf limit --list shows them) with the profile's budget, each \
      rung drawing its own cases from the run seed. The trend of its measured quantity along the ladder is tested \
      (Jonckheere–Terpstra, one-sided each way at --level/2) and a power law in the variable is fitted. The outcome: \
      holds in the limit, holds only at finite scale, trend reversed, fails in the limit, or inconclusive. Each rung's \
      line is written as it is decided (--json, and --report DIR/results.jsonl).
      """)

  @Argument(help: "The claim: an id or a code (TF3).")
  var claim: String?

  @Flag(help: "List the claims that declare a limit, with their ladders.")
  var list = false

  @OptionGroup var options: LadderOptions

  @Option(help: "The trend test's level α (both directions together).")
  var level: Double = 0.01

  @Option(help: "Run only shard K of N: the rungs with index ≡ K−1 mod N, written to --report DIR/results.jsonl for --merge.", transform: parseShard)
  var shard: Shard?

  @Option(parsing: .upToNextOption, help: "Decide the limit from the shards' directories (each written by --shard K/N --report DIR), training nothing.")
  var merge: [String] = []

  func validate() throws {
    guard level > 0 && level < 1 else { throw ValidationError("--level must lie in (0, 1), got \(level)") }
    guard list || claim != nil else { throw ValidationError("name a claim (dmf limit --list shows those with a limit)") }
    if shard != nil && options.report == nil { throw ValidationError("--shard writes its rungs to --report DIR/results.jsonl: give --report") }
    if shard != nil && !merge.isEmpty { throw ValidationError("--shard and --merge: run the shards first, then merge their directories") }
  }

  func run() async throws {
    if list {
      try ClaimSelection.requireValidCatalogue()
      for claim in Catalog.all {
        guard let limit = claim.limit else { continue }
        print("\(claim.code.padding(toLength: 5, withPad: " ", startingAt: 0)) \(limit.description) along \(limit.variable): \(limit.rungs.map(format).joined(separator: ", "))")
      }
      return
    }
    let claim = try LimitSession.single(claim!, option: "dmf limit")
    guard let limit = claim.limit else {
      throw Self.failInput("\(claim.code) declares no limit (dmf limit --list shows the claims that do)")
    }
    let (profile, json, report) = (options.profile, options.json, options.report)
    var session = try LimitSession(claim: claim, profile: profile, seed: options.seed, json: json, report: report)
    let seedText = "\(session.seed)", profileText = profile.rawValue
    // The shards' rungs are read (and checked) before anything is printed.
    let merged = merge.isEmpty ? nil : try LimitSession.mergedRungs(merge, claim: claim, limit: limit, seed: seedText, profile: profileText)
    if !json {
      let part = shard.map { ", shard \($0) (the verdict comes from --merge)" } ?? (merge.isEmpty ? "" : ", merged from \(merge.count) directories")
      print("\(claim.code) \(claim.id): limit \(limit.description) along \(limit.variable), profile \(profile.rawValue), seed \(session.seed)\(part)")
      print("  \("value".padding(toLength: 10, withPad: " ", startingAt: 0)) \("verdict".padding(toLength: 12, withPad: " ", startingAt: 0)) cases  held   quantity: median [min, max]")
    }
    let indices = Array(limit.rungs.indices).filter { index in shard.map { index % $0.count == $0.index - 1 } ?? true }
    let emitRung: (LimitRung, inout LimitSession) throws -> Void = { rung, session in
      try session.emit(LimitSession.RungLine(
        code: claim.code, id: claim.id, variable: limit.variable, seed: seedText, profile: profileText,
        index: limit.rungs.firstIndex(of: rung.value)!, of: limit.rungs.count, rung: rung))
      if !json {
        let sorted = rung.values.sorted()
        let median = sorted.isEmpty ? "—" : "\(format(sorted[sorted.count / 2])) [\(format(sorted.first!)), \(format(sorted.last!))]"
        print("  \(format(rung.value).padding(toLength: 10, withPad: " ", startingAt: 0)) \(rung.verdict.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(rung.casesRun).padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(rung.casesPassed).padding(toLength: 6, withPad: " ", startingAt: 0)) \(median)")
        if let failure = rung.failure { print("             \(failure)") }
      }
    }
    var rungs: [LimitRung]
    if let merged {
      rungs = merged
      for rung in rungs { try emitRung(rung, &session) }
    } else {
      rungs = try await claim.runLimitRungs(indices, with: session.runner) { try emitRung($0, &session) }
    }
    if let shard {
      try session.finish(figures: [], title: "\(claim.code): \(limit.description), shard \(shard)")
      if !json { print("shard \(shard): \(rungs.count) of \(limit.rungs.count) rungs; dmf limit \(claim.code) --seed \(seedText) --merge DIR… decides") }
      return
    }
    let verdict = LimitVerdict.decide(rungs, level: level)
    try session.emit(LimitSession.VerdictLine(code: claim.code, id: claim.id, limit: limit.description, variable: limit.variable, verdict: verdict))
    if !json {
      print("verdict: \(verdict.outcome.rawValue) — \(verdict.explanation)")
      if let rate = verdict.rate {
        print("rate: \(verdict.rateOf) ∝ \(limit.variable)^p, p = \(format(rate.exponent)) [\(format(rate.lower)), \(format(rate.upper))] (95 %, \(rate.points) cases)")
      } else {
        print("rate: none fitted (fewer than 4 non-zero values or one rung)")
      }
    }
    try session.finish(figures: [Report.limitFigure(claim: claim, limit: limit, rungs: rungs, verdict: verdict)], title: "\(claim.code): \(limit.description)")
  }
}

/// `dmf frontier`: where along one setting variable a claim stops holding.
struct Frontier: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "frontier",
    abstract: "Find where along one setting variable a claim stops holding (a bisection of its verdicts).",
    discussion: """
      The claim is decided (with the profile's budget: an SPRT for a statistical claim) at both ends of the range, which \
      must differ, then at the bracket's midpoint until the bracket is within --tolerance (relative) or --probes \
      bisections are spent; geometric midpoints when both ends are positive and a decade apart. The chance that a \
      statistical probe decided wrongly is at most its SPRT's α or β; the bracket is wrong only if some probe was. \
      `dmf explain CODE` lists a claim's variables.
      """)

  @Argument(help: "The claim: an id or a code (EO1).")
  var claim: String

  @Option(help: "The variable and its range, NAME=LOW...HIGH (step-factor=0.9...1.1).")
  var vary: VariableRange

  @Option(help: "Stop when the bracket's width is at most this fraction of its larger end.")
  var tolerance: Double = 0.01

  @Option(help: "The most bisections after the two ends.")
  var probes: Int = 12

  @OptionGroup var options: LadderOptions

  /// `NAME=LOW...HIGH`.
  struct VariableRange: ExpressibleByArgument {
    var name: String
    var low: Double
    var high: Double

    init?(argument: String) {
      let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty else { return nil }
      let ends = parts[1].components(separatedBy: "...")
      guard ends.count == 2, let low = Double(ends[0]), let high = Double(ends[1]), low.isFinite, high.isFinite else { return nil }
      (name, self.low, self.high) = (parts[0], low, high)
    }
  }

  func validate() throws {
    guard vary.low < vary.high else { throw ValidationError("--vary: the range's low end must be below its high end, got \(vary.low)...\(vary.high)") }
    guard tolerance > 0 && tolerance < 1 else { throw ValidationError("--tolerance must lie in (0, 1), got \(tolerance)") }
    guard probes >= 1 && probes <= 60 else { throw ValidationError("--probes must lie in 1 … 60, got \(probes)") }
  }

  func run() async throws {
    let claim = try LimitSession.single(self.claim, option: "dmf frontier")
    guard let variable = claim.variable(named: vary.name) else {
      let names = claim.variables.map(\.name)
      throw Self.failInput("--vary: \(claim.code) has no variable \"\(vary.name)\" (\(names.isEmpty ? "it declares none" : "its variables: " + names.joined(separator: ", ")))")
    }
    let (profile, json, report) = (options.profile, options.json, options.report)
    var session = try LimitSession(claim: claim, profile: profile, seed: options.seed, json: json, report: report)
    if !json { print("\(claim.code) \(claim.id): frontier along \(variable.name) (\(variable.meaning)) in [\(format(vary.low)), \(format(vary.high))], profile \(profile.rawValue), seed \(session.seed)") }
    let frontier = try await claim.frontier(
      along: variable, from: vary.low, to: vary.high, tolerance: tolerance, probes: probes, with: session.runner
    ) { probe in
      try session.emit(LimitSession.ProbeLine(code: claim.code, id: claim.id, variable: variable.name, probe: probe))
      if !json { print("  \(variable.name) = \(format(probe.value)): \(probe.verdict.rawValue) (\(probe.casesRun) cases)") }
    }
    try session.emit(LimitSession.FrontierLine(code: claim.code, id: claim.id, frontier: frontier, summary: frontier.summary))
    if !json { print("frontier: \(frontier.summary)") }
    try session.finish(figures: [Report.frontierFigure(claim: claim, frontier: frontier)], title: "\(claim.code): frontier along \(variable.name)")
  }
}

/// The options `dmf limit` and `dmf frontier` share.
struct LadderOptions: ParsableArguments {
  @Option(help: "The profile whose budget each decision (a rung, a probe) runs with.")
  var profile: Profile = .quick

  @Option(parsing: .unconditional, help: "The run seed (decimal or 0x-hexadecimal); default 0x2a.", transform: parseSeed)
  var seed: RunSeed?

  @Flag(help: "One JSON object per line: each decision as it is made, then the outcome.")
  var json = false

  @Option(help: "Write results.jsonl (each decision as it is made) and report.html with the figure and its CSV to this directory.")
  var report: String?
}

/// What `dmf limit` and `dmf frontier` share: the runner, the lines they write as they go, the report.
struct LimitSession {
  let runner: PropertyRunner
  let seed: RunSeed
  let json: Bool
  let report: String?
  private var results: FileHandle?

  /// The one claim `argument` names (an id or code; a pattern matching several is bad input).
  static func single(_ argument: String, option: String) throws -> Claim {
    let matched = try ClaimSelection.resolve([argument], profile: nil, option: option)
    guard matched.count == 1 else {
      throw Limit.failInput("\(option): \"\(argument)\" matches \(matched.count) claims (\(matched.prefix(6).map(\.code).joined(separator: ", "))); name one")
    }
    return matched[0]
  }

  init(claim: Claim, profile: Profile, seed: RunSeed?, json: Bool, report: String?) throws {
    guard claim.profiles.contains(profile) else {
      throw Limit.failInput("--profile \(profile.rawValue): \(claim.code) does not run in it")
    }
    let parallelism: Int
    do {
      parallelism = try RunConfiguration.parallelism() ?? ProcessInfo.processInfo.activeProcessorCount
    } catch {
      throw Limit.failInput("\(error)")
    }
    self.seed = seed ?? RunSeed(0x2a)
    runner = PropertyRunner(configuration: RunConfiguration(profile: profile, seed: self.seed.value, parallelism: parallelism, database: nil))
    self.json = json
    self.report = report
    if let report {
      do {
        try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true)
        let path = report + "/results.jsonl"
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
          throw InputError(message: "cannot write \(path)")
        }
        results = handle
      } catch {
        throw Limit.failInput("--report \(report): \(error)")
      }
    }
  }

  /// Prints `line` as JSON (with --json) and appends it to results.jsonl, at once.
  mutating func emit<Line: Encodable>(_ line: Line) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let text = String(decoding: try encoder.encode(line), as: UTF8.self) + "\n"
    if json { FileHandleOutput.writeToStandardOutput(text) }
    results?.write(Data(text.utf8))
  }

  /// Writes report.html and the figures' CSV into the report directory.
  func finish(figures: [Figure], title: String) throws {
    try? results?.close()
    guard let report else { return }
    try FileManager.default.createDirectory(atPath: report + "/figures", withIntermediateDirectories: true)
    var html = "<!doctype html><html><head><meta charset='utf-8'><style>body{font-family:sans-serif} h1{font-size:18px}</style><title>\(Report.escape(title))</title></head><body><h1>\(Report.escape(title))</h1>"
    for figure in figures {
      try figure.csv.write(toFile: report + "/figures/\(figure.name).csv", atomically: true, encoding: .utf8)
      html += "<figure>\(figure.svg)<figcaption><a href='figures/\(figure.name).csv'>data (CSV)</a></figcaption></figure>"
    }
    try (html + "</body></html>\n").write(toFile: report + "/report.html", atomically: true, encoding: .utf8)
    if !json { print("report: \(report)/report.html") }
  }

  /// A rung's line: which run it belongs to (seed, profile), its place on the ladder, the rung.
  struct RungLine: Codable {
    var code: String, id: String, variable: String
    var seed: String, profile: String
    var index: Int, of: Int
    var rung: LimitRung
  }

  /// The rungs of `directories`' results.jsonl (shards of one run: the same claim, seed and profile),
  /// in ladder order; a missing rung, one of another run, or two that differ is bad input.
  static func mergedRungs(_ directories: [String], claim: Claim, limit: ClaimLimit, seed: String, profile: String) throws -> [LimitRung] {
    var found: [Int: LimitRung] = [:]  // looked up by index only; the ladder's order decides the output
    for directory in directories {
      let path = directory + "/results.jsonl"
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw Limit.failInput("--merge: cannot read \(path)") }
      for (number, line) in text.split(separator: "\n").enumerated() {
        guard let rung = try? JSONDecoder().decode(RungLine.self, from: Data(line.utf8)) else {
          throw Limit.failInput("--merge: \(path) line \(number + 1) is not a rung of dmf limit --shard")
        }
        guard rung.id == claim.id, rung.variable == limit.variable, rung.of == limit.rungs.count, rung.index < limit.rungs.count,
          limit.rungs[rung.index] == rung.rung.value
        else { throw Limit.failInput("--merge: \(path) line \(number + 1) is a rung of \(rung.code) along \(rung.variable), not of this claim's ladder") }
        guard rung.seed == seed, rung.profile == profile else {
          throw Limit.failInput("--merge: \(path) line \(number + 1) was run with seed \(rung.seed), profile \(rung.profile); this merge is seed \(seed), profile \(profile) (give --seed and --profile)")
        }
        if let earlier = found[rung.index], earlier != rung.rung {
          throw Limit.failInput("--merge: rung \(format(rung.rung.value)) appears twice with different results (\(path) line \(number + 1))")
        }
        found[rung.index] = rung.rung
      }
    }
    let missing = limit.rungs.indices.filter { found[$0] == nil }
    guard missing.isEmpty else { throw Limit.failInput("--merge: no shard has the rungs \(missing.map { format(limit.rungs[$0]) }.joined(separator: ", "))") }
    return limit.rungs.indices.map { found[$0]! }
  }

  /// The limit verdict's line.
  struct VerdictLine: Encodable {
    var code: String, id: String, limit: String, variable: String
    var verdict: LimitVerdict
  }

  /// A frontier probe's line.
  struct ProbeLine: Encodable {
    var code: String, id: String, variable: String
    var probe: FrontierProbe
  }

  /// The frontier's line.
  struct FrontierLine: Encodable {
    var code: String, id: String
    var frontier: ClaimKit.Frontier
    var summary: String
  }
}

extension Report {
  /// The quantity along the ladder: each rung's median with the 95 % interval of the median, the
  /// claim's bound, and the fitted power law.
  static func limitFigure(claim: Claim, limit: ClaimLimit, rungs: [LimitRung], verdict: LimitVerdict) -> Figure {
    let values = rungs.flatMap(\.values)
    let positive = values.allSatisfy { $0 > 0 } && !values.isEmpty
    var series = [medians(rungs.map { (x: $0.value, values: $0.values) }, label: "median", joined: true)]
    var references: [Reference] = [], oneSided = false
    switch verdict.orientation {
    case .upperBound(let bound), .lowerBound(let bound):
      references = [Reference("the claim's bound", at: bound)]
      oneSided = true
    case .interval(let range): references = [Reference("the claim's interval", range: range)]
    case .none: break
    }
    // The law is fitted to |the oriented quantity|: drawn beside the medians when that is the positive
    // quantity itself (a one-sided bound), not the distance to a two-sided interval's middle.
    if oneSided && positive, let rate = verdict.rate {
      let law = rungs.map { ($0.value, exp(rate.intercept) * pow($0.value, rate.exponent)) }
      series.append(Series(label: "fit ∝ x^\(format(rate.exponent))", points: law, markers: false, joined: true))
    }
    let quantity = claim.thresholds.first.map { "the measured quantity (\($0.name))" } ?? "the measured quantity"
    return chart(
      name: "\(claim.id)-limit", title: "\(claim.code): \(limit.description) — \(verdict.outcome.rawValue)", xLabel: limit.variable, yLabel: quantity,
      series: series, references: references, logX: rungs.allSatisfy { $0.value > 0 }, logY: positive)
  }

  /// The frontier: each probe's verdict (1 holds, 0 fails) at its value, and the bracket.
  static func frontierFigure(claim: Claim, frontier: ClaimKit.Frontier) -> Figure {
    let probes = frontier.probes
    var series = [
      Series(label: "holds", points: probes.filter(\.holds).map { ($0.value, 1) }, markers: true, joined: false),
      Series(label: "fails", points: probes.filter { !$0.holds }.map { ($0.value, 0) }, markers: true, joined: false),
    ]
    if let bracket = frontier.bracket {
      series.append(Series(label: "the boundary's bracket", points: [(bracket.lowerBound, 0.5), (bracket.upperBound, 0.5)], markers: true, joined: true))
    }
    return chart(
      name: "\(claim.id)-frontier-\(frontier.variable)", title: "\(claim.code): where it stops holding along \(frontier.variable)",
      xLabel: frontier.variable, yLabel: "verdict (1 holds, 0 fails)", series: series,
      logX: frontier.geometric)
  }
}
