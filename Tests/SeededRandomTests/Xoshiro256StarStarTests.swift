import SeededRandom
import Testing

struct Xoshiro256StarStarTests {
  @Test func splitMixMatchesTheReferenceSequence() {
    // SplitMix64 from seed 0: the published reference outputs.
    var generator = SplitMix64(seed: 0)
    #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(generator.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func xoshiroMatchesAnIndependentImplementation() {
    // Values from a separate Python transcription of the reference C code (state from SplitMix64).
    var generator = Xoshiro256StarStar(seed: 42)
    #expect(generator.next() == 0x1578_0B2E_0C2E_C716)
    #expect(generator.next() == 0x6104_D986_6D11_3A7E)
    #expect(generator.next() == 0xAE17_5332_39E4_99A1)
    #expect(generator.next() == 0xECB8_AD47_03B3_60A1)
    var zero = Xoshiro256StarStar(seed: 0)
    #expect(zero.next() == 0x99EC_5F36_CB75_F2B4)
  }

  @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
    var a = Xoshiro256StarStar(seed: 7)
    var b = Xoshiro256StarStar(seed: 7)
    var c = Xoshiro256StarStar(seed: 8)
    let streamA = (0 ..< 100).map { _ in a.nextDouble() }
    let streamB = (0 ..< 100).map { _ in b.nextDouble() }
    let streamC = (0 ..< 100).map { _ in c.nextDouble() }
    #expect(streamA == streamB)
    #expect(streamA != streamC)
  }

  @Test func doublesLieInTheUnitIntervalWithTheRightMean() {
    var generator = Xoshiro256StarStar(seed: 1)
    let n = 200_000
    var sum = 0.0
    for _ in 0 ..< n {
      let u = generator.nextDouble()
      #expect(u >= 0 && u < 1)
      sum += u
    }
    // Mean of U(0,1) has standard deviation 1/√(12n) ≈ 6.5e-4; allow 5 of them.
    #expect(abs(sum / Double(n) - 0.5) < 5 * (1 / (12 * Double(n))).squareRoot())
  }

  @Test(arguments: [3, 7, 10, 1000])
  func boundedIntegersAreUniform(bound: Int) {
    var generator = Xoshiro256StarStar(seed: UInt64(bound))
    let perCell = 400
    let n = bound * perCell
    var counts = [Int](repeating: 0, count: bound)
    for _ in 0 ..< n {
      let k = generator.nextInt(below: bound)
      counts[k] += 1
    }
    // χ² with bound − 1 degrees of freedom; mean k−1, sd √(2(k−1)); reject beyond 5 sd.
    let expected = Double(perCell)
    let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    let dof = Double(bound - 1)
    #expect(chiSquare < dof + 5 * (2 * dof).squareRoot())
  }

  @Test func closedRangesIncludeBothEnds() {
    var generator = Xoshiro256StarStar(seed: 3)
    var seen = Set<Int>()
    for _ in 0 ..< 1000 { seen.insert(generator.nextInt(in: -2 ... 2)) }
    #expect(seen == [-2, -1, 0, 1, 2])
  }

  @Test func gaussianHasUnitVarianceAndNormalTails() {
    var generator = Xoshiro256StarStar(seed: 11)
    let n = 200_000
    var sum = 0.0, sumSquares = 0.0, beyondTwo = 0
    for _ in 0 ..< n {
      let z = generator.nextGaussian()
      sum += z
      sumSquares += z * z
      if abs(z) > 2 { beyondTwo += 1 }
    }
    let mean = sum / Double(n)
    let variance = sumSquares / Double(n) - mean * mean
    #expect(abs(mean) < 5 / Double(n).squareRoot())
    #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
    // P(|Z| > 2) = 0.0455003; binomial sd ≈ 4.7e-4.
    #expect(abs(Double(beyondTwo) / Double(n) - 0.0455003) < 5 * (0.0455 * 0.9545 / Double(n)).squareRoot())
  }

  @Test func samplingWithoutReplacementIsDistinctSortedAndUniform() {
    var generator = Xoshiro256StarStar(seed: 5)
    var hits = [Int](repeating: 0, count: 10)
    let runs = 20_000
    for _ in 0 ..< runs {
      let sample = generator.sampleWithoutReplacement(3, from: 10)
      #expect(sample.count == 3)
      #expect(sample == sample.sorted() && Set(sample).count == 3)
      for index in sample { hits[index] += 1 }
    }
    // Each element is chosen with probability 3/10.
    let expected = Double(runs) * 0.3
    let chiSquare = hits.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    #expect(chiSquare < 9 + 5 * (18.0).squareRoot())
    #expect(generator.sampleWithoutReplacement(10, from: 10) == Array(0 ..< 10))
  }

  @Test func shuffleIsAPermutationAndDependsOnTheSeed() {
    var a = Xoshiro256StarStar(seed: 1), b = Xoshiro256StarStar(seed: 2)
    var first = Array(0 ..< 50), second = Array(0 ..< 50)
    a.shuffle(&first)
    b.shuffle(&second)
    #expect(first.sorted() == Array(0 ..< 50))
    #expect(first != Array(0 ..< 50))
    #expect(first != second)
  }
}
