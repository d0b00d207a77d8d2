public import DeepFactorization
public import Foundation
import LinearAlgebra

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
    if let problem = JSONScan.encodingProblem([UInt8](data)) { throw problem }
    let first = data.first { !JSONScan.isWhitespace($0) }
    guard first == UInt8(ascii: "{") else {
      let problem = syntaxProblem(in: data)
      throw ProblemFileError("", problem.hasPrefix("the top level") ? problem : "not valid JSON: \(problem)")
    }
    if let problem = JSONScan.problem(in: [UInt8](data)) { throw problem }
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
      let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
      let kind =
        switch value {
        case is NSNull: "null"
        case is [Any]: "an array"
        case is String: "a string"
        case is NSNumber: "a number"
        default: "not an object"
        }
      return "the top level must be an object, got \(kind)"
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
  public func trainingProblem(limits: ResourceLimits = .standard) throws(ProblemFileError) -> TrainingProblem {
    let targetMatrix = try Self.matrix(target, path: "target")
    let (m, n) = (targetMatrix.rows, targetMatrix.columns)

    let observed: Observations
    switch observations {
    case .entries(let entries):
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
    case .all:
      observed = .all
    case .sensing(let matrices):
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
    }
    let model = settings.model, stop = settings.stop, record = settings.record

    guard model.depth >= 1 else { throw ProblemFileError("model.depth", "must be at least 1, got \(model.depth)") }
    if let width = model.width, width < 1 { throw ProblemFileError("model.width", "must be at least 1, got \(width)") }

    // Bound what the file asks for before anything is allocated (the initialisation below builds the factors).
    let width = Double(model.width ?? Swift.max(m, n)), depth = Double(model.depth)
    let parameters = depth == 1 ? Double(m * n) : Double(n) * width + (depth - 2) * width * width + width * Double(m)
    // The chain's partial products: a hidden width × width block exists only from depth 3 on (at
    // depth 2 they are m × n, width × n and m × width; counting width² there refused a width-30000
    // network that trains in 33 MB).
    let largestPartial = depth >= 3
      ? Swift.max(Double(m), width) * Swift.max(Double(n), width)
      : Swift.max(Double(m) * Double(n), width * Double(n), Double(m) * width)
    let products = 2 * depth * largestPartial
    let bytes = 8 * (5 * parameters + products) + 512 * depth  // + each factor's own Matrix, twice
    if bytes > limits.memoryBytes {
      let field = depth > 1000 ? "model.depth" : model.width != nil ? "model.width" : "target"
      throw ProblemFileError(field, "the network would need about \(gibibytes(bytes)) GiB (\(formatted(parameters)) parameters at depth \(model.depth), width \(formatted(width))); the limit is \(gibibytes(limits.memoryBytes)) GiB (dmf train --max-memory-gib)")
    }

    let reduction = settings.loss
    let method = try Self.method(settings.optimizer)
    let isFlow = method.isGradientFlow
    let initial = settings.initialization
    do { try initial.validate() } catch { throw ProblemFileError(section: "initialization", error) }
    let shape = NetworkShape(rows: m, columns: n, depth: model.depth, width: model.width)
    do {
      _ = try initial.factors(for: shape)
    } catch {
      throw ProblemFileError("initialization", error.description)
    }

    if let minibatch = settings.minibatch {
      let count = switch observed {
      case .entries(let entries): entries.count
      case .all: m * n
      case .sensing(let matrices): matrices.count
      }
      guard !isFlow else { throw ProblemFileError("minibatch", "gradient flow has no minibatches (give a descent optimizer, or leave minibatch out)") }
      guard minibatch.size >= 1 && minibatch.size <= count else {
        throw ProblemFileError("minibatch.size", "must be between 1 and the \(count) observations, got \(minibatch.size)")
      }
    }
    if let steps = stop.maxSteps, steps < 0 { throw ProblemFileError("stop.maxSteps", "must be non-negative, got \(steps)") }
    if let loss = stop.lossBelow, !(loss >= 0 && loss.isFinite) { throw ProblemFileError("stop.lossBelow", "must be a finite loss ≥ 0, got \(loss)") }
    try Self.validateClock(stop, isFlow: isFlow)
    let every = record?.every ?? (isFlow ? 1 : 100)
    guard every > 0 && every.isFinite else { throw ProblemFileError("record.every", "must be positive, got \(every)") }
    if !isFlow && every != every.rounded() { throw ProblemFileError("record.every", "must be a whole number of steps, got \(every)") }
    if !isFlow && every > 9.0e15 { throw ProblemFileError("record.every", "must be at most 9e15 steps, got \(every)") }
    let span = isFlow ? stop.maxTime.map { $0 / every } : stop.maxSteps.map { Double($0) / every }
    let points = span.map { $0.rounded(.down) + 1 }
    if let points, points > Double(limits.recordPoints) {
      throw ProblemFileError("record.every", "\(formatted(points)) record points would be kept (every \(every) over \(isFlow ? "time \(stop.maxTime!)" : "\(stop.maxSteps!) steps")); the limit is \(limits.recordPoints) (dmf train --max-records)")
    }
    // The trajectory is held to the same memory limit: each point keeps its singular values, and
    // about 1.4 kB besides (measured: a 2 × 10⁶-point trajectory of a 2×2 problem held 2.8 GB).
    if let points {
      let trajectoryBytes = points * (1400 + 24 * Double(Swift.min(m, n)) + limits.outputBytesPerNumber * Double(Swift.min(m, n) + 6))
      if bytes + trajectoryBytes > limits.memoryBytes {
        throw ProblemFileError("record.every", "\(formatted(points)) record points of a \(m)×\(n) product would need about \(gibibytes(bytes + trajectoryBytes)) GiB with the network; the limit is \(gibibytes(limits.memoryBytes)) GiB (dmf train --max-memory-gib)")
      }
    }

    return TrainingProblem(
      target: targetMatrix, observations: observed, depth: model.depth, width: model.width,
      initialization: initial, loss: reduction, method: method,
      stop: stop, recording: RecordingSchedule(every: every, for: method), minibatch: settings.minibatch)
  }

  /// The matrix written row by row in `rows` (the file's field at `path`): empty, ragged or non-finite
  /// is an error below `path`, as for an initialisation's factors.
  static func matrix(_ rows: [[Double]], path: String) throws(ProblemFileError) -> Matrix {
    do {
      return try Matrix(checking: rows, at: [])
    } catch {
      guard case .dataCorrupted(let context) = error as? DecodingError else { throw ProblemFileError(path, "\(error)") }
      throw ProblemFileError(path + context.codingPath.map { "[\($0.intValue ?? 0)]" }.joined(), context.debugDescription)
    }
  }

  /// The method with its hyperparameters checked; the first one out of range is reported at `optimizer.<field>`.
  static func method(_ method: TrainingMethod) throws(ProblemFileError) -> TrainingMethod {
    do { try method.validate() } catch { throw ProblemFileError(section: "optimizer", error) }
    return method
  }
}

