import ArgumentParser
import DeepFactorization
import Foundation
import LinearAlgebra
import Problems
import ClaimKit
import Properties
import TensorFactorization
import PropertyTesting

/// `dmf replay TOKEN`: re-runs exactly one case of a claim (or of its counter-setting) and prints it
/// in full: the verdict with every measurement and its interval, and each training problem the case
/// ran (target, observed entries or measurements, network, initialisation, optimizer, stop rule).
struct Replay: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Re-run exactly the case a replay token names and print it in full.",
    discussion: "Exits 1 if the case fails, 0 if it passes. With --export FILE the case's training problem (the first, or --run K) is written as a dmf train problem file, and the exit status says whether that worked (0), whatever the case's outcome, so that `dmf replay TOKEN --export case.json && dmf train case.json` trains a failing case.")

  @Argument(help: "A token printed with a failure: dmf2.<name hash>.<case seed>.<tape>.<check>.")
  var token: String

  @Option(help: "Write the case's training problem as a dmf train problem file.")
  var export: String?

  @Option(help: "Which of the case's training runs --export writes (1 = the first).")
  var run: Int = 1

  func validate() throws {
    guard run >= 1 else { throw ValidationError("--run must be at least 1, got \(run)") }
  }

  func run() async throws {
    try ClaimSelection.requireValidCatalogue()
    let parsed: ReplayToken
    do {
      parsed = try ReplayToken(parsing: token)
    } catch {
      throw Self.failInput("\(error)")
    }
    for claim in Catalog.all {
      for (name, counter) in [(claim.id, false), (claim.id + "#counter", true)] where parsed.belongs(to: name) {
        let runner = PropertyRunner(configuration: RunConfiguration(profile: .full, replay: parsed))
        let log = TrainingLog()
        let result = try await log.collecting { try await ClaimSelection.run(claim, with: runner, counterSetting: counter) }
        print("\(claim.code) \(name) — \(claim.statement)")
        print(result.summary)
        for measurement in result.measurements {
          let expected = measurement.expectedLower.map { lower in ", expected [\(lower), \(measurement.expectedUpper ?? .infinity)]" } ?? ""
          let verdict = measurement.expectedLower.map { lower in lower <= measurement.median && measurement.median <= (measurement.expectedUpper ?? .infinity) ? " (inside)" : " (outside)" } ?? ""
          print("  measured \(measurement.quantity) = \(measurement.median)\(expected)\(verdict)")
        }
        let problems = log.entries
        for (index, problem) in problems.enumerated() {
          print("training run \(index + 1) of \(problems.count):")
          let lines: [String]
          switch problem {
          case .matrix(let problem): lines = describe(problem)
          case .tensor(let problem): lines = describe(problem)
          case .hierarchical(let problem): lines = describe(problem)
          }
          print(lines.map { "  " + $0 }.joined(separator: "\n"))
        }
        if let export {
          try write(problems, to: export)
          return  // the export worked; the case's outcome is printed above
        }
        if result.verdict.isFailure { throw ExitCode(1) }
        return
      }
    }
    throw Self.failInput("replay token: no claim of this catalogue has its property hash \(String(parsed.propertyHash, radix: 16))")
  }

  private func write(_ problems: [TrainingLog.Entry], to path: String) throws {
    guard run <= problems.count else {
      throw Self.failInput("--run \(run): the case ran \(problems.count) training problem\(problems.count == 1 ? "" : "s")")
    }
    do {
      let data = try problems[run - 1].problemFile()
      try data.write(to: URL(fileURLWithPath: path))
    } catch let error as ProblemFileError {
      throw Self.failInput("--export: training run \(run): \(error)")
    } catch {
      throw Self.failInput("--export: cannot write \(path): \(PathProblem.writing(path, error))")
    }
    print("wrote training run \(run) to \(path) (dmf train \(path))")
  }

  /// Observations per row and per column, and a warning for each line with fewer than `rank`
  /// observed entries: a rank-r completion does not determine that line's other entries (a line
  /// with none is not seen at all, and what the run puts there is the initialisation's residue).
  static func coverage(of entries: [Observations.Entry], rows: Int, columns: Int, rank: Int) -> [String] {
    var perRow = [Int](repeating: 0, count: rows), perColumn = [Int](repeating: 0, count: columns)
    for entry in Set(entries) {
      perRow[entry.row] += 1
      perColumn[entry.column] += 1
    }
    var lines = [
      "observed per row: " + perRow.map(String.init).joined(separator: " "),
      "observed per column: " + perColumn.map(String.init).joined(separator: " "),
    ]
    for (kind, counts) in [("row", perRow), ("column", perColumn)] {
      for (index, count) in counts.enumerated() where count < Swift.max(rank, 1) {
        lines.append(count == 0
          ? "warning: \(kind) \(index) has no observed entry: nothing determines it"
          : "warning: \(kind) \(index) has \(count) observed entr\(count == 1 ? "y" : "ies"), fewer than the target's rank \(rank): a rank-\(rank) completion does not determine its other entries")
      }
    }
    return lines
  }

  private func describe(_ problem: TrainingProblem) -> [String] {
    let target = problem.target
    var lines = ["network: depth \(problem.depth), width \(problem.width.map(String.init) ?? "max(rows, columns)"), \(problem.loss.rawValue) loss, \(problem.method.name), stop at \(stopSummary(problem.stop)), record every \(String(format: "%g", problem.recording.every))"]
    lines.append("initialization: \(problem.initialization.summary)")
    let sigma = (try? target.singularValues()) ?? []
    lines.append("target: \(target.rows)×\(target.columns), singular values \(sigma.prefix(6).map { String(format: "%.4g", $0) }.joined(separator: ", "))\(sigma.count > 6 ? ", …" : "")")
    for i in 0 ..< target.rows {
      lines.append("  " + (0 ..< target.columns).map { String(format: "%10.4g", target[i, $0]) }.joined(separator: " "))
    }
    switch problem.observations {
    case .entries(let entries):
      lines.append("observed: \(entries.count) of \(target.rows * target.columns) entries (row, column), zero-based:")
      lines.append("  " + entries.map { "(\($0.row), \($0.column))" }.joined(separator: " "))
      lines += Self.coverage(of: entries, rows: target.rows, columns: target.columns, rank: (try? target.numericalRank()) ?? 0)
    case .all:
      lines.append("observed: every entry")
    case .sensing(let matrices):
      lines.append("observed: \(matrices.count) linear measurements ⟨Aᵢ, W⟩ (the matrices are in the --export file)")
    }
    return lines
  }
}

