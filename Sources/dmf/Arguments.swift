public import ArgumentParser
public import PropertyTesting

// The values `dmf`'s options take, parsed by ArgumentParser. Closed sets list their values in
// `--help` and in the error for a value outside them; seeds, shards and sensitivity counts say why
// a value is wrong (their parsers throw the reason).

extension Profile: ExpressibleByArgument {}

extension ProgressDisplay.Style: ExpressibleByArgument {}

/// A value an option cannot take, with the reason ArgumentParser prints after it.
struct ArgumentProblem: Error, CustomStringConvertible {
  /// Why the value is wrong.
  var description: String
}

/// How `--seed` (and `DMF_SEED`) read a run seed: decimal or 0x-hexadecimal.
func parseSeed(_ text: String) throws -> RunSeed {
  guard let seed = RunSeed(parsing: text) else { throw ArgumentProblem(description: "\"\(text)\" is not a 64-bit seed (decimal or 0x-hexadecimal)") }
  return seed
}

/// How `--shard` reads K/N.
func parseShard(_ text: String) throws -> Shard {
  do { return try Shard(parsing: text) } catch { throw ArgumentProblem(description: error.message) }
}

/// How `--sensitivity` reads `off`, `all` or a case count.
func parseSensitivity(_ text: String) throws -> SensitivityCheck {
  guard let check = SensitivityCheck(parsing: text) else { throw ArgumentProblem(description: "\"\(text)\" is not off, all or a case count") }
  return check
}
