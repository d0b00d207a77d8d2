import DeepFactorization

extension HTInitialization: Codable {
  /// An initialisation's name in a tensor problem file's `initialization` object (hierarchical model).
  public enum Kind: String, CaseIterable, Sendable {
    /// ``HTInitialization/gaussian(std:seed:)``: `std`, `seed`.
    case gaussian
    /// Given weights: `layers` (per hidden layer, per node, its matrix row by row) and `output` (o).
    case weights

    /// The fields a problem file gives for this kind (all required).
    public var fieldNames: [String] {
      switch self {
      case .gaussian: ["std", "seed"]
      case .weights: ["layers", "output"]
      }
    }
  }

  private enum CodingKeys: String, CodingKey { case kind, std, seed, layers, output }

  /// Reads `{"kind": …, <the kind's fields>}`: exactly the kind's fields, each required; whether the
  /// weights fit a shape is ``validate(for:)``'s question.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try c.decodeKind(Kind.self, forKey: .kind)
    try decoder.rejectUnknownKeys(["kind"] + kind.fieldNames, kind: kind.rawValue)
    switch kind {
    case .gaussian:
      let std = try c.decodeRequired(Double.self, forKey: .std, kind: kind.rawValue)
      guard c.contains(.seed) else { self = .gaussian(std: std, seed: try c.decodeRequired(UInt64.self, forKey: .seed, kind: kind.rawValue)); return }
      self = .gaussian(std: std, seed: try c.decodeWhole(UInt64.self, forKey: .seed))
    case .weights:
      self = .weights(
        layers: try c.decodeRequired([[[[Double]]]].self, forKey: .layers, kind: kind.rawValue),
        output: try c.decodeRequired([Double].self, forKey: .output, kind: kind.rawValue))
    }
  }

  /// Writes `{"kind": …, <the kind's fields>}`, what ``init(from:)`` reads. A flat parameter vector has
  /// no kind of its own (its layout needs the shape): write ``weights(of:)`` instead.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .gaussian(let std, let seed):
      try c.encode(Kind.gaussian.rawValue, forKey: .kind)
      try c.encode(std, forKey: .std)
      try c.encode(seed, forKey: .seed)
    case .weights(let layers, let output):
      try c.encode(Kind.weights.rawValue, forKey: .kind)
      try c.encode(layers, forKey: .layers)
      try c.encode(output, forKey: .output)
    case .parameters:
      throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath, debugDescription: "a flat parameter vector is written as weights(of:)"))
    }
  }

  /// The same start with `.parameters` given as `.weights` (the form a problem file writes); every
  /// other case unchanged.
  public func weights(of shape: HTShape) -> HTInitialization {
    guard case .parameters(let flat) = self else { return self }
    let layers = (0 ..< shape.layers).map { l in
      (0 ..< shape.nodeCounts[l]).map { v in
        let start = shape.offset(layer: l, node: v), width = shape.widths[l]
        return (0 ..< shape.inputWidth(layer: l, node: v)).map { i in Array(flat[start + i * width ..< start + (i + 1) * width]) }
      }
    }
    return .weights(layers: layers, output: Array(flat[shape.outputOffset...]))
  }

  /// Throws at the first value that does not fit `shape`: a scale that is not positive and finite,
  /// weights of the wrong count or size, or a non-finite entry (the field below `initialization`).
  public func validate(for shape: HTShape) throws(TensorInitializationError) {
    switch self {
    case .gaussian(let std, _):
      guard std.isFinite && std > 0 else { throw TensorInitializationError(field: "std", "must be positive and finite, got \(std)") }
    case .weights(let layers, let output):
      guard layers.count == shape.layers else { throw TensorInitializationError(field: "layers", "has \(layers.count) layers, the model has \(shape.layers)") }
      for (l, nodes) in layers.enumerated() {
        guard nodes.count == shape.nodeCounts[l] else {
          throw TensorInitializationError(field: "layers[\(l)]", "has \(nodes.count) matrices, layer \(l) has \(shape.nodeCounts[l]) nodes")
        }
        for (v, matrix) in nodes.enumerated() {
          let rows = shape.inputWidth(layer: l, node: v)
          guard matrix.count == rows else { throw TensorInitializationError(field: "layers[\(l)][\(v)]", "has \(matrix.count) rows, it needs \(rows)") }
          for (i, row) in matrix.enumerated() {
            guard row.count == shape.widths[l] else {
              throw TensorInitializationError(field: "layers[\(l)][\(v)][\(i)]", "has \(row.count) entries, layer \(l) has width \(shape.widths[l])")
            }
            if let j = row.firstIndex(where: { !$0.isFinite }) { throw TensorInitializationError(field: "layers[\(l)][\(v)][\(i)][\(j)]", "is not finite") }
          }
        }
      }
      guard output.count == shape.widths[shape.layers - 1] else {
        throw TensorInitializationError(field: "output", "has \(output.count) entries, the last layer has width \(shape.widths[shape.layers - 1])")
      }
      if let j = output.firstIndex(where: { !$0.isFinite }) { throw TensorInitializationError(field: "output[\(j)]", "is not finite") }
    case .parameters(let given):
      guard given.count == shape.parameterCount else { throw TensorInitializationError(field: "parameters", "has \(given.count) entries, the shape has \(shape.parameterCount) parameters") }
      if let j = given.firstIndex(where: { !$0.isFinite }) { throw TensorInitializationError(field: "parameters[\(j)]", "is not finite") }
    }
  }
}
