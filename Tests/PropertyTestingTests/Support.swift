import PropertyTesting

/// A runner for the harness's own tests: fixed seed, no database, no environment.
func testRunner(seed: UInt64 = 2026, parallelism: Int = 2, replay: ReplayToken? = nil, database: FailureDatabase? = nil, profile: Profile = .quick) -> PropertyRunner {
  PropertyRunner(configuration: RunConfiguration(profile: profile, seed: seed, replay: replay, parallelism: parallelism, database: database))
}

/// The value a replay token's tape regenerates.
func replayed<Value>(_ token: String?, _ gen: Gen<Value>) throws -> Value {
  let parsed = try ReplayToken(parsing: token ?? "")
  return try gen.generate(ChoiceSource(replaying: parsed.tape))
}
