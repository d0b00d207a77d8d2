/// Where a run advanced by ``TrainingDriver/train(_:loss:method:layout:evaluator:)`` ended: its state
/// (parameters, gradient, trajectory) and the stepper's count, clock and loss.
package struct TrainingOutcome<State: RunState> {
  /// The run's final state.
  package var state: State
  /// Why it stopped.
  package var status: TrainingStatus
  /// Steps taken (gradient flow: accepted integrator steps).
  package var steps: Int
  /// The flow time reached (gradient flow only).
  package var time: Double?
  /// The loss at the final state.
  package var loss: Double
}

extension TrainingDriver {
  /// Advances `state` (whose loss is `loss`, with its gradient in `state.gradients`) by `method`:
  /// descent by the optimizer's concrete type over the parameter blocks of `layout`, or gradient flow
  /// by the integrator; the tensor trainers' one path through the driver.
  package func train<State: RunState, E: GradientEvaluator>(
    _ state: consuming State, loss: Double, method: TrainingMethod, layout: ParameterLayout, evaluator: E
  ) -> TrainingOutcome<State> {
    switch method {
    case .gradientFlow(let tolerance):
      var stepper = FlowStepper(state: state, loss: loss, relativeTolerance: tolerance, evaluator: evaluator)
      let status = run(&stepper)
      return TrainingOutcome(state: stepper.state, status: status, steps: stepper.steps, time: stepper.time, loss: stepper.loss)
    case .descent(let optimizer):
      var descent = StateDescent(state: state, loss: loss, driver: self, layout: layout, evaluator: evaluator)
      return optimizer.accept(&descent)
    }
  }
}

/// Hands the optimizer's concrete type to the descent stepper of any run state.
private struct StateDescent<State: RunState, E: GradientEvaluator>: OptimizerVisitor {
  var state: State?
  let loss: Double
  let driver: TrainingDriver
  let layout: ParameterLayout
  let evaluator: E

  mutating func visit<O: Optimizer>(_ optimizer: O) -> TrainingOutcome<State> {
    var stepper = DescentStepper(state: state.take()!, loss: loss, optimizer: optimizer, layout: layout, evaluator: evaluator)
    let status = driver.run(&stepper)
    return TrainingOutcome(state: stepper.state, status: status, steps: stepper.steps, time: stepper.time, loss: stepper.loss)
  }
}
