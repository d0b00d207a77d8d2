public import Foundation
import LinearAlgebra

/// The problem file of `dmf train`: a public JSON contract (documented in the README).
///
/// ```
/// { "target": [[0, 1], [1, 0]],
///   "observations": {"kind": "entries", "entries": [[0, 1], [1, 0], [1, 1]]},
///   "model": {"depth": 3, "width": 2},
///   "initialization": {"kind": "identity", "scale": 0.001},
///   "loss": "half-sum",
///   "optimizer": {"kind": "gd", "learningRate": 0.02},
///   "stop": {"maxSteps": 20000, "lossBelow": 1e-3},
///   "record": {"every": 100} }
/// ```
/// Reading validates everything and reports the first problem as `path: message`, e.g.
/// `observations.entries[3]: (5, 0) is outside the 2×2 target`.
public struct ProblemFile: Codable, Sendable, Equatable {
  /// The target, row by row.
  public var target: [[Double]]
  /// What is observed.
  public var observations: ObservationsSpec
  /// Depth and width.
  public var model: ModelSpec
  /// The initialisation.
  public var initialization: InitializationSpec
  /// `half-sum` or `mean`.
  public var loss: String
  /// The optimizer or `gradient-flow`.
  public var optimizer: OptimizerSpec
  /// When to stop.
  public var stop: StopSpec
  /// How often to record.
  public var record: RecordSpec?

  /// `{"kind": "entries", "entries": [[row, column], …]}`, `{"kind": "all"}` or
  /// `{"kind": "sensing", "matrices": [matrix rows, …]}`.
  public struct ObservationsSpec: Codable, Sendable, Equatable {
    /// `entries`, `all` or `sensing`.
    public var kind: String
    /// Zero-based (row, column) pairs, for `entries`.
    public var entries: [[Int]]?
    /// Measurement matrices, each row by row, for `sensing`.
    public var matrices: [[[Double]]]?

    /// A specification.
    public init(kind: String, entries: [[Int]]? = nil, matrices: [[[Double]]]? = nil) {
      self.kind = kind
      self.entries = entries
      self.matrices = matrices
    }
  }

  /// `{"depth": N, "width": w}` (width optional).
  public struct ModelSpec: Codable, Sendable, Equatable {
    /// N ≥ 1.
    public var depth: Int
    /// The hidden width.
    public var width: Int?

    /// A specification.
    public init(depth: Int, width: Int? = nil) {
      self.depth = depth
      self.width = width
    }
  }

  /// `{"kind": "identity"|"gaussian"|"orthogonal"|"balanced"|"factors", …}`.
  public struct InitializationSpec: Codable, Sendable, Equatable {
    /// The kind.
    public var kind: String
    /// The scale (all kinds but `factors`).
    public var scale: Double?
    /// The seed (random kinds).
    public var seed: UInt64?
    /// `positive` or `negative` (`balanced` only).
    public var determinant: String?
    /// W_1 … W_N, each row by row (`factors` only).
    public var factors: [[[Double]]]?

    /// A specification.
    public init(kind: String, scale: Double? = nil, seed: UInt64? = nil, determinant: String? = nil, factors: [[[Double]]]? = nil) {
      self.kind = kind
      self.scale = scale
      self.seed = seed
      self.determinant = determinant
      self.factors = factors
    }
  }

  /// `{"kind": "gd"|"momentum"|"adam"|"rmsprop"|"group-rmsprop"|"gradient-flow", …}`.
  public struct OptimizerSpec: Codable, Sendable, Equatable {
    /// The kind.
    public var kind: String
    /// η (all descent kinds).
    public var learningRate: Double?
    /// μ (momentum).
    public var momentum: Double?
    /// β1 (adam).
    public var beta1: Double?
    /// β2 (adam).
    public var beta2: Double?
    /// ε (adam, rmsprop, group-rmsprop).
    public var epsilon: Double?
    /// α (rmsprop).
    public var alpha: Double?
    /// β (group-rmsprop).
    public var beta: Double?
    /// The relative tolerance (gradient-flow; default 1e-6).
    public var relativeTolerance: Double?

