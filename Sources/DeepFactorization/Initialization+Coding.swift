import LinearAlgebra

extension Initialization: Codable {
  /// An initialisation's name in a problem file's `initialization` object.
  public enum Kind: String, CaseIterable, Sendable {
    /// ``Initialization/identity(scale:)``: `scale`.
    case identity
    /// ``Initialization/gaussian(scale:seed:)``: `scale`, `seed`.
    case gaussian
    /// ``Initialization/orthogonal(scale:seed:)``: `scale`, `seed`.
    case orthogonal
    /// ``Initialization/balanced(scale:seed:determinant:)``: `scale`, `seed`, optional `determinant`.
    case balanced
    /// ``Initialization/factors(_:)``: `factors`, W_1 … W_N each row by row.
    case factors

    /// The fields a problem file may give for this kind.
    public var fieldNames: [String] {
      switch self {
      case .identity: ["scale"]
      case .gaussian, .orthogonal: ["scale", "seed"]
      case .balanced: ["scale", "seed", "determinant"]
      case .factors: ["factors"]
      }
    }
  }

  /// Which initialisation.
  public var kind: Kind {
    switch self {
    case .identity: .identity
    case .gaussian: .gaussian
    case .orthogonal: .orthogonal
    case .balanced: .balanced
    case .factors: .factors
    }
  }

  /// Throws unless the scale is positive and finite (reported at `scale`).
  public func validate() throws(HyperparameterError) {
    switch self {
    case .identity(let scale), .gaussian(let scale, _), .orthogonal(let scale, _), .balanced(let scale, _, _):
      guard scale > 0 && scale.isFinite else { throw .notPositive(field: "scale", value: scale) }
    case .factors:
      break
    }
  }

  private enum CodingKeys: String, CodingKey {
    case kind, scale, seed, determinant, factors
  }

  /// Reads `{"kind": …, <the kind's fields>}`: exactly the kind's fields, whole-number seeds, factors
  /// as rectangular matrices of finite numbers (each problem named by its path).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try c.decodeKind(Kind.self, forKey: .kind)
    try decoder.rejectUnknownKeys(["kind"] + kind.fieldNames, kind: kind.rawValue)
    func seed() throws -> UInt64 {
      guard c.contains(.seed) else { return try c.decodeRequired(UInt64.self, forKey: .seed, kind: kind.rawValue) }
      return try c.decodeWhole(UInt64.self, forKey: .seed)
    }
    switch kind {
    case .identity: self = .identity(scale: try c.decode(Double.self, forKey: .scale))
    case .gaussian: self = .gaussian(scale: try c.decode(Double.self, forKey: .scale), seed: try seed())
    case .orthogonal: self = .orthogonal(scale: try c.decode(Double.self, forKey: .scale), seed: try seed())
    case .balanced:
      var sign: DeterminantSign?
      if let text = try c.decodeIfPresent(String.self, forKey: .determinant) {
        guard let parsed = DeterminantSign(rawValue: text) else {
          throw DecodingError.dataCorruptedError(forKey: .determinant, in: c, debugDescription: "unknown sign \"\(text)\" (positive, negative)")
        }
        sign = parsed
      }
      self = .balanced(scale: try c.decode(Double.self, forKey: .scale), seed: try seed(), determinant: sign)
    case .factors:
      let rows = try c.decodeRequired([[[Double]]].self, forKey: .factors, kind: kind.rawValue)
      self = .factors(try rows.enumerated().map { j, factor in try Matrix(checking: factor, at: c.codingPath + [CodingKeys.factors, AnyKey(intValue: j)!]) })
    }
  }

  /// Writes `kind` and the kind's fields (factors row by row).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(kind.rawValue, forKey: .kind)
    switch self {
    case .identity(let scale):
      try c.encode(scale, forKey: .scale)
    case .gaussian(let scale, let seed), .orthogonal(let scale, let seed):
      try c.encode(scale, forKey: .scale)
      try c.encode(seed, forKey: .seed)
    case .balanced(let scale, let seed, let determinant):
      try c.encode(scale, forKey: .scale)
      try c.encode(seed, forKey: .seed)
      try c.encodeIfPresent(determinant?.rawValue, forKey: .determinant)
    case .factors(let factors):
      try c.encode(factors.map(\.rowsOfElements), forKey: .factors)
    }
  }
}

extension Matrix {
  /// The matrix written row by row in `rows`, or a decoding error at `path`: empty, ragged, or with
  /// an entry that is not finite.
  package init(checking rows: [[Double]], at path: [any CodingKey]) throws {
    func problem(_ at: [any CodingKey], _ message: String) -> DecodingError { .dataCorrupted(.init(codingPath: at, debugDescription: message)) }
    guard let first = rows.first, !first.isEmpty else { throw problem(path, "empty matrix") }
    for (i, row) in rows.enumerated() {
      let at = path + [AnyKey(intValue: i)!]
      guard row.count == first.count else { throw problem(at, "ragged rows: row 0 has \(first.count) entries, row \(i) has \(row.count)") }
      if let j = row.firstIndex(where: { !$0.isFinite }) { throw problem(at + [AnyKey(intValue: j)!], "not a finite number") }
    }
    self.init(rows)
  }
}
