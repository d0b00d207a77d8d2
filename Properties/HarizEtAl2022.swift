import ClaimKit
import Foundation

/// Hariz, Kadri, Ayache, Moakher & Artières (2022), "Implicit Regularization with Polynomial Growth in
/// Deep Tensor Factorization", ICML 2022, arXiv 2207.08942.
///
/// The paper's abstract: in matrix and shallow tensor factorization the low-rank effect of gradient
/// descent grows at most quadratically, in deep tensor factorization polynomially with the depth. The
/// paper's body was not read; what is checked is this project's derivation for the component-wise
/// deep CP factorization (``DeepCPShape``): each factor vector carries L − 1 scalar layers, so a
/// component is the product of K = N·L weights. Under gradient flow every weight w of component r
/// has ⟨w, ∇_w ℓ⟩ = ⟨∇ℓ(W), W_r⟩ (rescale one weight and undo it on another: the product is unchanged),
/// so ‖w‖² − ‖w′‖² is conserved and d‖W_r‖/dt = γ_r‖W_r‖²Σ_k‖w_k‖⁻², γ_r = ⟨−∇ℓ(W), W_r/‖W_r‖⟩ —
/// for a balanced component K·γ_r·‖W_r‖^{2−2/K}. Two components of strengths s₁ > s₂ started at the
/// same small norm σ₀ then separate more sharply the larger K is: solving σ̇ = Kγσ^{2−2/K} with γ = s,
/// when the first has blown up the second has only reached σ₀·(s₁/s₂)^{K/(K−2)} (K > 2), a factor
/// 8, 2.8, 2.4 for K = 3, 6, 9 at s₁/s₂ = 2, against σ₀^{1/2} at K = 2.
enum HarizEtAl2022 {
  static let paper = PaperReference("Hariz, Kadri, Ayache, Moakher & Artières", 2022, arXiv: "2207.08942")

  // MARK: - HZ1

  /// A random completion (TF1's family) with scalar layers, and which rate is predicted.
  struct DeepDynamics: Sendable, CustomStringConvertible {
    var completion: RazinMamanCohen2021.Completion
    var depth: Int
    /// The balanced start and the balanced formula K·γ·σ^{2−2/K} instead of the general one.
    var balanced = false
    /// False in the counter-setting: the shallow formula, which counts only the N vectors.
    var countsScalars = true
    var description: String {
      "\(completion), depth \(depth), \(balanced ? "balanced start, formula Kγσ^{2−2/K}" : "scalars ±U[0.5, 1.5]")\(countsScalars ? "" : ", the depth-1 formula (vectors only)")"
    }

    var shape: DeepCPShape { DeepCPShape(cp: completion.shape, depth: depth) }

    var start: [Double] {
      if balanced { return DeepCPProblem.balancedStart(shape: shape, weightNorm: 0.7, seed: SeedDerivation.derive(completion.seed, "init")) }
      var generator = Xoshiro256StarStar(seed: SeedDerivation.derive(completion.seed, "scalars"))
      let scalars = (0 ..< shape.parameterCount - shape.cp.parameterCount).map { _ in (generator.nextBool() ? 1.0 : -1.0) * generator.nextDouble(in: 0.5 ..< 1.5) }
      return completion.initialization.parameters(for: shape.cp) + scalars
    }
  }

  static let deepDynamics = ClaimSetting(
    cases: zip(RazinMamanCohen2021.Completion.gen, Gen<Int>.int(in: 2 ... 4), Gen<Bool>.bool).map { completion, depth, sensing in
      var completion = completion
      completion.sensing = sensing
      return DeepDynamics(completion: completion, depth: depth)
    },
    examples: [DeepDynamics(completion: RazinMamanCohen2021.Completion(dimensions: [4, 4, 4], components: 5, seed: 1), depth: 3, balanced: true)],
    budget: .cases(quick: 10, ci: 30, full: 200),
    hypotheses: RazinMamanCohen2021.completions.hypotheses + [
      "or Gaussian sensing with half as many measurement tensors as entries",
      "depth L ∈ {2, 3, 4}: factor vectors Gaussian std 0.3, scalars of random sign and magnitude in [0.5, 1.5]",
    ])

