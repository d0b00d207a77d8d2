import ArgumentParser
import DeepFactorization
import Foundation
import LinearAlgebra
import Problems

/// `dmf train PROBLEM.json`: one training run from a problem file.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a deep linear network on the problem in a JSON file.",
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
    guard maxRecords >= 1 else { throw ValidationError("--max-records must be at least 1, got \(maxRecords)") }
  }

  func run() throws {
    guard let data = FileManager.default.contents(atPath: problem) else {
      throw Self.failInput("\(problem): cannot read the file")
    }
    let trainingProblem: TrainingProblem
    do {
      trainingProblem = try ProblemFile.decode(data).trainingProblem(
        limits: ResourceLimits(memoryBytes: maxMemoryGib * 1_073_741_824, recordPoints: maxRecords))
    } catch {
      throw Self.failInput("\(problem): \(error)")
    }
    let result: TrainingResult
    do {
      result = try Trainer.train(trainingProblem)
    } catch {
      throw Self.failInput("\(problem): initialization: \(error)")
    }
    if json {
      FileHandleOutput.writeToStandardOutput(String(decoding: TrainOutput(result).encoded(), as: UTF8.self) + "\n")
    } else {
      FileHandleOutput.writeToStandardOutput(summary(result, method: trainingProblem.method.name))
    }
    if result.status == .diverged || result.status == .stalled { throw ExitCode(3) }
  }

  private func summary(_ result: TrainingResult, method: String) -> String {
    var lines: [String] = []
    let clock = result.time.map { ", time \($0)" } ?? ""
    lines.append("\(result.status.rawValue) after \(result.steps) \(method) steps\(clock): loss \(result.loss)")
    if let last = result.trajectory.last, !last.singularValues.isEmpty {
      lines.append("singular values: " + last.singularValues.map { String(format: "%.6g", $0) }.joined(separator: ", "))
      if let erank = last.effectiveRank { lines.append("effective rank: \(String(format: "%.6g", erank))") }
      if let det = last.determinant { lines.append("det W: \(String(format: "%.6g", det))") }
    }
    lines.append("W = \(result.product)")
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The `--json` output of `dmf train` (fields documented in the README).
struct TrainOutput: Encodable {
  var status: String
  var steps: Int
  var time: Double?
  var loss: Double
  var product: [[Double]]
  var trajectory: [TrajectoryPoint]

  init(_ result: TrainingResult) {
    status = result.status.rawValue
    steps = result.steps
    time = result.time
    loss = result.loss
    product = result.product.rowsOfElements
    trajectory = result.trajectory
  }

  func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // A diverged run has infinite or NaN losses; JSON has no such numbers, so they become strings.
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return (try? encoder.encode(self)) ?? Data("{}".utf8)
  }
}
