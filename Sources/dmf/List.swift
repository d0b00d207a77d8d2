import ArgumentParser
import Foundation
import ClaimKit
import Properties
import PropertyTesting

/// `dmf list`: the catalogue, one claim a line.
struct List: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the claims: code, id, paper, how it is decided, profiles.")

  @Flag(help: "One JSON object per claim.")
  var json = false

  @Option(name: .customLong("claim"), help: "Only the claims this id, code or pattern (razin-cohen.*) names (repeatable).")
  var claims: [String] = []

  struct Row: Encodable {
    var code: String
    var id: String
    var paper: String
    var kind: String
    var profiles: [String]
  }

  func run() throws {
    let selected = try ClaimSelection.resolve(claims, profile: nil)
    let rows = selected.map { claim in
      Row(
        code: claim.code, id: claim.id, paper: claim.paper.description, kind: claim.kind.description,
        profiles: Profile.allCases.filter(claim.profiles.contains).map(\.rawValue))
    }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      for row in rows { print(String(decoding: try encoder.encode(row), as: UTF8.self)) }
      return
    }
    let idWidth = rows.map(\.id.count).max() ?? 2
    print("code  " + "id".padding(toLength: idWidth + 2, withPad: " ", startingAt: 0) + "profiles         decided by / paper")
    for row in rows {
      print(row.code.padding(toLength: 6, withPad: " ", startingAt: 0) + row.id.padding(toLength: idWidth + 2, withPad: " ", startingAt: 0)
        + row.profiles.joined(separator: ",").padding(toLength: 17, withPad: " ", startingAt: 0) + row.kind + "; " + row.paper)
    }
    // Papers are told apart by their arXiv identifier (one paper's claims cite several locations).
    var papers: [String] = []
    for claim in selected where !papers.contains(claim.paper.arXiv) { papers.append(claim.paper.arXiv) }
    print("\(rows.count) claim\(rows.count == 1 ? "" : "s") from \(papers.count) paper\(papers.count == 1 ? "" : "s")")
  }
}

/// `dmf explain ID|CODE`: everything a theorist needs to judge one claim.
struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Explain a claim: statement, hypotheses, operational definition, thresholds with sources, counter-setting, budgets.")

  @Argument(help: "A claim id, code (L2) or pattern.")
  var claim: String

  func run() throws {
    for claim in try ClaimSelection.resolve([claim], profile: nil, option: "explain") {
      print("\(claim.code)  \(claim.id)")
      print("paper: \(claim.paper)")
      print("statement: \(claim.statement)")
      print("decided: \(claim.kind)")
      print("hypotheses:")
      for hypothesis in claim.hypotheses { print("  - \(hypothesis)") }
      if !claim.findings.isEmpty {
        print("findings:")
        for finding in claim.findings { print("  - \(finding)") }
      }
      if let definition = claim.operationalDefinition { print("operational definition: \(definition)") }
      if !claim.thresholds.isEmpty {
        print("thresholds:")
        let record = try? CalibrationRecord.load(code: claim.code)
        for threshold in claim.thresholds {
          print("  \(claim.code).\(threshold)")
          if let record, let line = Self.calibration(of: threshold.name, in: record, current: record.isCurrent(for: claim)) { print("    \(line)") }
        }
        if record == nil { print("  (no calibration record: dmf calibrate \(claim.code) --write)") }
      }
      print("counter-setting (where it must fail): \(claim.counterSetting)")
      if !claim.variables.isEmpty {
        print("variables (dmf frontier \(claim.code) --vary NAME=LOW...HIGH):")
        for variable in claim.variables { print("  \(variable.name): \(variable.meaning)\(variable.current.map { " (the setting's: \(format($0)))" } ?? "")") }
      }
      if let limit = claim.limit {
        print("limit (dmf limit \(claim.code)): \(limit.description) along \(limit.variable): \(limit.rungs.map(format).joined(separator: ", "))")
      }
      let budgets = Profile.allCases.filter(claim.profiles.contains).map { profile in
        "\(profile.rawValue) \(claim.budget.cases[profile].map(String.init) ?? "default") cases"
      }
      print("budgets: \(budgets.joined(separator: ", "))")
    }
  }

  /// "calibrated (Fixtures/calibration/TF3.json): 1000 cases over 500 run seeds, none outside; lowest …, highest …".
  static func calibration(of threshold: String, in record: CalibrationRecord, current: Bool) -> String? {
    guard let side = record.side(.claim), let quantity = side.quantities.first(where: { $0.threshold == threshold }) else { return nil }
    let extremes = [("lowest", quantity.lowest), ("highest", quantity.highest)].compactMap { name, extreme in
      extreme.map { "\(name) \(VerdictRow.short($0.value)) (run seed \($0.runSeed), case \($0.index))" }
    }
    let counter = record.side(.counter)?.quantities.first { $0.threshold == threshold }
    return "calibrated\(current ? "" : " against earlier thresholds (stale)"): \(quantity.count) cases over \(side.runSeeds.count) run seeds, \(quantity.outside) outside; "
      + extremes.joined(separator: ", ")
      + (counter.map { "; counter-setting: \($0.outside) of \($0.count) outside" } ?? "")
  }
}

/// Turns `--claim` arguments into claims, or one message naming the argument that names none.
enum ClaimSelection {
  /// Exits 2 with the catalogue's first definition mistake (a duplicate id or code, a claim with no
  /// counter-setting, …): a programming error in the claims, reported before anything runs.
  static func requireValidCatalogue() throws {
    do {
      _ = try Catalog.validated()
    } catch {
      throw List.failInput("the claim catalogue is invalid: \(error)")
    }
  }

  /// Runs `claim` (or its counter-setting); a mistake in the claim's definition met while it runs
  /// (a threshold it does not declare) exits 2 naming the claim and the field, instead of a verdict.
  static func run(_ claim: Claim, with runner: PropertyRunner, counterSetting: Bool = false) async throws -> PropertyResult {
    do {
      return counterSetting ? try await claim.runCounterSetting(with: runner) : try await claim.run(with: runner)
    } catch {
      throw List.failInput("the claim catalogue is invalid: \(error)")
    }
  }

  static func resolve(_ arguments: [String], profile: Profile?, option: String = "--claim") throws -> [Claim] {
    try requireValidCatalogue()
    if arguments.isEmpty { return Catalog.all.filter { profile.map($0.profiles.contains) ?? true } }
    let (selected, unmatched) = Catalog.claims(selectedBy: arguments, profile: profile)
    if let argument = unmatched.first {
      throw List.failInput("\(option): no claim \"\(argument)\" matches an id, code or pattern (dmf list shows them)")
    }
    return selected
  }
}
