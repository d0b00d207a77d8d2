public import ClaimKit
import Foundation

extension Catalog {
  /// The catalogue checked for mistakes in its own definition: every id unique and of the form
  /// `paper.claim`, every code unique, every claim with a statement, hypotheses, a counter-setting
  /// and at least one profile, every threshold named once per claim and sourced. The first mistake is
  /// thrown, naming the claim and the field; `dmf` exits 2 with it and `swift test` fails with it.
  public static let checked: Result<[Claim], ClaimDefinitionError> = Result { () throws(ClaimDefinitionError) in
    try validate(all)
    return all
  }

  /// The catalogue, or the first mistake in its definition.
  public static func validated() throws(ClaimDefinitionError) -> [Claim] {
    try checked.get()
  }

  /// Checks `claims` as a catalogue (see ``checked``); the first mistake is thrown.
  public static func validate(_ claims: [Claim]) throws(ClaimDefinitionError) {
    var ids: [String: Int] = [:], codes: [String: Int] = [:]  // looked up only; the claims' order decides what is reported
    for (position, claim) in claims.enumerated() {
      let name = "\(claim.code.isEmpty ? "(no code)" : claim.code) \(claim.id.isEmpty ? "(no id)" : claim.id)"
      func mistake(_ field: String, _ problem: String) -> ClaimDefinitionError {
        ClaimDefinitionError(claim: name, field: field, problem: problem)
      }
      let idParts = claim.id.split(separator: ".", omittingEmptySubsequences: false)
      guard idParts.count >= 2, !idParts.contains(where: \.isEmpty), !claim.id.contains(where: \.isWhitespace) else {
        throw mistake("id", "\"\(claim.id)\" is not of the form paper.claim (seeds, databases and tokens key on it)")
      }
      if let earlier = ids[claim.id] {
        throw mistake("id", "\"\(claim.id)\" is also the id of claim \(claims[earlier].code) (catalogue position \(earlier + 1)); a token of one would replay the other")
      }
      ids[claim.id] = position
      guard !claim.code.isEmpty, !claim.code.contains(where: \.isWhitespace) else {
        throw mistake("code", "\"\(claim.code)\" is not a code (a short name such as TF3, no spaces)")
      }
      if let earlier = codes[claim.code.uppercased()] {
        throw mistake("code", "\"\(claim.code)\" is also the code of \(claims[earlier].id) (catalogue position \(earlier + 1)); --claim \(claim.code) would name both")
      }
      codes[claim.code.uppercased()] = position
      if claim.statement.trimmingCharacters(in: .whitespaces).isEmpty { throw mistake("statement", "empty") }
      if claim.hypotheses.isEmpty { throw mistake("hypotheses", "none: a claim states the setting it assumes") }
      if claim.counterSetting.trimmingCharacters(in: .whitespaces).isEmpty {
        throw mistake("counter", "no counter-setting: every claim names a setting where the paper says it fails, so that its check is seen to fail")
      }
      if claim.profiles.isEmpty { throw mistake("profiles", "none: the claim would never run") }
      if case .expectedRefuted(let finding) = claim.status, finding.trimmingCharacters(in: .whitespaces).isEmpty {
        throw mistake("status", "declared refuted without the finding that refuted it (seeds, the minimal case)")
      }
      if !claim.variablesMatchTheCases { throw mistake("variables", "a variable is declared for another claim's cases") }
      var variableNames: [String] = []
      for variable in claim.variables {
        if variableNames.contains(variable.name) { throw mistake("variables", "\"\(variable.name)\" is declared twice") }
        variableNames.append(variable.name)
      }
      if let limit = claim.limit {
        if claim.variable(named: limit.variable) == nil { throw mistake("limit", "\"\(limit.variable)\" is not a declared variable (\(variableNames.joined(separator: ", ")))") }
        if limit.rungs.count < 3 { throw mistake("limit", "\(limit.rungs.count) rungs: a trend needs at least 3") }
      }
      var names: [String] = []
      for threshold in claim.thresholds {
        if names.contains(threshold.name) { throw mistake("thresholds", "\"\(threshold.name)\" is declared twice") }
        names.append(threshold.name)
        if threshold.name.isEmpty { throw mistake("thresholds", "a threshold has no name") }
        if threshold.source.trimmingCharacters(in: .whitespaces).isEmpty { throw mistake("thresholds", "\"\(threshold.name)\" has no source") }
      }
    }
  }
}
