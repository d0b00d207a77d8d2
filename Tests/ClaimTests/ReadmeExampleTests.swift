import Foundation
import PropertyTesting
import ClaimKit
import Properties
import Testing

/// The README's "Adding a claim" example is this target's `ReadmeExample.swift` (less its
/// `import Properties`, which a file inside the Properties module does not need), it holds, and its
/// counter-setting fails.
struct ReadmeExampleTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test func theReadmeShowsTheCompiledExample() throws {
    let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
    let file = try String(contentsOf: Self.root.appendingPathComponent("Tests/ClaimTests/ReadmeExample.swift"), encoding: .utf8)
    let start = try #require(readme.range(of: "```swift\n// Properties/MyPaper.swift"))
    let end = try #require(readme.range(of: "```", range: start.upperBound ..< readme.endIndex))
    let shown = String(readme[readme.index(start.lowerBound, offsetBy: "```swift\n".count) ..< end.lowerBound])
    let compiled = file.split(separator: "\n", omittingEmptySubsequences: false).filter { $0 != "import Properties" }.joined(separator: "\n")
    #expect(shown == compiled, "README.md's example differs from Tests/ClaimTests/ReadmeExample.swift")
  }

  @Test func theExampleHolds() async throws {
    let result = try await MyPaper.lowRankAtDepthThree.run(with: PropertyRunner(configuration: try ClaimTests.environment.get()))
    #expect(result.verdict == .holds, "\(result.summary)")
  }

  @Test func itsCounterSettingFails() async throws {
    var configuration = try ClaimTests.environment.get()
    configuration.database = nil
    let result = try await MyPaper.lowRankAtDepthThree.runCounterSetting(with: PropertyRunner(configuration: configuration))
    #expect(result.verdict == .fails, "\(result.summary)")
  }
}
