import RealModule

/// The project's seeded generator: Blackman & Vigna's xoshiro256**, with the samplers built on it.
///
/// Every random object in ImplicitBias (initial factors, targets, masks, property-test cases) is
/// drawn from this generator, never from the standard library's `random(in:using:)` or
/// `shuffle(using:)`, whose algorithms may change between Swift versions. The algorithms below are
/// part of the project's reproducibility contract: the same seed gives the same bits on every
/// machine and every release of ImplicitBias that does not say otherwise in its change notes.
///
/// The type deliberately does not conform to `RandomNumberGenerator`, so it cannot be handed to the
/// standard library's samplers by accident.
///
///     var generator = Xoshiro256StarStar(seed: 42)
///     let u = generator.nextDouble()            // uniform in [0, 1)
///     let k = generator.nextInt(below: 10)      // uniform in 0..<10
///     let z = generator.nextGaussian()          // standard normal
public struct Xoshiro256StarStar: Sendable, Hashable {
  @usableFromInline internal var s0: UInt64
  @usableFromInline internal var s1: UInt64
  @usableFromInline internal var s2: UInt64
  @usableFromInline internal var s3: UInt64

  /// A generator whose 256-bit state is filled from `seed` by ``SplitMix64``.
  ///
  /// Every seed, including 0, gives a valid (non-zero) state.
  public init(seed: UInt64) {
    var expander = SplitMix64(seed: seed)
    s0 = expander.next()
    s1 = expander.next()
    s2 = expander.next()
    s3 = expander.next()
  }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3.rotatedLeft(by: 45)
    return result
  }

  /// A uniform double in [0, 1) with 53 random bits (every multiple of 2⁻⁵³ equally likely).
  @inlinable
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform double in `range` (lower + (upper − lower)·u with u from ``nextDouble()``).
  ///
  /// The upper bound is excluded except through rounding.
  @inlinable
  public mutating func nextDouble(in range: Range<Double>) -> Double {
    precondition(range.lowerBound.isFinite && range.upperBound.isFinite, "nextDouble(in:) needs a finite range, got \(range)")
    return range.lowerBound + (range.upperBound - range.lowerBound) * nextDouble()
  }

  /// A uniform integer in `0 ..< bound` by Lemire's nearly divisionless method (no modulo bias).
  @inlinable
  public mutating func nextInt(below bound: UInt64) -> UInt64 {
    precondition(bound > 0, "nextInt(below:) needs a positive bound")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold {
        product = next().multipliedFullWidth(by: bound)
      }
    }
    return product.high
  }

  /// A uniform integer in `0 ..< bound`.
  @inlinable
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "nextInt(below:) needs a positive bound, got \(bound)")
    return Int(nextInt(below: UInt64(bound)))
  }

  /// A uniform integer in the closed range.
  @inlinable
  public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
    let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
    if width == 0 { return Int(bitPattern: UInt(next())) }  // the whole Int range
    return range.lowerBound &+ Int(bitPattern: UInt(nextInt(below: width)))
  }

  /// A fair coin flip, or one that comes up `true` with probability `p`.
  @inlinable
  public mutating func nextBool(probability p: Double = 0.5) -> Bool {
    nextDouble() < p
  }

  /// A standard normal sample by the Marsaglia polar method.
  ///
  /// Each call consumes an even number of 64-bit words and returns one sample (the second value of
  /// the pair is discarded, so a sample depends only on the state before the call).
  public mutating func nextGaussian() -> Double {
    while true {
      let u = 2 * nextDouble() - 1
      let v = 2 * nextDouble() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        return u * (-2 * Double.log(s) / s).squareRoot()
      }
    }
  }

  /// A normal sample with the given mean and standard deviation.
  public mutating func nextGaussian(mean: Double, standardDeviation: Double) -> Double {
    mean + standardDeviation * nextGaussian()
  }

  /// Fisher–Yates shuffle of `elements` driven by this generator.
  public mutating func shuffle<Element>(_ elements: inout [Element]) {
    guard elements.count > 1 else { return }
    for i in stride(from: elements.count - 1, to: 0, by: -1) {
      let j = nextInt(below: i + 1)
      elements.swapAt(i, j)
    }
  }

  /// `count` distinct integers from `0 ..< population`, uniformly, in increasing order (Floyd's algorithm).
  public mutating func sampleWithoutReplacement(_ count: Int, from population: Int) -> [Int] {
    precondition(count >= 0 && count <= population, "cannot draw \(count) distinct values from \(population)")
    var chosen = [Bool](repeating: false, count: population)
    for j in (population - count) ..< population {
      let t = nextInt(below: j + 1)
      if chosen[t] { chosen[j] = true } else { chosen[t] = true }
    }
    var result: [Int] = []
    result.reserveCapacity(count)
    for (index, isChosen) in chosen.enumerated() where isChosen { result.append(index) }
    return result
  }
}

extension UInt64 {
  @inlinable
  internal func rotatedLeft(by k: UInt64) -> UInt64 {
    (self << k) | (self >> (64 - k))
  }
}
