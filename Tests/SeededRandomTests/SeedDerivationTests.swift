import SeededRandom
import Testing

struct SeedDerivationTests {
  @Test func fnv1aMatchesPublishedValues() {
    // FNV-1a 64 test vectors: "" and "a".
    #expect(SeedDerivation.fnv1a("") == 0xCBF2_9CE4_8422_2325)
    #expect(SeedDerivation.fnv1a("a") == 0xAF63_DC4C_8601_EC8C)
  }

  @Test func childrenAreStableAndDistinct() {
    let parent: UInt64 = 1234
    #expect(SeedDerivation.derive(parent, "U") == SeedDerivation.derive(parent, "U"))
    let labels = ["U", "V", "mask", "init", "u"]
    let children = labels.map { SeedDerivation.derive(parent, $0) }
    #expect(Set(children).count == labels.count)
    let indexed = (0 ..< 1000).map { SeedDerivation.derive(parent, index: UInt64($0)) }
    #expect(Set(indexed).count == 1000)
    #expect(SeedDerivation.derive(parent, index: 0) != SeedDerivation.derive(parent + 1, index: 0))
  }

  @Test func childSeedsHaveBalancedBits() {
    // Each output bit of consecutive-index children should be set about half the time.
    var ones = [Int](repeating: 0, count: 64)
    let n = 4096
    for i in 0 ..< n {
      let child = SeedDerivation.derive(99, index: UInt64(i))
      for bit in 0 ..< 64 where child & (1 << UInt64(bit)) != 0 { ones[bit] += 1 }
    }
    // Binomial(4096, ½) has sd 32; allow 5 sd.
    #expect(ones.allSatisfy { abs($0 - n / 2) < 160 })
  }
}
