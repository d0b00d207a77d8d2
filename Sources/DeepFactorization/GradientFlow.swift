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

/// Gradient flow dθ/dt = −∇ℓ(θ) by Dormand–Prince RK45 (first same as last), with adaptive steps
/// controlled by the error norm √(mean((errᵢ/(atol + rtol·|θᵢ|))²)) ≤ 1, atol = rtol·1e-3. A step is
/// shortened to land exactly on the horizon's time (a record time or `maxTime`). A tolerance that
/// asks for a step too small to move the time (below max(1e-14, 16 ulp(t))) ends the run as
/// ``TrainingStatus/stalled``; a non-finite trial that cannot be shrunk further as diverged. The
/// stage buffers are allocated once, when the stepper is made.
package struct FlowStepper<State: RunState, E: GradientEvaluator>: Stepper {
  /// The run being advanced.
  package var state: State
  private let evaluator: E
  private let rtol: Double, atol: Double
  /// Stage gradients k₁…k₇ of ℓ, one after another (the flow's derivative is their negative); k₁ is
  /// the gradient at the current θ.
  private var stages: [Double]
  /// The trial state of the step being tried.
  private var trial: [Double]
  /// The next step size to try.
  private var h: Double
  package private(set) var steps = 0
  private var clock = 0.0
  package private(set) var loss: Double
  package var time: Double? { clock }

  /// A stepper at `state` (time 0), whose loss is `loss` with its gradient in `state.gradients`,
  /// integrating with relative tolerance `relativeTolerance`.
  package init(state: State, loss: Double, relativeTolerance: Double, evaluator: E) {
    let count = state.parameters.count
    rtol = relativeTolerance
    atol = relativeTolerance * 1e-3
    stages = [Double](repeating: 0, count: 7 * count)
    for i in 0 ..< count { stages[i] = state.gradients[i] }
    trial = state.parameters
    // Initial step: 1 % of ‖θ‖/‖∇ℓ‖ in the scaled norm (Hairer, Nørsett & Wanner's first guess).
    var d0 = 0.0, d1 = 0.0
    for i in 0 ..< count {
      let s = atol + rtol * abs(state.parameters[i])
      d0 += (state.parameters[i] / s) * (state.parameters[i] / s)
      d1 += (state.gradients[i] / s) * (state.gradients[i] / s)
    }
    var h = (d0 < 1e-10 || d1 < 1e-10) ? 1e-6 : 0.01 * (d0 / d1).squareRoot()
    if !(h.isFinite && h > 0) { h = 1e-6 }  // both norms overflowed (a tolerance near 1e-300): ∞/∞
    self.h = h
    self.state = state
    self.loss = loss
    self.evaluator = evaluator
  }

  package mutating func advance(to horizon: Horizon, limits: StepLimits) -> TrainingStatus? {
    guard steps < horizon.steps && clock < horizon.time else { return nil }
    let engine = evaluator, rtol = self.rtol, atol = self.atol
    let count = state.parameters.count
    var h = self.h, time = clock, steps = self.steps, loss = self.loss
    var status: TrainingStatus?
    // θ and the workspace are held in locals while the loop runs (a protocol's properties cannot be
    // borrowed side by side), and put back before returning.
    var theta = [Double](), scratch = [Double](), stages = [Double](), trial = [Double]()
    swap(&theta, &state.parameters)
    swap(&scratch, &state.workspace)
    swap(&stages, &self.stages)
    swap(&trial, &self.trial)
    while true {
      let landing = horizon.time
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
      var landed = false
      if errorNorm <= 1 {
        // Accept: θ ← the 5th-order solution, k₁ ← k₇ (FSAL), and the loss is the last stage's.
        swap(&theta, &trial)
        for i in 0 ..< count { stages[i] = stages[6 * count + i] }
        time = hitsLanding ? landing : time + h
        steps += 1
        loss = trialLoss
        status = limits.status(after: loss)
        landed = (hitsLanding && time >= landing) || steps >= horizon.steps
      }
      let factor = errorNorm == 0 ? 5 : Swift.min(5, Swift.max(0.2, 0.9 * Double.pow(errorNorm, -0.2)))
      h *= factor
      if status != nil || landed { break }
    }
    swap(&theta, &state.parameters)
    swap(&scratch, &state.workspace)
    swap(&stages, &self.stages)
    swap(&trial, &self.trial)
    // The gradient at the current θ, for the record and for callers that inspect it.
    for i in 0 ..< count { state.gradients[i] = self.stages[i] }
    self.h = h
    self.clock = time
    self.steps = steps
    self.loss = loss
    return status
  }
}
