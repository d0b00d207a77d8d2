public import DeepFactorization
public import Foundation
public import TensorFactorization

/// The tensor problem file of `dmf train`: a CP or hierarchical tensor factorization fitted to a
/// tensor (documented in the README, "dmf train").
///
/// ```
/// { "tensor": {"dimensions": [2, 2, 2], "entries": [1, 0, 0, 0, 0, 0, 0, 1]},
///   "observations": {"kind": "entries", "entries": [[0, 0, 0], [1, 1, 1], [0, 1, 0]]},
///   "model": {"components": 4},
///   "initialization": {"kind": "gaussian", "std": 0.001, "seed": 1},
///   "loss": "mean",
///   "optimizer": {"kind": "group-rmsprop", "learningRate": 0.01, "epsilon": 1e-6},
///   "stop": {"maxSteps": 20000, "lossBelow": 1e-12},
///   "record": {"every": 100} }
/// ```
/// A file is a tensor problem when its top level has `"tensor"` (a matrix problem has `"target"`).
/// The entries are listed with the first index varying fastest; `initialization` is `gaussian`
/// (`std`, `seed`), `balanced` (every factor vector of norm `norm`, random directions from `seed`) or
/// `factors` (one d_n × R matrix per mode, row by row: row i holds the i-th entries of the R vectors).
/// The method is any of the matrix problem's, gradient flow included.
///
/// A hierarchical tensor factorization (Razin, Maman & Cohen 2022) has the model
/// `{"kind": "hierarchical", "widths": [r₀, …], "poolSize": 2, "pattern": "checkerboard"}` (one width
/// per hidden layer; `poolSize` 2 and `pattern` `checkerboard` when left out; `half` pools opposite
/// modes first), and the initialisation `gaussian` (`std`, `seed`) or `weights` (`layers`: per hidden
/// layer, per tree node, its matrix row by row; `output`: the vector o).
public struct TensorProblemFile: Sendable, Equatable {
  /// The factorization and its start.
  public enum Model: Sendable, Equatable {
    /// CP with R components.
    case cp(components: Int, initialization: CPInitialization)
    /// A hierarchical tensor factorization over the target's modes.
    case hierarchical(widths: [Int], poolSize: Int, pattern: HTPoolPattern, initialization: HTInitialization)
  }

  /// The target's mode dimensions.
  public var dimensions: [Int]
  /// The target's entries, first index fastest.
  public var entries: [Double]
  /// The observed multi-indices, or nil for every entry.
  public var observed: [[Int]]?
  /// The factorization and how its weights start.
  public var model: Model
  /// The loss.
  public var loss: LossReduction
  /// The optimizer (any ``OptimizerChoice/Kind``), or gradient flow.
  public var optimizer: TrainingMethod
  /// When to stop.
  public var stop: StopRule
  /// Record every this many steps, or this much flow time (default: 100 points over the budget).
  public var recordEvery: Double?

