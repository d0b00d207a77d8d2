import ArgumentParser
import Foundation
import LinearAlgebra
import ClaimKit
import Properties
import PropertyTesting

/// `dmf calibrate`: measures a claim's generated cases over random run seeds without deciding
/// anything, prints each threshold's distribution, worst case and margin, and writes the record that
/// `swift test` checks.
struct Calibrate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure claims over random run seeds without deciding: per threshold, the distribution, worst case, margin and a bound on the rate outside.",
    discussion: """
      Each run seed contributes the cases a run of the profile with that seed checks (every generated case of its budget, \
      or a statistical claim's cases up to its SPRT decision), for the claim and for its counter-setting, until at least \
      --cases cases are measured per side. The record (cases, run seeds, build, kernel, and the verdict each run seed \
      reaches) goes to Fixtures/calibration/CODE.json with --write; swift test checks every claim against its record.
      """
  )

  @Argument(help: "Claim ids, codes (TF3) or patterns.")
  var claims: [String]

  @Option(help: "Cases to measure per side at least (whole runs: the last run seed may add a few). The rule for a record: 1000, or 200 when a case takes 0.1 s or more.")
  var cases: Int = 1000

  @Option(help: "The profile whose runs each seed reproduces (paper: the original-scale claims, whose runs take minutes each).")
  var profile: Profile = .quick

  @Option(help: "Which setting to calibrate.")
  var side: SideChoice = .both

  /// The claim's setting, its counter-setting, or both.
  enum SideChoice: String, CaseIterable, ExpressibleByArgument {
    case claim, counter, both

    var sides: [CalibrationSide] {
      switch self {
      case .claim: [.claim]
      case .counter: [.counter]
      case .both: CalibrationSide.allCases
      }
    }
  }

  @Option(parsing: .unconditional, help: "The seed the run seeds are drawn from (decimal or 0x-hexadecimal); default: random, printed.", transform: parseSeed)
  var seed: RunSeed?

  @Flag(help: "Write the record to Fixtures/calibration/CODE.json (or --output DIR).")
  var write = false

  @Option(help: "Directory for the records instead of Fixtures/calibration.")
  var output: String?

  @Option(help: "Why the record has fewer cases than the rule asks for (kept in the record).")
  var note: String?

  func validate() throws {
    guard cases >= 1 else { throw ValidationError("--cases must be at least 1") }
  }

  func run() async throws {
    let chosen = try ClaimSelection.resolve(claims, profile: nil, option: "calibrate")
    let chosenProfile = profile
    if let outside = chosen.first(where: { !$0.profiles.contains(chosenProfile) }) {
      throw Self.failInput("--profile \(profile.rawValue): \(outside.code) does not run in it (its profiles: \(Profile.allCases.filter(outside.profiles.contains).map(\.rawValue).joined(separator: ", ")))")
    }
    let parallelism: Int
    do {
      parallelism = try RunConfiguration.parallelism() ?? ProcessInfo.processInfo.activeProcessorCount
    } catch {
      throw Self.failInput("\(error)")
    }
    let master = seed?.value ?? RunConfiguration.randomRunSeed
    let sides = side.sides
    let directory = output ?? CalibrationRecord.directory
    if write {
      do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw Self.failInput("--output: cannot create \(directory): \(PathProblem.creatingDirectory(directory, error))")
      }
    }
    print("calibrating with master seed 0x\(String(master, radix: 16)) (repeat: --seed 0x\(String(master, radix: 16))), \(parallelism) at once, kernel \(OpenBLAS.coreName)")
    for claim in chosen {
      var recorded: [CalibrationRecord.Side] = []
      for side in sides {
        let calibrator = Calibrator(claim: claim, profile: chosenProfile, masterSeed: master, minimumCases: cases, parallelism: parallelism)
        let label = "\(claim.code) \(side)"
        let record = await calibrator.calibrate(side) { k, measured, _ in
          FileHandleOutput.writeToStandardError("\r\(label): run seed \(k + 1), \(measured) cases   ")
        }
        FileHandleOutput.writeToStandardError("\n")
        recorded.append(record)
        print(Self.describe(claim, record))
      }
      if write {
        let full = CalibrationRecord(claim: claim, sides: recorded, note: note, build: String(LineCheck.build, radix: 16), kernel: OpenBLAS.coreName)
        let path = CalibrationRecord.path(code: claim.code, in: directory)
        do {
          try full.encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
          throw Self.failInput("cannot write \(path): \(PathProblem.writing(path, error))")
        }
        print("wrote \(path)")
      }
    }
  }

  /// The printed summary of one side.
  static func describe(_ claim: Claim, _ side: CalibrationRecord.Side) -> String {
    var lines = [
      "\(claim.code) \(claim.id) — \(side.side == .claim ? "claim" : "counter-setting: \(claim.counterSetting)")",
      "  \(side.cases) cases over \(side.runSeeds.count) run seeds (\(side.profile.rawValue) runs of ≤ \(side.casesPerRun) cases), \(side.discarded) discarded, \(side.unmeasured) ended without a measurement\(side.firstUnmeasured.map { " (first: \($0))" } ?? "")",
      "  cases holding: \(side.casesHolding) of \(side.cases), rate \(side.holdingRate); run verdicts: \(side.runVerdicts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))",
    ]
    if !side.examples.isEmpty { lines.append("  explicit examples holding: \(side.examples.filter { $0 }.count) of \(side.examples.count)") }
    for q in side.quantities {
      let interval = "[\(q.lower.map(VerdictRow.short) ?? "−∞"), \(q.upper.map(VerdictRow.short) ?? "∞")]"
      let quantiles = q.quantiles.map { "q\(Int(($0.level * 100).rounded()))=\(VerdictRow.short($0.estimate))" }.joined(separator: " ")
      lines.append("  \(q.threshold) \(interval): n=\(q.count), outside \(q.outside) (rate ≤ \(VerdictRow.short(q.outsideRateUpper)) at 95 %)\(q.nonFinite > 0 ? ", \(q.nonFinite) not finite" : ""), \(quantiles)")
      for (name, extreme) in [("lowest", q.lowest), ("highest", q.highest)] {
        guard let extreme else { continue }
        lines.append("    \(name): \(VerdictRow.short(extreme.value))\(extreme.margin.map { ", margin \(VerdictRow.short($0)) to its bound" } ?? "") at run seed \(extreme.runSeed) case \(extreme.index)")
      }
    }
    lines.append("  \(String(format: "%.3f", side.meanSecondsPerCase)) s a case")
    return lines.joined(separator: "\n")
  }
}