  static let componentDynamics = Claim.forEvery(
    id: "hariz.deep-component-dynamics", code: "HZ1", paper: paper.at("the abstract (polynomial growth with depth); the rate derived here for the component-wise deep CP factorization"),
    thresholds: [Threshold(.relativeError, 0 ... 1e-5, source: "an exact identity (every weight w of component r has ⟨w, ∇_w ℓ⟩ = ⟨∇ℓ(W), W_r⟩, derived in HarizEtAl2022.swift); checked as TF2 by a central difference of gradient steps ±η, η = 1e-6, whose error is O(η²); bound 1e-5 as TF2's")],
    statement: "In a deep CP factorization whose components are products of K = N·L weights, gradient flow moves each component norm by d‖W_r‖/dt = γ_r‖W_r‖²Σ_k‖w_k‖⁻² over all K weights — K·γ_r·‖W_r‖^{2−2/K} when balanced: the exponent grows with the depth.",
    hypotheses: ["gradient flow, checked by a central difference of gradient steps ±η, η = 1e-6", "γ_r from the residual tensor (∇ℓ(W)) and W_r built from the effective factors"],
    findings: [
      "the paper's body was not read (its abstract was): the model, the rate and the exponent 2 − 2/(N·L) are this project's derivation, the growth with depth the abstract states",
    ],
    operationalDefinition: "max over components of |observed − predicted| / max over components of |predicted|",
    setting: deepDynamics,
    counter: deepDynamics.changingEachCase("the depth-1 (CP) formula γ‖W_r‖²Σₙ‖w_rⁿ‖⁻², which leaves out the scalar layers' contribution") { $0.countsScalars = false }
  ) { c in
    let shape = c.shape, objective = c.completion.objective
    let engine = DeepCPEngine(shape: shape, objective: objective)
    var theta = c.start
    roundingPerturbation?.apply(to: &theta)
    var gradient = [Double](repeating: 0, count: theta.count)
    _ = theta.withUnsafeBufferPointer { p in gradient.withUnsafeMutableBufferPointer { g in engine.loss(at: p.baseAddress!, gradient: g.baseAddress!) } }
    let eta = 1e-6
    let forward = zip(theta, gradient).map { $0 - eta * $1 }, backward = zip(theta, gradient).map { $0 + eta * $1 }
    let observed = zip(engine.componentNorms(at: forward), engine.componentNorms(at: backward)).map { ($0 - $1) / (2 * eta) }
    let effective = engine.effectiveParameters(theta)
    let lossGradient = objective.lossGradient(at: engine.cp.tensor(at: effective)).entries
    let cpShape = shape.cp
    var worst = 0.0, scale = 0.0
    for r in 0 ..< cpShape.components {
      let weights = engine.weightNorms(at: theta, component: r)
      let vectors = (0 ..< cpShape.order).map { n in (0 ..< cpShape.dimensions[n]).map { effective[cpShape.offset(ofMode: n) + $0 * cpShape.components + r] } }
      let component = Tensor(dimensions: cpShape.dimensions, components: [vectors])
      let norm = component.frobeniusNorm
      let gamma = -zip(lossGradient, component.entries).reduce(0) { $0 + $1.0 * $1.1 } / norm
      let k = Double(shape.weightsPerComponent)
      let counted = c.countsScalars ? weights : Array(weights.prefix(cpShape.order))
      let predicted = c.balanced ? k * gamma * pow(norm, 2 - 2 / k) : gamma * norm * norm * counted.reduce(0) { $0 + 1 / ($1 * $1) }
      worst = max(worst, abs(observed[r] - predicted))
      scale = max(scale, abs(predicted))
    }
    return Measurement("relative error of d‖W_r‖/dt", worst / scale, threshold: .relativeError)
  }

