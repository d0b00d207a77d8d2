import ClaimKit
import Foundation

/// Wang & Jacot (2024), "Implicit Bias of SGD in L2-Regularized Linear DNNs: One-Way Jumps from High
/// to Low Rank", ICLR 2024, arXiv 2305.16038.
///
/// With weight decay λ, GD on ½‖W_L ⋯ W_1 − S‖² + (λ/2)Σ_j‖W_j‖² (S = diag(σ), full observation) from
/// the balanced start W_j = a₀·I keeps each mode on its own scalar flow ȧ = a^{L−1}(σ − a^L) − λa. Its
/// positive fixed points solve f(a) = a^{L−2}(σ − a^L) = λ; with s = a^L that is s − σ + λs^{2/L−1} = 0.
/// At depth 2, f(a) = σ − a² is decreasing: one fixed point s = σ − λ when σ > λ, whatever a₀ (the
/// nuclear-norm proximal point, NT2). At depth L ≥ 3, f rises from 0 and falls again, so there are two
/// roots a_c < a*: the origin is stable, a_c repels and a* attracts. A mode is learned (ends at
/// s* = a*^L) iff it starts above a_c ≈ (λ/σ)^{1/(L−2)}, i.e. iff a₀^{L−2} ≳ λ/σ, and dies (ends at 0)
/// otherwise: the regularized loss has minima of every rank, and which one GD reaches is set by the
/// init scale.
enum WangJacot2024 {
  static let paper = PaperReference("Wang & Jacot", 2024, arXiv: "2305.16038")

  /// The roots of a^{L−2}(σ − a^L) = λ for L ≥ 3 (nil when f never reaches λ), by bisection on
  /// either side of f's maximum at a = (σ(L−2)/(2L−2))^{1/L}.
  static func roots(sigma: Double, lambda: Double, depth: Int) -> (critical: Double, learned: Double)? {
    let l = Double(depth)
    func f(_ a: Double) -> Double { pow(a, l - 2) * (sigma - pow(a, l)) - lambda }
    let peak = pow(sigma * (l - 2) / (2 * l - 2), 1 / l)
    guard f(peak) > 0 else { return nil }
    func bisect(_ low: Double, _ high: Double, rising: Bool) -> Double {
      var (low, high) = (low, high)
      for _ in 0 ..< 200 {
        let middle = (low + high) / 2
        if (f(middle) > 0) == rising { high = middle } else { low = middle }
      }
      return (low + high) / 2
    }
    return (bisect(0, peak, rising: true), bisect(peak, pow(sigma, 1 / l), rising: false))
  }

  /// Three modes at one depth and init scale with weight decay.
  struct Decay: Sendable, CustomStringConvertible {
    var strengths: [Double]
    var depth: Int
    var start: Double
    var weightDecay: Double
    /// True in the counter-setting: the depth-2 rule (learned iff σᵢ > λ, at σᵢ − λ) predicts.
    var depthTwoRule = false
    var description: String {
      "S = diag(\(strengths.map { format($0) }.joined(separator: ", "))), depth \(depth), start \(format(start))·I per factor, λ = \(format(weightDecay))\(depthTwoRule ? ", predicted by the depth-2 rule" : "")"
    }

    /// The predicted end value of each mode's product s = a^L (0 for a mode that dies).
    func predicted() throws -> [Double] {
      try strengths.map { sigma in
        if depthTwoRule { return max(sigma - weightDecay, 0) }
        guard let (critical, learned) = roots(sigma: sigma, lambda: weightDecay, depth: depth) else { return 0 }
        // Within 5 % of the repelling root the escape (or the decay) takes longer than the run: a mode
        // 5 % above a_c grows at rate ≈ 0.05λ, which 300 000 steps of η = 0.05 cover 30 times over.
        try assume(start < critical / 1.05 || start > critical * 1.05, "the start \(format(start)) is within 5 % of the critical a_c = \(format(critical)) of σ = \(format(sigma))")
        return start > critical ? pow(learned, Double(depth)) : 0
      }
    }
  }

