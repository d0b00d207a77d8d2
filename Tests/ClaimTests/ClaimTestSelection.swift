import ClaimKit
import Foundation
import Properties
import PropertyTesting
import Testing

/// The claims `swift test` runs as `claimHolds` and `claimCanFail`: every claim of the profile, or,
/// when `DMF_CLAIMS` is set, only those its comma-separated names select — ids, codes or patterns,
/// read as `dmf verify --claim` reads them (``Catalog/claims(selectedBy:profile:)``). A name that
/// selects no claim is an entry of its own, which fails naming it, so that a misspelt code is an
/// error rather than a run of nothing.
struct ClaimTestSelection: Sendable {
  /// One test case: a claim of the catalogue, or a name that selects none.
  enum Entry: Sendable, Equatable, CustomTestStringConvertible {
    case claim(id: String)
    case unmatched(name: String)

    var testDescription: String {
      switch self {
      case .claim(let id): id
      case .unmatched(let name): "DMF_CLAIMS: \(name)"
      }
    }

    /// The claim, or the error naming what `DMF_CLAIMS` got wrong.
    func claim() throws -> Claim {
      switch self {
      case .claim(let id):
        return try #require(Catalog.claim(id: id))
      case .unmatched(let name):
        throw SelectionError(description: "DMF_CLAIMS: no claim \"\(name)\" matches an id, code or pattern of the profile (dmf list shows them)")
      }
    }
  }

  /// Why an entry has no claim.
  struct SelectionError: Error, CustomStringConvertible {
    let description: String
  }

  let entries: [Entry]

  /// The selection for `DMF_CLAIMS` = `names` (nil or blank: every claim of `profile`): the claims in
  /// the order named, each once, then the names that select nothing.
  init(names: String?, profile: Profile) {
    let requested = (names ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !requested.isEmpty else {
      entries = Catalog.all.filter { $0.profiles.contains(profile) }.map { .claim(id: $0.id) }
      return
    }
    let (claims, unmatched) = Catalog.claims(selectedBy: requested, profile: profile)
    entries = claims.map { .claim(id: $0.id) } + unmatched.map { .unmatched(name: $0) }
  }
}
