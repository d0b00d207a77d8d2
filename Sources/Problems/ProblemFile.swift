import DeepFactorization
/// The problem file of `dmf train`: a public JSON contract (documented in the README).
///
/// ```
/// { "target": [[0, 1], [1, 0]],
///   "observations": {"kind": "entries", "entries": [[0, 1], [1, 0], [1, 1]]},
///   "model": {"depth": 3, "width": 2},
///   "initialization": {"kind": "identity", "scale": 0.001},
///   "loss": "half-sum",
///   "optimizer": {"kind": "gd", "learningRate": 0.02},
///   "stop": {"maxSteps": 20000, "lossBelow": 1e-3},
///   "record": {"every": 100} }
/// ```
/// The instance (target and observations) and the training settings (everything else) sit side by
/// side at the top level. Each `kind` is a typed enum case carrying exactly its own fields. Reading
/// validates everything and reports the first problem as `path: message`, e.g.
/// `observations.entries[3]: (5, 0) is outside the 2×2 target`.
public struct ProblemFile: Codable, Sendable, Equatable {
  /// The target, row by row.
  public var target: [[Double]]
  /// What is observed.
  public var observations: ObservationsSpec
  /// Model, initialisation, loss, optimizer, stop rule and recording.
  public var settings: TrainingSettings

  /// The documented example (Razin & Cohen's 2×2 completion problem at depth 3), as JSON text.
  public static let example = """
    { "target": [[0, 1], [1, 0]],
      "observations": {"kind": "entries", "entries": [[0, 1], [1, 0], [1, 1]]},
      "model": {"depth": 3, "width": 2},
      "initialization": {"kind": "identity", "scale": 0.001},
      "loss": "half-sum",
      "optimizer": {"kind": "gd", "learningRate": 0.02},
      "stop": {"maxSteps": 20000, "lossBelow": 1e-3},
      "record": {"every": 100} }
    """

  /// A problem file from its parts.
  public init(target: [[Double]], observations: ObservationsSpec, settings: TrainingSettings) {
    self.target = target
    self.observations = observations
    self.settings = settings
  }

  /// `{"kind": "entries", "entries": [[row, column], …]}`, `{"kind": "all"}` or
  /// `{"kind": "sensing", "matrices": [matrix rows, …]}`.
  public enum ObservationsSpec: Sendable, Equatable {
    /// Zero-based (row, column) pairs.
    case entries([[Int]])
    /// Every entry.
    case all
    /// Measurement matrices, each row by row.
    case sensing([[[Double]]])
  }

  private enum CodingKeys: String, CodingKey {
    case target, observations
  }

  /// Reads the instance's keys and the settings' keys from the same top-level object.
  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(["target", "observations", "model", "initialization", "loss", "optimizer", "minibatch", "stop", "record"])
    let container = try decoder.container(keyedBy: CodingKeys.self)
    target = try container.decode([[Double]].self, forKey: .target)
    observations = try container.decode(ObservationsSpec.self, forKey: .observations)
    settings = try TrainingSettings(from: decoder)
  }

  /// Writes the instance's keys and the settings' keys into one top-level object.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(target, forKey: .target)
    try container.encode(observations, forKey: .observations)
    try settings.encode(to: encoder)
  }
}

extension ProblemFile.ObservationsSpec: Codable {
  private enum CodingKeys: String, CodingKey {
    case kind, entries, matrices
  }

  /// Decodes by `kind`; an unknown kind is an error naming the known ones.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try container.decode(String.self, forKey: .kind)
    let fields = ["entries": ["kind", "entries"], "all": ["kind"], "sensing": ["kind", "matrices"]]
    if let allowed = fields[kind] { try decoder.rejectUnknownKeys(allowed, kind: kind) }
    switch kind {
    case "entries":
      // Read as numbers, so that a fraction or a negative index is reported at its entry.
      let pairs = try container.decodeRequired([[Double]].self, forKey: .entries, kind: kind)
      var entries: [[Int]] = []
      for (k, pair) in pairs.enumerated() {
        guard let whole = Optional(pair.compactMap { Int(exactly: $0) }), whole.count == pair.count else {
          throw DecodingError.dataCorrupted(.init(
            codingPath: container.codingPath + [CodingKeys.entries, AnyKey(intValue: k)!],
            debugDescription: "expected whole-number [row, column], got [\(pair.map(formatted).joined(separator: ", "))]"))
        }
        entries.append(whole)
      }
      self = .entries(entries)
    case "all": self = .all
    case "sensing": self = .sensing(try container.decodeRequired([[[Double]]].self, forKey: .matrices, kind: kind))
    default: throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown kind \"\(kind)\" (entries, all, sensing)")
    }
  }

  /// Encodes `kind` and the case's own field.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .entries(let entries):
      try container.encode("entries", forKey: .kind)
      try container.encode(entries, forKey: .entries)
    case .all:
      try container.encode("all", forKey: .kind)
    case .sensing(let matrices):
      try container.encode("sensing", forKey: .kind)
      try container.encode(matrices, forKey: .matrices)
    }
  }
}