extension ProblemFileError {
  /// A hyperparameter out of range in the file's `section` object, at `section.<field>`.
  init(section: String, _ error: HyperparameterError) {
    self.init("\(section).\(error.field)", error.message)
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

/// What a problem file may ask for before `dmf train` refuses it: memory for the network and its
/// workspace, and record points kept in the trajectory.
public struct ResourceLimits: Sendable, Equatable {
  /// Bytes the parameters, gradients, optimizer state and product workspace may take.
  public var memoryBytes: Double
  /// Record points the trajectory may hold.
  public var recordPoints: Int
  /// Bytes printing the trajectory as JSON takes per recorded number (the encoder's tree and the
  /// text: measured 150 for a 2.4 × 10⁶-number CP trajectory), or 0 when it is not printed as JSON.
  public var outputBytesPerNumber: Double

  /// Limits; `json` when the trajectory is printed as JSON (`dmf train --json`).
  public init(memoryBytes: Double, recordPoints: Int, json: Bool = false) {
    self.memoryBytes = memoryBytes
    self.recordPoints = recordPoints
    self.outputBytesPerNumber = json ? Self.jsonBytesPerNumber : 0
  }

  /// What `--json` output costs per recorded number (150 measured, with a margin).
  public static let jsonBytesPerNumber = 160.0

  /// 4 GiB and 10⁶ record points (a 2×10⁶-point trajectory of a 2×2 problem held 2.8 GB).
  public static let standard = ResourceLimits(memoryBytes: 4 * 1_073_741_824, recordPoints: 1_000_000)
}

func gibibytes(_ bytes: Double) -> String {
  String(format: "%.3g", bytes / 1_073_741_824)
}

extension ProblemFile {
  /// The stop rule's clock, shared by matrix and tensor problem files: `maxTime` positive and finite;
  /// gradient flow needs `maxTime` or `maxSteps`, descent needs `maxSteps` and has no `maxTime`.
  /// The largest flow time a file may ask for.
  public static let maximumFlowTime = 1e9

  static func validateClock(_ stop: StopRule, isFlow: Bool) throws(ProblemFileError) {
    if let time = stop.maxTime, !(time > 0 && time.isFinite) { throw ProblemFileError("stop.maxTime", "must be positive and finite, got \(time)") }
    // An explicit integrator's steps are bounded by stability (about 1/λ of the loss's Hessian), so a
    // horizon of 1e300 is never reached: the run would go on with no output.
    if let time = stop.maxTime, time > maximumFlowTime {
      throw ProblemFileError("stop.maxTime", "must be at most \(formatted(maximumFlowTime)), got \(formatted(time)) (the integrator's stable steps would not reach it; near a minimum the flow has stopped long before)")
    }
    if isFlow {
      // The clock bounds the records (maxTime / record.every); integrator steps do not.
      guard stop.maxTime != nil else { throw ProblemFileError("stop.maxTime", "missing (gradient flow needs a time horizon; maxSteps only caps the integrator's steps)") }
    } else {
      guard stop.maxSteps != nil else { throw ProblemFileError("stop.maxSteps", "missing (descent needs a step budget)") }
      if stop.maxTime != nil { throw ProblemFileError("stop.maxTime", "only gradient flow has a clock; use maxSteps") }
    }
  }
}
