/// The sequence of choices one test case made: replaying it reproduces the case exactly.
///
/// A tape is what the shrinker shrinks, what the failure database stores and what a replay token
/// carries. Replaying a prefix of a tape reproduces a case whose missing choices are the simplest
/// values allowed (see ``ChoiceSource``).
public struct Tape: Hashable, Sendable, Codable {
  /// The choices, in the order they were drawn.
  public var choices: [Choice]

  /// A tape of the given choices.
  public init(_ choices: [Choice] = []) {
    self.choices = choices
  }

  /// The number of choices.
  public var count: Int { choices.count }

  /// The compact binary form: per choice one kind byte and the value as a zig-zag LEB128 varint
  /// (integers), 8 little-endian bytes (floats, seeds) or one byte (booleans).
  public var bytes: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(choices.count * 3)
    for choice in choices {
      out.append(choice.kind.rawValue)
      switch choice.kind {
      case .integer:
        let v = Int64(bitPattern: choice.bits)
        var zigzag = UInt64(bitPattern: (v << 1) ^ (v >> 63))
        repeat {
          var byte = UInt8(zigzag & 0x7F)
          zigzag >>= 7
          if zigzag != 0 { byte |= 0x80 }
          out.append(byte)
        } while zigzag != 0
      case .boolean:
        out.append(UInt8(choice.bits & 1))
      case .float, .seed:
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8((choice.bits >> UInt64(shift)) & 0xFF)) }
      }
    }
    return out
  }

  /// Decodes ``bytes``; `nil` if they are malformed.
  public init?(bytes: [UInt8]) {
    var choices: [Choice] = []
    var index = 0
    while index < bytes.count {
      guard let kind = Choice.Kind(rawValue: bytes[index]) else { return nil }
      index += 1
      switch kind {
      case .integer:
        var zigzag: UInt64 = 0
        var shift: UInt64 = 0
        while true {
          guard index < bytes.count, shift < 64 else { return nil }
          let byte = bytes[index]
          index += 1
          zigzag |= UInt64(byte & 0x7F) << shift
          shift += 7
          if byte & 0x80 == 0 { break }
        }
        let value = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
        choices.append(Choice(kind: .integer, bits: UInt64(bitPattern: value)))
      case .boolean:
        guard index < bytes.count, bytes[index] <= 1 else { return nil }
        choices.append(Choice(kind: .boolean, bits: UInt64(bytes[index])))
        index += 1
      case .float, .seed:
        guard index + 8 <= bytes.count else { return nil }
        var bits: UInt64 = 0
        for k in 0 ..< 8 { bits |= UInt64(bytes[index + k]) << UInt64(8 * k) }
        index += 8
        choices.append(Choice(kind: kind, bits: bits))
      }
    }
    self.choices = choices
  }
}

/// Shortlex order on recorded cases: fewer choices first, then the simpler choice at the first
/// difference. The shrinker only ever moves to a strictly smaller case, so it terminates.
internal enum Shortlex {
  static func isSimpler(_ a: [ChoiceNode], than b: [ChoiceNode]) -> Bool {
    if a.count != b.count { return a.count < b.count }
    for (x, y) in zip(a, b) {
      let kx = x.simplicity, ky = y.simplicity
      if kx != ky { return kx.lexicographicallyPrecedes(ky) }
    }
    return false
  }
}
