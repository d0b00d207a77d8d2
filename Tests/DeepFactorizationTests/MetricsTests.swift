import DeepFactorization
import LinearAlgebra
import Testing

struct MetricsTests {
  @Test func balancednessDeviationByHand() {
    // W₁ = diag(1, 2), W₂ = diag(1, 1): W₂ᵀW₂ − W₁W₁ᵀ = diag(0, −3).
    #expect(Metrics.balancednessDeviation([.diagonal([1, 2]), .diagonal([1, 1])]) == 3)
    #expect(Metrics.balancednessDeviation([.diagonal([1, 2])]) == 0)
  }

  static func point(_ step: Int, _ sigma: [Double]) -> TrajectoryPoint {
    TrajectoryPoint(step: step, time: nil, loss: 0, singularValues: sigma, effectiveRank: nil, determinant: nil)
  }

  @Test func thePlateauIsTheFlattestRecordBetweenTwoMoments() {
    // A loss curve with two plateaus (at 10 and 1) between drops, recorded every 5 steps.
    let losses: [Double] = [20, 12, 10.2, 10.1, 10.05, 10.1, 6, 2, 1.2, 1.01, 1.0, 0.5, 0.1]
    let points = losses.enumerated().map {
      TrajectoryPoint(step: 5 * $0.offset, time: nil, loss: $0.element, singularValues: [], effectiveRank: nil, determinant: nil)
    }
    #expect(Metrics.plateauIndex(points, after: 0, before: 30) == 3)  // 10.1 → 10.05
    #expect(Metrics.plateauIndex(points, after: 30, before: 60) == 9)  // 1.01 → 1.0
    #expect(Metrics.plateauIndex(points, pairs: 0 ..< 12) == 3)  // the flatter of the two, relative to its level
    // Pairs must lie strictly inside the moments: (15, 20) is cut off by a moment at 20.
    #expect(Metrics.plateauIndex(points, after: 0, before: 20) == 2)
    #expect(Metrics.plateauIndex(points, after: 40, before: 45) == nil)
    #expect(Metrics.plateauIndex(points, pairs: 5 ..< 5) == nil)
    #expect(Metrics.plateauIndex(points, pairs: 10 ..< 40) == 10)  // clamped to the pairs that exist
  }

  @Test func incrementalLearningCountsSeparatedStages() {
    let reference = [10.0, 5, 2.5]
    let trajectory = [
      Self.point(0, [0, 0, 0]), Self.point(100, [6, 0.1, 0]), Self.point(200, [9, 3, 0.1]),
      Self.point(1000, [10, 5, 2]),
    ]
    let learning = IncrementalLearning(trajectory: trajectory, reference: reference)
    #expect(learning.learnedAt == [100, 200, 1000])
    #expect(learning.stageCount == 3 && learning.inOrder)
    // All three at once is one stage.
    let together = IncrementalLearning(trajectory: [Self.point(0, [0, 0, 0]), Self.point(50, [9, 4, 2])], reference: reference)
    #expect(together.stageCount == 1)
    // Never learned: nil, and not out of order.
    let partial = IncrementalLearning(trajectory: [Self.point(10, [6, 0, 0])], reference: reference)
    #expect(partial.learnedAt == [10, nil, nil] && partial.stageCount == 1)
  }
}
