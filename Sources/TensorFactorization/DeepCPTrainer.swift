public import DeepFactorization

/// A deep CP factorization training run (``DeepCPShape``): the CP problem's objective, method, stop,
/// records and probes, with the shape's depth and a start for the vectors and the scalars.
public struct DeepCPProblem: Sendable {
  /// The shape.
  public var shape: DeepCPShape
  /// What it is fitted to.
  public var objective: TensorObjective
  /// The start: the full parameter vector (vectors, then scalars).
  public var start: [Double]
  /// Descent by any ``Optimizer``, or gradient flow.
  public var method: TrainingMethod
  /// When to stop.
  public var stop: StopRule
  /// When to record, besides the first and the last state.
  public var recording: RecordingSchedule
  /// Tensors P whose inner products ⟨W, P⟩ each record holds.
  public var probes: [Tensor]
  /// A rounding-level change of the start (the harness's sensitivity check); nil for none.
  public var perturbation: InitialPerturbation?

  /// A problem from the parameter vector `start` (``DeepCPShape/parameterCount`` entries).
  public init(
    shape: DeepCPShape, objective: TensorObjective, start: [Double], method: TrainingMethod, stop: StopRule, recording: RecordingSchedule,
    probes: [Tensor] = [], perturbation: InitialPerturbation? = nil
  ) {
    precondition(start.count == shape.parameterCount, "\(start.count) parameters for a deep CP shape that has \(shape.parameterCount)")
    self.shape = shape
    self.objective = objective
    self.start = start
    self.method = method
    self.stop = stop
    self.recording = recording
    self.probes = probes
    self.perturbation = perturbation
  }

  /// The balanced start: every one of a component's K = N·L weights of norm `weightNorm` (the
  /// vectors in uniformly random directions, the scalars positive), so every component has norm
  /// `weightNorm`^K.
  public static func balancedStart(shape: DeepCPShape, weightNorm: Double, seed: UInt64) -> [Double] {
    CPInitialization.balanced(norm: weightNorm, seed: seed).parameters(for: shape.cp)
      + [Double](repeating: weightNorm, count: shape.parameterCount - shape.cp.parameterCount)
  }
}

/// Trains a deep CP factorization through the shared driver (every optimizer, and gradient flow).
public enum DeepCPTrainer {
  /// Runs `problem`; a loss that becomes non-finite or explodes ends the run as `diverged`.
  public static func train(_ problem: DeepCPProblem) -> CPTrainingResult {
    let engine = DeepCPEngine(shape: problem.shape, objective: problem.objective)
    var start = problem.start
    problem.perturbation?.apply(to: &start)
    var run = DeepCPRun(engine: engine, probes: problem.probes, parameters: start)
    let loss = run.evaluate()
    let outcome = TrainingDriver(stop: problem.stop, schedule: problem.recording).train(
      consume run, loss: loss, method: problem.method, layout: problem.shape.parameterLayout, evaluator: engine)
    let state = outcome.state
    return CPTrainingResult(status: outcome.status, steps: outcome.steps, time: outcome.time, loss: outcome.loss, parameters: state.parameters, trajectory: state.trajectory)
  }
}

/// One deep CP run's parameters, gradient and records (of the effective CP factorization).
struct DeepCPRun: RunState {
  let engine: DeepCPEngine
  let probes: [Tensor]
  var parameters: [Double]
  var gradients: [Double]
  var workspace: [Double] = [0]  // unused; one entry so that its pointer exists
  var trajectory: [CPTrajectoryPoint] = []

  init(engine: DeepCPEngine, probes: [Tensor], parameters: [Double]) {
    self.engine = engine
    self.probes = probes
    self.parameters = parameters
    self.gradients = [Double](repeating: 0, count: parameters.count)
  }

  mutating func evaluate() -> Double {
    let engine = self.engine
    return parameters.withUnsafeBufferPointer { p in
      gradients.withUnsafeMutableBufferPointer { g in engine.loss(at: p.baseAddress!, gradient: g.baseAddress!) }
    }
  }

  mutating func record(step: Int, time: Double?, loss: Double) {
    trajectory.append(CPTrajectoryPoint(engine: engine.cp, factors: engine.effectiveParameters(parameters), probes: probes, step: step, time: time, loss: loss))
  }
}
