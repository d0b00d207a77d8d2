import ClaimKit
import Foundation

/// Ghosh, Kwon, Wang, Ravishankar & Qu (2025), "Learning Dynamics of Deep Matrix Factorization Beyond
/// the Edge of Stability", ICLR 2025, arXiv 2502.20531 (code: Avra98/Deep_matrix_facatorization_EOS).
///
/// Plain GD on ½‖W_L ⋯ W_1 − S‖² with S = diag(σ) (full observation) from the balanced start
/// W_j = a₀·I keeps every mode on its own scalar map a ← a − η a^{L−1}(a^L − σ). Its fixed point
/// a* = σ^{1/L} has derivative 1 − ηLσ^{2−2/L}, so it loses stability at η* = 2/(L σ^{2−2/L}), the top
/// Hessian eigenvalue's 2/η crossing: below η* GD converges; just above it the mode settles on a
/// 2-cycle, and only the modes whose own threshold is below η oscillate. Writing a = σ^{1/L} b and
/// η = c·η*, the map becomes b ← b − (2c/L) b^{L−1}(b^L − 1): the factors c at which the period
/// doubles and GD diverges depend on L alone, not on σ.
///
/// The paper's code differs in two ways that move the threshold: its loss is the sum without ½
/// (`MSELoss(reduction='sum')`, which halves η*) and its optimizer is SGD with momentum 0.9.
enum GhoshEtAl2025 {
  static let paper = PaperReference("Ghosh, Kwon, Wang, Ravishankar & Qu", 2025, arXiv: "2502.20531")

  /// η* = 2/(L σ^{2−2/L}) with the given exponent's L-dependence (the counter-setting's is wrong).
  static func threshold(strength: Double, depth: Int, exponent: (Int) -> Double = { 2 - 2 / Double($0) }) -> Double {
    2 / (Double(depth) * pow(strength, exponent(depth)))
  }

  /// Diagonal target, balanced start a₀·I per factor, GD at η for `steps`; returns the diagonal of W
  /// at each of the last `tail` steps (nil when the run diverged).
  static func lastModes(strengths: [Double], depth: Int, start: Double, learningRate: Double, steps: Int, tail: Int = 64) throws -> [[Double]]? {
    var problem = TrainingProblem(
      target: Matrix.diagonal(strengths), observations: .all, depth: depth, initialization: .identity(scale: pow(start, Double(depth))),
      loss: .halfSum, method: .descent(.gradientDescent(GradientDescent(learningRate: learningRate))), stop: StopRule(maxSteps: steps - tail),
      recording: .everySteps(10_000_000))
    let head = try trainAllowingDivergence(problem)
    guard head.status != .diverged, head.product.isFinite else { return nil }
    // The tail continues the head's run (under the sensitivity check it is perturbed again, by as
    // little as the head was).
    problem.initialization = .factors(head.factors)
    problem.stop = StopRule(maxSteps: tail)
    problem.recording = .everySteps(1)
    let recorder = ProductRecorder()
    let end = try trainAllowingDivergence(problem, observers: [recorder])
    guard end.status != .diverged, end.product.isFinite else { return nil }
    return recorder.snapshots.map { snapshot in strengths.indices.map { snapshot.product[$0, $0] } }
  }

  // MARK: - EO1

  /// Three modes and a step just above the top one's threshold (or, in the counter-setting, below it).
  struct EdgeCase: Sendable, CustomStringConvertible {
    var strengths: [Double]
    var depth: Int
    /// η/η*(σ₁).
    var factor: Double
    var description: String {
      "S = diag(\(strengths.map { format($0) }.joined(separator: ", "))), depth \(depth), start 0.1·I per factor, η = \(format(factor))·η*(σ₁)"
    }
  }

  static let edge = ClaimSetting(
    cases: zip(zip(Gen<Double>.double(in: 2 ... 4), Gen<Double>.double(in: 0.3 ... 0.6)), Gen<Int>.int(in: 2 ... 4), Gen<Double>.double(in: 1.02 ... 1.12)).map { top, depth, factor in
      EdgeCase(strengths: [top.0, top.0 * top.1, top.0 * top.1 * 0.5], depth: depth, factor: factor)
    },
    examples: [EdgeCase(strengths: [3, 2, 1], depth: 3, factor: 1.05)],
    budget: .cases(quick: 6, ci: 20, full: 100),
    hypotheses: [
      "S = diag(σ₁, σ₂, σ₃), σ₁ ∈ [2, 4], σ₂ = ρσ₁ with ρ ∈ [0.3, 0.6], σ₃ = σ₂/2; depth L ∈ {2, 3, 4}; full observation, ½‖W − S‖²",
      "balanced start W_j = 0.1·I; plain GD (no momentum) at η = c·η*(σ₁), c ∈ [1.02, 1.12], 40 000 steps; the last 64 read",
    ])

