public import DeepFactorization

/// Everything of a problem file that is not the instance: model, initialisation, loss, optimizer,
/// stop rule and recording, each `kind` a typed case with exactly its own fields.
///
/// Values are checked (positive scales, rates in range, a step budget for descent) when the file
/// becomes a ``TrainingProblem`` (``ProblemFile/trainingProblem()``), with the JSON path of the
/// first problem.
public struct TrainingSettings: Codable, Sendable, Equatable {
  /// Depth and width.
  public var model: ModelSpec
  /// The initialisation.
  public var initialization: InitializationSpec
  /// How residuals are reduced.
  public var loss: LossReduction
  /// The optimizer, or gradient flow: the engine's own ``TrainingMethod``.
  public var optimizer: TrainingMethod
  /// When to stop: `{"maxSteps": …, "maxTime": …, "lossBelow": …}`, the engine's own rule.
  public var stop: StopRule
  /// How often to record.
  public var record: RecordSpec?

  /// Settings from their parts.
  public init(
    model: ModelSpec, initialization: InitializationSpec, loss: LossReduction,
    optimizer: TrainingMethod, stop: StopRule, record: RecordSpec? = nil
  ) {
    self.model = model
    self.initialization = initialization
    self.loss = loss
    self.optimizer = optimizer
    self.stop = stop
    self.record = record
  }

  /// Razin & Cohen's reproduction setting: depth 3, balanced init with product std 1e-2 and
  /// positive determinant, half-sum loss, GD at η = 0.02 until L < 1e-3.
  public static let razinCohen = TrainingSettings(
    model: .init(depth: 3), initialization: .balanced(scale: 0.01, seed: 3, determinant: .positive),
    loss: .halfSum, optimizer: .descent(.gradientDescent(.init(learningRate: 0.02))),
    stop: .init(maxSteps: 200_000, lossBelow: 1e-3), record: .init(every: 1000))

  /// `{"depth": N, "width": w}` (width optional).
  public struct ModelSpec: Codable, Sendable, Equatable {
    /// N ≥ 1.
    public var depth: Int
    /// The hidden width.
    public var width: Int?

    /// A specification.
    public init(depth: Int, width: Int? = nil) {
      self.depth = depth
      self.width = width
    }

    private enum CodingKeys: String, CodingKey {
      case depth, width
    }

    /// Reads `depth` and `width` (whole numbers) and nothing else.
    public init(from decoder: any Decoder) throws {
      try decoder.rejectUnknownKeys(["depth", "width"])
      let c = try decoder.container(keyedBy: CodingKeys.self)
      depth = try c.decodeWhole(Int.self, forKey: .depth)
      width = try c.decodeWholeIfPresent(Int.self, forKey: .width)
    }
  }

  /// `{"kind": "identity"|"gaussian"|"orthogonal"|"balanced"|"factors", …}`.
  public enum InitializationSpec: Sendable, Equatable {
    /// scale^{1/N}·I in every factor.
    case identity(scale: Double)
    /// Arora et al.'s Gaussian initialisation.
    case gaussian(scale: Double, seed: UInt64)
    /// Random orthogonal factors.
    case orthogonal(scale: Double, seed: UInt64)
    /// A balanced split of a sampled product, optionally with a determinant sign.
    case balanced(scale: Double, seed: UInt64, determinant: Initialization.DeterminantSign?)
    /// W_1 … W_N, each row by row.
    case factors([[[Double]]])
  }

  /// `{"every": k}`: steps (descent) or time units (gradient flow); default 100 steps or 1 time unit.
  public struct RecordSpec: Codable, Sendable, Equatable {
    /// The interval.
    public var every: Double

    /// A specification.
    public init(every: Double) {
      self.every = every
    }

    private enum CodingKeys: String, CodingKey {
      case every
    }

    /// Reads `every` and nothing else.
    public init(from decoder: any Decoder) throws {
      try decoder.rejectUnknownKeys(["every"])
      every = try decoder.container(keyedBy: CodingKeys.self).decode(Double.self, forKey: .every)
    }
  }

  private enum CodingKeys: String, CodingKey {
    case model, initialization, loss, optimizer, stop, record
  }

  private enum StopKeys: String, CodingKey {
    case maxSteps, maxTime, lossBelow
  }

  /// The engine's stop rule, read strictly: known fields only, a whole step count.
  private static func stopRule(_ decoder: any Decoder) throws -> StopRule {
    try decoder.rejectUnknownKeys(["maxSteps", "maxTime", "lossBelow"])
    let c = try decoder.container(keyedBy: StopKeys.self)
    return StopRule(
      maxSteps: try c.decodeWholeIfPresent(Int.self, forKey: .maxSteps), maxTime: try c.decodeIfPresent(Double.self, forKey: .maxTime),
      lossBelow: try c.decodeIfPresent(Double.self, forKey: .lossBelow))
  }

