import ArgumentParser
import LinearAlgebra
import ClaimKit
import DeepFactorization
import Properties

/// `dmf regress`: re-runs the seeded baseline set and compares it with `Fixtures/baselines/`.
struct Regress: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare a fixed set of seeded runs with Fixtures/baselines; run it after changing an optimizer or the engine.",
    discussion: "Each baseline keeps only metrics that a rounding-level perturbation of the initial factors leaves nearly unchanged, with a tolerance of ten times the spread it caused, so a different BLAS kernel or CPU is not reported as drift and an optimizer change is.")

  @Flag(help: "Rewrite the baselines with the current results (and their spread under \(Regression.perturbedRuns) perturbed runs) and print what changed.")
  var update = false

  @Flag(help: "Only the quick subset (the one swift test runs).")
  var quick = false

  @Option(help: "The baselines' directory.")
  var baselines: String = Regression.directory

  /// The run seed whose first generated cases show which optimizers a claim trains with.
  static let usageSeed: UInt64 = 0x2a

  /// How many generated cases of each claim (besides its examples) are looked at for that.
  static let usageCases = 2

  func run() throws {
    var drift = 0
    var drifted: [Regression.Case] = []
    print(KernelSelection.headerLine)
    for c in Regression.cases where !quick || c.quick {
      let now: Regression.Metrics
      do {
        now = try Regression.measure(c)
      } catch {
        throw Self.failInput("\(c.name): \(error)")
      }
      let stored: Baseline?
      do {
        stored = try Regression.baseline(c.name, in: baselines)
      } catch {
        guard update else { throw Self.failInput("\(error)") }
        stored = nil
      }
      if let stored {
        let differences = Regression.compare(now, with: stored, name: c.name)
        if !update && differences.contains(where: { !$0.withinTolerance }) { drifted.append(c) }
        for difference in differences where !difference.withinTolerance {
          drift += 1
          print("\(update ? "changed" : "DRIFT  ") \(difference.description)")
        }
        print("\(c.name): \(differences.count) metrics compared (baseline made under \(stored.kernel)), \(stored.dropped.count) left out as rounding-sensitive\(stored.dropped.isEmpty ? "" : " (" + stored.dropped.keys.sorted().joined(separator: ", ") + ")")")
      }
      if update {
        do {
          let baseline = try Regression.record(c, kernel: OpenBLAS.coreName)
          try Regression.write(baseline, for: c.name, in: baselines)
        } catch {
          throw Self.failInput("cannot record the baseline of \(c.name): \(error)")
        }
      }
    }
    print(drift == 0 ? "no drift" : "\(drift) metrics \(update ? "changed and were rewritten" : "drifted")")
    if !drifted.isEmpty { try nameClaims(using: drifted) }
    if drift > 0 && !update { throw ExitCode(1) }
  }

  /// For each drifted case, the claims whose cases train with its optimizer: what the drift may
  /// have changed. Each quick claim's examples and first cases are trained once to see that.
  private func nameClaims(using drifted: [Regression.Case]) throws {
    let claims = Catalog.all.filter { $0.profiles.contains(.quick) }
    print("claims (CODE) and counter-settings (CODE#counter) whose cases train with a drifted optimizer (each quick claim's examples and first \(Self.usageCases) cases of each side at seed 0x\(String(Self.usageSeed, radix: 16)); dmf list names the codes):")
    let usage = claims.flatMap { claim in
      [(claim.code, claim.trainingMethods(.claim, runSeed: Self.usageSeed, cases: Self.usageCases)),
       (claim.code + "#counter", claim.trainingMethods(.counter, runSeed: Self.usageSeed, cases: Self.usageCases))]
    }
    for c in drifted {
      let family: TrainingMethod.Family
      do {
        family = try c.method().family
      } catch {
        throw Self.failInput("\(c.name): \(error)")
      }
      let users = usage.filter { $0.1.contains(family) }.map(\.0)
      print("  \(c.name) trains with \(family): " + (users.isEmpty ? "no quick claim's cases do" : users.joined(separator: ", ")))
    }
    let silent = usage.filter { $0.1.isEmpty }.map(\.0)
    if !silent.isEmpty { print("  (\(silent.joined(separator: ", ")) train nothing through the engine's trainers, so this scan cannot say which optimizer they use)") }
  }
}