  // MARK: - HZ2

  /// Two target components s₁e₁^{⊗3} + s₂e₂^{⊗3} (4×4×4, full observation) fitted by R = 2 components
  /// started along them at norm σ₀, at several depths: the components stay orthogonal and each
  /// follows σ̇ = K(s − σ)σ^{2−2/K} exactly (under the flow), so the depth trend can be checked
  /// against the derived rate itself.
  struct DepthTrend: Sendable, CustomStringConvertible {
    var strengths: [Double]
    var componentNorm: Double
    var depths: [Int]
    var description: String {
      "4×4×4, W* = \(format(strengths[0]))e₁^{⊗3} + \(format(strengths[1]))e₂^{⊗3}, R = 2 started along them at norm \(format(componentNorm)), depths \(depths.map(String.init).joined(separator: ", ")), GD η = 1e-3"
    }

    static let learningRate = 1e-3

    /// σ₂/σ₁ at the first step where σ₁ ≥ s₁/2, from the deep CP factorization trained by GD.
    func measuredShare(depth: Int) throws -> Double {
      let directions = RazinMamanCohen2021.Incremental.directions
      var target = Tensor(dimensions: [4, 4, 4], entries: [Double](repeating: 0, count: 64))
      for (s, direction) in zip(strengths, directions) {
        for i in target.entries.indices { target.entries[i] += s * direction.entries[i] }
      }
      let shape = DeepCPShape(cp: CPShape(dimensions: [4, 4, 4], components: 2), depth: depth)
      let weight = pow(componentNorm, 1 / Double(shape.weightsPerComponent))
      var start = [Double](repeating: weight, count: shape.parameterCount)
      for n in 0 ..< 3 {
        for i in 0 ..< 4 {
          for r in 0 ..< 2 { start[shape.cp.offset(ofMode: n) + i * 2 + r] = i == r ? weight : 0 }
        }
      }
      let result = try trainDeepCP(DeepCPProblem(
        shape: shape, objective: TensorObjective(target: target, observed: nil, reduction: .halfSum), start: start,
        method: .descent(.gradientDescent(GradientDescent(learningRate: Self.learningRate))), stop: StopRule(maxSteps: 2_000_000, lossBelow: 1e-8),
        recording: .everySteps(1), probes: directions))
      guard let point = result.trajectory.first(where: { $0.probes[0] >= strengths[0] / 2 }) else {
        throw PropertyFailure("depth \(depth): the first component never reached half its strength in \(result.steps) steps")
      }
      return point.probes[1] / point.probes[0]
    }

    /// σ₂/σ₁ when σ₁ = s₁/2 under the flow σ̇ₖ = K(sₖ − σₖ)σₖ^{2−2/K}, by RK4 in log σ (the step
    /// a hundredth of the faster component's time scale), the crossing interpolated.
    func flowShare(depth: Int) -> Double {
      let k = Double(3 * depth)
      func rates(_ u: [Double]) -> [Double] {
        zip(u, strengths).map { u, s in let sigma = exp(u); return k * (s - sigma) * pow(sigma, 1 - 2 / k) }
      }
      var u = [log(componentNorm), log(componentNorm)]
      let half = log(strengths[0] / 2)
      while true {
        let r1 = rates(u)
        let dt = 0.01 / (r1.map(abs).max() ?? 1)
        let r2 = rates(zip(u, r1).map { $0 + 0.5 * dt * $1 })
        let r3 = rates(zip(u, r2).map { $0 + 0.5 * dt * $1 })
        let r4 = rates(zip(u, r3).map { $0 + dt * $1 })
        let next = (0 ..< 2).map { u[$0] + dt / 6 * (r1[$0] + 2 * r2[$0] + 2 * r3[$0] + r4[$0]) }
        if next[0] >= half {
          let f = (half - u[0]) / (next[0] - u[0])
          return exp(u[1] + f * (next[1] - u[1])) / (strengths[0] / 2)
        }
        u = next
      }
    }
  }

