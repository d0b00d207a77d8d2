/// A one-line reproduction of one case: harness format version, the property's name hash, the
/// case seed, the (shrunk) tape and a checksum.
///
/// Printed with every failure as `dmf2.<name hash>.<case seed>.<tape>.<check>` (hex, hex, base64url,
/// hex): the check is the low 32 bits of FNV-1a over the text before it, so that a token cut or
/// changed in copying is refused instead of replaying another case. Tokens of the earlier format
/// `dmf1.<name hash>.<case seed>.<tape>` (no check) are still read.
/// `DMF_REPLAY=<token> swift test --filter <test>` or `dmf replay <token>` runs exactly that case.
public struct ReplayToken: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The token format (and the tape encoding) this harness writes.
  public static let formatVersion = "dmf2"
  /// The earlier format, without a checksum, which this harness still reads.
  static let uncheckedFormatVersion = "dmf1"

  /// FNV-1a hash of the property's stable name.
  public var propertyHash: UInt64
  /// The seed the case was originally generated from.
  public var caseSeed: UInt64
  /// The choices to replay.
  public var tape: Tape

  /// A token for a case of the property `propertyName`.
  public init(propertyName: String, caseSeed: UInt64, tape: Tape) {
    self.init(propertyHash: PropertyIdentity.hash(propertyName), caseSeed: caseSeed, tape: tape)
  }

  /// A token from its parts.
  public init(propertyHash: UInt64, caseSeed: UInt64, tape: Tape) {
    self.propertyHash = propertyHash
    self.caseSeed = caseSeed
    self.tape = tape
  }

  /// Parses a token, or throws an error that names what is wrong with it.
  public init(parsing text: String) throws(ReplayTokenError) {
    let trimmed = text.trimmingWhitespace()
    let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
    switch parts[0] {
    case Self.uncheckedFormatVersion[...]:
      guard parts.count == 4 else { throw .malformed("expected 4 dot-separated parts, found \(parts.count)") }
    case Self.formatVersion[...]:
      guard parts.count == 5 else { throw .malformed("expected 5 dot-separated parts, found \(parts.count)") }
      let checked = trimmed[..<trimmed.lastIndex(of: ".")!]
      guard parts[4] == Self.check(checked) else {
        throw .damaged("its check \"\(parts[4])\" does not match the rest (\(Self.check(checked))): it was cut or changed in copying")
      }
    default:
      throw .unsupportedVersion(String(parts[0]), expected: Self.formatVersion)
    }
    guard let hash = UInt64(parts[1], radix: 16) else { throw .malformed("property hash \"\(parts[1])\" is not hexadecimal") }
    guard let seed = UInt64(parts[2], radix: 16) else { throw .malformed("case seed \"\(parts[2])\" is not hexadecimal") }
    guard let bytes = Base64URL.decode(parts[3]) else { throw .malformed("tape is not base64url") }
    guard let tape = Tape(bytes: bytes) else { throw .malformed("tape bytes do not decode to choices") }
    self.init(propertyHash: hash, caseSeed: seed, tape: tape)
  }

  /// The token text.
  public var description: String {
    let body = "\(Self.formatVersion).\(hex(propertyHash)).\(hex(caseSeed)).\(Base64URL.encode(tape.bytes))"
    return body + "." + Self.check(body[...])
  }

  /// The checksum of a token's text before its last dot: 8 hex digits.
  static func check(_ text: Substring) -> String {
    let digits = String(PropertyIdentity.hash(String(text)) & 0xffff_ffff, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }

  /// Whether the token belongs to the property named `name`.
  public func belongs(to name: String) -> Bool {
    propertyHash == PropertyIdentity.hash(name)
  }
}

/// What is wrong with a replay token.
public enum ReplayTokenError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The token is not of the form `dmf2.<hash>.<seed>.<tape>.<check>` (or `dmf1.<hash>.<seed>.<tape>`).
  case malformed(String)
  /// The token's checksum does not match its text.
  case damaged(String)
  /// The token was written by another harness format.
  case unsupportedVersion(String, expected: String)

  /// A one-line message.
  public var description: String {
    switch self {
    case .malformed(let why): return "replay token: \(why)"
    case .damaged(let why): return "replay token: \(why)"
    case .unsupportedVersion(let found, let expected):
      return "replay token: format \"\(found)\" is not supported by this harness (expected \"\(expected)\")"
    }
  }
}

func hex(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}

extension String {
  func trimmingWhitespace() -> Substring {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return text
  }
}
