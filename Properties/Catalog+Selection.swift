public import ClaimKit
public import PropertyTesting

extension Catalog {
  /// The claims that `names` select — ids, codes or patterns, as `dmf verify --claim` and
  /// `DMF_CLAIMS` read them — in the order named, each once: an id or a code names its claim in any
  /// profile; a pattern selects among `profile`'s claims (any profile's when nil). `unmatched` lists
  /// the names that select nothing, in order.
  public static func claims(selectedBy names: [String], profile: Profile?) -> (claims: [Claim], unmatched: [String]) {
    var selected: [Claim] = [], unmatched: [String] = []
    for name in names {
      let isPattern = name.contains { $0 == "*" || $0 == "?" }
      let matched = claims(matching: name).filter { !isPattern || profile.map($0.profiles.contains) ?? true }
      if matched.isEmpty { unmatched.append(name) }
      for claim in matched where !selected.contains(where: { $0.id == claim.id }) { selected.append(claim) }
    }
    return (selected, unmatched)
  }

  /// The claims a `--claim` argument names, in catalogue order: an exact id, a code (`L2`, any
  /// case), or a pattern with `*` (any run of characters) and `?` (one character) matched against
  /// ids and codes (`razin-cohen.*`, `A?`).
  public static func claims(matching pattern: String) -> [Claim] {
    all.filter { claim in
      claim.id == pattern || claim.code.lowercased() == pattern.lowercased()
        || (pattern.contains { $0 == "*" || $0 == "?" } && (glob(pattern, matches: claim.id) || glob(pattern.uppercased(), matches: claim.code)))
    }
  }

  /// Whether `text` matches the shell-style `pattern` (`*`, `?`) as a whole.
  static func glob(_ pattern: String, matches text: String) -> Bool {
    let p = Array(pattern), t = Array(text)
    // Iterative matching with backtracking to the last star: linear in practice, no recursion.
    var i = 0, j = 0, star = -1, mark = 0
    while j < t.count {
      if i < p.count && (p[i] == "?" || p[i] == t[j]) {
        i += 1
        j += 1
      } else if i < p.count && p[i] == "*" {
        star = i
        mark = j
        i += 1
      } else if star >= 0 {
        i = star + 1
        mark += 1
        j = mark
      } else {
        return false
      }
    }
    while i < p.count && p[i] == "*" { i += 1 }
    return i == p.count
  }
}
