/// Descent by an optimizer: a step updates θ from ∇ℓ(θ), then evaluates the loss and gradient at the
/// new θ. Plain gradient descent runs the evaluator's own loop where it has one (a small network
/// held in registers, ``GradientEvaluator/descend(learningRate:parameters:gradients:workspace:step:until:limits:)``),
/// which takes the same steps to the same bits. Specialised for the optimizer and the evaluator, it
/// allocates nothing while it advances.
package struct DescentStepper<State: RunState, O: Optimizer, E: GradientEvaluator>: Stepper {
  /// The run being advanced.
  package var state: State
  /// The optimizer with its moments (held as an optional so that a step moves it out and back, never copying them).
  private var optimizer: O?
  private let evaluator: E
  /// η when the optimizer is plain gradient descent (the evaluator's own loop may then run).
  private let learningRate: Double?
  package private(set) var steps = 0
  package private(set) var loss: Double
  package var time: Double? { nil }

  /// A stepper at `state`, whose loss is `loss` with its gradient in `state.gradients`; the
  /// optimizer is prepared for the parameter blocks of `layout`.
  package init(state: State, loss: Double, optimizer: O, layout: ParameterLayout, evaluator: E) {
    self.state = state
    self.loss = loss
    var optimizer = optimizer
    optimizer.prepare(layout: layout)
    self.optimizer = optimizer
    self.evaluator = evaluator
    learningRate = (optimizer as? GradientDescent)?.learningRate
  }

  package mutating func advance(to horizon: Horizon, limits: StepLimits) -> TrainingStatus? {
    let end = horizon.steps
    guard steps < end else { return nil }
    let evaluator = self.evaluator, learningRate = self.learningRate
    var optimizer = self.optimizer.take()!
    var step = steps, loss = self.loss
    var status: TrainingStatus?
    state.withArenas { p, g, w in
      let count = p.count
      let p = p.baseAddress!, g = g.baseAddress!, w = w.baseAddress!
      if let eta = learningRate,
        let own = evaluator.descend(learningRate: eta, parameters: p, gradients: g, workspace: w, step: &step, until: end, limits: limits)
      {
        (loss, status) = own
        return
      }
      while step < end {
        step += 1
        optimizer.update(parameters: p, gradients: UnsafePointer(g), count: count, step: step)
        loss = evaluator.evaluate(parameters: UnsafePointer(p), gradients: g, workspace: w)
        status = limits.status(after: loss)
        if status != nil { return }
      }
    }
    self.optimizer = optimizer
    self.steps = step
    self.loss = loss
    return status
  }
}
