import PropertyTesting

/// How paper-profile claims hand their runs to the report's figures: each case records its settings
/// and results as ``RunQuantity`` values (one value per case or record point, in order, all recorded
/// at one place so that the values of a case line up across quantities). results.jsonl files them
/// as diagnostics named `run: <quantity>`.
public enum FigureData {
  /// The prefix of a per-run quantity's diagnostic name (`run: depth`, `run: error`).
  static let runPrefix = "run: "

  /// Records `value` of `quantity` for the case being run.
  public static func record(_ quantity: RunQuantity, _ value: Double) {
    PropertyContext.measure(runPrefix + quantity.name, value)
  }

  /// The runs in a result's measurements: one dictionary a case (or record point), in order, holding
  /// every per-run quantity recorded (as many as the least-recorded quantity has values).
  public static func runs(in measurements: [PropertyResult.MeasurementSummary]) -> [[RunQuantity: Double]] {
    let quantities = measurements.filter { $0.quantity.hasPrefix(runPrefix) }
    let count = quantities.map(\.values.count).min() ?? 0
    return (0 ..< count).map { k in
      Dictionary(uniqueKeysWithValues: quantities.map { (RunQuantity(String($0.quantity.dropFirst(runPrefix.count))), $0.values[k]) })
    }
  }
}

/// A quantity a paper-profile claim records per run for a figure (``FigureData``), named once for
/// the claim that records it and the figure that reads it.
public struct RunQuantity: Hashable, Sendable {
  /// The name results.jsonl files it under, after `run: `.
  public let name: String

  fileprivate init(_ name: String) {
    self.name = name
  }

  /// A quantity of a claim's own, for its ``ClaimPlot``: declare it once (`static let gap =
  /// RunQuantity(named: "gap")`) and use that value where the claim records and where it plots.
  public init(named name: String) {
    self.name = name
  }

  /// The network's depth N.
  public static let depth = RunQuantity("depth")
  /// The step of a record point.
  public static let step = RunQuantity("step")
  /// The loss at a record point.
  public static let loss = RunQuantity("loss")
  /// The run's final loss.
  public static let finalLoss = RunQuantity("final loss")
  /// The steps a run took.
  public static let steps = RunQuantity("steps")
  /// The init scale (Arora et al.'s Figure 2 x axis).
  public static let initScale = RunQuantity("init scale")
  /// The init standard deviation of a tensor run.
  public static let initStd = RunQuantity("init std")
  /// Which repetition (instance) of a setting.
  public static let instance = RunQuantity("instance")
  /// The observed entries.
  public static let observations = RunQuantity("observations")
  /// The reconstruction error.
  public static let error = RunQuantity("error")
  /// The memoriser's reconstruction error.
  public static let memoriserError = RunQuantity("memoriser error")
  /// The estimated CP rank.
  public static let cpRank = RunQuantity("CP rank")
  /// ‖W‖_*.
  public static let nuclearNorm = RunQuantity("‖W‖_*")
  /// ‖W‖_F.
  public static let frobeniusNorm = RunQuantity("‖W‖_F")
  /// ‖W‖_2.
  public static let spectralNorm = RunQuantity("‖W‖_2")
  /// |W₁₁|.
  public static let w11 = RunQuantity("|W11|")
  /// erank(W).
  public static let effectiveRank = RunQuantity("effective rank")
  /// The minimum-nuclear-norm solution's error.
  public static let baselineError = RunQuantity("error of min ‖·‖_*")
  /// The minimum-nuclear-norm solution's nuclear norm.
  public static let baselineNuclearNorm = RunQuantity("‖X_min‖_*")
  /// The minimum-nuclear-norm solution's effective rank.
  public static let baselineEffectiveRank = RunQuantity("effective rank of min ‖·‖_*")
  /// The target's nuclear norm.
  public static let truthNuclearNorm = RunQuantity("‖W*‖_*")
  /// The target's effective rank.
  public static let truthEffectiveRank = RunQuantity("effective rank of W*")
  /// The mean magnitude of the diagonal of Uᵀ∇ℓ(W)V.
  public static let diagonalMean = RunQuantity("diag mean")
  /// The mean magnitude of its off-diagonal.
  public static let offDiagonalMean = RunQuantity("off-diag mean")

  /// σᵢ(W), i ≥ 1.
  public static func singularValue(_ i: Int) -> RunQuantity { RunQuantity("σ\(i)") }
  /// The i-th largest CP component norm, i ≥ 1.
  public static func componentNorm(_ i: Int) -> RunQuantity { RunQuantity("component \(i)") }
}
