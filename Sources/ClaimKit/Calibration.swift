import Foundation
import Synchronization

/// Seconds a step of an engine takes here, measured once per configuration by a short run (the cost
/// models of `dmf verify --dry-run`): the same code path as the claim's own training, timed.
package enum Calibration {
  private static let measured = Mutex<[String: Double]>([:])

  /// Seconds a step for `key`, measuring `steps` steps of `run` (which trains exactly that many) the
  /// first time a key is asked for.
  package static func secondsPerStep(_ key: String, steps: Int, _ run: () throws -> Void) rethrows -> Double {
    if let known = measured.withLock({ $0[key] }) { return known }
    let start = ContinuousClock.now
    try run()
    let elapsed = ContinuousClock.now - start
    let seconds = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(steps)
    measured.withLock { $0[key] = seconds }
    return seconds
  }

  /// "≈ 44 000 steps (at most 10⁶) × 0.21 ms a step".
  package static func basis(typicalSteps: Int, maxSteps: Int, secondsPerStep: Double) -> String {
    let perStep =
      secondsPerStep >= 1e-3 ? String(format: "%.2f ms", secondsPerStep * 1e3)
      : secondsPerStep >= 1e-6 ? String(format: "%.1f µs", secondsPerStep * 1e6) : String(format: "%.0f ns", secondsPerStep * 1e9)
    return "≈ \(typicalSteps) steps (at most \(maxSteps)) × \(perStep) a step"
  }

  /// The cost of a run of `typicalSteps` (at most `maxSteps`) at `secondsPerStep`, times `runs` trainings a case.
  package static func cost(typicalSteps: Int, maxSteps: Int, secondsPerStep: Double, runs: Int = 1, extra: Double = 0) -> CaseCost {
    CaseCost(
      typicalSeconds: Double(runs * typicalSteps) * secondsPerStep + extra, maxSeconds: Double(runs * maxSteps) * secondsPerStep + extra,
      basis: basis(typicalSteps: typicalSteps, maxSteps: maxSteps, secondsPerStep: secondsPerStep) + (runs > 1 ? ", \(runs) trainings" : ""))
  }
}
