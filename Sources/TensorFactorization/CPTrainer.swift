public import DeepFactorization

/// A CP factorization training run: shape, objective, start, method, when to stop and record.
public struct CPProblem: Sendable {
  /// The factorization's shape (its dimensions are the target's).
  public var shape: CPShape
  /// What it is fitted to.
  public var objective: TensorObjective
  /// The starting factors.
  public var initialization: CPInitialization
  /// Descent by any ``Optimizer`` of the matrix engine, or gradient flow by its integrator.
  public var method: TrainingMethod
  /// When to stop (`maxSteps`, `lossBelow`; `maxTime` for gradient flow).
  public var stop: StopRule
  /// When to record a trajectory point, besides the first and the last.
  public var recording: RecordingSchedule
  /// Tensors P whose inner products ⟨W, P⟩ each trajectory point records (e.g. a target's
  /// components, to follow how much of each has been learned).
  public var probes: [Tensor]
  /// A rounding-level change of the starting parameters (the harness's sensitivity check); `nil` for none.
  public var perturbation: InitialPerturbation?

  /// A problem trained by `method`.
  public init(
    shape: CPShape, objective: TensorObjective, initialization: CPInitialization, method: TrainingMethod, stop: StopRule, recording: RecordingSchedule,
    probes: [Tensor] = [], perturbation: InitialPerturbation? = nil
  ) {
    self.perturbation = perturbation
    self.shape = shape
    self.objective = objective
    self.initialization = initialization
    self.method = method
    self.stop = stop
    self.recording = recording
    self.probes = probes
  }

  /// A problem trained by descent with `optimizer`.
  public init(
    shape: CPShape, objective: TensorObjective, initialization: CPInitialization, optimizer: OptimizerChoice, stop: StopRule, recording: RecordingSchedule,
    probes: [Tensor] = [], perturbation: InitialPerturbation? = nil
  ) {
    self.init(
      shape: shape, objective: objective, initialization: initialization, method: .descent(optimizer), stop: stop, recording: recording, probes: probes,
      perturbation: perturbation)
  }
}

/// One recorded state of a CP run.
public struct CPTrajectoryPoint: Sendable, Codable, Equatable {
  /// The step (for gradient flow: the integrator's accepted steps).
  public var step: Int
  /// The flow time (gradient flow only).
  public var time: Double?
  /// The loss.
  public var loss: Double
  /// The component norms ‖w_r¹ ⊗ ⋯ ⊗ w_r^N‖, largest first.
  public var componentNorms: [Double]
  /// ‖W − target‖_F/‖target‖_F over every entry.
  public var reconstructionError: Double
  /// ⟨W, P⟩ for each of the problem's probes P.
  public var probes: [Double]
}

/// How a CP run ended.
public typealias CPTrainingResult = TensorTrainingResult<CPTrajectoryPoint>

/// Trains a CP factorization by an ``Optimizer`` on the flat parameter vector, or by gradient flow.
public enum CPTrainer {
  /// Runs `problem` through the matrix trainer's driver and steppers: a loss that becomes non-finite
  /// or exceeds ``Trainer/divergenceFactor`` × its initial value ends the run as `diverged`; one below
  /// `stop.lossBelow` as `converged` (``StepLimits``).
  public static func train(_ problem: CPProblem) -> CPTrainingResult {
    let engine = CPEngine(shape: problem.shape, objective: problem.objective)
    var start = problem.initialization.parameters(for: problem.shape)
    problem.perturbation?.apply(to: &start)
    var run = CPRun(engine: engine, problem: problem, parameters: start)
    let loss = run.evaluate()
    let outcome = TrainingDriver(stop: problem.stop, schedule: problem.recording).train(
      consume run, loss: loss, method: problem.method, layout: problem.shape.parameterLayout, evaluator: engine)
    return outcome.state.result(outcome)
  }
}

/// One CP run's parameters, gradient and trajectory, advanced by the descent or the flow stepper.
struct CPRun: RunState {
  let engine: CPEngine
  let problem: CPProblem
  var parameters: [Double]
  var gradients: [Double]
  var workspace: [Double] = [0]  // unused by the CP engine; one entry so that its pointer exists
  var trajectory: [CPTrajectoryPoint] = []

  init(engine: CPEngine, problem: CPProblem, parameters: [Double]) {
    self.engine = engine
    self.problem = problem
    self.parameters = parameters
    self.gradients = [Double](repeating: 0, count: parameters.count)
  }

  /// The loss at the current parameters, with the gradient left in `gradients`.
  mutating func evaluate() -> Double {
    let engine = self.engine
    return parameters.withUnsafeBufferPointer { p in
      gradients.withUnsafeMutableBufferPointer { g in engine.loss(at: p.baseAddress!, gradient: g.baseAddress!) }
    }
  }

  mutating func record(step: Int, time: Double?, loss: Double) {
    trajectory.append(CPTrajectoryPoint(engine: engine, factors: parameters, probes: problem.probes, step: step, time: time, loss: loss))
  }

  /// The result of the run that ended as `outcome` says.
  func result(_ outcome: TrainingOutcome<Self>) -> CPTrainingResult {
    CPTrainingResult(status: outcome.status, steps: outcome.steps, time: outcome.time, loss: outcome.loss, parameters: parameters, trajectory: trajectory)
  }
}

extension CPTrajectoryPoint {
  /// The record of CP factors `factors` (the CP factorization's, or a deep one's effective factors).
  init(engine: CPEngine, factors: [Double], probes: [Tensor], step: Int, time: Double?, loss: Double) {
    let w = engine.tensor(at: factors)
    self.init(
      step: step, time: time, loss: loss, componentNorms: engine.componentNorms(at: factors).sorted(by: >),
      reconstructionError: engine.reconstructionError(of: w),
      probes: probes.map { probe in zip(w.entries, probe.entries).reduce(0) { $0 + $1.0 * $1.1 } })
  }
}

extension CPEngine: GradientEvaluator {
  /// The loss and gradient for the steppers (the CP engine needs no workspace).
  package func evaluate(parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>) -> Double {
    loss(at: parameters, gradient: gradients)
  }
}
