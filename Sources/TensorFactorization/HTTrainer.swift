public import DeepFactorization
import LinearAlgebra

/// A hierarchical tensor factorization training run: shape, objective, start, method, when to stop and
/// what to record.
public struct HTProblem: Sendable {
  /// The factorization's shape (its dimensions are the target's).
  public var shape: HTShape
  /// What it is fitted to.
  public var objective: TensorObjective
  /// The starting weights.
  public var initialization: HTInitialization
  /// Descent by any ``Optimizer``, or gradient flow.
  public var method: TrainingMethod
  /// When to stop.
  public var stop: StopRule
  /// When to record, besides the first and the last step.
  public var recording: RecordingSchedule
  /// How many of the largest local component norms each window records (the code's `num_top_to_track` is 15; its figure plots 10).
  public var trackedComponents: Int
  /// Whether each point records the effective ranks of the mode tree's matricizations (an SVD each).
  public var recordsMatricizations: Bool
  /// Tensors P whose inner products ⟨W, P⟩ each point records.
  public var probes: [Tensor]
  /// A rounding-level change of the starting parameters (the harness's sensitivity check); nil for none.
  public var perturbation: InitialPerturbation?

  /// A problem trained by `method`.
  public init(
    shape: HTShape, objective: TensorObjective, initialization: HTInitialization, method: TrainingMethod, stop: StopRule, recording: RecordingSchedule,
    trackedComponents: Int = 10, recordsMatricizations: Bool = false, probes: [Tensor] = [], perturbation: InitialPerturbation? = nil
  ) {
    self.shape = shape
    self.objective = objective
    self.initialization = initialization
    self.method = method
    self.stop = stop
    self.recording = recording
    self.trackedComponents = trackedComponents
    self.recordsMatricizations = recordsMatricizations
    self.probes = probes
    self.perturbation = perturbation
  }
}

/// One recorded state of an HT run.
public struct HTTrajectoryPoint: Sendable, Codable, Equatable {
  /// The step (gradient flow: the integrator's accepted steps).
  public var step: Int
  /// The flow time (gradient flow only).
  public var time: Double?
  /// The loss.
  public var loss: Double
  /// Per hidden layer and pooling window (layer by layer, window by window), its largest local
  /// component norms, largest first.
  public var localComponentNorms: [[Double]]
  /// ‖W − target‖_F/‖target‖_F over every entry.
  public var reconstructionError: Double
  /// The effective rank of each matricization of the mode tree (every node below the root, level by
  /// level; rows: the node's modes), when the problem records them.
  public var matricizationEffectiveRanks: [Double]
  /// ⟨W, P⟩ for each probe P.
  public var probes: [Double]
}

/// How an HT run ended.
public typealias HTTrainingResult = TensorTrainingResult<HTTrajectoryPoint>

/// Trains a hierarchical tensor factorization through the matrix trainer's driver and steppers.
public enum HTTrainer {
  /// Runs `problem`: a loss that becomes non-finite or exceeds the divergence factor × its initial value
  /// ends the run as `diverged`; one below `stop.lossBelow` as `converged`.
  public static func train(_ problem: HTProblem) -> HTTrainingResult {
    let engine = HTEngine(shape: problem.shape, objective: problem.objective)
    var start = problem.initialization.parameters(for: problem.shape)
    problem.perturbation?.apply(to: &start)
    var run = HTRun(engine: engine, problem: problem, parameters: start)
    let loss = run.evaluate()
    let outcome = TrainingDriver(stop: problem.stop, schedule: problem.recording).train(
      consume run, loss: loss, method: problem.method, layout: problem.shape.parameterLayout, evaluator: engine)
    return outcome.state.result(outcome)
  }
}

/// One HT run's parameters, gradient and trajectory.
struct HTRun: RunState {
  let engine: HTEngine
  let problem: HTProblem
  let components: [HTLocalComponent]
  let matricizations: [[Int]]
  var parameters: [Double]
  var gradients: [Double]
  var workspace: [Double] = [0]  // unused: the engine keeps its own buffers
  var trajectory: [HTTrajectoryPoint] = []

  init(engine: HTEngine, problem: HTProblem, parameters: [Double]) {
    self.engine = engine
    self.problem = problem
    self.components = problem.shape.localComponents
    self.matricizations = problem.recordsMatricizations ? Array(problem.shape.modeTree.dropLast().joined()) : []
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
    let w = engine.tensor(at: parameters)
    trajectory.append(HTTrajectoryPoint(
      step: step, time: time, loss: loss,
      localComponentNorms: HTEngine.windowNorms(components, parameters, top: problem.trackedComponents),
      reconstructionError: engine.reconstructionError(of: w),
      matricizationEffectiveRanks: matricizations.map { (try? w.matricization(rows: $0).effectiveRank()) ?? .nan },
      probes: problem.probes.map { probe in zip(w.entries, probe.entries).reduce(0) { $0 + $1.0 * $1.1 } }))
  }

  /// The result of the run that ended as `outcome` says.
  func result(_ outcome: TrainingOutcome<Self>) -> HTTrainingResult {
    HTTrainingResult(status: outcome.status, steps: outcome.steps, time: outcome.time, loss: outcome.loss, parameters: parameters, trajectory: trajectory)
  }
}

extension HTEngine {
  /// Per (layer, window), the `top` largest norms of its local components, largest first.
  public static func windowNorms(_ components: [HTLocalComponent], _ parameters: [Double], top: Int) -> [[Double]] {
    var result = [[Double]](), current = [Double](), key: (Int, Int)? = nil
    for component in components {
      if let key, key != (component.layer, component.node) {
        result.append(Array(current.sorted(by: >).prefix(top)))
        current = []
      }
      key = (component.layer, component.node)
      current.append(component.norm(in: parameters))
    }
    result.append(Array(current.sorted(by: >).prefix(top)))
    return result
  }
}

extension HTEngine: GradientEvaluator {
  /// The loss and gradient for the steppers (the engine keeps its own buffers).
  package func evaluate(parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>) -> Double {
    loss(at: parameters, gradient: gradients)
  }
}

extension HTProblem {
  /// A problem trained by descent with `optimizer`.
  public init(
    shape: HTShape, objective: TensorObjective, initialization: HTInitialization, optimizer: OptimizerChoice, stop: StopRule, recording: RecordingSchedule,
    trackedComponents: Int = 10, recordsMatricizations: Bool = false, probes: [Tensor] = [], perturbation: InitialPerturbation? = nil
  ) {
    self.init(
      shape: shape, objective: objective, initialization: initialization, method: .descent(optimizer), stop: stop, recording: recording,
      trackedComponents: trackedComponents, recordsMatricizations: recordsMatricizations, probes: probes, perturbation: perturbation)
  }
}
