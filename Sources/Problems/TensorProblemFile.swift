public import DeepFactorization
public import Foundation
public import TensorFactorization

/// The tensor problem file of `dmf train`: a CP factorization fitted to a tensor (documented in the
/// README, "dmf train").
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
public struct TensorProblemFile: Sendable, Equatable {
  /// The target's mode dimensions.
  public var dimensions: [Int]
  /// The target's entries, first index fastest.
  public var entries: [Double]
  /// The observed multi-indices, or nil for every entry.
  public var observed: [[Int]]?
  /// The number of components R.
  public var components: Int
  /// How the factors start.
  public var initialization: CPInitialization
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

  /// The CP training problem this file describes.
  public func problem() throws(ProblemFileError) -> CPProblem {
    let shape = CPShape(dimensions: dimensions, components: components)
    let observedIndices = observed.map { $0.map(shape.linearIndex) }
    let method = try ProblemFile.method(self.optimizer)
    let every: Double
    if case .gradientFlow = method {
      every = recordEvery ?? (stop.maxTime.map { $0 / 100 } ?? 1)
    } else {
      every = recordEvery ?? Double(Swift.max(1, (stop.maxSteps ?? 1) / 100))
    }
    return CPProblem(
      shape: shape, objective: TensorObjective(target: Tensor(dimensions: dimensions, entries: entries), observed: observedIndices, reduction: loss),
      initialization: initialization, method: method, stop: stop, recording: RecordingSchedule(every: every, for: method))
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
    struct Model: Decodable {
      var components: Int
      init(from decoder: any Decoder) throws { components = try decoder.soleField("components") }
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
    var initialization: CPInitialization
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
      initialization = try c.decode(CPInitialization.self, forKey: .initialization)
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
      let r = model.components
      guard (1 ... 100_000).contains(r) else { throw ProblemFileError("model.components", "must lie in 1…100000, got \(r)") }
      let parameters = Double(r) * Double(dims.reduce(0, +))
      guard parameters <= 50_000_000 else { throw ProblemFileError("model.components", "\(Int(parameters)) parameters is more than 5·10⁷") }
      do {
        try initialization.validate(for: CPShape(dimensions: dims, components: r))
      } catch {
        throw ProblemFileError("initialization.\(error.field)", error.message)
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
        dimensions: dims, entries: tensor.entries, observed: observations.entries, components: r, initialization: initialization, loss: loss,
        optimizer: optimizer, stop: stop, recordEvery: record?.every)
    }
  }
}
