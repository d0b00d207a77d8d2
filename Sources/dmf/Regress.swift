import ArgumentParser
import LinearAlgebra
import ClaimKit

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

  func run() throws {
    var drift = 0
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
    if drift > 0 && !update { throw ExitCode(1) }
  }
}
