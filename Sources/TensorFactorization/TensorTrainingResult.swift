public import DeepFactorization

/// How a tensor factorization run (CP or hierarchical) ended, with the points it recorded.
public struct TensorTrainingResult<Point: Sendable>: Sendable {
  /// Converged, max-steps or diverged (a result, never a crash).
  public var status: TrainingStatus
  /// Steps taken (gradient flow: the integrator's accepted steps).
  public var steps: Int
  /// The flow time reached (gradient flow only).
  public var time: Double?
  /// The final loss.
  public var loss: Double
  /// The final parameters.
  public var parameters: [Double]
  /// The recorded points, the first at step 0.
  public var trajectory: [Point]

  /// A result of `status` after `steps` (and `time`) at `loss` and `parameters`, with its `trajectory`.
  public init(status: TrainingStatus, steps: Int, time: Double?, loss: Double, parameters: [Double], trajectory: [Point]) {
    self.status = status
    self.steps = steps
    self.time = time
    self.loss = loss
    self.parameters = parameters
    self.trajectory = trajectory
  }
}
