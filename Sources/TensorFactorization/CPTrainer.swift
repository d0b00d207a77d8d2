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
  /// Record a trajectory point every this many steps (descent) or this much time (flow), and at the end.
  public var recordEvery: Double
  /// Tensors P whose inner products ⟨W, P⟩ each trajectory point records (e.g. a target's
  /// components, to follow how much of each has been learned).
  public var probes: [Tensor]

  /// A problem trained by `method`; for descent `recordEvery` is rounded to a whole number of steps ≥ 1.
  public init(
    shape: CPShape, objective: TensorObjective, initialization: CPInitialization, method: TrainingMethod, stop: StopRule, recordEvery: Double,
    probes: [Tensor] = []
  ) {
    self.shape = shape
    self.objective = objective
    self.initialization = initialization
    self.method = method
    self.stop = stop
    if case .descent = method { self.recordEvery = Swift.max(1, recordEvery.rounded()) } else { self.recordEvery = recordEvery }
    self.probes = probes
  }

  /// A problem trained by `optimizer`, recorded every `recordEvery` steps.
  public init(
    shape: CPShape, objective: TensorObjective, initialization: CPInitialization, optimizer: OptimizerChoice, stop: StopRule, recordEvery: Int,
    probes: [Tensor] = []
  ) {
    self.init(
      shape: shape, objective: objective, initialization: initialization, method: .descent(optimizer), stop: stop, recordEvery: Double(recordEvery), probes: probes)
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
public struct CPTrainingResult: Sendable {
  /// Converged, max-steps or diverged (a result, never a crash).
  public var status: TrainingStatus
  /// Steps taken.
  public var steps: Int
  /// The flow time reached (gradient flow only).
  public var time: Double?
  /// The final loss.
  public var loss: Double
  /// The final parameters.
  public var parameters: [Double]
  /// The recorded points, the first at step 0.
  public var trajectory: [CPTrajectoryPoint]
}

/// Trains a CP factorization by an ``Optimizer`` on the flat parameter vector, or by gradient flow.
public enum CPTrainer {
  /// Runs `problem`: a loss that becomes non-finite or exceeds ``Trainer/divergenceFactor`` × its
  /// initial value ends the run as `diverged`; one below `stop.lossBelow` as `converged` (the matrix
  /// trainer's rule, ``StepLimits``).
  public static func train(_ problem: CPProblem) -> CPTrainingResult {
    let engine = CPEngine(shape: problem.shape, objective: problem.objective)
    var run = CPRun(engine: engine, problem: problem, parameters: problem.initialization.parameters(for: problem.shape))
    let loss = run.evaluate()
    run.initialLoss = loss
    run.record(step: 0, time: 0, loss: loss)
    if let status = run.limits.status(after: loss) { return run.result(status: status, steps: 0, time: 0, loss: loss) }
    switch problem.method {
    case .gradientFlow(let tolerance):
      let end = run.integrateFlow(
        evaluator: engine, loss: loss, relativeTolerance: tolerance, maxTime: problem.stop.maxTime ?? .infinity,
        maxSteps: problem.stop.maxSteps ?? Int.max, recordEvery: problem.recordEvery)
      return run.result(status: end.status, steps: end.steps, time: end.time, loss: end.loss)
    case .descent(let optimizer):
      var descent = CPDescent(run: consume run, loss: loss)
      return optimizer.accept(&descent)
    }
  }
}

/// One CP run's parameters, gradient and trajectory, advanced by descent or by the flow integrator.
struct CPRun: FlowState {
  let engine: CPEngine
  let problem: CPProblem
  var parameters: [Double]
  var gradients: [Double]
  var workspace: [Double] = [0]  // unused by the CP engine; one entry so that its pointer exists
  var trajectory: [CPTrajectoryPoint] = []
  var initialLoss = 0.0

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

  /// The stop test at the initial loss and the problem's stop rule (the matrix trainer's).
  var limits: StepLimits { StepLimits(initialLoss: initialLoss, lossBelow: problem.stop.lossBelow) }


  mutating func record(step: Int, time: Double?, loss: Double) {
    let w = engine.tensor(at: parameters)
    trajectory.append(CPTrajectoryPoint(
      step: step, time: time, loss: loss, componentNorms: engine.componentNorms(at: parameters).sorted(by: >),
      reconstructionError: engine.reconstructionError(of: w),
      probes: problem.probes.map { probe in zip(w.entries, probe.entries).reduce(0) { $0 + $1.0 * $1.1 } }))
  }

  func result(status: TrainingStatus, steps: Int, time: Double?, loss: Double) -> CPTrainingResult {
    CPTrainingResult(status: status, steps: steps, time: time, loss: loss, parameters: parameters, trajectory: trajectory)
  }

  /// Steps of `optimizer` from the current state (whose loss is `loss`) until the stop rule.
  mutating func descend<O: Optimizer>(_ optimizer: O, loss initial: Double) -> CPTrainingResult {
    var optimizer = optimizer
    optimizer.prepare(layout: problem.shape.parameterLayout)
    var loss = initial
    let maxSteps = problem.stop.maxSteps ?? Int.max
    let every = Int(problem.recordEvery)
    var step = 0
    var status = TrainingStatus.maxSteps
    let limits = self.limits
    while true {
      if let stop = limits.status(after: loss) {
        status = stop
        break
      }
      if step >= maxSteps { break }
      step += 1
      let count = parameters.count
      parameters.withUnsafeMutableBufferPointer { p in
        gradients.withUnsafeBufferPointer { g in optimizer.update(parameters: p.baseAddress!, gradients: g.baseAddress!, count: count, step: step) }
      }
      loss = evaluate()
      if step % every == 0 { record(step: step, time: nil, loss: loss) }
    }
    if trajectory.last?.step != step { record(step: step, time: nil, loss: loss) }
    return result(status: status, steps: step, time: nil, loss: loss)
  }
}

/// Hands the optimizer's concrete type from an ``OptimizerChoice`` to the CP descent loop.
private struct CPDescent: OptimizerVisitor {
  var run: CPRun
  let loss: Double

  mutating func visit<O: Optimizer>(_ optimizer: O) -> CPTrainingResult {
    run.descend(optimizer, loss: loss)
  }
}

extension CPEngine: GradientEvaluator {
  /// The loss and gradient for the flow integrator (the CP engine needs no workspace).
  package func evaluate(parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>) -> Double {
    loss(at: parameters, gradient: gradients)
  }
}