  static let eo1Amplitude = Threshold(
    .orbitAmplitude, 1e-3 ... .infinity,
    source: "Ghosh et al. 2025 (abstract: beyond the EoS the oscillation is a 2-period orbit in a subspace η sets); the notes' check (L = 3, σ = (3, 2, 1)) saw σ₁'s 2-cycle of amplitude 0.66 … 1.65 at 1.02 … 1.15 η*. Here |u₁(t) − u₁(t−1)|/σ₁ on the cycle; below η* it is 0. Calibration: Fixtures/calibration/EO1.json")
  static let eo1Residual = Threshold(
    .orbitResidual, 0 ... 1e-8,
    source: "the other modes converge (η < η*(σᵢ): contraction |1 − 2η/η*ᵢ| ≤ 0.6 at σ₂/σ₁ ≤ 0.6) and σ₁'s orbit has period exactly 2: max over the last 64 steps of |u₁(t) − u₁(t−2)|/σ₁ and |uᵢ(t) − σᵢ|/σᵢ for i ≥ 2. Calibration: Fixtures/calibration/EO1.json")

  static let periodTwoInTheTopMode = Claim.forEvery(
    id: "ghosh.period-two-beyond-the-edge", code: "EO1", paper: paper.at("Section 3 (2-period orbit beyond the edge of stability) and the abstract"),
    thresholds: [eo1Amplitude, eo1Residual],
    statement: "With plain GD on ½‖W − S‖² (full observation, balanced start), η* = 2/(Lσ₁^{2−2/L}) separates convergence from oscillation: just above it σ₁ settles on a period-2 orbit while every other singular value converges to its target.",
    findings: [
      "the paper's body was not read (its abstract and the authors' code were): the threshold and the decoupled-mode map are derived in GhoshEtAl2025.swift; the code's sum loss (no ½) and momentum 0.9 move it",
    ],
    operationalDefinition: "over the last 64 of 40 000 steps, with uᵢ = W_ii: amplitude |u₁(T) − u₁(T−1)|/σ₁ (in the interval) and residual max(|u₁(t) − u₁(t−2)|/σ₁, |uᵢ(t) − σᵢ|/σᵢ for i ≥ 2)",
    setting: edge,
    counter: edge.changingEachCase("η = 0.95·η*(σ₁), below the edge: σ₁ converges too, no orbit") { $0.factor = 0.95 }
  ) { c in
    let eta = c.factor * threshold(strength: c.strengths[0], depth: c.depth)
    // The figure: u₁/σ₁ over the first 300 steps at c and at 2 − c (as far below the edge).
    for factor in [c.factor, 2 - c.factor] {
      let recorder = ProductRecorder()
      _ = try train(TrainingProblem(
        target: Matrix.diagonal(c.strengths), observations: .all, depth: c.depth, initialization: .identity(scale: pow(0.1, Double(c.depth))), loss: .halfSum,
        method: .descent(.gradientDescent(GradientDescent(learningRate: factor * threshold(strength: c.strengths[0], depth: c.depth)))),
        stop: StopRule(maxSteps: 300), recording: .everySteps(1)), observers: [recorder])
      for snapshot in recorder.snapshots {
        FigureData.record(.step, Double(snapshot.step))
        FigureData.record(Figures.stepFactor, (factor * 1000).rounded() / 1000)
        FigureData.record(Figures.topMode, snapshot.product[0, 0] / c.strengths[0])
      }
    }
    guard let modes = try lastModes(strengths: c.strengths, depth: c.depth, start: 0.1, learningRate: eta, steps: 40_000) else {
      throw PropertyFailure("GD diverged at η = \(format(eta))")
    }
    let last = modes.count - 1, sigma = c.strengths
    var residual = 0.0
    for t in 2 ... last {
      residual = max(residual, abs(modes[t][0] - modes[t - 2][0]) / sigma[0])
      for i in 1 ..< sigma.count { residual = max(residual, abs(modes[t][i] - sigma[i]) / sigma[i]) }
    }
    return Measurement(
      "σ₁'s 2-cycle amplitude |u₁(T) − u₁(T−1)|/σ₁", abs(modes[last][0] - modes[last - 1][0]) / sigma[0], threshold: .orbitAmplitude,
      and: [Measurement("period-2 residual and the other modes' distance to σᵢ", residual, threshold: .orbitResidual)])
  }.drawing(.plot(ClaimPlot(
    title: "u₁/σ₁ against the step at η = cη* (a 2-cycle) and (2 − c)η* (converges)",
    x: .step, y: Figures.topMode, lineBy: Figures.stepFactor, joined: true)))
  .varying(SettingVariable<EdgeCase>("step-factor", meaning: "η/η*(σ₁), the step over the top mode's edge of stability") { $0.factor = $1 })

