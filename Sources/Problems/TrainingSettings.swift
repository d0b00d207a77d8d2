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
  /// The initialisation: the engine's own ``Initialization``.
  public var initialization: Initialization
  /// How residuals are reduced.
  public var loss: LossReduction
  /// The optimizer, or gradient flow: the engine's own ``TrainingMethod``.
  public var optimizer: TrainingMethod
  /// Minibatch gradients, `{"size": 8, "seed": 1}` (descent only); absent for full-batch gradients.
  public var minibatch: Minibatch?
  /// When to stop: `{"maxSteps": …, "maxTime": …, "lossBelow": …}`, the engine's own rule.
  public var stop: StopRule
  /// How often to record.
  public var record: RecordSpec?

  /// Settings from their parts.
  public init(
    model: ModelSpec, initialization: Initialization, loss: LossReduction,
    optimizer: TrainingMethod, stop: StopRule, record: RecordSpec? = nil, minibatch: Minibatch? = nil
  ) {
    self.minibatch = minibatch
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
    case model, initialization, loss, optimizer, minibatch, stop, record
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
    initialization = try container.decode(Initialization.self, forKey: .initialization)
    loss = try container.decodeLoss(forKey: .loss)
    optimizer = try container.decode(TrainingMethod.self, forKey: .optimizer)
    minibatch = try container.decodeIfPresent(Minibatch.self, forKey: .minibatch)
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
    try container.encodeIfPresent(minibatch, forKey: .minibatch)
    try container.encode(stop, forKey: .stop)
    try container.encodeIfPresent(record, forKey: .record)
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
