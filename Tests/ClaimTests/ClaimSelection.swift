import Foundation
import ClaimKit
import Properties
import PropertyTesting
import Testing

/// The claims `swift test` runs as `claimHolds` and `claimCanFail`: every claim of the profile, or,
/// when `DMF_CLAIMS` is set, only those its comma-separated names select — ids, codes or patterns, as
/// `dmf verify --claim` reads them. A name that selects no claim of the profile is an entry of its own,
/// which fails naming it, so that a misspelt code is an error rather than a run of nothing.
struct ClaimSelection: Sendable {
  /// One test case: a claim of the catalogue, or a name that selects none in the profile.
  enum Entry: Sendable, Equatable, CustomTestStringConvertible {
    case claim(id: String)
    case unmatched(name: String, profile: Profile)

    var testDescription: String {
      switch self {
      case .claim(let id): id
      case .unmatched(let name, _): "DMF_CLAIMS: \(name)"
      }
    }

    /// The claim, or the error naming what `DMF_CLAIMS` got wrong.
    func claim() throws -> Claim {
      switch self {
      case .claim(let id):
        return try #require(Catalog.claim(id: id))
      case .unmatched(let name, let profile):
        let elsewhere = Catalog.claims(matching: name)
        let reason = elsewhere.isEmpty
          ? "no claim has this id or code, or matches this pattern (dmf list shows the catalogue)"
          : "\(elsewhere.map(\.code).joined(separator: ", ")) \(elsewhere.count == 1 ? "is" : "are") not in the \(profile.rawValue) profile (DMF_PROFILE)"
        throw SelectionError(description: "DMF_CLAIMS names '\(name)': \(reason)")
      }
    }
  }

  /// Why an entry has no claim.
  struct SelectionError: Error, CustomStringConvertible {
    let description: String
  }

  let entries: [Entry]

  /// The selection for `DMF_CLAIMS` = `names` (nil or blank: every claim) in `profile`, in catalogue
  /// order, each claim once, then the names that select nothing.
  init(names: String?, profile: Profile) {
    let inProfile = Catalog.all.filter { $0.profiles.contains(profile) }
    let requested = (names ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !requested.isEmpty else {
      entries = inProfile.map { .claim(id: $0.id) }
      return
    }
    let selected = requested.map { name in Catalog.claims(matching: name).filter { $0.profiles.contains(profile) }.map(\.id) }
    let chosen = selected.joined()
    entries = inProfile.filter { chosen.contains($0.id) }.map { .claim(id: $0.id) }
      + zip(requested, selected).filter { $0.1.isEmpty }.map { .unmatched(name: $0.0, profile: profile) }
  }
}
