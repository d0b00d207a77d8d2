import ArgumentParser
import DeepFactorization
import Foundation
import LinearAlgebra
import Problems
import TensorFactorization

/// `dmf train PROBLEM.json`: one training run from a problem file.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a deep linear network (or a CP tensor factorization) on the problem in a JSON file.",
    discussion: "The problem file format and the output fields are documented in README.md (\"dmf train\")."
  )

  @Argument(help: "The problem file (JSON).")
  var problem: String

  @Flag(help: "Print one JSON object with the status, final loss, product and trajectory.")
  var json = false

  @Option(help: "Refuse a problem whose network and workspace would need more than this many GiB.")
  var maxMemoryGib: Double = ResourceLimits.standard.memoryBytes / 1_073_741_824

  @Option(help: "Refuse a problem that would keep more record points than this.")
  var maxRecords: Int = ResourceLimits.standard.recordPoints

  func validate() throws {
    guard maxMemoryGib > 0 && maxMemoryGib.isFinite else { throw ValidationError("--max-memory-gib must be positive, got \(maxMemoryGib)") }
    // Above the machine's memory the limit protects nothing: the allocation itself would fail.
    let physical = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
    guard maxMemoryGib <= physical else {
      throw ValidationError("--max-memory-gib \(String(format: "%g", maxMemoryGib)) is more than this machine's \(String(format: "%.3g", physical)) GiB of memory")
    }
    guard maxRecords >= 1 else { throw ValidationError("--max-records must be at least 1, got \(maxRecords)") }
  }

  func run() throws {
    guard let data = FileManager.default.contents(atPath: problem) else {
      throw Self.failInput("\(problem): cannot read the file")
    }
    if TensorProblemFile.isTensorProblem(data) {
      try trainTensor(data)
      return
    }
    let trainingProblem: TrainingProblem
    do {
      trainingProblem = try ProblemFile.decode(data).trainingProblem(
        limits: ResourceLimits(memoryBytes: maxMemoryGib * 1_073_741_824, recordPoints: maxRecords, json: json))
    } catch {
      throw Self.failInput("\(problem): \(error)")
    }
    let result: TrainingResult
    do {
      result = try Trainer.train(trainingProblem)
    } catch {
      throw Self.failInput("\(problem): initialization: \(error)")
    }
    let error = TargetError(product: result.product, target: trainingProblem.target, observations: trainingProblem.observations)
    if json {
      FileHandleOutput.writeToStandardOutput(String(decoding: TrainOutput(result, targetError: error).encoded(), as: UTF8.self) + "\n")
    } else {
      FileHandleOutput.writeToStandardOutput(summary(result, method: trainingProblem.method.name, targetError: error))
    }
    if result.status == .diverged || result.status == .stalled { throw ExitCode(3) }
  }

  /// A CP or hierarchical factorization run from a tensor problem file.
  private func trainTensor(_ data: Data) throws {
    let decoded: TensorProblemFile.Problem
    do {
      decoded = try TensorProblemFile.decode(data).problem()
    } catch {
      throw Self.failInput("\(problem): \(error)")
    }
    switch decoded {
    case .cp(let cpProblem): try trainCP(cpProblem)
    case .hierarchical(let htProblem): try trainHierarchical(htProblem)
    }
  }

  /// The record points a tensor run would write, checked against --max-records.
  private func recordPoints(_ method: TrainingMethod, _ stop: StopRule, _ recording: RecordingSchedule) throws -> Double {
    let span: Double = if case .gradientFlow = method { stop.maxTime ?? 0 } else { Double(stop.maxSteps ?? 0) }
    let points = span / recording.every + 2
    guard points <= Double(maxRecords) else {
      throw Self.failInput("\(problem): record.every: \(Int(points)) record points is more than --max-records \(maxRecords)")
    }
    return points
  }

  /// A hierarchical tensor factorization run.
  private func trainHierarchical(_ htProblem: HTProblem) throws {
    let shape = htProblem.shape
    let points = try recordPoints(htProblem.method, htProblem.stop, htProblem.recording)
    // The trajectory (tracked norms per window), the parameters and optimizer state, the engine's two
    // arenas (at most every observed entry at every width) and a record's full tensor with its own arena.
    let windows = Double(shape.groups.reduce(0) { $0 + $1.count })
    let numbers = points * (windows * Double(htProblem.trackedComponents) + 4)
    let widthSum = Double(shape.widths.reduce(0, +))
    let arenas = 2 * Double(htProblem.objective.residualCount) * widthSum * 2 + Double(shape.entryCount) * (widthSum * 2 + 2)
    let jsonBytes = json ? ResourceLimits.jsonBytesPerNumber * (numbers + Double(shape.parameterCount)) : 0
    let bytes = 8 * (numbers + 4 * Double(shape.parameterCount) + arenas) + jsonBytes
    guard bytes <= maxMemoryGib * 1_073_741_824 else {
      throw Self.failInput("\(problem): the run would need about \(String(format: "%.2f", bytes / 1_073_741_824)) GiB, more than --max-memory-gib \(maxMemoryGib)")
    }
    let result = HTTrainer.train(htProblem)
    if json {
      FileHandleOutput.writeToStandardOutput(String(decoding: HierarchicalTrainOutput(result, shape: shape).encoded(), as: UTF8.self) + "\n")
    } else {
      let clock = result.time.map { ", time \($0)" } ?? ""
      var lines = ["\(result.status.rawValue) after \(result.steps) \(htProblem.method.name) steps\(clock): loss \(result.loss)"]
      if let last = result.trajectory.last {
        lines.append("reconstruction error ‖W − target‖/‖target‖: \(last.reconstructionError)")
        var window = 0
        for (l, level) in shape.groups.enumerated() {
          for (u, nodes) in level.enumerated() {
            let norms = last.localComponentNorms[window].map { String(format: "%.6g", $0) }.joined(separator: ", ")
            lines.append("layer \(l), window \(u) (nodes \(nodes.map(String.init).joined(separator: ", "))): largest local component norms \(norms)")
            window += 1
          }
        }
      }
      lines.append("memoriser's error: \(htProblem.objective.memoriserError)")
      FileHandleOutput.writeToStandardOutput(lines.joined(separator: "\n") + "\n")
    }
    if result.status == .diverged || result.status == .stalled { throw ExitCode(3) }
  }

  /// A CP factorization run.
  private func trainCP(_ cpProblem: CPProblem) throws {
    let points = try recordPoints(cpProblem.method, cpProblem.stop, cpProblem.recording)
    // The trajectory (and, printed as JSON, its text and the encoder's tree), the parameters and workspace.
    let numbers = points * Double(cpProblem.shape.components + 4)
    let jsonBytes = json ? ResourceLimits.jsonBytesPerNumber * (numbers + Double(cpProblem.shape.parameterCount)) : 0
    let bytes = 8 * (numbers + 4 * Double(cpProblem.shape.parameterCount) + 2 * Double(cpProblem.shape.entryCount)) + jsonBytes
    guard bytes <= maxMemoryGib * 1_073_741_824 else {
      throw Self.failInput("\(problem): the run would need about \(String(format: "%.2f", bytes / 1_073_741_824)) GiB, more than --max-memory-gib \(maxMemoryGib)")
    }
    let result = CPTrainer.train(cpProblem)
    let output = TensorTrainOutput(result, shape: cpProblem.shape)
    if json {
      FileHandleOutput.writeToStandardOutput(String(decoding: output.encoded(), as: UTF8.self) + "\n")
    } else {
      let clock = result.time.map { ", time \($0)" } ?? ""
      var lines = ["\(result.status.rawValue) after \(result.steps) \(cpProblem.method.name) steps\(clock): loss \(result.loss)"]
      if let last = result.trajectory.last {
        lines.append("reconstruction error ‖W − target‖/‖target‖: \(last.reconstructionError)")
        lines.append("component norms: " + last.componentNorms.prefix(10).map { String(format: "%.6g", $0) }.joined(separator: ", ") + (last.componentNorms.count > 10 ? ", …" : ""))
      }
      lines.append("memoriser's error: \(cpProblem.objective.memoriserError)")
      FileHandleOutput.writeToStandardOutput(lines.joined(separator: "\n") + "\n")
    }
    if result.status == .diverged || result.status == .stalled { throw ExitCode(3) }
  }

  private func summary(_ result: TrainingResult, method: String, targetError: TargetError) -> String {
    var lines: [String] = []
    let clock = result.time.map { ", time \($0)" } ?? ""
    lines.append("\(result.status.rawValue) after \(result.steps) \(method) steps\(clock): loss \(result.loss)")
    if let last = result.trajectory.last, !last.singularValues.isEmpty {
      lines.append("singular values: " + last.singularValues.map { String(format: "%.6g", $0) }.joined(separator: ", "))
      if let erank = last.effectiveRank { lines.append("effective rank: \(String(format: "%.6g", erank))") }
      if let det = last.determinant { lines.append("det W: \(String(format: "%.6g", det))") }
    }
    lines += targetError.lines()
    lines.append("W = \(result.product)")
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The `--json` output of `dmf train` (fields documented in the README).
struct TrainOutput: TrainRunOutput {
  var status: String
  var steps: Int
  var time: Double?
  var loss: Double
  var product: [[Double]]
  /// The product's error against the target (see ``TargetError``).
  var targetError: TargetError
  var trajectory: [TrajectoryPoint]

  init(_ result: TrainingResult, targetError: TargetError) {
    self.targetError = targetError
    status = result.status.rawValue
    steps = result.steps
    time = result.time
    loss = result.loss
    product = result.product.rowsOfElements
    trajectory = result.trajectory
  }

}

/// The `--json` output of `dmf train` on a tensor problem (fields documented in the README).
struct TensorTrainOutput: TrainRunOutput {
  var status: String
  var steps: Int
  var loss: Double
  /// The final factors, one d_n × R matrix per mode, row by row (the file's `factors` layout).
  var factors: [[[Double]]]
  var trajectory: [CPTrajectoryPoint]

  init(_ result: CPTrainingResult, shape: CPShape) {
    status = result.status.rawValue
    steps = result.steps
    loss = result.loss
    factors = (0 ..< shape.order).map { n in
      (0 ..< shape.dimensions[n]).map { i in
        let start = shape.offset(ofMode: n) + i * shape.components
        return Array(result.parameters[start ..< start + shape.components])
      }
    }
    trajectory = result.trajectory
  }

}

/// The `--json` output of `dmf train` for a hierarchical tensor factorization.
struct HierarchicalTrainOutput: TrainRunOutput {
  var status: String
  var steps: Int
  var time: Double?
  var loss: Double
  /// The final weights in the file's `weights` layout: per hidden layer, per node, its matrix row by row.
  var layers: [[[[Double]]]]
  /// The final output vector o.
  var output: [Double]
  var trajectory: [HTTrajectoryPoint]

  init(_ result: HTTrainingResult, shape: HTShape) {
    status = result.status.rawValue
    steps = result.steps
    time = result.time
    loss = result.loss
    if case .weights(let layers, let output) = HTInitialization.parameters(result.parameters).weights(of: shape) {
      self.layers = layers
      self.output = output
    } else {
      layers = []
      output = []
    }
    trajectory = result.trajectory
  }
}

/// A `dmf train --json` object: sorted keys, and the non-finite numbers of a diverged run (JSON has
/// none) written as the strings "Infinity", "-Infinity", "NaN".
protocol TrainRunOutput: Encodable {}

extension TrainRunOutput {
  func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return (try? encoder.encode(self)) ?? Data("{}".utf8)
  }
}
