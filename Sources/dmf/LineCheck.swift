import Foundation

/// The integrity check on every line of a results file: a 64-bit FNV-1a hash of the build that
/// wrote the line (the `dmf` executable's bytes) and the line's text, appended as its last field,
/// `"check":"…"`.
///
/// `dmf merge` refuses a shard line whose check does not match, and `dmf verify --resume` sets
/// such a line aside and runs its claim again. The aim is accidents and mismatched builds: a line
/// edited by hand or by a tool, cut or joined, or written by another build of `dmf` (whose claims
/// or engine may differ). It is not a signature: anyone who can run this build can recompute it.
enum LineCheck {
  /// How a line's check compares with this build's.
  enum Finding: Equatable {
    /// The line carries a check and it matches.
    case matches
    /// The line carries no check (not written by `dmf`, or by a build from before checks).
    case missing
    /// The check does not match: the line was edited, or another build wrote it.
    case mismatch

    /// What is wrong, for a message; nil when the check matches.
    var problem: String? {
      switch self {
      case .matches: nil
      case .missing: "has no check (\"check\"): it was not written by dmf verify, or by a build from before line checks"
      case .mismatch: "does not match its check: the line was edited, or another build of dmf wrote it"
      }
    }
  }

  /// The hash of this executable's bytes (read once).
  static let build: UInt64 = {
    var hash = FNV1a()
    if let data = FileManager.default.contents(atPath: "/proc/self/exe") ?? FileManager.default.contents(atPath: CommandLine.arguments[0]) {
      hash.add(data)
    }
    return hash.value
  }()

  private static let prefix = ",\"check\":\""

  /// `line` (a JSON object on one line) with its check as the last field.
  static func sealed(_ line: String) -> String {
    guard line.hasSuffix("}") else { return line }
    return String(line.dropLast()) + prefix + hex(check(line)) + "\"}"
  }

  /// The line without its check, and whether the check matches.
  static func unsealed(_ text: Substring) -> (line: String, finding: Finding) {
    let suffixLength = prefix.count + 16 + 2
    guard text.hasSuffix("\"}"), text.count > suffixLength else { return (String(text), .missing) }
    let tail = text.suffix(suffixLength)
    guard tail.hasPrefix(prefix) else { return (String(text), .missing) }
    let digits = tail.dropFirst(prefix.count).prefix(16)
    let line = String(text.dropLast(suffixLength)) + "}"
    guard let recorded = UInt64(digits, radix: 16) else { return (line, .mismatch) }
    return (line, recorded == check(line) ? .matches : .mismatch)
  }

  private static func check(_ line: String) -> UInt64 {
    var hash = FNV1a()
    withUnsafeBytes(of: build.littleEndian) { hash.add($0) }
    hash.add(Data(line.utf8))
    return hash.value
  }

  private static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}

/// The 64-bit FNV-1a hash (Fowler, Noll, Vo): fast, and good at catching accidental changes.
struct FNV1a {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  mutating func add(_ data: Data) {
    data.withUnsafeBytes { add($0) }
  }

  mutating func add(_ buffer: UnsafeRawBufferPointer) {
    var v = value
    for byte in buffer {
      v ^= UInt64(byte)
      v &*= 0x0000_0100_0000_01b3
    }
    value = v
  }
}
