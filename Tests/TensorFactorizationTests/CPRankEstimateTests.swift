import SeededRandom
import TensorFactorization
import Testing

/// The CP-rank estimate on tensors of known rank, and where it must say it could not tell.
struct CPRankEstimateTests {
  @Test(arguments: [([5, 5, 5], 1), ([5, 5, 5], 2), ([5, 5, 5], 3), ([4, 3, 4, 3], 2)])
  func aRandomTensorOfKnownRankIsEstimatedAtThatRank(dimensions: [Int], rank: Int) {
    let tensor = Tensor.randomLowRank(dimensions: dimensions, rank: rank, seed: 11)
    let estimate = CPRankEstimate(of: tensor, tolerance: 1e-6, maxRank: 6, seed: 4)
    #expect(estimate.rank == rank, "errors by rank: \(estimate.errors)")
    // The rank below fits worse than the tolerance by far: the estimate is not a tolerance artefact.
    if rank > 1, let below = estimate.errors[rank - 2] { #expect(below > 1e-3) }
  }

  @Test func aSmallPerturbationIsBelowTheToleranceAndALargeOneIsNot() {
    var tensor = Tensor.randomLowRank(dimensions: [6, 6, 6], rank: 1, seed: 2)
    var generator = Xoshiro256StarStar(seed: 5)
    let noise = tensor.entries.map { _ in generator.nextGaussian() }
    let noiseNorm = noise.reduce(0) { $0 + $1 * $1 }.squareRoot()
    for i in tensor.entries.indices { tensor.entries[i] += 1e-3 * noise[i] / noiseNorm }
    #expect(CPRankEstimate(of: tensor, tolerance: 1e-2, maxRank: 8).rank == 1)
    // At a tolerance below the noise, rank 1 no longer fits: a full-rank perturbation needs many more.
    #expect(CPRankEstimate(of: tensor, tolerance: 1e-5, maxRank: 2).rank == nil)
  }

  @Test func theZeroTensorHasRankZero() {
    #expect(CPRankEstimate(of: Tensor(dimensions: [2, 2, 2], entries: [Double](repeating: 0, count: 8)), tolerance: 1e-6, maxRank: 2).rank == 0)
  }
}
