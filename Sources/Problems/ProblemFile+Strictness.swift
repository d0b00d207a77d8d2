/// The problem file is a contract: what it does not define is an error, not ignored.
///
/// - every object accepts exactly its fields (for a `kind`, the fields of that kind), and a field
///   it does not know is reported with the nearest valid name;
/// - a key given twice in one object is an error (JSON parsers disagree on which one wins);
/// - a number too large for a double, or a count or seed that is not a whole number in range, is
///   reported at its field.
/// A look at the JSON text before decoding, for what decoders do not report or report badly: a byte-order
/// mark or UTF-16 text, a key given twice in one object (escapes resolved), and a number too large or
/// too small for a double (named by their path).
enum JSONScan {
  /// JSON's insignificant whitespace (RFC 8259: space, tab, line feed, carriage return).
  static func isWhitespace(_ c: UInt8) -> Bool {
    c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")
  }

  /// What is wrong with the text's encoding, if anything: dmf reads UTF-8 JSON without a byte-order mark.
  static func encodingProblem(_ bytes: [UInt8]) -> ProblemFileError? {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      return ProblemFileError("", "not valid JSON: it starts with a UTF-8 byte-order mark (U+FEFF); save the file as UTF-8 without one")
    }
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.contains(0) {
      return ProblemFileError("", "not valid JSON: not UTF-8 text (a UTF-16 byte-order mark or NUL bytes); save it as UTF-8")
    }
    return nil
  }

  /// The text of a JSON string's contents (between its quotes), escapes resolved: `lo\u0073s` is `loss`.
  static func unescaped(_ raw: ArraySlice<UInt8>) -> String {
    var scalars = String.UnicodeScalarView()
    let text = Array(String(decoding: raw, as: UTF8.self).unicodeScalars)
    var k = 0
    var pendingHigh: UInt32?
    while k < text.count {
      guard text[k] == "\\", k + 1 < text.count else {
        scalars.append(text[k])
        k += 1
        continue
      }
      let escape = text[k + 1]
      k += 2
      switch escape {
      case "n": scalars.append("\n")
      case "t": scalars.append("\t")
      case "r": scalars.append("\r")
      case "b": scalars.append("\u{8}")
      case "f": scalars.append("\u{c}")
      case "u":
        let hex = String(String.UnicodeScalarView(text[k ..< Swift.min(k + 4, text.count)]))
        k += 4
        guard let code = UInt32(hex, radix: 16) else { continue }
        if (0xD800 ..< 0xDC00).contains(code) {
          pendingHigh = code
        } else if (0xDC00 ..< 0xE000).contains(code), let high = pendingHigh {
          if let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)) { scalars.append(scalar) }
          pendingHigh = nil
        } else if let scalar = Unicode.Scalar(code) {
          scalars.append(scalar)
        }
      default: scalars.append(escape)  // \" \\ \/
      }
    }
    return String(scalars)
  }

  static func problem(in bytes: [UInt8]) -> ProblemFileError? {
    if let problem = encodingProblem(bytes) { return problem }
    enum Frame {
      case object(keys: Set<String>, key: String?)
      case array(index: Int)
    }
    var stack: [Frame] = []
    var path: [String] = []
    func pathText(_ extra: String? = nil) -> String {
      var text = ""
      for component in path + (extra.map { [$0] } ?? []) {
        if component.hasPrefix("[") { text += component } else { text += text.isEmpty ? component : "." + component }
      }
      return text
    }
    var i = 0
    var expectingKey = false
    var previous: UInt8 = 0  // the last byte outside strings and whitespace
    while i < bytes.count {
      let c = bytes[i]
      if c == UInt8(ascii: "}") || c == UInt8(ascii: "]"), previous == UInt8(ascii: ",") {
        return ProblemFileError(pathText(), "a comma before \"\(Character(UnicodeScalar(c)))\" (JSON allows no trailing comma)")
      }
      if !isWhitespace(c) { previous = c }
      switch c {
      case UInt8(ascii: "{"):
        stack.append(.object(keys: [], key: nil))
        expectingKey = true
        i += 1
      case UInt8(ascii: "["):
        stack.append(.array(index: 0))
        path.append("[0]")
        expectingKey = false
        i += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        if case .object(_, let key)? = stack.last, key != nil { path.removeLast() }
        if case .array? = stack.last { path.removeLast() }
        if !stack.isEmpty { stack.removeLast() }
        expectingKey = false
        i += 1
      case UInt8(ascii: ","):
        if case .object(let keys, let key)? = stack.last {
          if key != nil { path.removeLast() }
          stack[stack.count - 1] = .object(keys: keys, key: nil)
          expectingKey = true
        } else if case .array(let index)? = stack.last {
          stack[stack.count - 1] = .array(index: index + 1)
          path[path.count - 1] = "[\(index + 1)]"
        }
        i += 1
      case UInt8(ascii: "\""):
        var j = i + 1
        while j < bytes.count && bytes[j] != UInt8(ascii: "\"") {
          if bytes[j] == UInt8(ascii: "\\") { j += 1 }
          j += 1
        }
        if expectingKey, case .object(var keys, _)? = stack.last {
          // Keys compare as the strings they stand for: "lo\u0073s" is a second "loss".
          let key = unescaped(bytes[(i + 1) ..< Swift.min(j, bytes.count)])
          if keys.contains(key) { return ProblemFileError(pathText(key), "given twice in one object (JSON readers disagree on which one counts)") }
          keys.insert(key)
          stack[stack.count - 1] = .object(keys: keys, key: key)
          path.append(key)
          expectingKey = false
        }
        i = j + 1
      case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
        var j = i
        while j < bytes.count, let s = Optional(bytes[j]), s == UInt8(ascii: "-") || s == UInt8(ascii: "+") || s == UInt8(ascii: ".") || s == UInt8(ascii: "e") || s == UInt8(ascii: "E") || (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(s) { j += 1 }
        let literal = String(decoding: bytes[i ..< j], as: UTF8.self)
        if let value = Double(literal), !value.isFinite {
          return ProblemFileError(pathText(), "\(literal) is too large for a double")
        }
        // A literal with a nonzero digit that reads as 0 (1e-400) is below the smallest double.
        let mantissa = literal.prefix { $0 != "e" && $0 != "E" }
        if let value = Double(literal), value == 0, mantissa.contains(where: { ("1" ... "9").contains($0) }) {
          return ProblemFileError(pathText(), "\(literal) is too small for a double (it would read as 0)")
        }
        i = j
      default:
        i += 1
      }
    }
    return nil
  }
}
