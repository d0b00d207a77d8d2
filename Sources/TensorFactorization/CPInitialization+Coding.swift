import DeepFactorization

extension CPInitialization: Codable {
  /// An initialisation's name in a tensor problem file's `initialization` object.
  public enum Kind: String, CaseIterable, Sendable {
    /// ``CPInitialization/gaussian(std:seed:)``: `std`, `seed`.
    case gaussian
    /// ``CPInitialization/balanced(norm:seed:)``: `norm`, `seed`.
    case balanced
    /// ``CPInitialization/factors(_:)``: `factors`, one d_n × R matrix a mode, row by row.
    case factors

    /// The fields a problem file gives for this kind (all required).
    public var fieldNames: [String] {
      switch self {
      case .gaussian: ["std", "seed"]
      case .balanced: ["norm", "seed"]
      case .factors: ["factors"]
      }
    }
  }

  private enum CodingKeys: String, CodingKey { case kind, std, norm, seed, factors }

  /// Reads `{"kind": …, <the kind's fields>}`: exactly the kind's fields, each required. Whether
  /// the values fit a shape is ``validate(for:)``'s question.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try c.decodeKind(Kind.self, forKey: .kind)
    try decoder.rejectUnknownKeys(["kind"] + kind.fieldNames, kind: kind.rawValue)
    // A whole number in 0…2⁶⁴−1, named at its field when it is not (a fraction, a negative seed).
    func seed() throws -> UInt64 {
      guard c.contains(.seed) else { return try c.decodeRequired(UInt64.self, forKey: .seed, kind: kind.rawValue) }
      return try c.decodeWhole(UInt64.self, forKey: .seed)
    }
    switch kind {
    case .gaussian:
      self = .gaussian(std: try c.decodeRequired(Double.self, forKey: .std, kind: kind.rawValue), seed: try seed())
    case .balanced:
      self = .balanced(norm: try c.decodeRequired(Double.self, forKey: .norm, kind: kind.rawValue), seed: try seed())
    case .factors:
      self = .factors(try c.decodeRequired([[[Double]]].self, forKey: .factors, kind: kind.rawValue))
    }
  }

  /// Writes `{"kind": …, <the kind's fields>}`, what ``init(from:)`` reads. A flat parameter vector
  /// has no kind of its own (its layout needs the shape): write ``factors(of:)`` instead.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .gaussian(let std, let seed):
      try c.encode(Kind.gaussian.rawValue, forKey: .kind)
      try c.encode(std, forKey: .std)
      try c.encode(seed, forKey: .seed)
    case .balanced(let norm, let seed):
      try c.encode(Kind.balanced.rawValue, forKey: .kind)
      try c.encode(norm, forKey: .norm)
      try c.encode(seed, forKey: .seed)
    case .factors(let factors):
      try c.encode(Kind.factors.rawValue, forKey: .kind)
      try c.encode(factors, forKey: .factors)
    case .parameters:
      throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath, debugDescription: "a flat parameter vector is written as factors(of:)"))
    }
  }

  /// The same starting point with `.parameters` given as `.factors` (one d_n × R matrix a mode,
  /// row by row), the form a problem file writes; every other case is returned unchanged.
  public func factors(of shape: CPShape) -> CPInitialization {
    guard case .parameters(let flat) = self else { return self }
    let r = shape.components
    return .factors((0 ..< shape.order).map { n in
      let start = shape.offset(ofMode: n)
      return (0 ..< shape.dimensions[n]).map { i in Array(flat[start + i * r ..< start + (i + 1) * r]) }
    })
  }

  /// Throws at the first value that does not fit `shape`: a scale that is not positive and finite,
  /// factors of the wrong count or size, or a non-finite entry (the field below `initialization`
  /// and what is wrong).
  public func validate(for shape: CPShape) throws(TensorInitializationError) {
    let dims = shape.dimensions, r = shape.components
    switch self {
    case .gaussian(let std, _):
      guard std.isFinite && std > 0 else { throw TensorInitializationError(field: "std", "must be positive and finite, got \(std)") }
    case .balanced(let norm, _):
      guard norm.isFinite && norm > 0 else { throw TensorInitializationError(field: "norm", "must be positive and finite, got \(norm)") }
    case .factors(let factors):
      guard factors.count == dims.count else { throw TensorInitializationError(field: "factors", "has \(factors.count) matrices for an order-\(dims.count) tensor") }
      for (n, matrix) in factors.enumerated() {
        guard matrix.count == dims[n] else { throw TensorInitializationError(field: "factors[\(n)]", "has \(matrix.count) rows, mode \(n) has dimension \(dims[n])") }
        for (i, row) in matrix.enumerated() {
          guard row.count == r else { throw TensorInitializationError(field: "factors[\(n)][\(i)]", "has \(row.count) entries, the model has \(r) components") }
          if let j = row.firstIndex(where: { !$0.isFinite }) { throw TensorInitializationError(field: "factors[\(n)][\(i)][\(j)]", "is not finite") }
        }
      }
    case .parameters(let given):
      guard given.count == shape.parameterCount else { throw TensorInitializationError(field: "parameters", "has \(given.count) entries, the shape has \(shape.parameterCount) parameters") }
      if let j = given.firstIndex(where: { !$0.isFinite }) { throw TensorInitializationError(field: "parameters[\(j)]", "is not finite") }
    }
  }
}

/// A CP or HT initialisation that does not fit its shape: the field (below `initialization`) and why.
public struct TensorInitializationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The field, e.g. `std` or `factors[1][0]`.
  public var field: String
  /// What is wrong with it.
  public var message: String

  /// An error at `field`.
  public init(field: String, _ message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "\(field): \(message)" }
}
