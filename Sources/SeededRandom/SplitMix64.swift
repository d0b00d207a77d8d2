/// Steele, Lea & Flood's SplitMix64: a tiny 64-bit generator, used here to expand seeds.
///
/// Its output function is a strong 64-bit mixer, so consecutive outputs of one seed are good
/// independent seeds for other generators. ``Xoshiro256StarStar`` fills its state from it.
public struct SplitMix64: Sendable, Hashable {
  /// The generator's whole state (a counter; any value is valid).
  public var state: UInt64

  /// A generator that starts from `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }

  /// SplitMix64's output function: a bijective avalanche mix of 64 bits.
  @inlinable
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
