/// Strict decoding, shared by the engine's Codable types (optimizer choices) and the problem files:
/// an object accepts exactly its fields, and a field it does not know is reported with the nearest
/// valid name.
package struct AnyKey: CodingKey {
  package var stringValue: String
  package var intValue: Int?
  package init(stringValue: String) { self.stringValue = stringValue }
  package init?(intValue: Int) {
    self.stringValue = "\(intValue)"
    self.intValue = intValue
  }
}

extension Decoder {
  /// Throws at the first key of this object that is not in `allowed`, naming the nearest allowed one.
  package func rejectUnknownKeys(_ allowed: [String], kind: String? = nil) throws {
    let container = try self.container(keyedBy: AnyKey.self)
    for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !allowed.contains(key.stringValue) {
      let valid = allowed.filter { $0 != "kind" }
      let context = kind.map { "kind \"\($0)\" has " + (valid.isEmpty ? "no other fields" : "the fields " + valid.joined(separator: ", ")) }
        ?? "the fields here are " + allowed.joined(separator: ", ")
      let suggestion = nearest(to: key.stringValue, in: allowed).map { "did you mean \"\($0)\"? " } ?? ""
      throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "unknown field (\(suggestion)\(context))"))
    }
  }

  /// The value of an object that has exactly one field, `name` (`{"every": 100}`).
  package func soleField<T: Decodable>(_ name: String) throws -> T {
    try rejectUnknownKeys([name])
    return try container(keyedBy: AnyKey.self).decode(T.self, forKey: AnyKey(stringValue: name))
  }
}

/// The allowed name closest to `name` by edit distance (case-insensitive), if it is close (≤ 2
/// edits, or a different case only).
package func nearest(to name: String, in allowed: [String]) -> String? {
  func distance(_ a: [Character], _ b: [Character]) -> Int {
    var previous = Array(0 ... b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1] + [Int](repeating: 0, count: b.count)
      for (j, y) in b.enumerated() {
        current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
  let lowered = Array(name.lowercased())
  let scored = allowed.map { ($0, distance(lowered, Array($0.lowercased()))) }.min { $0.1 < $1.1 }
  guard let (best, score) = scored, score <= 2 else { return nil }
  return best
}

extension KeyedDecodingContainer {
  /// A `kind` field: one of `Name`'s values, or an error listing them.
  package func decodeKind<Name: RawRepresentable & CaseIterable>(_ type: Name.Type, forKey key: Key) throws -> Name where Name.RawValue == String {
    let name = try decode(String.self, forKey: key)
    guard let kind = Name(rawValue: name) else {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: self, debugDescription: "unknown kind \"\(name)\" (\(Name.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    return kind
  }

  /// Replaces `value` by the field's value when the field is present: decoding that leaves a default,
  /// set by the type's initializer, in place for a field the file leaves out.
  package func overwrite<T: Decodable>(_ value: inout T, ifPresent key: Key) throws {
    if let present = try decodeIfPresent(T.self, forKey: key) { value = present }
  }
}

extension KeyedDecodingContainer {
  /// A whole number in `T`'s range (seeds, counts, depths): a fraction, a negative seed or a number
  /// past the range is an error at this field instead of a failure of the whole document.
  package func decodeWhole<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    if let value = try? decode(T.self, forKey: key) { return value }
    guard contains(key) else { return try decode(T.self, forKey: key) }  // the usual "missing"
    let number: Double
    do {
      number = try decode(Double.self, forKey: key)
    } catch {
      throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath + [key], debugDescription: "expected a whole number"))
    }
    let range = T.min == 0 ? "from 0 to \(T.max)" : "up to \(T.max)"
    throw DecodingError.dataCorruptedError(
      forKey: key, in: self, debugDescription: "must be a whole number \(range), got \(formatted(number))")
  }

  /// ``decodeWhole(_:forKey:)`` for an optional field.
  package func decodeWholeIfPresent<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    guard contains(key), !(try decodeNil(forKey: key)) else { return nil }
    return try decodeWhole(type, forKey: key)
  }
}

/// A number as the file would write it: `-1`, `1.5`, `1.8446744073709552e+19`.
package func formatted(_ x: Double) -> String {
  x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
}

extension KeyedDecodingContainer {
  /// A field a `kind` needs: missing is an error that says which kind needs it.
  package func decodeRequired<T: Decodable>(_ type: T.Type, forKey key: Key, kind: String) throws -> T {
    guard let value = try decodeIfPresent(type, forKey: key) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "missing (needed by kind \"\(kind)\")")
    }
    return value
  }
}