  static let inits = ClaimSetting(
    cases: zip(zip(Gen<Double>.double(in: 0.5 ... 3).array(count: 3), Gen<Double>.double(in: 0.05 ... 0.2)), Gen<Int>.int(in: 3 ... 4), Gen<Double>.double(in: 0 ... 1)).map { drawn, depth, u in
      // a₀ log-uniform from half the smallest critical a_c to twice the largest, so that every count
      // of learned modes, 0 to 3, is drawn.
      let strengths = drawn.0.sorted(by: >), lambda = drawn.1
      let criticals = strengths.compactMap { roots(sigma: $0, lambda: lambda, depth: depth)?.critical }
      let low = log((criticals.min() ?? 0.1) / 2), high = log((criticals.max() ?? 0.1) * 2)
      return Decay(strengths: strengths, depth: depth, start: exp(low + u * (high - low)), weightDecay: lambda)
    },
    examples: [0.02, 0.04, 0.06, 0.12].map { Decay(strengths: [3, 2, 1], depth: 3, start: $0, weightDecay: 0.1) },
    budget: .cases(quick: 6, ci: 20, full: 100),
    hypotheses: [
      "S = diag(σ₁, σ₂, σ₃), σᵢ ∈ [0.5, 3]; λ ∈ [0.05, 0.2]; depth L ∈ {3, 4}; start W_j = a₀·I, a₀ log-uniform from half the smallest critical a_c to twice the largest; full observation",
      "GD with weight decay (W ← (1 − ηλ)W − η∇), η = 0.05 (below the edge of stability 2/(Lσ^{2−2/L}) ≥ 0.096), 300 000 steps",
      "a case whose a₀ is within 5 % of a mode's critical a_c is discarded (counted); the notes' a₀ = 0.04, 0.06, 0.12 are 20 % above σ = 3, 2, 1's",
    ])

  static let initDecidesTheRank = Claim.forEvery(
    id: "wang-jacot.init-decides-the-rank", code: "WD2", paper: paper.at("Section 3 (L2-regularized deep linear networks: minima of different ranks) and the abstract"),
    thresholds: [Threshold(.fixedPointGap, 0 ... 1e-12, source: "derived (WangJacot2024.swift): each mode ends at the larger root of s − σ + λs^{2/L−1} = 0 if a₀ is above the smaller one, at 0 otherwise (measured at rounding level, ≤ 3.5e-15 over 1002 cases); the notes' check (L = 3, λ = 0.1, σ = (3, 2, 1)) found 2.9301, 1.9195, 0.8963 and 0, 1, 2, 3 modes learned from a₀ = 0.02, 0.04, 0.06, 0.12. Calibration: Fixtures/calibration/WD2.json")],
    statement: "At depth L ≥ 3 with weight decay λ (full observation, balanced start a₀·I), GD's fixed points solve s − σ + λs^{2/L−1} = 0, and the init scale decides the rank: mode i is learned (ends at the larger root) iff a₀ exceeds the smaller root a_c ≈ (λ/σᵢ)^{1/(L−2)}, and ends at 0 otherwise.",
    findings: [
      "the paper's body was not read (its abstract was): the fixed-point equation and the criterion are derived in WangJacot2024.swift (the notes' a₀^{L−2} > λ/σᵢ is its small-a₀ form); depth 2, where the rank does not depend on the init, is NT2",
      "the paper's SGD claims (one-way jumps from high to low rank) are WD3 and WD4",
    ],
    operationalDefinition: "max over modes |W_ii − s_i*|/σ₁ after 300 000 steps, s_i* the predicted end value, and whether the learned count (W_ii > σᵢ/10) equals the predicted one",
    setting: inits,
    counter: inits.changingEachCase("the depth-2 rule at depth L ≥ 3 (learned iff σᵢ > λ, at σᵢ − λ): it ignores a₀ and the fixed-point equation's λs^{2/L−1}") { $0.depthTwoRule = true }
  ) { c in
    let predicted = try c.predicted()
    let result = try train(TrainingProblem(
      target: Matrix.diagonal(c.strengths), observations: .all, depth: c.depth, initialization: .identity(scale: pow(c.start, Double(c.depth))), loss: .halfSum,
      method: .descent(.weightDecay(WeightDecayDescent(learningRate: 0.05, weightDecay: c.weightDecay))), stop: StopRule(maxSteps: 300_000),
      recording: .everySteps(10_000_000)))
    let ends = c.strengths.indices.map { result.product[$0, $0] }
    let gap = zip(ends, predicted).map { abs($0 - $1) }.max() ?? .nan
    let learned = zip(ends, c.strengths).filter { $0 > $1 / 10 }.count, expected = zip(predicted, c.strengths).filter { $0 > $1 / 10 }.count
    PropertyContext.measure("modes learned", Double(learned))
    PropertyContext.measure("modes predicted to be learned", Double(expected))
    for (end, prediction) in zip(ends, predicted) {
      FigureData.record(.depth, Double(c.depth))
      FigureData.record(predictedEnd, prediction)
      FigureData.record(measuredEnd, end)
    }
    return Measurement(
      "max |W_ii − s_i*|/σ₁", gap / c.strengths[0], threshold: .fixedPointGap,
      and: [.condition("learned modes as predicted", learned == expected)])
  }.drawing(.plot(ClaimPlot(
    title: "each mode's end value against the predicted fixed point, per depth",
    x: predictedEnd, y: measuredEnd, lineBy: .depth)))

  static let predictedEnd = RunQuantity(named: "predicted end s*")
  static let measuredEnd = RunQuantity(named: "W_ii at the end")

  static let claims: [Claim] = [initDecidesTheRank, sgdJumpsDown, neverBack]
}
