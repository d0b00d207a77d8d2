public import LinearAlgebra

/// How a run ended.
public enum TrainingStatus: String, Sendable, Codable {
  /// The loss fell below `lossBelow`.
  case converged
  /// `maxSteps` was reached.
  case maxSteps = "max-steps"
  /// `maxTime` was reached (gradient flow).
  case maxTime = "max-time"
  /// The loss became non-finite or exceeded 1e12 × its initial value: a result, not a crash.
  case diverged
  /// The integrator could not make progress: the step its tolerance asks for is below what the
  /// time (or 1e-14) can resolve. A result, not a hang: a tolerance near the limits of double
  /// precision, or a stiff region, ends here.
  case stalled
}

/// One recorded state of a run.
public struct TrajectoryPoint: Sendable, Codable, Equatable {
  /// Updates applied so far (descent) or accepted integrator steps (gradient flow).
  public var step: Int
  /// Continuous time (gradient flow only).
  public var time: Double?
  /// The loss of W after `step` updates.
  public var loss: Double
  /// All singular values of W, largest first (empty when W is not finite).
  public var singularValues: [Double]
  /// Roy & Vetterli's effective rank of W (nil when W is not finite).
  public var effectiveRank: Double?
  /// det W, for square W (nil otherwise or when W is not finite).
  public var determinant: Double?

  /// A point with the given values.
  public init(step: Int, time: Double?, loss: Double, singularValues: [Double], effectiveRank: Double?, determinant: Double?) {
    self.step = step
    self.time = time
    self.loss = loss
    self.singularValues = singularValues
    self.effectiveRank = effectiveRank
    self.determinant = determinant
  }
}

/// A run's outcome: status, final state and the recorded trajectory.
public struct TrainingResult: Sendable {
  /// How it ended.
  public var status: TrainingStatus
  /// Updates applied (descent) or accepted integrator steps (gradient flow).
  public var steps: Int
  /// Final time (gradient flow), nil for descent.
  public var time: Double?
  /// The final loss.
  public var loss: Double
  /// The final factors W_1 … W_N.
  public var factors: [Matrix]
  /// The final end-to-end matrix W = W_N ⋯ W_1.
  public var product: Matrix
  /// Recorded states; the first is the initial state (step 0), the last the final state.
  public var trajectory: [TrajectoryPoint]
}

/// The state handed to observers at every record point.
public struct TrainingSnapshot {
  /// Updates (or integrator steps) so far.
  public var step: Int
  /// Continuous time (gradient flow).
  public var time: Double?
  /// The loss of the current W.
  public var loss: Double
  /// The factors W_1 … W_N.
  public var factors: [Matrix]
  /// W = W_N ⋯ W_1.
  public var product: Matrix
}

/// Something that watches a run at its record points (claims add entries of W, norms,
/// balancedness…). Observers are called on the training task, in order.
public protocol TrainingObserver: AnyObject {
  /// Called at every record point, including step 0 and the final state.
  func observe(_ snapshot: TrainingSnapshot)
}
