import LinearAlgebra

/// Trains a deep linear network on a ``TrainingProblem``.
///
/// Descent runs step after step in one pointer scope between record points, so the hot loop is
/// the optimizer's update and one gradient evaluation (3(N−1) products) per step, allocating
/// nothing. The loss recorded at step t is that of W after t updates; step 0 is the initial state.
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

/// Hands the optimizer's concrete type from an ``OptimizerChoice`` to the descent loop.
private struct DescentDispatch: OptimizerVisitor {
  var state: TrainingState?

  mutating func visit<O: Optimizer>(_ optimizer: O) -> TrainingResult {
    let state = self.state.take()!
    return state.runDescent(optimizer)
  }
}

/// The mutable state of one run: parameter, gradient and workspace arenas, plus the trajectory.
struct TrainingState {
  let engine: GradientEngine
  let problem: TrainingProblem
  let observers: [any TrainingObserver]
  var parameters: [Double]
  var gradients: [Double]
  var workspace: [Double]
  var trajectory: [TrajectoryPoint] = []
  var initialLoss = 0.0

  /// The state at the problem's (perturbed) initialisation.
  init(problem: TrainingProblem, observers: [any TrainingObserver], path: GradientEngine.Path?) throws(InitializationError) {
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

  /// The stop test at the initial loss and the problem's stop rule.
  var limits: StepLimits { StepLimits(initialLoss: initialLoss, lossBelow: problem.stop.lossBelow) }

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

  func result(status: TrainingStatus, steps: Int, time: Double?, loss: Double) -> TrainingResult {
    TrainingResult(
      status: status, steps: steps, time: time, loss: loss, factors: engine.factors(of: parameters),
      product: engine.product(of: parameters), trajectory: trajectory)
  }

  // MARK: - Descent

  /// Descent with the most specialized evaluator for the engine, chosen here, once, so that the hot
  /// loop is specialized for it.
  consuming func runDescent<O: Optimizer>(_ optimizer: O) -> TrainingResult {
    let engine = self.engine
    var run = DescentRun(state: self, optimizer: optimizer)
    return engine.withSpecializedEvaluator(&run)
  }

  mutating func runDescent<O: Optimizer, E: GradientEvaluator>(_ initial: O, evaluator engine: E) -> TrainingResult {
    var optimizer = initial
    let count = parameters.count
    optimizer.prepare(layout: self.engine.shape.parameterLayout)
    var loss = evaluate()
    initialLoss = loss
    record(step: 0, time: nil, loss: loss)
    let limits = self.limits
    if let status = limits.status(after: loss) { return result(status: status, steps: 0, time: nil, loss: loss) }
    let maxSteps = problem.stop.maxSteps ?? Int.max
    let every = Swift.max(1, Int(problem.recordEvery.rounded()))
    var step = 0
    var status: TrainingStatus?
    // Gradient descent runs the evaluator's own loop where it has one (a network held in registers).
    let learningRate = (optimizer as? GradientDescent)?.learningRate
    while status == nil {
      let chunkEnd = Swift.min(maxSteps, (step / every + 1) * every)
      let own = learningRate.flatMap { eta in
        parameters.withUnsafeMutableBufferPointer { p in
          gradients.withUnsafeMutableBufferPointer { g in
            workspace.withUnsafeMutableBufferPointer { w in
              engine.descend(
                learningRate: eta, parameters: p.baseAddress!, gradients: g.baseAddress!, workspace: w.baseAddress!,
                step: &step, until: chunkEnd, limits: limits)
            }
          }
        }
      }
      if let own {
        (loss, status) = own
      } else {
        parameters.withUnsafeMutableBufferPointer { p in
          gradients.withUnsafeMutableBufferPointer { g in
            workspace.withUnsafeMutableBufferPointer { w in
              let p = p.baseAddress!, g = g.baseAddress!, w = w.baseAddress!
              while step < chunkEnd {
                step += 1
                optimizer.update(parameters: p, gradients: UnsafePointer(g), count: count, step: step)
                loss = engine.evaluate(parameters: UnsafePointer(p), gradients: g, workspace: w)
                status = limits.status(after: loss)
                if status != nil { return }
              }
            }
          }
        }
      }
      if status == nil && step >= maxSteps { status = .maxSteps }
      record(step: step, time: nil, loss: loss)
    }
    return result(status: status!, steps: step, time: nil, loss: loss)
  }
}

/// A descent run as a ``GradientEvaluatorVisitor``: the state and the optimizer, waiting for the evaluator.
struct DescentRun<O: Optimizer>: GradientEvaluatorVisitor {
  var state: TrainingState
  let optimizer: O

  mutating func visit<E: GradientEvaluator>(_ evaluator: E) -> TrainingResult {
    state.runDescent(optimizer, evaluator: evaluator)
  }
}
