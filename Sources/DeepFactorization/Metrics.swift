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

  /// The plateau of a loss curve: the index k of the flattest record, the one whose loss changes
  /// least, relative to itself, to the next record (|L_{k+1} − L_k| / L_k), over the pairs (k, k+1)
  /// with k in `pairs`; the first such record on ties, nil when `pairs` is empty.
  ///
  /// The one plateau detector of the catalogue (the saddle-to-saddle plateaus of Q1, the rank-1
  /// plateau of L2): the record spacing sets the scale over which "flat" is judged.
  public static func plateauIndex(_ trajectory: [TrajectoryPoint], pairs: Range<Int>) -> Int? {
    var flattest = Double.infinity
    var plateau: Int?
    for k in pairs.clamped(to: 0 ..< Swift.max(0, trajectory.count - 1)) {
      let change = abs(trajectory[k + 1].loss - trajectory[k].loss) / trajectory[k].loss
      if change < flattest {
        flattest = change
        plateau = k
      }
    }
    return plateau
  }

  /// The plateau (``plateauIndex(_:pairs:)``) between two clock readings: over the pairs of records
  /// strictly after `start` and strictly before `end` (step, or time for gradient flow).
  public static func plateauIndex(_ trajectory: [TrajectoryPoint], after start: Double, before end: Double) -> Int? {
    let clock = { (point: TrajectoryPoint) in point.time ?? Double(point.step) }
    let first = trajectory.firstIndex { clock($0) > start } ?? trajectory.count
    var last = first  // one past the last pair (k, k+1) with clock(k+1) < end
    while last + 1 < trajectory.count && clock(trajectory[last + 1]) < end { last += 1 }
    return plateauIndex(trajectory, pairs: first ..< last)
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
