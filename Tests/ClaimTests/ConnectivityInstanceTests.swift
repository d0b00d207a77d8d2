import DeepFactorization
import LinearAlgebra
@testable import Properties
import Testing

/// BZ1 and BZ2 judge gradient descent against exact minimum-nuclear-norm completions; these check
/// the two references against what they claim to be.
struct ConnectivityInstanceTests {
  @Test(arguments: [3, 4, 5])
  func theGoldenSectionFindsTheNuclearMinimumOverTheMissingEntry(n: Int) throws {
    let c = BaiZhaoZhang2024.Completion(n: n, connectivity: .connected, depth: 3, initScales: [1e-2], seed: 11)
    let instance = try c.instance()
    let hole = instance.missing[0]
    #expect(instance.missing.count == 1 && instance.observed.count == n * n - 1)
    // No value on a fine grid around the minimiser, nor far from it, has a smaller nuclear norm.
    let best = instance.minimumNuclear[hole.row, hole.column]
    var probe = instance.minimumNuclear
    for offset in [-1.0, -0.1, -1e-3, -1e-5, 1e-5, 1e-3, 0.1, 1] {
      probe[hole.row, hole.column] = best + offset
      #expect(try probe.nuclearNorm() >= instance.minimumNuclearNorm - 1e-12, "offset \(offset)")
    }
    // The target is the unique minimum-rank completion: rank n − 1.
    #expect(try instance.target.numericalRank() == n - 1)
  }

  @Test(arguments: [3, 4, 5])
  func theDisconnectedReferenceIsThePinchingBound(n: Int) throws {
    let c = BaiZhaoZhang2024.Completion(n: n, connectivity: .disconnected, depth: 2, initScales: [1e-3], seed: 5)
    let instance = try c.instance()
    #expect(instance.observed.count + instance.missing.count == n * n)
    // The reference keeps the observed blocks and is zero elsewhere; the truth (rank 1) agrees on
    // the blocks and, by Cauchy–Schwarz, has a nuclear norm at least the bound.
    for e in instance.missing { #expect(instance.minimumNuclear[e.row, e.column] == 0) }
    for e in instance.observed { #expect(instance.minimumNuclear[e.row, e.column] == instance.target[e.row, e.column]) }
    #expect(try instance.target.numericalRank() == 1)
    #expect(try instance.target.nuclearNorm() >= instance.minimumNuclearNorm - 1e-12)
    // Filling the missing entries with anything does not go below it (pinching).
    var probe = instance.minimumNuclear
    for e in instance.missing { probe[e.row, e.column] = 0.3 }
    #expect(try probe.nuclearNorm() >= instance.minimumNuclearNorm - 1e-12)
  }
}