    /// A specification.
    public init(
      kind: String, learningRate: Double? = nil, momentum: Double? = nil, beta1: Double? = nil, beta2: Double? = nil,
      epsilon: Double? = nil, alpha: Double? = nil, beta: Double? = nil, relativeTolerance: Double? = nil
    ) {
      self.kind = kind
      self.learningRate = learningRate
      self.momentum = momentum
      self.beta1 = beta1
      self.beta2 = beta2
      self.epsilon = epsilon
      self.alpha = alpha
      self.beta = beta
      self.relativeTolerance = relativeTolerance
    }
  }

  /// `{"maxSteps": …, "maxTime": …, "lossBelow": …}`; at least one of maxSteps and maxTime. The
  /// engine's own stop rule, as the file writes it.
  public typealias StopSpec = StopRule

  /// `{"every": k}`: steps (descent) or time units (gradient flow); default 100 steps or 1 time unit.
  public struct RecordSpec: Codable, Sendable, Equatable {
    /// The interval.
    public var every: Double

    /// A specification.
    public init(every: Double) {
      self.every = every
    }
  }

  /// A problem file from its parts.
  public init(
    target: [[Double]], observations: ObservationsSpec, model: ModelSpec, initialization: InitializationSpec,
    loss: String, optimizer: OptimizerSpec, stop: StopSpec, record: RecordSpec? = nil
  ) {
    self.target = target
    self.observations = observations
    self.model = model
    self.initialization = initialization
    self.loss = loss
    self.optimizer = optimizer
    self.stop = stop
    self.record = record
  }
}

