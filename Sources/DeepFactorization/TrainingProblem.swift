public import LinearAlgebra

/// Everything that defines one training run: the objective, the network, the initialisation, the
/// method, when to stop and when to record. `dmf train` reads it from a problem file.
public struct TrainingProblem: Sendable {
  /// The target W* (d_out × d_in).
  public var target: Matrix
  /// What the loss observes.
  public var observations: Observations
  /// The depth N ≥ 1.
  public var depth: Int
  /// The hidden width; `nil` for max(d_out, d_in).
  public var width: Int?
  /// How the factors start.
  public var initialization: Initialization
  /// How residuals are reduced.
  public var loss: LossReduction
  /// Gradient descent with an optimizer, or gradient flow.
  public var method: TrainingMethod
  /// When to stop.
  public var stop: StopRule
  /// When to record the state, besides the first and the last (descent: ``RecordingSchedule/everySteps(_:)``).
  public var recording: RecordingSchedule
  /// A rounding-level change of the initial factors (the harness's sensitivity check); `nil` for none.
  public var perturbation: InitialPerturbation?
  /// Minibatch gradients (descent only); `nil` for full-batch gradients.
  public var minibatch: Minibatch?

  /// A problem with the given parts.
  public init(
    target: Matrix, observations: Observations, depth: Int, width: Int? = nil,
    initialization: Initialization, loss: LossReduction, method: TrainingMethod,
    stop: StopRule, recording: RecordingSchedule = .everySteps(100), perturbation: InitialPerturbation? = nil, minibatch: Minibatch? = nil
  ) {
    self.perturbation = perturbation
    self.minibatch = minibatch
    self.target = target
    self.observations = observations
    self.depth = depth
    self.width = width
    self.initialization = initialization
    self.loss = loss
    self.method = method
    self.stop = stop
    self.recording = recording
  }

  /// The network's shape.
  public var shape: NetworkShape {
    NetworkShape(rows: target.rows, columns: target.columns, depth: depth, width: width)
  }

  /// The objective.
  public var objective: Objective {
    Objective(target: target, observations: observations, reduction: loss, minibatch: minibatch)
  }
}

/// How the factors move: a problem file's `optimizer` object, `{"kind": "gd", "learningRate": 0.02}`
/// for descent (kinds: ``OptimizerChoice/Kind``) or `{"kind": "gradient-flow", "relativeTolerance": 1e-8}`.
public enum TrainingMethod: Sendable, Equatable {
  /// Discrete steps of an optimizer.
  case descent(OptimizerChoice)
  /// Gradient flow dθ/dt = −∇ℓ(θ), integrated by adaptive Dormand–Prince RK45 with the given
  /// relative tolerance (absolute tolerance: relative × 1e-3). Its clock is continuous time.
  case gradientFlow(relativeTolerance: Double = 1e-6)

  /// `gd`, `adam`, … or `gradient-flow`.
  public var name: String {
    switch self {
    case .descent(let optimizer): optimizer.name
    case .gradientFlow: Self.gradientFlowKind
    }
  }

  /// Whether the method is gradient flow (its clock is time, not steps).
  public var isGradientFlow: Bool {
    if case .gradientFlow = self { true } else { false }
  }

  /// Throws at the first hyperparameter out of its range; gradient flow's tolerance must lie in
  /// [1e-14, 1).
  public func validate() throws(HyperparameterError) {
    switch self {
    case .descent(let optimizer):
      try optimizer.validate()
    case .gradientFlow(let relative):
      guard relative > 0 && relative.isFinite else { throw .notPositive(field: "relativeTolerance", value: relative) }
      guard relative >= 1e-14 && relative < 1 else { throw .toleranceOutOfReach(relative) }
    }
  }

  static let gradientFlowKind = "gradient-flow"
}

extension TrainingMethod: Codable {
  private enum CodingKeys: String, CodingKey { case kind, relativeTolerance }

  /// Reads an optimizer choice, or `gradient-flow` with an optional `relativeTolerance`; an unknown
  /// kind names the known ones.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let name = try c.decode(String.self, forKey: .kind)
    if name == Self.gradientFlowKind {
      try decoder.rejectUnknownKeys(["kind", "relativeTolerance"], kind: name)
      self = if let tolerance = try c.decodeIfPresent(Double.self, forKey: .relativeTolerance) {
        .gradientFlow(relativeTolerance: tolerance)
      } else {
        .gradientFlow()
      }
    } else if let kind = OptimizerChoice.Kind(rawValue: name) {
      self = .descent(try OptimizerChoice(kind: kind, from: decoder))
    } else {
      let known = OptimizerChoice.Kind.allCases.map(\.rawValue) + [Self.gradientFlowKind]
      throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown kind \"\(name)\" (\(known.joined(separator: ", ")))")
    }
  }

  /// Writes `kind` and every hyperparameter.
  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .descent(let optimizer):
      try optimizer.encode(to: encoder)
    case .gradientFlow(let tolerance):
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(Self.gradientFlowKind, forKey: .kind)
      try c.encode(tolerance, forKey: .relativeTolerance)
    }
  }
}

/// When a run stops (whichever comes first); a non-finite loss, or one above 1e12 × the initial
/// loss, always stops it as diverged.
public struct StopRule: Codable, Sendable, Equatable {
  /// The most steps (descent) or accepted integrator steps (gradient flow).
  public var maxSteps: Int?
  /// The latest time (gradient flow).
  public var maxTime: Double?
  /// Stop as converged once the loss is below this.
  public var lossBelow: Double?

  /// A stop rule.
  public init(maxSteps: Int? = nil, maxTime: Double? = nil, lossBelow: Double? = nil) {
    self.maxSteps = maxSteps
    self.maxTime = maxTime
    self.lossBelow = lossBelow
  }
}