  /// Decodes the settings' keys; an unknown loss is an error naming the known ones.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    model = try container.decode(ModelSpec.self, forKey: .model)
    initialization = try container.decode(InitializationSpec.self, forKey: .initialization)
    loss = try container.decodeLoss(forKey: .loss)
    optimizer = try container.decode(TrainingMethod.self, forKey: .optimizer)
    stop = try Self.stopRule(try container.superDecoder(forKey: .stop))
    record = try container.decodeIfPresent(RecordSpec.self, forKey: .record)
  }

  /// Encodes the settings' keys.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(model, forKey: .model)
    try container.encode(initialization, forKey: .initialization)
    try container.encode(loss.rawValue, forKey: .loss)
    try container.encode(optimizer, forKey: .optimizer)
    try container.encode(stop, forKey: .stop)
    try container.encodeIfPresent(record, forKey: .record)
  }
}

extension TrainingSettings.InitializationSpec: Codable {
  private enum CodingKeys: String, CodingKey {
    case kind, scale, seed, determinant, factors
  }

  /// Decodes by `kind`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try c.decode(String.self, forKey: .kind)
    let fields = [
      "identity": ["kind", "scale"], "gaussian": ["kind", "scale", "seed"], "orthogonal": ["kind", "scale", "seed"],
      "balanced": ["kind", "scale", "seed", "determinant"], "factors": ["kind", "factors"],
    ]
    if let allowed = fields[kind] { try decoder.rejectUnknownKeys(allowed, kind: kind) }
    func seed() throws -> UInt64 {
      guard c.contains(.seed) else { return try c.decodeRequired(UInt64.self, forKey: .seed, kind: kind) }
      return try c.decodeWhole(UInt64.self, forKey: .seed)
    }
    switch kind {
    case "identity": self = .identity(scale: try c.decode(Double.self, forKey: .scale))
    case "gaussian": self = .gaussian(scale: try c.decode(Double.self, forKey: .scale), seed: try seed())
    case "orthogonal": self = .orthogonal(scale: try c.decode(Double.self, forKey: .scale), seed: try seed())
    case "balanced":
      var sign: Initialization.DeterminantSign?
      if let text = try c.decodeIfPresent(String.self, forKey: .determinant) {
        guard let parsed = Initialization.DeterminantSign(rawValue: text) else {
          throw DecodingError.dataCorruptedError(forKey: .determinant, in: c, debugDescription: "unknown sign \"\(text)\" (positive, negative)")
        }
        sign = parsed
      }
      self = .balanced(scale: try c.decode(Double.self, forKey: .scale), seed: try seed(), determinant: sign)
    case "factors": self = .factors(try c.decodeRequired([[[Double]]].self, forKey: .factors, kind: kind))
    default:
      throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown kind \"\(kind)\" (identity, gaussian, orthogonal, balanced, factors)")
    }
  }

  /// Encodes `kind` and the case's own fields.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .identity(let scale):
      try c.encode("identity", forKey: .kind)
      try c.encode(scale, forKey: .scale)
    case .gaussian(let scale, let seed), .orthogonal(let scale, let seed):
      try c.encode(self.kind, forKey: .kind)
      try c.encode(scale, forKey: .scale)
      try c.encode(seed, forKey: .seed)
    case .balanced(let scale, let seed, let determinant):
      try c.encode("balanced", forKey: .kind)
      try c.encode(scale, forKey: .scale)
      try c.encode(seed, forKey: .seed)
      try c.encodeIfPresent(determinant?.rawValue, forKey: .determinant)
    case .factors(let factors):
      try c.encode("factors", forKey: .kind)
      try c.encode(factors, forKey: .factors)
    }
  }

  /// The file's name for the kind.
  public var kind: String {
    switch self {
    case .identity: "identity"
    case .gaussian: "gaussian"
    case .orthogonal: "orthogonal"
    case .balanced: "balanced"
    case .factors: "factors"
    }
  }
}

extension KeyedDecodingContainer {
  /// The `loss` field: a ``LossReduction`` by name; an unknown one is an error naming the known ones.
  func decodeLoss(forKey key: Key) throws -> LossReduction {
    let name = try decode(String.self, forKey: key)
    guard let reduction = LossReduction(rawValue: name) else {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: self, debugDescription: "unknown loss \"\(name)\" (\(LossReduction.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    return reduction
  }
}