  static let depthTrend = ClaimSetting(
    cases: zip(Gen<Double>.double(in: 1.5 ... 3), Gen<Double>.double(in: 0.3 ... 0.7), Gen<Double>.double(in: -4 ... -2)).map { s1, ratio, exponent in
      DepthTrend(strengths: [s1, ratio * s1], componentNorm: pow(10, exponent), depths: [1, 2, 3])
    },
    examples: [DepthTrend(strengths: [2, 1], componentNorm: 1e-3, depths: [1, 2, 3])],
    budget: .cases(quick: 4, ci: 12, full: 50),
    hypotheses: [
      "s₁ ∈ [1.5, 3], s₂/s₁ ∈ [0.3, 0.7], σ₀ = 10^{[−4, −2]}; full observation, ½‖W − W*‖², GD η = 1e-3, recorded every step",
      "depths 1, 2, 3 (K = 3, 6, 9 weights a component), every weight of a component of norm σ₀^{1/K}",
    ])

  static let deeperSeparatesMore = Claim.forEvery(
    id: "hariz.depth-sharpens-incremental-learning", code: "HZ2", paper: paper.at("the abstract (the low-rank effect grows polynomially with depth); the trend derived here for the component-wise deep CP factorization"),
    thresholds: [Threshold(.relativeGap, 0 ... 0.05, source: "derived in HarizEtAl2022.swift from the rate: under the flow σ₂/σ₁ when σ₁ = s₁/2 is the solution of σ̇ₖ = K(sₖ − σₖ)σₖ^{2−2/K} (≈ 2σ₀(s₁/s₂)^{K/(K−2)}/s₁ while σ₂ ≪ s₂); GD at η = 1e-3 follows it to O(η·rate). Calibration: Fixtures/calibration/HZ2.json")],
    statement: "The deeper the CP factorization, the more one-at-a-time its components are learned: when the stronger target component is half learned, the weaker one's share σ₂/σ₁ falls with the depth, as the rate K(s − σ)σ^{2−2/K} with K = N·L predicts.",
    findings: [
      "the paper's body was not read (its abstract was): the setting, the measured share and its derived depth dependence are this project's",
      "on TF3's problem from random directions (R = 8, σ₀ = 1e-3, seed 0x2a) the share ρ₃/ρ₁ ranged from −1.7 to 22 over 7 starts: the random components' own projections on e₂^{⊗3}, of order σ₀, are as large as the depth effect (8σ₀ at K = 3 against 2.4σ₀ at K = 9), so the trend is checked on components started along the target's",
    ],
    operationalDefinition: "ρ_L = σ₂/σ₁ at the first step with σ₁ ≥ s₁/2 (σₖ = ⟨W, eₖ^{⊗3}⟩), at L = 1, 2, 3: the largest |ρ_L/ρ_L^{flow} − 1|, and ρ₁ > ρ₂ > ρ₃",
    setting: depthTrend,
    counter: { $0.changingEachCase("depth 1 at every rung: nothing changes along the ladder") { $0.depths = [1, 1, 1] } }
  ) { c in
    var worst = 0.0
    var shares: [Double] = []
    for depth in c.depths {
      let measured = try c.measuredShare(depth: depth), predicted = c.flowShare(depth: depth)
      PropertyContext.measure("σ₂/σ₁ at depth \(depth)", measured)
      worst = max(worst, abs(measured / predicted - 1))
      shares.append(measured)
    }
    return Measurement(
      "largest |ρ_L/ρ_L(flow) − 1|", worst, threshold: .relativeGap,
      and: [.condition("ρ falls strictly with the depth", zip(shares, shares.dropFirst()).allSatisfy { $1 < $0 })])
  }

  static let claims: [Claim] = [componentDynamics, deeperSeparatesMore]
}
