import ArgumentParser
import Properties
import PropertyTesting

/// `dmf replay TOKEN`: re-runs exactly one case of a claim (or of its counter-setting).
struct Replay: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Re-run exactly the case a replay token names and print it in full.")

  @Argument(help: "A token printed with a failure: dmf1.<name hash>.<case seed>.<tape>.")
  var token: String

  func run() async throws {
    let parsed: ReplayToken
    do {
      parsed = try ReplayToken(parsing: token)
    } catch {
      throw Self.failInput("\(error)")
    }
    for claim in Catalog.all {
      for (name, counter) in [(claim.id, false), (claim.id + "#counter", true)] where parsed.belongs(to: name) {
        let runner = PropertyRunner(configuration: RunConfiguration(profile: .full, replay: parsed))
        let result = counter ? await claim.runCounterSetting(with: runner) : await claim.run(with: runner)
        print("\(claim.code) \(name) — \(claim.statement)")
        print(result.summary)
        if result.verdict.isFailure { throw ExitCode(1) }
        return
      }
    }
    throw Self.failInput("replay token: no claim of this catalogue has its property hash \(String(parsed.propertyHash, radix: 16))")
  }
}
