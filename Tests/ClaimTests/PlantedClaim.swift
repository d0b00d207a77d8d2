import PropertyTesting
@testable import ClaimKit
@testable import Properties

/// Cheap planted claims for the harness's own tests.
enum PlantedClaim {
  /// x uniform on [0, 1] held to [0, `bound`] (the threshold `threshold`, by default `bound`), with the
  /// counter-setting x + 2: it holds for `bound` ≥ 1 and is refuted within a few cases below.
  static func bounded(
    id: String = "planted.bounded", code: String = "P1", bound: Double = 1, threshold: ThresholdName = .bound,
    counter: String = "x + 2, above the bound", cases: Int = 5, keepingMargin: Double? = nil
  ) -> Claim {
    let setting = ClaimSetting(cases: Gen<Double>.double(in: 0 ... 1), budget: .cases(cases), shrinkKeepingMargin: keepingMargin)
    return Claim.forEvery(
      id: id, code: code, paper: PaperReference("planted", 2026, arXiv: "none", at: "the claim tests"),
      thresholds: [Threshold(.bound, 0 ... bound, source: "planted")], statement: "x ≤ \(bound)", hypotheses: ["x uniform on [0, 1]"],
      setting: setting, counter: setting.changingEachCase(counter) { $0 += 2 }
    ) { x in Measurement("x", x, threshold: threshold) }
  }
}