  /// The quantities the two figures plot.
  enum Figures {
    static let stepFactor = RunQuantity(named: "η/η*")
    static let topMode = RunQuantity(named: "u₁/σ₁")
    static let orbit = RunQuantity(named: "u/σ on the last 16 steps")
  }

  // MARK: - EO2

  /// What GD does at one step size: converge to σ (period 1) or settle on a cycle of period p, no
  /// period ≤ 32, collapse onto the saddle W = 0, or diverge.
  enum Regime: Equatable, Sendable {
    case period(Int)
    case aperiodic
    case collapsed
    case diverged

    /// The regime from a mode's last values (σ its target).
    init(_ values: [Double]?, sigma: Double) {
      guard let values else { self = .diverged; return }
      let last = values.count - 1
      for p in [1, 2, 4, 8, 16, 32] where (p ... last).allSatisfy({ abs(values[$0] - values[$0 - p]) <= 1e-7 * sigma }) {
        self = p == 1 && abs(values[last]) < 1e-3 * sigma ? .collapsed : .period(p)
        return
      }
      self = .aperiodic
    }

    /// Period 8 or more, or none.
    var isBeyondFour: Bool {
      switch self {
      case .period(let p): p >= 8
      case .aperiodic: true
      case .collapsed, .diverged: false
      }
    }
  }

  /// One depth, one σ, and the η* the ladder is measured in.
  struct Ladder: Sendable, CustomStringConvertible {
    var strength: Double
    var depth: Int
    /// True in the counter-setting: η* computed with the exponent 2 − 1/L instead of 2 − 2/L.
    var wrongExponent = false
    /// The factors c = η/η* tried.
    static let factors = (0 ... 154).map { 0.96 + 0.01 * Double($0) }
    var description: String { "1×1 target σ = \(format(strength)), depth \(depth), η = c·η* for c = 0.96 … 2.50 by 0.01\(wrongExponent ? ", η* with the exponent 2 − 1/L" : "")" }

    var unit: Double {
      wrongExponent ? threshold(strength: strength, depth: depth) { 2 - 1 / Double($0) } : threshold(strength: strength, depth: depth)
    }

    /// The regime at each factor (a 1×1 network: the mode's scalar map through the engine); the last
    /// 16 values of u/σ at each factor go to the bifurcation diagram (the map in u/σ is the same for
    /// every σ, so the cases of one depth draw one diagram).
    func regimes() throws -> [Regime] {
      try Self.factors.map { c in
        let tail = try lastModes(strengths: [strength], depth: depth, start: 0.3 * pow(strength, 1 / Double(depth)), learningRate: c * unit, steps: 30_000, tail: 96)?.map { $0[0] }
        if let tail {
          for value in tail.suffix(16) {
            FigureData.record(.depth, Double(depth))
            FigureData.record(Figures.stepFactor, c)
            FigureData.record(Figures.orbit, value / strength)
          }
        }
        return Regime(tail, sigma: strength)
      }
    }
  }

  static let ladders = ClaimSetting(
    cases: zip(Gen<Double>.double(in: 0.3 ... 2), Gen<Bool>.bool, Gen<Int>.int(in: 2 ... 4)).map { Ladder(strength: pow(2, $1 ? $0 : -$0), depth: $2) },
    examples: [2, 3, 4].map { Ladder(strength: 1, depth: $0) },
    budget: .cases(quick: 3, ci: 9, full: 30),
    hypotheses: [
      "a 1×1 target σ = 2^{±u}, u ∈ [0.3, 2] (one mode: S's other modes converge on their own maps), depth L ∈ {2, 3, 4}, start a₀ = 0.3σ^{1/L} per factor, ½(w − σ)², plain GD",
      "30 000 steps at each c = η/η* from 0.96 to 2.50 by 0.01; the last 96 classified as period 1, 2, 4, …, 32 (to 1e-7·σ), aperiodic, collapsed onto W = 0, or diverged",
    ])

