import RealModule

/// The Dormand–Prince 5(4) tableau.
private enum DormandPrince {
  static let a: [[Double]] = [
    [],
    [1.0 / 5],
    [3.0 / 40, 9.0 / 40],
    [44.0 / 45, -56.0 / 15, 32.0 / 9],
    [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
    [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
    [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],  // = the 5th-order weights
  ]
  /// 5th-order weights minus the embedded 4th-order ones: the local error estimate.
  static let e: [Double] = [71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40]
}

extension TrainingState {
  /// Gradient flow dθ/dt = −∇ℓ(θ) by ``FlowState/integrateFlow(evaluator:loss:relativeTolerance:maxTime:maxSteps:recordEvery:)``.
  consuming func runGradientFlow(relativeTolerance: Double) -> TrainingResult {
    // The evaluator is chosen once, so that the integrator's loop is specialized for it.
    let engine = self.engine
    var run = FlowRun(state: self, relativeTolerance: relativeTolerance)
    return engine.withSpecializedEvaluator(&run)
  }

  mutating func runGradientFlow<E: GradientEvaluator>(relativeTolerance: Double, evaluator engine: E) -> TrainingResult {
    let loss = evaluate()
    initialLoss = loss
    record(step: 0, time: 0, loss: loss)
    if let status = limits.status(after: loss) { return result(status: status, steps: 0, time: 0, loss: loss) }
    let end = integrateFlow(
      evaluator: engine, loss: loss, relativeTolerance: relativeTolerance, maxTime: problem.stop.maxTime ?? .infinity,
      maxSteps: problem.stop.maxSteps ?? Int.max, recordEvery: problem.recordEvery > 0 ? problem.recordEvery : .infinity)
    return result(status: end.status, steps: end.steps, time: end.time, loss: end.loss)
  }
}

extension TrainingState: FlowState {}

/// What the Dormand–Prince integrator advances: a parameter vector with its gradient and workspace
/// arenas, and how to judge and record a state. The matrix trainer and the CP trainer both conform.
package protocol FlowState {
  /// θ.
  var parameters: [Double] { get set }
  /// ∇ℓ(θ) (on entry: at the starting θ; on return: at the final θ).
  var gradients: [Double] { get set }
  /// The evaluator's scratch space.
  var workspace: [Double] { get set }
  /// When a loss ends the run (diverged or converged): the one rule of every training loop.
  var limits: StepLimits { get }
  /// Records the current state.
  mutating func record(step: Int, time: Double?, loss: Double)
}

extension FlowState {
  /// Gradient flow dθ/dt = −∇ℓ(θ) from the current θ (whose loss is `loss` and gradient is in
  /// `gradients`) by Dormand–Prince RK45 (first same as last), with adaptive steps controlled by the
  /// error norm √(mean((errᵢ/(atol + rtol·|θᵢ|))²)) ≤ 1, atol = rtol·1e-3. Steps are shortened to land
  /// exactly on record times (multiples of `recordEvery`, recorded) and on `maxTime`. A tolerance that
  /// asks for a step too small to move the time (below max(1e-14, 16 ulp(t))) ends the run as
  /// ``TrainingStatus/stalled``; a non-finite trial that cannot be shrunk further as diverged. The
  /// final state is recorded; all stage buffers are allocated once.
  package mutating func integrateFlow<E: GradientEvaluator>(
    evaluator engine: E, loss initialLoss: Double, relativeTolerance: Double, maxTime: Double, maxSteps: Int, recordEvery every: Double
  ) -> (status: TrainingStatus, steps: Int, time: Double, loss: Double) {
    let count = parameters.count
    let rtol = relativeTolerance, atol = relativeTolerance * 1e-3
    var loss = initialLoss
    let limits = self.limits
    // Stage gradients k₁…k₇ of ℓ, one after another (the flow's derivative is their negative).
    var stages = [Double](repeating: 0, count: 7 * count)
    for i in 0 ..< count { stages[i] = gradients[i] }
    var trial = parameters

    // Initial step: 1 % of ‖θ‖/‖∇ℓ‖ in the scaled norm (Hairer, Nørsett & Wanner's first guess).
    var d0 = 0.0, d1 = 0.0
    for i in 0 ..< count {
      let s = atol + rtol * abs(parameters[i])
      d0 += (parameters[i] / s) * (parameters[i] / s)
      d1 += (gradients[i] / s) * (gradients[i] / s)
    }
    var h = (d0 < 1e-10 || d1 < 1e-10) ? 1e-6 : 0.01 * (d0 / d1).squareRoot()
    if !(h.isFinite && h > 0) { h = 1e-6 }  // both norms overflowed (a tolerance near 1e-300): ∞/∞
    var time = 0.0
    var steps = 0
    var nextRecord = every
    var status: TrainingStatus?
    // θ and the workspace are held in locals while the loop runs (a protocol's properties cannot be
    // borrowed side by side), and put back around every record.
    var theta = [Double](), scratch = [Double]()
    swap(&theta, &parameters)
    swap(&scratch, &workspace)
    while status == nil {
      let landing = Swift.min(nextRecord, maxTime)
      var hitsLanding = false
      if time + h >= landing {
        h = landing - time
        hitsLanding = true
      }
      var trialLoss = 0.0
      var errorNorm = 0.0
      theta.withUnsafeMutableBufferPointer { theta in
        trial.withUnsafeMutableBufferPointer { y in
          stages.withUnsafeMutableBufferPointer { k in
            scratch.withUnsafeMutableBufferPointer { w in
              for stage in 1 ..< 7 {
                let weights = DormandPrince.a[stage]
                for i in 0 ..< count {
                  var sum = 0.0
                  for j in 0 ..< stage { sum += weights[j] * k[j * count + i] }
                  y[i] = theta[i] - h * sum
                }
                trialLoss = engine.evaluate(
                  parameters: UnsafePointer(y.baseAddress!), gradients: k.baseAddress! + stage * count, workspace: w.baseAddress!)
              }
              var sum = 0.0
              for i in 0 ..< count {
                var err = 0.0
                for j in 0 ..< 7 { err += DormandPrince.e[j] * k[j * count + i] }
                err *= h
                let s = atol + rtol * Swift.max(abs(theta[i]), abs(y[i]))
                sum += (err / s) * (err / s)
              }
              errorNorm = (sum / Double(Swift.max(1, count))).squareRoot()
            }
          }
        }
      }
      // The smallest step that still moves the time: below it the integrator cannot progress.
      let minimumStep = Swift.max(1e-14, 16 * time.ulp)
      if errorNorm.isNaN || !trialLoss.isFinite {
        // The trial left the finite world: shrink hard, and give up as diverged when h is tiny.
        if !(h > minimumStep) {
          loss = trialLoss
          status = .diverged
          break
        }
        h *= 0.1
        continue
      }
      if errorNorm > 1 && !(h > minimumStep) {
        status = .stalled
        break
      }
      if errorNorm <= 1 {
        // Accept: θ ← the 5th-order solution, k₁ ← k₇ (FSAL), and the loss is the last stage's.
        swap(&theta, &trial)
        for i in 0 ..< count { stages[i] = stages[6 * count + i] }
        time = hitsLanding ? landing : time + h
        steps += 1
        loss = trialLoss
        if let stop = limits.status(after: loss) {
          status = stop
        } else if time >= maxTime {
          status = .maxTime
        } else if steps >= maxSteps {
          status = .maxSteps
        }
        if hitsLanding && time >= nextRecord {
          nextRecord += every
          if status == nil {
            swap(&theta, &parameters)
            record(step: steps, time: time, loss: loss)
            swap(&theta, &parameters)
          }
        }
      }
      let factor = errorNorm == 0 ? 5 : Swift.min(5, Swift.max(0.2, 0.9 * Double.pow(errorNorm, -0.2)))
      h *= factor
    }
    swap(&theta, &parameters)
    swap(&scratch, &workspace)
    // The gradients of the final state, for callers that inspect them.
    for i in 0 ..< count { gradients[i] = stages[i] }
    record(step: steps, time: time, loss: loss)
    return (status!, steps, time, loss)
  }
}

/// A gradient-flow run as a ``GradientEvaluatorVisitor``: the state and the tolerance, waiting for the evaluator.
struct FlowRun: GradientEvaluatorVisitor {
  var state: TrainingState
  let relativeTolerance: Double

  mutating func visit<E: GradientEvaluator>(_ evaluator: E) -> TrainingResult {
    state.runGradientFlow(relativeTolerance: relativeTolerance, evaluator: evaluator)
  }
}