extension Replay {
  /// A CP problem as `dmf replay` prints it: the model, the start, the target's entries and the
  /// observed multi-indices (zero-based, first index fastest, as the tensor problem file lists them).
  func describe(_ problem: CPProblem) -> [String] {
    let shape = problem.shape
    var lines = ["CP model: \(shape), \(problem.objective.reduction.rawValue) loss, \(problem.method.name), stop at \(stopSummary(problem.stop)), record every \(String(format: "%g", problem.recording.every))"]
    lines.append("initialization: \(problem.initialization.summary)")
    return lines + describe(problem.objective)
  }

  /// A hierarchical tensor factorization problem as `dmf replay` prints it: the model and its tree,
  /// the start, the target's entries and the observed multi-indices.
  func describe(_ problem: HTProblem) -> [String] {
    let shape = problem.shape
    var lines = ["hierarchical tensor factorization: \(shape), \(problem.objective.reduction.rawValue) loss, \(problem.method.name), stop at \(stopSummary(problem.stop)), record every \(String(format: "%g", problem.recording.every))"]
    lines.append("mode tree (zero-based modes), leaves to root: " + shape.modeTree.map { level in level.map { "(" + $0.map(String.init).joined(separator: " ") + ")" }.joined(separator: " ") }.joined(separator: " → "))
    lines.append("initialization: \(problem.initialization.summary)")
    return lines + describe(problem.objective)
  }

  /// The target's entries and what is observed of it.
  private func describe(_ objective: TensorObjective) -> [String] {
    let target = objective.target, shape = CPShape(dimensions: target.dimensions, components: 1)
    var lines: [String] = []
    lines.append("target: \(target.dimensions.map(String.init).joined(separator: "×")), ‖target‖ = \(String(format: "%.4g", target.frobeniusNorm)), entries (first index fastest):")
    lines.append("  " + target.entries.prefix(64).map { String(format: "%.4g", $0) }.joined(separator: " ") + (target.entries.count > 64 ? " … (all \(target.entries.count) in the --export file)" : ""))
    if objective.isSensing {
      lines.append("observed: \(objective.residualCount) linear measurements (tensor sensing has no problem file)")
    } else if let observed = objective.observed {
      lines.append("observed: \(observed.count) of \(target.entries.count) entries, zero-based:")
      lines.append("  " + observed.map { "(" + shape.multiIndex($0).map(String.init).joined(separator: ", ") + ")" }.joined(separator: " "))
    } else {
      lines.append("observed: every entry")
    }
    return lines
  }
}

extension HTInitialization {
  /// `gaussian, std 0.01, seed 1`.
  var summary: String {
    switch self {
    case .gaussian(let std, let seed): "gaussian, std \(std), seed \(seed)"
    case .weights(let layers, _): "given weights for \(layers.count) hidden layers and the output"
    case .parameters(let parameters): "\(parameters.count) given parameters"
    }
  }
}

extension CPInitialization {
  /// `gaussian, std 0.001, seed 1`.
  var summary: String {
    switch self {
    case .gaussian(let std, let seed): "gaussian, std \(std), seed \(seed)"
    case .balanced(let norm, let seed): "balanced, factor norm \(norm), seed \(seed)"
    case .factors(let factors): "given factors for \(factors.count) modes"
    case .parameters(let parameters): "\(parameters.count) given parameters"
    }
  }
}

/// `5000000 steps or L < 0.001`.
func stopSummary(_ stop: StopRule) -> String {
  let parts = [stop.maxSteps.map { "\($0) steps" }, stop.maxTime.map { "time \(String(format: "%g", $0))" }, stop.lossBelow.map { "L < \(String(format: "%g", $0))" }]
  return parts.compactMap { $0 }.joined(separator: " or ")
}

extension Initialization {
  /// `gaussian, scale 0.001, seed 1`.
  var summary: String {
    switch self {
    case .identity(let scale): "identity, scale \(scale)"
    case .gaussian(let scale, let seed): "gaussian, scale \(scale), seed \(seed)"
    case .orthogonal(let scale, let seed): "orthogonal, scale \(scale), seed \(seed)"
    case .balanced(let scale, let seed, let sign): "balanced, scale \(scale), seed \(seed)\(sign.map { ", det \($0.rawValue)" } ?? "")"
    case .factors(let factors): "\(factors.count) given factors"
    }
  }
}
