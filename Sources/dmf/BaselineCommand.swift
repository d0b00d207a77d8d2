import ArgumentParser
import Baselines
import DeepFactorization
import Foundation
import LinearAlgebra
import Problems
import TensorFactorization

/// `dmf baseline PROBLEM.json`: what the claims compare a trained product with — the minimum nuclear
/// norm and the minimum Frobenius norm solutions fitting the same observations — so that a bound
/// such as ‖W‖_* ≤ ‖X_min‖_* can be checked from an exported case without outside code.
struct BaselineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline",
    abstract: "Solve the minimum nuclear norm and minimum Frobenius norm problems for a matrix problem file.",
    discussion: "Minimum nuclear norm by ADMM with exact constraints (the solver's report is printed: status, iterations, residuals, largest constraint violation); minimum Frobenius norm in closed form (completion: the observed entries and zeros; sensing: the least-norm solution). For each: its norms, effective rank and error against the target. Tensor problems have the memoriser, which dmf train prints.")

  @Argument(help: "The problem file (JSON), as dmf train reads it.")
  var problem: String

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @Option(help: "The nuclear-norm solver's iteration limit.")
  var maxIterations: Int = 10_000

  func validate() throws {
    guard maxIterations >= 1 else { throw ValidationError("--max-iterations must be at least 1, got \(maxIterations)") }
  }

  /// One solution as printed.
  struct Solution: Encodable {
    var nuclearNorm: Double
    var frobeniusNorm: Double
    var effectiveRank: Double
    var targetError: TargetError
    var solver: String?
    var x: [[Double]]
  }

  func run() throws {
    guard let data = FileManager.default.contents(atPath: problem) else {
      throw Self.failInput("\(problem): cannot read the file")
    }
    if TensorProblemFile.isTensorProblem(data) {
      throw Self.failInput("\(problem): a tensor problem; its baseline is the memoriser, which dmf train prints")
    }
    let training: TrainingProblem
    do {
      training = try ProblemFile.decode(data).trainingProblem(limits: .standard)
    } catch {
      throw Self.failInput("\(problem): \(error)")
    }
    let target = training.target
    let baseline: NuclearNormProblem
    switch training.observations {
    case .entries(let entries):
      baseline = .completion(target: target, observed: entries.map { NuclearNormProblem.Position($0.row, $0.column) })
    case .all:
      baseline = .completion(
        target: target, observed: (0 ..< target.columns).flatMap { j in (0 ..< target.rows).map { NuclearNormProblem.Position($0, j) } })
    case .sensing(let matrices):
      baseline = .sensing(matrices: matrices, measurements: matrices.map { Matrix.frobeniusInner($0, target) })
    }
    let results: [(name: String, solution: Solution)]
    do {
      let nuclear = try NuclearNormSolver(maxIterations: maxIterations).solve(baseline)
      let frobenius = try MinimumFrobeniusNorm.solve(baseline)
      results = [
        ("minimum nuclear norm", try describe(nuclear.x, training: training, solver: nuclear.report.description)),
        ("minimum Frobenius norm", try describe(frobenius, training: training, solver: nil)),
      ]
    } catch {
      throw Self.failInput("\(problem): the baselines cannot be solved: \(error)")
    }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
      let object = ["minimumNuclearNorm": results[0].solution, "minimumFrobeniusNorm": results[1].solution]
      FileHandleOutput.writeToStandardOutput(String(decoding: try encoder.encode(object), as: UTF8.self) + "\n")
      return
    }
    var lines: [String] = []
    for (name, solution) in results {
      lines.append("\(name): ‖X‖_* = \(String(format: "%.6g", solution.nuclearNorm)), ‖X‖_F = \(String(format: "%.6g", solution.frobeniusNorm)), effective rank \(String(format: "%.6g", solution.effectiveRank))")
      if let solver = solution.solver { lines.append("  solver: \(solver)") }
      lines += solution.targetError.lines("X").map { "  " + $0 }
      lines.append("  X = \(Matrix(solution.x))")
    }
    FileHandleOutput.writeToStandardOutput(lines.joined(separator: "\n") + "\n")
  }

  private func describe(_ x: Matrix, training: TrainingProblem, solver: String?) throws -> Solution {
    Solution(
      nuclearNorm: try x.nuclearNorm(), frobeniusNorm: x.frobeniusNorm, effectiveRank: try x.effectiveRank(),
      targetError: TargetError(product: x, target: training.target, observations: training.observations),
      solver: solver, x: x.rowsOfElements)
  }
}
