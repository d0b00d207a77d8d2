/// The problem file is a contract: what it does not define is an error, not ignored.
///
/// - every object accepts exactly its fields (for a `kind`, the fields of that kind), and a field
///   it does not know is reported with the nearest valid name;
/// - a key given twice in one object is an error (JSON parsers disagree on which one wins);
/// - a number too large for a double, or a count or seed that is not a whole number in range, is
///   reported at its field.
/// A look at the JSON text before decoding, for what decoders do not report: a key given twice in
/// one object, and a number too large for a double (both named by their path).
enum JSONScan {
  /// JSON's insignificant whitespace (RFC 8259: space, tab, line feed, carriage return).
  static func isWhitespace(_ c: UInt8) -> Bool {
    c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")
  }

  static func problem(in bytes: [UInt8]) -> ProblemFileError? {
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
        var text: [UInt8] = []
        while j < bytes.count && bytes[j] != UInt8(ascii: "\"") {
          if bytes[j] == UInt8(ascii: "\\") { j += 1 }
          if j < bytes.count { text.append(bytes[j]) }
          j += 1
        }
        if expectingKey, case .object(var keys, _)? = stack.last {
          let key = String(decoding: text, as: UTF8.self)
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
        i = j
      default:
        i += 1
      }
    }
    return nil
  }
}
