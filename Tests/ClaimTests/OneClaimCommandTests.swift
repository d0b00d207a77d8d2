import ClaimKit
import Foundation
import Properties
import PropertyTesting
import Testing

/// The README's one-claim command (in "Adding a claim") runs the claim it names and its
/// counter-setting, and nothing else: its `--filter` patterns select exactly `claimHolds` and
/// `claimCanFail` among the suite's test functions, and its `DMF_CLAIMS` selects exactly that claim.
struct OneClaimCommandTests {
  /// The command as the README shows it: the `DMF_CLAIMS` value and the `--filter` patterns.
  struct Command {
    var claims: String
    var filters: [String]
  }

  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The first README line that starts with `DMF_CLAIMS=… swift test`, split into words as a shell would
  /// (single quotes only; a `#` word starts a comment).
  static func readmeCommand() throws -> Command {
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.range(of: "### Adding a claim"), "README.md has no \"Adding a claim\" section")
    let line = try #require(
      readme[section.upperBound...].split(separator: "\n").first { $0.hasPrefix("DMF_CLAIMS=") && $0.contains(" swift test") },
      "README.md's \"Adding a claim\" shows no DMF_CLAIMS=… swift test command")
    let words = shellWords(String(line))
    let assignment = try #require(words.first)
    #expect(Array(words.dropFirst().prefix(2)) == ["swift", "test"], "the command is not `DMF_CLAIMS=… swift test …`: \(line)")
    var filters: [String] = []
    var rest = words.dropFirst(3)[...]
    while let word = rest.popFirst() {
      #expect(word == "--filter", "unexpected argument \(word) in \(line)")
      if let pattern = rest.popFirst() { filters.append(pattern) }
    }
    return Command(claims: String(assignment.dropFirst("DMF_CLAIMS=".count)), filters: filters)
  }

  static func shellWords(_ line: String) -> [String] {
    var words: [String] = [], word = "", quoted = false, started = false
    for character in line {
      if character == "'" {
        quoted.toggle()
        started = true
      } else if character == " " && !quoted {
        if started { words.append(word) }
        word = ""
        started = false
      } else {
        if character == "#" && !quoted && !started { break }
        word.append(character)
        started = true
      }
    }
    if started { words.append(word) }
    return words
  }

  /// Every test function's identifier as Swift Testing's `--filter` sees it, `Target.Suite/function(labels:)`,
  /// read from the sources under `Tests/`: a `@Test` attribute (its arguments may span lines) names the
  /// next `func`, which belongs to the last `struct …Tests` or `extension …Tests` opened before it.
  static func testIdentifiers() throws -> [String] {
    let tests = root.appendingPathComponent("Tests")
    let suite = try Regex(#"(?m)^\s*(?:@\S+\s+)*(?:struct|extension) (\w+Tests)\b"#)
    let attribute = try Regex(#"(?m)^\s*@Test\b"#)
    let function = try Regex(#"\bfunc (\w+)\("#)
    var identifiers: [String] = []
    let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
    for file in files.filter({ $0.pathExtension == "swift" }).sorted(by: { $0.path < $1.path }) {
      let target = file.deletingLastPathComponent().lastPathComponent
      let source = try String(contentsOf: file, encoding: .utf8)
      let suites = source.matches(of: suite).map { ($0.range.lowerBound, String($0.output[1].substring ?? "")) }
      for test in source.matches(of: attribute) {
        guard let owner = suites.last(where: { $0.0 < test.range.lowerBound })?.1,
          let declaration = source[test.range.upperBound...].firstMatch(of: function)
        else { continue }
        let name = String(declaration.output[1].substring ?? "")
        identifiers.append("\(target).\(owner)/\(name)(\(argumentLabels(source[declaration.range.upperBound...])))")
      }
    }
    return identifiers
  }

  /// The labels of the parameter list that `text` opens with (just after its `(`), as `a:b:` or `_:`.
  static func argumentLabels(_ text: Substring) -> String {
    var depth = 0, labels = "", parameter = ""
    for character in text {
      switch character {
      case "(", "[", "<": depth += 1
      case ")" where depth == 0, "," where depth == 0:
        if let label = parameter.split(separator: ":").first?.split(separator: " ").first { labels += "\(label):" }
        if character == ")" { return labels }
        parameter = ""
        continue
      case ")", "]", ">": depth -= 1
      default: break
      }
      parameter.append(character)
    }
    return labels
  }

  @Test func theFiltersSelectExactlyTheClaimAndItsCounterSetting() throws {
    let command = try Self.readmeCommand()
    let identifiers = try Self.testIdentifiers()
    #expect(identifiers.count > 100, "found only \(identifiers.count) test functions under Tests/")
    #expect(identifiers.contains("ClaimTests.ClaimTests/claimHolds(_:)") && identifiers.contains("ClaimTests.ClaimTests/claimCanFail(_:)"))
    let patterns = try command.filters.map { try Regex($0) }
    let selected = identifiers.filter { id in patterns.contains { id.contains($0) } }
    #expect(selected == ["ClaimTests.ClaimTests/claimCanFail(_:)", "ClaimTests.ClaimTests/claimHolds(_:)"].sorted { a, b in
      identifiers.firstIndex(of: a)! < identifiers.firstIndex(of: b)!
    })
  }

  @Test func itsClaimsVariableSelectsExactlyThatClaim() throws {
    let command = try Self.readmeCommand()
    let named = Catalog.claims(matching: command.claims)
    #expect(named.count == 1, "DMF_CLAIMS=\(command.claims) names \(named.count) claims")
    for profile in Profile.allCases {
      #expect(ClaimTestSelection(names: command.claims, profile: profile).entries == named.map { .claim(id: $0.id) })
    }
  }

  @Test(arguments: [
    ("R2", Profile.quick, ["razin-cohen.norms-diverge"], [String]()),
    ("r2, razin-cohen.norms-diverge", .quick, ["razin-cohen.norms-diverge"], []),
    ("E4,R2", .quick, ["saxe.random-init-follows-the-sigmoid", "razin-cohen.norms-diverge"], []),
    ("R2,Z9", .quick, ["razin-cohen.norms-diverge"], ["Z9"]),
    ("R10", .quick, ["razin-cohen.figure-1-to-loss-1e-4"], []),  // a code names its claim in any profile
    ("razin-cohen.figure-*", .quick, [], ["razin-cohen.figure-*"]),  // a pattern, only the profile's claims
    ("razin-cohen.figure-*", .paper, ["razin-cohen.figure-1-to-loss-1e-4"], []),
    (" , ", .quick, nil, []),
  ] as [(String, Profile, [String]?, [String])])
  func selection(names: String, profile: Profile, ids: [String]?, unmatched: [String]) {
    let entries = ClaimTestSelection(names: names, profile: profile).entries
    let expected = (ids ?? Catalog.all.filter { $0.profiles.contains(profile) }.map(\.id)).map { ClaimTestSelection.Entry.claim(id: $0) }
      + unmatched.map { .unmatched(name: $0) }
    #expect(entries == expected)
  }

  @Test func aNameThatSelectsNothingIsAnErrorNamingIt() {
    #expect(throws: ClaimTestSelection.SelectionError.self) { try ClaimTestSelection.Entry.unmatched(name: "Z9").claim() }
    #expect((try? ClaimTestSelection.Entry.claim(id: "razin-cohen.norms-diverge").claim())?.code == "R2")
  }
}
