import Foundation
import ClaimKit
import PropertyTesting

/// `dmf verify --dry-run`: what a run would train and what it would cost, before anything long starts.
enum DryRun {
  /// Prints, per claim, its cases (each case's estimate where the setting has a cost model: a short
  /// calibration of its engine times the case's expected steps and its budget), the sensitivity
  /// re-runs, and the totals in core-hours and wall time on the run's cores.
  static func print(_ claims: [Claim], configuration: RunConfiguration, shard: Shard?) throws {
    let cores = max(1, configuration.parallelism)
    let sensitivity = configuration.effectiveSensitivity
    Swift.print("dry run: profile \(configuration.profile.rawValue)\(shard.map { ", shard \($0)" } ?? ""), \(claims.count) claims; nothing is trained but each setting's calibration")
    Swift.print(KernelSelection.headerLine)
    var typical = 0.0, most = 0.0, unestimated: [String] = []
    for claim in claims {
      let (runSeed, _) = configuration.runSeed(for: claim.id)
      guard let all = try claim.estimatedCases(profile: configuration.profile, runSeed: runSeed) else {
        let count = claim.budget.cases[configuration.profile] ?? configuration.profile.defaultCases
        Swift.print("\(claim.code.padding(toLength: 5, withPad: " ", startingAt: 0)) \(claim.id): up to \(count) cases, no cost model")
        unestimated.append(claim.code)
        continue
      }
      let indexed = all.enumerated().filter { shard?.contains(caseIndex: $0.offset) ?? true }
      // A re-run under the sensitivity check costs the case again.
      var claimTypical = 0.0, claimMost = 0.0, reruns = 0
      for (index, item) in indexed {
        let rerun = sensitivity.covers(index)
        let factor = rerun ? 2.0 : 1.0
        if rerun { reruns += 1 }
        claimTypical += factor * item.cost.typicalSeconds
        claimMost += factor * item.cost.maxSeconds
      }
      typical += claimTypical
      most += claimMost
      Swift.print("\(claim.code.padding(toLength: 5, withPad: " ", startingAt: 0)) \(claim.id): \(indexed.count) runs, \(reruns) re-run for the sensitivity check: \(hours(claimTypical)) typical, \(hours(claimMost)) at most")
      for (index, item) in indexed {
        Swift.print("      case \(index): \(item.description) — \(duration(item.cost.typicalSeconds)) (\(item.cost.basis))")
      }
    }
    // A total over no estimate is not "0 s": say what it covers.
    let estimated = claims.count - unestimated.count
    if estimated == 0 {
      Swift.print("total: not estimated — none of the \(claims.count) claims has a cost model (each takes seconds to minutes in quick; dmf verify --profile paper --dry-run estimates the long ones)")
    } else {
      let part = unestimated.isEmpty ? "" : " for the \(estimated) claims with a cost model"
      Swift.print("total\(part): \(hours(typical)) typical, \(hours(most)) at the step budgets (core time)")
      Swift.print("wall on \(cores) core\(cores == 1 ? "" : "s") (DMF_PARALLELISM): about \(duration(typical / Double(cores))) typical, \(duration(most / Double(cores))) at most; as N shards of one core each, divide the core time by N")
    }
    if !unestimated.isEmpty { Swift.print("not estimated (no cost model; seconds to minutes each in quick): \(unestimated.joined(separator: ", "))") }
  }

  static func hours(_ seconds: Double) -> String { String(format: "%.2f core-hours", seconds / 3600) }

  static func duration(_ seconds: Double) -> String {
    if seconds < 120 { return String(format: "%.1f s", seconds) }
    if seconds < 7200 { return String(format: "%.1f min", seconds / 60) }
    return String(format: "%.1f h", seconds / 3600)
  }
}
