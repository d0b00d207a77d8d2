public import LinearAlgebra

/// Everything that defines one training run: the objective, the network, the initialisation, the
/// method, when to stop and how often to record. `dmf train` reads it from a problem file.
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
  /// Record every this many steps (descent) or time units (gradient flow).
  public var recordEvery: Double
  /// A rounding-level change of the initial factors (the harness's sensitivity check); `nil` for none.
  public var perturbation: InitialPerturbation?

  /// A problem with the given parts.
  public init(
    target: Matrix, observations: Observations, depth: Int, width: Int? = nil,
    initialization: Initialization, loss: LossReduction, method: TrainingMethod,
    stop: StopRule, recordEvery: Double = 100, perturbation: InitialPerturbation? = nil
  ) {
    self.perturbation = perturbation
    self.target = target
    self.observations = observations
    self.depth = depth
    self.width = width
    self.initialization = initialization
    self.loss = loss
    self.method = method
    self.stop = stop
    self.recordEvery = recordEvery
  }

  /// The network's shape.
  public var shape: NetworkShape {
    NetworkShape(rows: target.rows, columns: target.columns, depth: depth, width: width)
  }

  /// The objective.
  public var objective: Objective {
    Objective(target: target, observations: observations, reduction: loss)
  }
}

/// How the factors move.
public enum TrainingMethod: Sendable {
  /// Discrete steps of an optimizer.
  case descent(any Optimizer)
  /// Gradient flow dθ/dt = −∇ℓ(θ), integrated by adaptive Dormand–Prince RK45 with the given
  /// relative tolerance (absolute tolerance: relative × 1e-3). Its clock is continuous time.
  case gradientFlow(relativeTolerance: Double)

  /// `gd`, `adam`, … or `gradient-flow`.
  public var name: String {
    switch self {
    case .descent(let optimizer): optimizer.name
    case .gradientFlow: "gradient-flow"
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
