/// Base64 with the URL-safe alphabet and no padding, for replay tokens (shell- and URL-safe).
internal enum Base64URL {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
      let b0 = UInt32(bytes[index])
      let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
      let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
      let triple = (b0 << 16) | (b1 << 8) | b2
      let available = min(3, bytes.count - index)
      for k in 0 ... available { out.append(alphabet[Int((triple >> UInt32(18 - 6 * k)) & 0x3F)]) }
      index += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func decode(_ text: Substring) -> [UInt8]? {
    var values: [UInt32] = []
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A") ... UInt8(ascii: "Z"): values.append(UInt32(byte - UInt8(ascii: "A")))
      case UInt8(ascii: "a") ... UInt8(ascii: "z"): values.append(UInt32(byte - UInt8(ascii: "a")) + 26)
      case UInt8(ascii: "0") ... UInt8(ascii: "9"): values.append(UInt32(byte - UInt8(ascii: "0")) + 52)
      case UInt8(ascii: "-"): values.append(62)
      case UInt8(ascii: "_"): values.append(63)
      default: return nil
      }
    }
    if values.count % 4 == 1 { return nil }
    var out: [UInt8] = []
    var index = 0
    while index < values.count {
      let chunk = values[index ..< min(index + 4, values.count)]
      var accumulator: UInt32 = 0
      for (k, v) in chunk.enumerated() { accumulator |= v << UInt32(18 - 6 * k) }
      for k in 0 ..< (chunk.count - 1) { out.append(UInt8((accumulator >> UInt32(16 - 8 * k)) & 0xFF)) }
      index += 4
    }
    return out
  }
}
