public import DeepFactorization

/// A CP factorization training run: shape, objective, start, optimizer, when to stop and record.
public struct CPProblem: Sendable {
  /// The factorization's shape (its dimensions are the target's).
  public var shape: CPShape
  /// What it is fitted to.
  public var objective: TensorObjective
  /// The starting factors.
  public var initialization: CPInitialization
  /// The update rule (any ``Optimizer`` of the matrix engine).
  public var optimizer: any Optimizer
  /// When to stop (`maxSteps`, `lossBelow`; a time limit does not apply to descent).
  public var stop: StopRule
  /// Record a trajectory point every this many steps (and at the last step).
  public var recordEvery: Int
  /// Tensors P whose inner products ⟨W, P⟩ each trajectory point records (e.g. a target's
  /// components, to follow how much of each has been learned).
  public var probes: [Tensor]

  /// A problem.
  public init(
    shape: CPShape, objective: TensorObjective, initialization: CPInitialization, optimizer: any Optimizer, stop: StopRule, recordEvery: Int,
    probes: [Tensor] = []
  ) {
    self.shape = shape
    self.objective = objective
    self.initialization = initialization
    self.optimizer = optimizer
    self.stop = stop
    self.recordEvery = Swift.max(1, recordEvery)
    self.probes = probes
  }
}

/// One recorded state of a CP run.
public struct CPTrajectoryPoint: Sendable, Codable, Equatable {
  /// The step.
  public var step: Int
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
  /// The final loss.
  public var loss: Double
  /// The final parameters.
  public var parameters: [Double]
  /// The recorded points, the first at step 0.
  public var trajectory: [CPTrajectoryPoint]
}

/// Trains a CP factorization by an ``Optimizer`` on the flat parameter vector.
public enum CPTrainer {
  /// Runs `problem`: a loss that becomes non-finite or exceeds 1e12 × its initial value ends the run
  /// as `diverged`; one below `stop.lossBelow` as `converged`.
  public static func train(_ problem: CPProblem) -> CPTrainingResult {
    let engine = CPEngine(shape: problem.shape, objective: problem.objective)
    var parameters = problem.initialization.parameters(for: problem.shape)
    var gradient = [Double](repeating: 0, count: parameters.count)
    var optimizer = problem.optimizer
    optimizer.prepare(parameterCount: parameters.count)
    var trajectory: [CPTrajectoryPoint] = []
    func record(_ step: Int, _ loss: Double) {
      let w = engine.tensor(at: parameters)
      trajectory.append(CPTrajectoryPoint(
        step: step, loss: loss, componentNorms: engine.componentNorms(at: parameters).sorted(by: >),
        reconstructionError: engine.reconstructionError(of: w),
        probes: problem.probes.map { probe in zip(w.entries, probe.entries).reduce(0) { $0 + $1.0 * $1.1 } }))
    }
    func evaluate() -> Double {
      parameters.withUnsafeBufferPointer { p in
        gradient.withUnsafeMutableBufferPointer { g in engine.loss(at: p.baseAddress!, gradient: g.baseAddress!) }
      }
    }
    var loss = evaluate()
    let initial = loss
    record(0, loss)
    let maxSteps = problem.stop.maxSteps ?? Int.max
    let lossBelow = problem.stop.lossBelow ?? -1
    var step = 0
    var status = TrainingStatus.maxSteps
    while true {
      if !loss.isFinite || loss > 1e12 * Swift.max(initial, 1e-300) {
        status = .diverged
        break
      }
      if loss < lossBelow {
        status = .converged
        break
      }
      if step >= maxSteps { break }
      step += 1
      let count = parameters.count
      parameters.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { g in optimizer.update(parameters: p.baseAddress!, gradients: g.baseAddress!, count: count, step: step) }
      }
      loss = evaluate()
      if step % problem.recordEvery == 0 { record(step, loss) }
    }
    if trajectory.last?.step != step { record(step, loss) }
    return CPTrainingResult(status: status, steps: step, loss: loss, parameters: parameters, trajectory: trajectory)
  }
}
