import Foundation
import ClaimKit
import Properties
import PropertyTesting

extension ResultsFile {
  /// Reconciles the results file of an interrupted run with the run `--resume` continues, and returns
  /// the claims it finished (kept, never repeated). The caller holds the file's lock (``lock(_:)``).
  ///
  /// A corrupt line stops the run before anything runs (exit 2). Without a seed, the interrupted
  /// run's seed is adopted (the resumed part belongs to the same run), and no failure database is
  /// consulted. Lines that do not belong to this run — another seed or profile, a claim not in the
  /// catalogue, a shard's record, a second line for a claim, a line whose check fails — and a last
  /// line cut by a crash or a full disk are moved to `setAside` (appended, never deleted), with one
  /// message naming it; the results file keeps the run's own lines.
  static func resume(_ path: String, configuration: inout RunConfiguration, setAside setAsidePath: String) throws -> [ResultLine] {
    let (lines, cut) = try readForResume(path)
    if configuration.seed == nil, !configuration.isCI, let first = lines.first(where: { $0.check == .matches })?.line.result, first.seedSource != .derivedFromName {
      configuration.seed = first.runSeed.value
      configuration.database = nil
    }
    var done: [ResultLine] = [], kept: [String] = [], setAside: [String] = [], reasons: [String] = []
    for (number, (text, line, check)) in lines.enumerated() {
      let result = line.result
      let reason: String? =
        if let problem = check.problem { "line \(number + 1) (\(line.id)) \(problem)" }
        else if Catalog.claim(id: line.id) == nil { "\(line.id) is not a claim of this catalogue" }
        else if result.profile != configuration.profile { "\(line.id) was run in profile \(result.profile.rawValue)" }
        else if let seed = configuration.seed, result.seedSource != .derivedFromName, result.runSeed.value != seed { "\(line.id) was run with seed \(result.runSeed)" }
        else if result.verdict == .partial && configuration.shard == nil { "\(line.id) is a shard's record (dmf merge decides it)" }
        else if done.contains(where: { $0.id == line.id }) { "\(line.id) appears twice" }
        else { nil }
      if let reason {
        reasons.append(reason)
        setAside.append(text)
      } else {
        done.append(line)
        kept.append(text)
      }
    }
    if let cut {
      reasons.append("the last line was cut (a crash or a full disk)")
      setAside.append(cut)
    }
    if !setAside.isEmpty {
      try keep(setAside, in: setAsidePath)
      try rewrite(path, lines: kept)
      var standardError = StandardError()
      print("dmf: --resume: moved \(setAside.count) line\(setAside.count == 1 ? "" : "s") that do not belong to this run to \(setAsidePath) (\(reasons.joined(separator: "; "))); a selected claim among them runs again", to: &standardError)
    }
    return done
  }
}
