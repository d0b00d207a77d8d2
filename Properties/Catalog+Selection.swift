public import ClaimKit
extension Catalog {
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