  static let periodDoublingLadder = Claim.forEvery(
    id: "ghosh.period-doubling-ladder", code: "EO2", paper: paper.at("Section 4 (period-doubling route to chaos beyond the edge of stability) and the abstract"),
    thresholds: [Threshold(.onsetGap, 0 ... 0.011, source: "derived (GhoshEtAl2025.swift): the fixed point loses stability at c = η/η* = 1, so the last factor of period 1 and the first of period 2 bracket 1 on the 0.01 grid: |c − 1| ≤ 0.011 for both")],
    statement: "As η grows past η* = 2/(Lσ^{2−2/L}), GD's orbit goes from convergence to period 2 at η*, then to period 4, then to higher or no period, then collapses onto the saddle W = 0 or diverges, in that order; the factors η/η* where this happens depend on the depth L alone.",
    findings: [
      "the paper's body was not read (its abstract was): the ladder's order and the onset at η* are checked; the factors where period 4 starts and where GD diverges are recorded per depth in the calibration record's cases, not asserted",
      "chaotic maps have periodic windows: beyond the first aperiodic factor a period can come back (period 2 at 1.83η* for L = 2), so only the order of first appearances is claimed",
      "on the scalar map at σ = 1 (a numpy look, the same grid): L = 2: period 2 from 1.00, 4 from 1.24, 8 at 1.29, aperiodic from 1.31, diverged from 2.01; L = 3: 1.00, 1.25, 1.31, 1.32, onto W = 0 from 1.84 (the notes' 'thrown onto the saddle W = 0' at 1.89η*), diverged from 2.16; L = 4: 1.00, 1.25, 1.31, 1.32, onto W = 0 from 1.98, diverged from 2.41. The notes' 'diverges at 1.3×' (L = 2) and '≥ 1.35×' (L = 3) came from another start and are not what this map does",
    ],
    operationalDefinition: "on the grid c = 0.96 … 2.50: the onset gap max(|c₁ − 1|, |c₂ − 1|) for the last period-1 factor c₁ (converging to σ) and the first period-2 factor c₂; and the first appearances ordered: period 2 before period 4 before (period ≥ 8 or aperiodic) before the first collapse onto W = 0 or divergence, with divergence reached on the grid",
    setting: ladders,
    counter: { $0.changingEachCase("η* computed with the exponent 2 − 1/L: the onset moves from c = 1 to c = σ^{1/L}") { $0.wrongExponent = true } }
  ) { c in
    let regimes = try c.regimes(), factors = Ladder.factors
    guard let two = regimes.firstIndex(of: .period(2)), let lastOne = regimes.lastIndex(of: .period(1)) else {
      return Measurement(
        "onset gap: |c − 1| at the last period 1 and the first period 2", .infinity, threshold: .onsetGap,
        and: [.condition("ladder in order: 2, 4, ≥ 8 or none, then W = 0 or divergence, and divergence reached", false)])
    }
    let four = regimes.firstIndex(of: .period(4)), beyond = regimes.firstIndex(where: \.isBeyondFour)
    let end = regimes.firstIndex { $0 == .collapsed || $0 == .diverged }, diverged = regimes.firstIndex(of: .diverged)
    var ordered = regimes[..<two].allSatisfy { $0 == .period(1) } && diverged != nil
    if let four, let beyond, let end { ordered = ordered && two < four && four < beyond && beyond < end } else { ordered = false }
    for (name, index) in [("period 4", four), ("period ≥ 8 or none", beyond), ("collapse or divergence", end), ("divergence", diverged)] {
      if let index { PropertyContext.measure("c where \(name) first appears", factors[index]) }
    }
    let gap = max(abs(factors[lastOne] - 1), abs(factors[two] - 1))
    return Measurement(
      "onset gap: |c − 1| at the last period 1 and the first period 2", gap, threshold: .onsetGap,
      and: [.condition("ladder in order: 2, 4, ≥ 8 or none, then W = 0 or divergence, and divergence reached", ordered)])
  }.drawing(.plot(ClaimPlot(
    title: "bifurcation diagram: u/σ on the last 16 steps against η/η*, per depth",
    x: Figures.stepFactor, y: Figures.orbit, lineBy: .depth)))

  static let claims: [Claim] = [periodTwoInTheTopMode, periodDoublingLadder]
}