/// A problem file that cannot be used: where (a JSON path) and what.
public struct ProblemFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The JSON path, e.g. `observations.entries[3]`; empty for the file as a whole.
  public var path: String
  /// What is wrong.
  public var message: String

  /// An error at `path`.
  public init(_ path: String, _ message: String) {
    self.path = path
    self.message = message
  }

  /// `path: message`.
  public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension ProblemFile {
  /// Decodes and validates a problem file.
  public static func decode(_ data: Data) throws(ProblemFileError) -> ProblemFile {
    do {
      return try JSONDecoder().decode(ProblemFile.self, from: data)
    } catch let error as DecodingError {
      if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
        throw ProblemFileError("", "not valid JSON: \(syntaxProblem(in: data))")
      }
      throw ProblemFileError.from(error)
    } catch {
      throw ProblemFileError("", "not a problem file: \(error)")
    }
  }

  /// What JSONSerialization says is wrong with `data` (JSONDecoder on Linux does not say), with
  /// "character N" turned into a line and column.
  static func syntaxProblem(in data: Data) -> String {
    do {
      _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
      return "the top level must be an object"
    } catch {
      var text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
      if let range = text.range(of: "around character "), let offset = Int(text[range.upperBound...].prefix { $0.isNumber }) {
        let prefix = data.prefix(offset)
        let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let column = offset - (prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        text = String(text[..<range.lowerBound]) + "at line \(line), column \(column)."
      }
      return text
    }
  }

  /// The problem file as pretty-printed JSON with sorted keys (stable bytes for the same file).
  public func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    // Every field is a plain number, string or array; encoding cannot fail.
    return (try? encoder.encode(self)) ?? Data()
  }

  /// The training problem this file describes, or the first thing wrong with it.
  public func trainingProblem() throws(ProblemFileError) -> TrainingProblem {
    let targetMatrix = try Self.matrix(target, path: "target")
    let (m, n) = (targetMatrix.rows, targetMatrix.columns)

    let observed: Observations
    switch observations.kind {
    case "entries":
      guard let entries = observations.entries else { throw ProblemFileError("observations.entries", "missing (needed by kind \"entries\")") }
      guard !entries.isEmpty else { throw ProblemFileError("observations.entries", "no entries are observed") }
      var seen: [Int: Int] = [:]  // lookup only
      var list: [Observations.Entry] = []
      for (k, pair) in entries.enumerated() {
        let path = "observations.entries[\(k)]"
        guard pair.count == 2 else { throw ProblemFileError(path, "expected [row, column], got \(pair.count) numbers") }
        guard pair[0] >= 0 && pair[0] < m && pair[1] >= 0 && pair[1] < n else {
          throw ProblemFileError(path, "(\(pair[0]), \(pair[1])) is outside the \(m)×\(n) target")
        }
        if let first = seen[pair[0] + pair[1] * m] {
          throw ProblemFileError(path, "(\(pair[0]), \(pair[1])) is already observations.entries[\(first)]")
        }
        seen[pair[0] + pair[1] * m] = k
        list.append(.init(pair[0], pair[1]))
      }
      observed = .entries(list)
    case "all":
      observed = .all
    case "sensing":
      guard let matrices = observations.matrices else { throw ProblemFileError("observations.matrices", "missing (needed by kind \"sensing\")") }
      guard !matrices.isEmpty else { throw ProblemFileError("observations.matrices", "no measurement matrices") }
      var list: [Matrix] = []
      for (k, rows) in matrices.enumerated() {
        let a = try Self.matrix(rows, path: "observations.matrices[\(k)]")
        guard a.rows == m && a.columns == n else {
          throw ProblemFileError("observations.matrices[\(k)]", "is \(a.rows)×\(a.columns), the target is \(m)×\(n)")
        }
        list.append(a)
      }
      observed = .sensing(list)
    default:
      throw ProblemFileError("observations.kind", "unknown kind \"\(observations.kind)\" (entries, all, sensing)")
    }

    guard model.depth >= 1 else { throw ProblemFileError("model.depth", "must be at least 1, got \(model.depth)") }
    if let width = model.width, width < 1 { throw ProblemFileError("model.width", "must be at least 1, got \(width)") }

    guard let reduction = LossReduction(rawValue: loss) else {
      throw ProblemFileError("loss", "unknown loss \"\(loss)\" (half-sum, mean)")
    }
    let method = try Self.method(optimizer)
    let isFlow: Bool = if case .gradientFlow = method { true } else { false }
    let initial = try Self.initialization(initialization, depth: model.depth)
    let shape = NetworkShape(rows: m, columns: n, depth: model.depth, width: model.width)
    do {
      _ = try initial.factors(for: shape)
    } catch {
      throw ProblemFileError("initialization", error.description)
    }

    if let steps = stop.maxSteps, steps < 0 { throw ProblemFileError("stop.maxSteps", "must be non-negative, got \(steps)") }
    if let time = stop.maxTime, !(time > 0 && time.isFinite) { throw ProblemFileError("stop.maxTime", "must be positive and finite, got \(time)") }
    if let loss = stop.lossBelow, !loss.isFinite { throw ProblemFileError("stop.lossBelow", "must be finite") }
    if isFlow {
      guard stop.maxTime != nil || stop.maxSteps != nil else { throw ProblemFileError("stop", "gradient flow needs maxTime (or maxSteps)") }
    } else {
      guard stop.maxSteps != nil else { throw ProblemFileError("stop.maxSteps", "missing (descent needs a step budget)") }
      if stop.maxTime != nil { throw ProblemFileError("stop.maxTime", "only gradient flow has a clock; use maxSteps") }
    }
    let every = record?.every ?? (isFlow ? 1 : 100)
    guard every > 0 && every.isFinite else { throw ProblemFileError("record.every", "must be positive, got \(every)") }
    if !isFlow && every != every.rounded() { throw ProblemFileError("record.every", "must be a whole number of steps, got \(every)") }

    return TrainingProblem(
      target: targetMatrix, observations: observed, depth: model.depth, width: model.width,
      initialization: initial, loss: reduction, method: method,
      stop: stop, recordEvery: every)
  }

  static func matrix(_ rows: [[Double]], path: String) throws(ProblemFileError) -> Matrix {
    guard let first = rows.first, !first.isEmpty else { throw ProblemFileError(path, "empty matrix") }
    for (i, row) in rows.enumerated() {
      guard row.count == first.count else {
        throw ProblemFileError("\(path)[\(i)]", "ragged rows: row 0 has \(first.count) entries, row \(i) has \(row.count)")
      }
      if let j = row.firstIndex(where: { !$0.isFinite }) { throw ProblemFileError("\(path)[\(i)][\(j)]", "not a finite number") }
    }
    return Matrix(rows)
  }

  static func positive(_ value: Double?, _ path: String) throws(ProblemFileError) -> Double {
    guard let value else { throw ProblemFileError(path, "missing") }
    guard value > 0 && value.isFinite else { throw ProblemFileError(path, "must be positive and finite, got \(value)") }
    return value
  }

  static func fraction(_ value: Double?, default fallback: Double, _ path: String) throws(ProblemFileError) -> Double {
    let v = value ?? fallback
    guard v >= 0 && v < 1 else { throw ProblemFileError(path, "must lie in [0, 1), got \(v)") }
    return v
  }

  static func method(_ spec: OptimizerSpec) throws(ProblemFileError) -> TrainingMethod {
    let eta = { () throws(ProblemFileError) -> Double in try positive(spec.learningRate, "optimizer.learningRate") }
    switch spec.kind {
    case "gd":
      return .descent(GradientDescent(learningRate: try eta()))
    case "momentum":
      return .descent(Momentum(learningRate: try eta(), momentum: try fraction(spec.momentum, default: 0.9, "optimizer.momentum")))
    case "adam":
      return .descent(Adam(
        learningRate: try eta(), beta1: try fraction(spec.beta1, default: 0.9, "optimizer.beta1"),
        beta2: try fraction(spec.beta2, default: 0.999, "optimizer.beta2"),
        epsilon: try positive(spec.epsilon ?? 1e-8, "optimizer.epsilon")))
    case "rmsprop":
      return .descent(RMSprop(
        learningRate: try eta(), alpha: try fraction(spec.alpha, default: 0.99, "optimizer.alpha"),
        epsilon: try positive(spec.epsilon ?? 1e-8, "optimizer.epsilon")))
    case "group-rmsprop":
      return .descent(GroupRMSprop(
        learningRate: try eta(), beta: try fraction(spec.beta, default: 0.99, "optimizer.beta"),
        epsilon: try positive(spec.epsilon ?? 1e-4, "optimizer.epsilon")))
    case "gradient-flow":
      let tolerance = try positive(spec.relativeTolerance ?? 1e-6, "optimizer.relativeTolerance")
      return .gradientFlow(relativeTolerance: tolerance)
    default:
      throw ProblemFileError("optimizer.kind", "unknown kind \"\(spec.kind)\" (gd, momentum, adam, rmsprop, group-rmsprop, gradient-flow)")
    }
  }

  static func initialization(_ spec: InitializationSpec, depth: Int) throws(ProblemFileError) -> Initialization {
    func seed() throws(ProblemFileError) -> UInt64 {
      guard let seed = spec.seed else { throw ProblemFileError("initialization.seed", "missing (kind \"\(spec.kind)\" is random)") }
      return seed
    }
    switch spec.kind {
    case "identity":
      return .identity(scale: try positive(spec.scale, "initialization.scale"))
    case "gaussian":
      return .gaussian(scale: try positive(spec.scale, "initialization.scale"), seed: try seed())
    case "orthogonal":
      return .orthogonal(scale: try positive(spec.scale, "initialization.scale"), seed: try seed())
    case "balanced":
      var sign: Initialization.DeterminantSign?
      if let text = spec.determinant {
        guard let parsed = Initialization.DeterminantSign(rawValue: text) else {
          throw ProblemFileError("initialization.determinant", "unknown sign \"\(text)\" (positive, negative)")
        }
        sign = parsed
      }
      return .balanced(scale: try positive(spec.scale, "initialization.scale"), seed: try seed(), determinant: sign)
    case "factors":
      guard let factors = spec.factors else { throw ProblemFileError("initialization.factors", "missing (needed by kind \"factors\")") }
      var list: [Matrix] = []
      for (j, rows) in factors.enumerated() { list.append(try matrix(rows, path: "initialization.factors[\(j)]")) }
      return .factors(list)
    default:
      throw ProblemFileError("initialization.kind", "unknown kind \"\(spec.kind)\" (identity, gaussian, orthogonal, balanced, factors)")
    }
  }
}

extension ProblemFileError {
  /// Turns a decoding error into `path: message`.
  static func from(_ error: DecodingError) -> ProblemFileError {
    func path(_ keys: [any CodingKey]) -> String {
      var text = ""
      for key in keys {
        if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : "." + key.stringValue }
      }
      return text
    }
    switch error {
    case .keyNotFound(let key, let context):
      return ProblemFileError(path(context.codingPath + [key]), "missing")
    case .typeMismatch(let type, let context):
      return ProblemFileError(path(context.codingPath), "expected \(describe(type))")
    case .valueNotFound(let type, let context):
      return ProblemFileError(path(context.codingPath), "is null, expected \(describe(type))")
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty { return ProblemFileError("", "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))") }
      return ProblemFileError(path(context.codingPath), context.debugDescription)
    @unknown default:
      return ProblemFileError("", "\(error)")
    }
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is Double.Type, is Int.Type, is UInt64.Type: "a number"
    case is String.Type: "a string"
    case is [Any].Type: "an array"
    default: "\(type)"
    }
  }
}
