public import Foundation
import SeededRandom

/// Settings of a run that do not belong to one property: profile, seed, replay, parallelism, and
/// where failures are stored and pinned.
///
/// ``fromEnvironment(_:)`` reads the variables a user sets, for `swift test` and `dmf verify` alike
/// (whose flags then override them):
/// - `DMF_PROFILE`: `quick` (default), `ci`, `full` or `paper`;
/// - `DMF_SEED`: the run seed, decimal or `0x` hexadecimal;
/// - `DMF_REPLAY`: a replay token; the property it belongs to runs exactly that case;
/// - `DMF_DATABASE`: the failure database directory (default `.pbt`), or `off`; a run with a seed
///   consults none, so that it repeats exactly;
/// - `DMF_PARALLELISM`: cases evaluated at once (default: the active cores);
/// - `DMF_SENSITIVITY`: generated cases re-run under a rounding-level perturbation per property,
///   `off`, `all` or a count (default: 3 in `quick`, all in `ci` and `full`);
/// - `CI`: when set, the run seed of each property is fixed from its name.
public struct RunConfiguration: Sendable {
  /// The profile.
  public var profile: Profile
  /// An explicit run seed; otherwise derived from the name under CI, or random.
  public var seed: UInt64?
  /// Whether this is a CI run (fixed seeds).
  public var isCI: Bool
  /// A case to replay instead of searching.
  public var replay: ReplayToken?
  /// Cases evaluated at once.
  public var parallelism: Int
  /// The failure database, if any.
  public var database: FailureDatabase?
  /// The directory of pinned counterexamples (`Fixtures/counterexamples`), if any.
  public var pinnedDirectory: String?
  /// The most choices one case may draw.
  public var maxChoices: Int
  /// Run only this slice of every property's generated cases and record them (`dmf verify --shard`).
  public var shard: Shard?
  /// Called after every counted or discarded case and when shrinking starts.
  public var progress: (@Sendable (RunProgress) -> Void)?
  /// Which generated cases are re-run under a rounding-level perturbation; `nil` for the profile's
  /// standard check (``SensitivityCheck/standard(for:)``).
  public var sensitivity: SensitivityCheck?

  /// The sensitivity check this run makes.
  public var effectiveSensitivity: SensitivityCheck { sensitivity ?? .standard(for: profile) }

  /// A configuration; the defaults are those of a local `swift test` run without a database.
  public init(
    profile: Profile = .quick, seed: UInt64? = nil, isCI: Bool = false, replay: ReplayToken? = nil,
    parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
    database: FailureDatabase? = nil, pinnedDirectory: String? = nil, maxChoices: Int = 10_000
  ) {
    self.profile = profile
    self.seed = seed
    self.isCI = isCI
    self.replay = replay
    self.parallelism = Swift.max(1, parallelism)
    self.database = database
    self.pinnedDirectory = pinnedDirectory
    self.maxChoices = maxChoices
  }

  /// The configuration the environment asks for, or an error naming the bad variable.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ConfigurationError) -> RunConfiguration {
    var configuration = RunConfiguration()
    if let value = environment["DMF_PROFILE"], !value.isEmpty {
      guard let profile = Profile(rawValue: value) else {
        throw ConfigurationError(variable: "DMF_PROFILE", message: "\"\(value)\" is not a profile (quick, ci, full, paper)")
      }
      configuration.profile = profile
    }
    if let value = environment["DMF_SEED"], !value.isEmpty {
      guard let seed = RunSeed(parsing: value)?.value else {
        throw ConfigurationError(variable: "DMF_SEED", message: "\"\(value)\" is not a 64-bit seed (decimal or 0x-hexadecimal)")
      }
      configuration.seed = seed
    }
    if let value = environment["DMF_REPLAY"], !value.isEmpty {
      do {
        configuration.replay = try ReplayToken(parsing: value)
      } catch {
        throw ConfigurationError(variable: "DMF_REPLAY", message: error.description)
      }
    }
    if let width = try parallelism(environment) { configuration.parallelism = width }
    if let value = environment["DMF_SENSITIVITY"], !value.isEmpty {
      guard let check = SensitivityCheck(parsing: value) else {
        throw ConfigurationError(variable: "DMF_SENSITIVITY", message: "\"\(value)\" is not off, all or a case count")
      }
      configuration.sensitivity = check
    }
    configuration.isCI = environment["CI"].map { !$0.isEmpty && $0 != "0" && $0.lowercased() != "false" } ?? false
    // A run with a seed repeats exactly, so it consults no failure database (as `dmf verify --seed`).
    let databasePath = environment["DMF_DATABASE"].flatMap { $0.isEmpty ? nil : $0 } ?? ".pbt"
    if databasePath != "off", environment["DMF_DATABASE"] != nil, let problem = FailureDatabase.problem(directory: databasePath) {
      throw ConfigurationError(variable: "DMF_DATABASE", message: "\(problem); give a writable directory, or off")
    }
    configuration.database = databasePath == "off" || configuration.seed != nil ? nil : FailureDatabase(directory: databasePath)
    return configuration
  }

  /// The run seed for property `name` and where it came from.
  public func runSeed(for name: String) -> (seed: UInt64, source: SeedSource) {
    if let seed { return (seed, .explicit) }
    if isCI { return (PropertyIdentity.hash(name), .derivedFromName) }
    return (processRunSeed, .random)
  }
}

extension RunConfiguration {
  /// `DMF_PARALLELISM` when it is set (nil when unset or empty), or the error naming it when it is
  /// not a positive integer; `dmf verify`, `dmf calibrate` and `swift test` read it the same way.
  public static func parallelism(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> Int? {
    guard let value = environment["DMF_PARALLELISM"], !value.isEmpty else { return nil }
    guard let width = Int(value), width >= 1 else {
      throw ConfigurationError(variable: "DMF_PARALLELISM", message: "\"\(value)\" is not a positive integer")
    }
    // Cases beyond the cores run speculatively (a claim stops at its decision), so a width far above
    // them only wastes work: 1000 on 2 cores ran the Razin–Cohen claims for 575 s instead of 4 s.
    let cores = ProcessInfo.processInfo.activeProcessorCount, limit = maximumParallelismPerCore * cores
    guard width <= limit else {
      throw ConfigurationError(variable: "DMF_PARALLELISM", message: "\(value) is more than \(maximumParallelismPerCore) × the \(cores) cores here (at most \(limit)); a wider run only evaluates more cases speculatively")
    }
    return width
  }

  /// `DMF_PARALLELISM` may be at most this many times the cores.
  public static let maximumParallelismPerCore = 4

  /// This process's random run seed (the one every property of a run without a seed uses): a
  /// command that draws its own seeds, such as `dmf calibrate`, takes it too.
  public static var randomRunSeed: UInt64 { processRunSeed }
}

/// One random run seed per process, so every property of a `swift test` run prints the same seed
/// and `DMF_SEED=<it>` repeats the whole run.
private let processRunSeed: UInt64 = {
  let time = UInt64(bitPattern: Int64(Date().timeIntervalSince1970 * 1e9))
  return SplitMix64.mix(time ^ (UInt64(ProcessInfo.processInfo.processIdentifier) << 32))
}()

/// A bad setting in the environment.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The variable.
  public var variable: String
  /// What is wrong with it.
  public var message: String

  /// An error about `variable`.
  public init(variable: String, message: String) {
    self.variable = variable
    self.message = message
  }

  /// `VARIABLE: message`.
  public var description: String { "\(variable): \(message)" }
}
