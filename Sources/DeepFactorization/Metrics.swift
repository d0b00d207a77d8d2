public import LinearAlgebra

/// Quantities the claims measure on factors and trajectories.
public enum Metrics {
  /// Balancedness deviation max_j ‖W_{j+1}ᵀ W_{j+1} − W_j W_jᵀ‖_F over consecutive factors (0 for depth 1).
  ///
  /// Zero for a balanced network; preserved by gradient flow, drifting by O(η²) per step under descent.
  public static func balancednessDeviation(_ factors: [Matrix]) -> Double {
    guard factors.count > 1 else { return 0 }
    var worst = 0.0
    for j in 0 ..< factors.count - 1 {
      let upper = Matrix.product(factors[j + 1], factors[j + 1], transposingLeft: true)
      let lower = Matrix.product(factors[j], factors[j], transposingRight: true)
      worst = Swift.max(worst, (upper - lower).frobeniusNorm)
    }
    return worst
  }

  /// Schatten-p norms of W for each p (p = 1 nuclear, 2 Frobenius, ∞ spectral; p < 1 quasi-norms).
  public static func schattenNorms(_ singularValues: [Double], ps: [Double]) -> [Double] {
    ps.map { SpectralFunctions.schattenNorm(singularValues, p: $0) }
  }
}

/// Incremental learning read off a trajectory: when each singular value of W first reaches a
/// fraction of its reference, and how many separate stages those moments form.
///
/// Operational definition (the papers give none to copy): σᵢ(W) is *learned* at the first recorded
/// step at which it exceeds `fraction`·referenceᵢ; learning moments form one *stage* while each
/// next moment is at most `separation` times the previous one, and a new stage otherwise.
public struct IncrementalLearning: Sendable, Equatable {
  /// For each reference value, the first step (or time) at which σᵢ exceeded fraction·referenceᵢ; nil if never.
  public var learnedAt: [Double?]
  /// The number of distinct stages.
  public var stageCount: Int
  /// Whether the σᵢ that were learned were learned in order (σ₁ first).
  public var inOrder: Bool

  /// Reads incremental learning off `trajectory` (time for gradient flow, step otherwise).
  public init(trajectory: [TrajectoryPoint], reference: [Double], fraction: Double = 0.5, separation: Double = 1.25) {
    var learned = [Double?](repeating: nil, count: reference.count)
    for point in trajectory {
      let clock = point.time ?? Double(point.step)
      for i in reference.indices where learned[i] == nil && i < point.singularValues.count {
        if point.singularValues[i] > fraction * reference[i] { learned[i] = clock }
      }
    }
    learnedAt = learned
    let moments = learned.compactMap { $0 }
    inOrder = zip(moments, moments.dropFirst()).allSatisfy { $0 <= $1 }
    let sorted = moments.sorted()
    var stages = sorted.isEmpty ? 0 : 1
    for (previous, current) in zip(sorted, sorted.dropFirst()) where current > separation * Swift.max(previous, 1e-300) {
      stages += 1
    }
    stageCount = stages
  }
}
