/// Derives independent child seeds from a parent seed and a label or index.
///
/// A run seed becomes a property's seed, then a case's seed, then the seeds of the case's parts
/// ("U", "V", "mask", "init"), the way NumPy's `SeedSequence.spawn` does. The derivation uses only
/// FNV-1a over the label's UTF-8 bytes and SplitMix64's mixer, never Swift's per-process `Hasher`,
/// so it is the same in every process and on every machine.
public enum SeedDerivation {
  /// The child of `seed` named `label`.
  public static func derive(_ seed: UInt64, _ label: String) -> UInt64 {
    SplitMix64.mix(seed ^ SplitMix64.mix(fnv1a(label) &+ 0x632B_E59B_D9B4_E019))
  }

  /// The child of `seed` with number `index` (case indices, factor indices).
  public static func derive(_ seed: UInt64, index: UInt64) -> UInt64 {
    SplitMix64.mix(SplitMix64.mix(seed &+ 0x9E37_79B9_7F4A_7C15) ^ SplitMix64.mix(index &+ 0xD1B5_4A32_D192_ED03))
  }

  /// 64-bit FNV-1a of the string's UTF-8 bytes: a stable name hash.
  public static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }
}
