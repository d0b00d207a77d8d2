import ClaimKit
import Foundation

/// Hou, Sra & Yurtsever (2025), "Implicit Bias in Matrix Factorization and its Explicit Realization
/// in a New Architecture", arXiv 2501.16322.
///
/// The paper's thesis (abstract): the low-rank bias of gradient descent persists when the iterates are
/// unbounded, because the factors grow while aligning with fixed directions. Razin & Cohen's 2×2
/// problem (? 1; 1 0) from det W(0) > 0 is the catalogue's unbounded case (R1–R5): every solution has
/// det = −1, so a run keeping det > 0 fits only as |W11| → ∞, and W/‖W‖_F must turn towards the
/// direction e₁e₁ᵀ. The claim is that it turns monotonically, at the rate the fit dictates: with
/// W12, W21 → 1 and W22 → 0⁺, tan θ = √(W12² + W21² + W22²)/|W11| and |W11| ≈ (2L)^{−1/2}, so
/// θ/√(2L) → √2.
enum HouSraYurtsever2025 {
  static let paper = PaperReference("Hou, Sra & Yurtsever", 2025, arXiv: "2501.16322")

  /// The angle between W/‖W‖_F and e₁e₁ᵀ.
  static func angle(_ w: Matrix) -> Double {
    let w11 = abs(w[0, 0]), norm = w.frobeniusNorm
    return atan2(Swift.max(norm * norm - w11 * w11, 0).squareRoot(), w11)
  }

  static let directionConverges = Claim.forEvery(
    id: "hou-sra-yurtsever.direction-converges", code: "HS1", paper: paper.at("Section 1 and the abstract (unbounded iterates align with fixed directions)"),
    thresholds: [
      Threshold(.angleScaled, 1.38 ... 1.45, source: "derived (HouSraYurtsever2025.swift): with W12, W21 → 1, W22 → 0⁺ and |W11| ≈ (2L)^{−1/2}, θ/√(2L) → √2 ≈ 1.414 as L → 0; a first calibration (1002 cases) measured 1.405 … 1.413 (q1 … q99) at L = 1e-3, against 2.6 … 37 from det W(0) < 0. Calibration: Fixtures/calibration/HS1.json"),
    ],
    statement: "While the iterates diverge (Razin & Cohen's problem from det W(0) > 0), the normalised product W/‖W‖_F converges in direction to the rank-1 limit e₁e₁ᵀ: its angle θ to the limit falls as the loss falls through each decade, and θ/√(2L) → √2.",
    hypotheses: ["the limit direction e₁e₁ᵀ is read off the problem: every solution has det = −1 and det W stays positive (R1)"],
    findings: [
      "θ does not fall at every record: GD at η = 0.02 is unstable once |W11| is large (the sharpness grows with ‖W‖), the loss spikes back up (seen 1.2e-3 → 0.061 within 100 steps) and θ rises with it (0.064 → 0.082), on every quick run at seed 0x2a; the claim reads θ where the loss first crosses each decade instead",
      "the paper's body was not read (its abstract and secondary summaries were); its UDV architecture (U, V in norm balls, D diagonal) needs projected steps the engine does not have, so its exact-low-rank claim is not checked",
    ],
    operationalDefinition: "θ = atan2(√(‖W‖_F² − W11²), |W11|), read at the first record (every 100 steps) with L below 10⁻¹, 10⁻² and 10⁻³ (it must fall strictly) and at the end (L < 10⁻³)",
    setting: RazinCohen2020.positiveRuns,
    counter: RazinCohen2020.negativeRuns
  ) { run in
    let recorder = ProductRecorder()
    let result = try run.train(observers: [recorder])
    // θ at the first record below each loss level 10⁻¹, 10⁻², 10⁻³.
    var checkpoints: [Double] = []
    for level in [1e-1, 1e-2, 1e-3] {
      guard let snapshot = recorder.snapshots.first(where: { $0.loss < level }) else { break }
      checkpoints.append(angle(snapshot.product))
    }
    let falls = checkpoints.count == 3 && zip(checkpoints, checkpoints.dropFirst()).allSatisfy { $1 < $0 }
    let theta = angle(result.product)
    PropertyContext.measure("θ at the end", theta)
    return Measurement(
      "θ/√(2L) at the end", theta / (2 * result.loss).squareRoot(), threshold: .angleScaled,
      and: [.condition("θ falls from L < 10⁻¹ to 10⁻² to 10⁻³", falls)])
  }

  static let claims: [Claim] = [directionConverges]
}
