import LinearAlgebra

/// Trains a deep linear network on a ``TrainingProblem``.
///
/// The ``TrainingDriver`` owns the stop, divergence and recording rules; a ``DescentStepper`` or a
/// ``FlowStepper``, specialised for the optimizer and the gradient evaluator, advances between
/// record points, so that the hot loop is the optimizer's update and one gradient evaluation
/// (3(N−1) products) per step, allocating nothing. The loss recorded at step t is that of W after t
/// updates; step 0 is the initial state.
public enum Trainer {
  /// The loss growth factor beyond which a run is declared diverged.
  public static let divergenceFactor = StepLimits.divergenceFactor

  /// Runs `problem`, calling `observers` at every record point; `path` forces the gradient engine's
  /// path (for comparisons; by default the engine chooses, see ``GradientEngine/Path``).
  ///
  /// - Throws: ``InitializationError`` when the initialisation does not fit the network.
  public static func train(
    _ problem: TrainingProblem, observers: [any TrainingObserver] = [], path: GradientEngine.Path? = nil
  ) throws(InitializationError) -> TrainingResult {
    let state = try TrainingState(problem: problem, observers: observers, path: path)
    switch problem.method {
    case .descent(let optimizer):
      // The optimizer's concrete type reaches the hot loop, which is specialised for it (an opened
      // existential would leave every step's update an unspecialised witness call).
      var run = DescentDispatch(state: consume state)
      return optimizer.accept(&run)
    case .gradientFlow(let tolerance):
      return state.runGradientFlow(relativeTolerance: tolerance)
    }
  }

  /// Runs `problem` with `optimizer` in place of its method: for an optimizer that is not (yet) an
  /// ``OptimizerChoice`` — an experiment, or a deliberately broken variant a test must catch. It has
  /// no problem-file kind, so such a run cannot be exported.
  ///
  /// - Throws: ``InitializationError`` when the initialisation does not fit the network.
  public static func train<O: Optimizer>(
    _ problem: TrainingProblem, using optimizer: O, observers: [any TrainingObserver] = [], path: GradientEngine.Path? = nil
  ) throws(InitializationError) -> TrainingResult {
    try TrainingState(problem: problem, observers: observers, path: path).runDescent(optimizer)
  }
}

/// Hands the optimizer's concrete type from an ``OptimizerChoice`` to the descent stepper.
private struct DescentDispatch: OptimizerVisitor {
  var state: TrainingState?

  mutating func visit<O: Optimizer>(_ optimizer: O) -> TrainingResult {
    let state = self.state.take()!
    return state.runDescent(optimizer)
  }
}

/// The mutable state of one run: parameter, gradient and workspace arenas, plus the trajectory.
struct TrainingState: RunState {
  let engine: GradientEngine
  let problem: TrainingProblem
  let observers: [any TrainingObserver]
  var parameters: [Double]
  var gradients: [Double]
  var workspace: [Double]
  var trajectory: [TrajectoryPoint] = []

  /// The state at the problem's (perturbed) initialisation.
  init(problem: TrainingProblem, observers: [any TrainingObserver], path: GradientEngine.Path?) throws(InitializationError) {
    precondition(problem.minibatch == nil || !problem.method.isGradientFlow, "minibatch gradients need a descent method, not gradient flow")
    let shape = problem.shape
    let engine = GradientEngine(shape: shape, objective: problem.objective, path: path)
    var parameters = engine.parameters(of: try problem.initialization.factors(for: shape))
    problem.perturbation?.apply(to: &parameters)
    self.engine = engine
    self.problem = problem
    self.observers = observers
    self.parameters = parameters
    self.gradients = [Double](repeating: 0, count: parameters.count)
    self.workspace = [Double](repeating: 0, count: engine.workspaceSize)
  }

  /// Loss at the current parameters; the gradients are left in `gradients`.
  mutating func evaluate() -> Double {
    let engine = self.engine
    return parameters.withUnsafeBufferPointer { p in
      gradients.withUnsafeMutableBufferPointer { g in
        workspace.withUnsafeMutableBufferPointer { w in
          engine.evaluate(parameters: p.baseAddress!, gradients: g.baseAddress!, workspace: w.baseAddress!)
        }
      }
    }
  }

  /// Records the current state and tells the observers.
  mutating func record(step: Int, time: Double?, loss: Double) {
    let factors = engine.factors(of: parameters)
    let product = engine.product(of: parameters)
    var point = TrajectoryPoint(step: step, time: time, loss: loss, singularValues: [], effectiveRank: nil, determinant: nil)
    if let sigma = try? product.singularValues() {
      point.singularValues = sigma
      point.effectiveRank = SpectralFunctions.effectiveRank(sigma)
      if product.isSquare { point.determinant = try? product.determinant() }
    }
    trajectory.append(point)
    let snapshot = TrainingSnapshot(step: step, time: time, loss: loss, factors: factors, product: product)
    for observer in observers { observer.observe(snapshot) }
  }

  /// The result of a run that ended with `status` after the stepper's steps (and time).
  func result<S: Stepper>(status: TrainingStatus, of stepper: S) -> TrainingResult {
    TrainingResult(
      status: status, steps: stepper.steps, time: stepper.time, loss: stepper.loss, factors: engine.factors(of: parameters),
      product: engine.product(of: parameters), trajectory: trajectory)
  }

  /// The driver for the problem's stop rule and recording schedule.
  var driver: TrainingDriver { TrainingDriver(stop: problem.stop, schedule: problem.recording) }

  /// Descent with the most specialized evaluator for the engine, chosen here, once, so that the
  /// stepper is specialized for it.
  consuming func runDescent<O: Optimizer>(_ optimizer: O) -> TrainingResult {
    let engine = self.engine
    var run = DescentRun(state: self, optimizer: optimizer)
    return engine.withSpecializedEvaluator(&run)
  }

  /// Gradient flow with the most specialized evaluator for the engine (chosen once).
  consuming func runGradientFlow(relativeTolerance: Double) -> TrainingResult {
    let engine = self.engine
    var run = FlowRun(state: self, relativeTolerance: relativeTolerance)
    return engine.withSpecializedEvaluator(&run)
  }
}

/// A descent run as a ``GradientEvaluatorVisitor``: the state and the optimizer, waiting for the evaluator.
struct DescentRun<O: Optimizer>: GradientEvaluatorVisitor {
  var state: TrainingState?
  let optimizer: O

  mutating func visit<E: GradientEvaluator>(_ evaluator: E) -> TrainingResult {
    var state = self.state.take()!
    let loss = state.evaluate()
    let layout = state.engine.shape.parameterLayout
    var stepper = DescentStepper(
      state: consume state, loss: loss, optimizer: optimizer, layout: layout, evaluator: evaluator)
    let status = stepper.state.driver.run(&stepper)
    return stepper.state.result(status: status, of: stepper)
  }
}

/// A gradient-flow run as a ``GradientEvaluatorVisitor``: the state and the tolerance, waiting for the evaluator.
struct FlowRun: GradientEvaluatorVisitor {
  var state: TrainingState?
  let relativeTolerance: Double

  mutating func visit<E: GradientEvaluator>(_ evaluator: E) -> TrainingResult {
    var state = self.state.take()!
    let loss = state.evaluate()
    var stepper = FlowStepper(state: consume state, loss: loss, relativeTolerance: relativeTolerance, evaluator: evaluator)
    let status = stepper.state.driver.run(&stepper)
    return stepper.state.result(status: status, of: stepper)
  }
}
