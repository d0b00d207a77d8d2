import DeepFactorization
import Problems
import Testing

struct MasksTests {
  @Test(arguments: [MaskSampler.rejection, .constructive])
  func uniformMasksMeetTheirConstraints(sampler: MaskSampler) throws {
    for seed: UInt64 in 0 ..< 20 {
      let entries = try Masks.uniform(rows: 20, columns: 20, count: 90, minPerLine: 2, sampler: sampler, seed: seed)
      #expect(entries.count == 90)
      #expect(Set(entries).count == 90)
      #expect(Masks.meets(entries, rows: 20, columns: 20, minPerLine: 2))
    }
  }

  @Test(arguments: [MaskSampler.rejection, .constructive])
  func bernoulliMasksMeetTheirConstraints(sampler: MaskSampler) throws {
    for seed: UInt64 in 0 ..< 20 {
      let entries = try Masks.bernoulli(rows: 20, columns: 20, probability: 0.2, minPerLine: 1, sampler: sampler, seed: seed)
      #expect(Masks.meets(entries, rows: 20, columns: 20, minPerLine: 1))
    }
  }

  @Test func theUniformSamplerIsUniform() throws {
    // 4 of the 9 entries of a 3×3 matrix: each of the C(9, 4) = 126 subsets equally likely.
    var counts: [[Int]: Int] = [:]
    let perSubset = 40
    for seed in 0 ..< 126 * perSubset {
      let entries = try Masks.uniform(rows: 3, columns: 3, count: 4, seed: UInt64(seed))
      counts[entries.map { $0.row + 3 * $0.column }.sorted(), default: 0] += 1
    }
    #expect(counts.count == 126)
    let chiSquare = counts.values.reduce(0.0) { $0 + Double(($1 - perSubset) * ($1 - perSubset)) / Double(perSubset) }
    // 125 degrees of freedom: mean 125, sd √250; reject beyond 5 sd.
    #expect(chiSquare < 125 + 5 * 250.0.squareRoot())
  }

  @Test func unlikelyConstraintsAreRefusedQuicklyNotLoopedOn() throws {
    // 10×30 at p = 0.15 with one per line: acceptance ≈ 0.1 % (the notes' simulation).
    let estimate = Masks.acceptanceEstimate(rows: 10, columns: 30, p: 0.15, minPerLine: 1)
    #expect(estimate < 0.01)
    #expect(throws: InstanceError.self) { try Masks.bernoulli(rows: 10, columns: 30, probability: 0.15, minPerLine: 1, seed: 1) }
    // The constructive sampler covers the lines instead.
    let covered = try Masks.bernoulli(rows: 10, columns: 30, probability: 0.15, minPerLine: 1, sampler: .constructive, seed: 1)
    #expect(Masks.meets(covered, rows: 10, columns: 30, minPerLine: 1))
    // Impossible constraints are infeasible, whatever the sampler.
    #expect(throws: InstanceError.self) { try Masks.uniform(rows: 5, columns: 5, count: 8, minPerLine: 2, sampler: .constructive, seed: 1) }
    #expect(throws: InstanceError.self) { try Masks.uniform(rows: 2, columns: 5, count: 10, minPerLine: 3, seed: 1) }
  }

  @Test func acceptanceEstimateMatchesTheNotes() {
    // P_acc for k = 1: 20×20 at p = 0.2 ≈ 0.63, 50×50 at p = 0.1 ≈ 0.60.
    #expect(abs(Masks.acceptanceEstimate(rows: 20, columns: 20, p: 0.2, minPerLine: 1) - 0.63) < 0.01)
    #expect(abs(Masks.acceptanceEstimate(rows: 50, columns: 50, p: 0.1, minPerLine: 1) - 0.60) < 0.01)
  }
}

struct MaskCouplingTests {
  @Test func deletingARowKeepsEveryOtherRowsMask() throws {
    let rowKeys: [UInt64] = [11, 22, 33, 44], columnKeys: [UInt64] = [5, 6, 7, 8, 9]
    let full = try Masks.bernoulli(rows: 4, columns: 5, probability: 0.5, seed: 3, rowKeys: rowKeys, columnKeys: columnKeys)
    let without = try Masks.bernoulli(rows: 3, columns: 5, probability: 0.5, seed: 3, rowKeys: [11, 33, 44], columnKeys: columnKeys)
    // Row 1 (key 22) is gone; rows 0, 2, 3 become 0, 1, 2 with the same entries.
    let expected = full.filter { $0.row != 1 }.map { Observations.Entry($0.row > 1 ? $0.row - 1 : $0.row, $0.column) }
    #expect(Set(without) == Set(expected))
  }

  @Test func oneObservationFewerRemovesExactlyOne() throws {
    let more = try Masks.uniform(rows: 6, columns: 6, count: 20, seed: 9)
    let fewer = try Masks.uniform(rows: 6, columns: 6, count: 19, seed: 9)
    #expect(Set(fewer).isSubset(of: Set(more)) && fewer.count == 19)
  }
}
