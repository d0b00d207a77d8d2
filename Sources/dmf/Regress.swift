import ArgumentParser
import Properties

/// `dmf regress`: re-runs the seeded baseline set and compares it with `Fixtures/baselines/`.
struct Regress: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare a fixed set of seeded runs with Fixtures/baselines; run it after changing an optimizer or the engine.")

  @Flag(help: "Rewrite the baselines with the current results and print what changed.")
  var update = false

  @Flag(help: "Only the quick subset (the one swift test runs).")
  var quick = false

  @Option(help: "The baselines' directory.")
  var baselines: String = Regression.directory

  func run() throws {
    var drift = 0
    print("case                              metric          baseline                now                     ")
    for c in Regression.cases where !quick || c.quick {
      let now: Regression.Metrics
      do {
        now = try Regression.measure(c)
      } catch {
        throw Self.failInput("\(c.name): \(error)")
      }
      let stored: Regression.Metrics
      if update, (try? Regression.baseline(c.name, in: baselines)) == nil {
        stored = [:]
      } else {
        do { stored = try Regression.baseline(c.name, in: baselines) } catch { throw Self.failInput("\(error)") }
      }
      for difference in Regression.compare(now, with: stored, name: c.name) where !difference.withinTolerance {
        drift += 1
        print("\(pad(c.name, 33)) \(pad(difference.metric, 15)) \(pad(difference.baseline.map { "\($0)" } ?? "—", 23)) \(pad(difference.now.map { "\($0)" } ?? "—", 23)) \(update ? "updated" : "DRIFT")")
      }
      if update {
        do { try Regression.write(now, for: c.name, in: baselines) } catch { throw Self.failInput("cannot write the baseline of \(c.name): \(error)") }
      }
    }
    print(drift == 0 ? "no drift" : "\(drift) metrics \(update ? "changed and were rewritten" : "drifted")")
    if drift > 0 && !update { throw ExitCode(1) }
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}