  /// Whether the JSON text is a tensor problem (its top level has `"tensor"`).
  public static func isTensorProblem(_ data: Data) -> Bool {
    (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["tensor"] != nil
  }

  /// Reads and validates a tensor problem file; the first problem is reported as `path: message`.
  public static func decode(_ data: Data) throws(ProblemFileError) -> TensorProblemFile {
    if let problem = JSONScan.problem(in: [UInt8](data)) { throw problem }
    let raw: Raw
    do {
      raw = try JSONDecoder().decode(Raw.self, from: data)
    } catch let error as DecodingError {
      throw ProblemFileError.from(error)
    } catch {
      throw ProblemFileError("", "not a tensor problem file: \(error)")
    }
    return try raw.validated()
  }

  /// The training problem this file describes.
  public enum Problem: Sendable {
    /// A CP factorization.
    case cp(CPProblem)
    /// A hierarchical tensor factorization.
    case hierarchical(HTProblem)
  }

  /// The training problem this file describes.
  public func problem() throws(ProblemFileError) -> Problem {
    let indexing = CPShape(dimensions: dimensions, components: 1)
    let objective = TensorObjective(
      target: Tensor(dimensions: dimensions, entries: entries), observed: observed.map { $0.map(indexing.linearIndex) }, reduction: loss)
    let method = try ProblemFile.method(self.optimizer)
    let every: Double
    if case .gradientFlow = method {
      every = recordEvery ?? (stop.maxTime.map { $0 / 100 } ?? 1)
    } else {
      every = recordEvery ?? Double(Swift.max(1, (stop.maxSteps ?? 1) / 100))
    }
    let recording = RecordingSchedule(every: every, for: method)
    switch model {
    case .cp(let components, let initialization):
      return .cp(CPProblem(
        shape: CPShape(dimensions: dimensions, components: components), objective: objective, initialization: initialization, method: method, stop: stop,
        recording: recording))
    case .hierarchical(let widths, let poolSize, let pattern, let initialization):
      return .hierarchical(HTProblem(
        shape: HTShape(dimensions: dimensions, poolSize: poolSize, pattern: pattern, widths: widths), objective: objective, initialization: initialization,
        method: method, stop: stop, recording: recording))
    }
  }

  /// The file as decoded, before validation.
  struct Raw: Decodable {
    struct TensorSpec: Decodable {
      var dimensions: [Int]
      var entries: [Double]
      init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["dimensions", "entries"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dimensions = try c.decode([Int].self, forKey: .dimensions)
        entries = try c.decode([Double].self, forKey: .entries)
      }
      enum CodingKeys: String, CodingKey { case dimensions, entries }
    }
    struct Observations: Decodable {
      var entries: [[Int]]?
      init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "all":
          try decoder.rejectUnknownKeys(["kind"], kind: kind)
          entries = nil
        case "entries":
          try decoder.rejectUnknownKeys(["kind", "entries"], kind: kind)
          // Read as numbers, so that a fraction or a negative index is reported at its entry.
          let indices = try c.decodeRequired([[Double]].self, forKey: .entries, kind: kind)
          var whole: [[Int]] = []
          for (k, index) in indices.enumerated() {
            let parts = index.compactMap { Int(exactly: $0) }
            guard parts.count == index.count else {
              throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath + [CodingKeys.entries, AnyKey(intValue: k)!],
                debugDescription: "expected a whole-number index, got [\(index.map { String(format: "%g", $0) }.joined(separator: ", "))]"))
            }
            whole.append(parts)
          }
          entries = whole
        default:
          throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown kind \"\(kind)\" (all, entries)")
        }
      }
      enum CodingKeys: String, CodingKey { case kind, entries }
    }
    /// `{"components": R}` (CP), or `{"kind": "hierarchical", "widths": […], "poolSize": p, "pattern": …}`.
    struct Model: Decodable {
      enum Kind: String, CaseIterable { case cp, hierarchical }
      var kind: Kind
      var components = 0
      var widths: [Int] = []
      var poolSize = 2
      var pattern = HTPoolPattern.checkerboard
      enum CodingKeys: String, CodingKey { case kind, components, widths, poolSize, pattern }
      init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = c.contains(.kind) ? try c.decodeKind(Kind.self, forKey: .kind) : .cp
        switch kind {
        case .cp:
          try decoder.rejectUnknownKeys(c.contains(.kind) ? ["kind", "components"] : ["components"], kind: c.contains(.kind) ? "cp" : nil)
          components = try c.decodeRequired(Int.self, forKey: .components, kind: "cp")
        case .hierarchical:
          try decoder.rejectUnknownKeys(["kind", "widths", "poolSize", "pattern"], kind: kind.rawValue)
          widths = try c.decodeRequired([Int].self, forKey: .widths, kind: kind.rawValue)
          poolSize = try c.decodeWholeIfPresent(Int.self, forKey: .poolSize) ?? 2
          if c.contains(.pattern) { pattern = try c.decodeKind(HTPoolPattern.self, forKey: .pattern) }
        }
      }
    }
    /// The initialisation, read as the model's kind says.
    enum Initialization {
      case cp(CPInitialization)
      case hierarchical(HTInitialization)
    }
    struct Record: Decodable {
      var every: Double
      init(from decoder: any Decoder) throws { every = try decoder.soleField("every") }
    }
    enum CodingKeys: String, CodingKey { case tensor, observations, model, initialization, loss, optimizer, stop, record }
    enum StopKeys: String, CodingKey { case maxSteps, maxTime, lossBelow }

    var tensor: TensorSpec
    var observations: Observations
    var model: Model
    var initialization: Initialization
    var loss: LossReduction
    var optimizer: TrainingMethod
    var stop: StopRule
    var record: Record?

    init(from decoder: any Decoder) throws {
      try decoder.rejectUnknownKeys(["tensor", "observations", "model", "initialization", "loss", "optimizer", "stop", "record"])
      let c = try decoder.container(keyedBy: CodingKeys.self)
      tensor = try c.decode(TensorSpec.self, forKey: .tensor)
      observations = try c.decode(Observations.self, forKey: .observations)
      model = try c.decode(Model.self, forKey: .model)
      initialization = model.kind == .cp
        ? .cp(try c.decode(CPInitialization.self, forKey: .initialization)) : .hierarchical(try c.decode(HTInitialization.self, forKey: .initialization))
      loss = try c.decodeLoss(forKey: .loss)
      optimizer = try c.decode(TrainingMethod.self, forKey: .optimizer)
      let stopDecoder = try c.superDecoder(forKey: .stop)
      try stopDecoder.rejectUnknownKeys(["maxSteps", "maxTime", "lossBelow"])
      let s = try stopDecoder.container(keyedBy: StopKeys.self)
      stop = StopRule(
        maxSteps: try s.decodeWholeIfPresent(Int.self, forKey: .maxSteps), maxTime: try s.decodeIfPresent(Double.self, forKey: .maxTime),
        lossBelow: try s.decodeIfPresent(Double.self, forKey: .lossBelow))
      record = try c.decodeIfPresent(Record.self, forKey: .record)
    }

    /// Every number checked against the others; the first problem as `path: message`.
    func validated() throws(ProblemFileError) -> TensorProblemFile {
      let dims = tensor.dimensions
      guard (2 ... 8).contains(dims.count) else { throw ProblemFileError("tensor.dimensions", "the order must lie in 2…8, got \(dims.count)") }
      for (n, d) in dims.enumerated() where !(1 ... 100_000).contains(d) {
        throw ProblemFileError("tensor.dimensions[\(n)]", "must lie in 1…100000, got \(d)")
      }
      let count = dims.reduce(1.0) { $0 * Double($1) }
      guard count <= 50_000_000 else { throw ProblemFileError("tensor.dimensions", "\(Int(count)) entries is more than 5·10⁷") }
      guard tensor.entries.count == Int(count) else {
        throw ProblemFileError("tensor.entries", "has \(tensor.entries.count) entries, the dimensions \(dims) need \(Int(count))")
      }
      if let bad = tensor.entries.firstIndex(where: { !$0.isFinite }) { throw ProblemFileError("tensor.entries[\(bad)]", "is not finite") }
      guard tensor.entries.contains(where: { $0 != 0 }) else { throw ProblemFileError("tensor.entries", "are all zero (the reconstruction error is relative to ‖target‖)") }
      if let observed = observations.entries {
        guard !observed.isEmpty else { throw ProblemFileError("observations.entries", "is empty") }
        var seen = Set<[Int]>()  // membership only
        for (k, index) in observed.enumerated() {
          guard index.count == dims.count, zip(index, dims).allSatisfy({ (0 ..< $1).contains($0) }) else {
            throw ProblemFileError("observations.entries[\(k)]", "\(index) is not an index of the \(dims.map(String.init).joined(separator: "×")) tensor")
          }
          guard seen.insert(index).inserted else { throw ProblemFileError("observations.entries[\(k)]", "\(index) is listed twice") }
        }
      }
      let validModel: TensorProblemFile.Model
      do {
        switch (model.kind, initialization) {
        case (.cp, .cp(let initialization)):
          let r = model.components
          guard (1 ... 100_000).contains(r) else { throw ProblemFileError("model.components", "must lie in 1…100000, got \(r)") }
          let parameters = Double(r) * Double(dims.reduce(0, +))
          guard parameters <= 50_000_000 else { throw ProblemFileError("model.components", "\(Int(parameters)) parameters is more than 5·10⁷") }
          try initialization.validate(for: CPShape(dimensions: dims, components: r))
          validModel = .cp(components: r, initialization: initialization)
        case (.hierarchical, .hierarchical(let initialization)):
          guard (2 ... 8).contains(model.poolSize) else { throw ProblemFileError("model.poolSize", "must lie in 2…8, got \(model.poolSize)") }
          let layers = HTShape.layerCount(order: dims.count, poolSize: model.poolSize)
          guard model.widths.count == layers else {
            throw ProblemFileError("model.widths", "has \(model.widths.count) widths; an order-\(dims.count) tensor pooled \(model.poolSize) at a time has \(layers) hidden layers")
          }
          for (l, width) in model.widths.enumerated() where !(1 ... 100_000).contains(width) {
            throw ProblemFileError("model.widths[\(l)]", "must lie in 1…100000, got \(width)")
          }
          // The counts and widths are checked, so the shape (which allocates nothing) can count its parameters.
          let shape = HTShape(dimensions: dims, poolSize: model.poolSize, pattern: model.pattern, widths: model.widths)
          guard shape.parameterCount <= 50_000_000 else { throw ProblemFileError("model.widths", "\(shape.parameterCount) parameters is more than 5·10⁷") }
          try initialization.validate(for: shape)
          validModel = .hierarchical(widths: model.widths, poolSize: model.poolSize, pattern: model.pattern, initialization: initialization)
        default:
          throw ProblemFileError("initialization", "does not match the model's kind")  // unreachable: decoded by the model's kind
        }
      } catch let error as TensorInitializationError {
        throw ProblemFileError("initialization.\(error.field)", error.message)
      } catch let error as ProblemFileError {
        throw error
      } catch {
        throw ProblemFileError("model", "\(error)")
      }
      let isFlow = try ProblemFile.method(optimizer).isGradientFlow
      if let maxSteps = stop.maxSteps, !(0 ... 1_000_000_000).contains(maxSteps) { throw ProblemFileError("stop.maxSteps", "must lie in 0…10⁹, got \(maxSteps)") }
      try ProblemFile.validateClock(stop, isFlow: isFlow)
      if let every = record?.every {
        guard every.isFinite && every > 0 else { throw ProblemFileError("record.every", "must be positive, got \(every)") }
        if !isFlow && (every < 1 || every != every.rounded() || every > 1e9) { throw ProblemFileError("record.every", "must be a whole number of steps in 1…10⁹, got \(every)") }
      }
      if let below = stop.lossBelow, !below.isFinite { throw ProblemFileError("stop.lossBelow", "must be finite, got \(below)") }
      return TensorProblemFile(
        dimensions: dims, entries: tensor.entries, observed: observations.entries, model: validModel, loss: loss,
        optimizer: optimizer, stop: stop, recordEvery: record?.every)
    }
  }
}
