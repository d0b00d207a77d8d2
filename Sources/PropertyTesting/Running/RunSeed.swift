/// The seed of a run: every case's seed derives from it, the claim's name and the case's index.
///
/// Results files write it as 16 hexadecimal digits (`"000000000000002a"`); a reader sees `0x2a`, the
/// form `--seed` and `DMF_SEED` take (decimal works too).
public struct RunSeed: Hashable, Sendable, CustomStringConvertible {
  /// The 64-bit value.
  public var value: UInt64

  /// The seed `value`.
  public init(_ value: UInt64) {
    self.value = value
  }

  /// A decimal or `0x`-hexadecimal seed, or nil when `text` is neither or out of range.
  public init?(parsing text: String) {
    let trimmed = text.trimmingWhitespace()
    let parsed = trimmed.hasPrefix("0x") || trimmed.hasPrefix("0X") ? UInt64(trimmed.dropFirst(2), radix: 16) : UInt64(trimmed)
    guard let parsed else { return nil }
    self.init(parsed)
  }

  /// `0x2a`: what `--seed` takes to repeat the run.
  public var description: String { "0x" + String(value, radix: 16) }

  /// The 16 hexadecimal digits results files keep.
  public var digits: String { hex(value) }
}

extension RunSeed: Codable {
  /// Reads the 16 (or fewer) hexadecimal digits of a results file.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let value = UInt64(text, radix: 16) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "run seed \"\(text)\" is not hexadecimal")
    }
    self.init(value)
  }

  /// Writes 16 hexadecimal digits.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(digits)
  }
}
