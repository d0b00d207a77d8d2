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
