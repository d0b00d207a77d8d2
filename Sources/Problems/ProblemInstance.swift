public import DeepFactorization
public import LinearAlgebra

/// One problem a claim quantifies over: a target and what is observed of it, plus how it was drawn.
///
/// An instance is saved as a `dmf train` problem file together with training settings
/// (``problemFile(settings:)``) and read back from one (``init(file:)``); the round trip is exact,
/// so a drawn instance that broke a claim can be re-run with `dmf train`.
public struct ProblemInstance: Sendable, Equatable, CustomStringConvertible {
  /// The target W*.
  public var target: Matrix
  /// What the loss observes.
  public var observations: Observations
  /// How the instance was drawn (its spec), or nil for fixtures and files.
  public var spec: InstanceSpec?

  /// An instance from its parts.
  public init(target: Matrix, observations: Observations, spec: InstanceSpec? = nil) {
    self.target = target
    self.observations = observations
    self.spec = spec
  }

  /// The number of observations (entries or measurements; rows × columns for full observation).
  public var observationCount: Int {
    switch observations {
    case .entries(let entries): entries.count
    case .all: target.rows * target.columns
    case .sensing(let matrices): matrices.count
    }
  }

  /// A short description: shape, rank and observations, then the spec if any.
  public var description: String {
    let rank = (try? target.numericalRank()).map { "rank \($0)" } ?? "rank ?"
    let kind: String
    switch observations {
    case .entries(let entries): kind = "\(entries.count) observed entries"
    case .all: kind = "fully observed"
    case .sensing(let matrices): kind = "\(matrices.count) sensing measurements"
    }
    return "\(target.rows)×\(target.columns) \(rank), \(kind)" + (spec.map { " [\($0)]" } ?? "")
  }

  /// Observations per row and per column (entries only; full observation counts everything).
  public var lineCounts: (rows: [Int], columns: [Int]) {
    var rows = [Int](repeating: 0, count: target.rows), columns = [Int](repeating: 0, count: target.columns)
    switch observations {
    case .entries(let entries):
      for entry in entries {
        rows[entry.row] += 1
        columns[entry.column] += 1
      }
    case .all:
      rows = [Int](repeating: target.columns, count: target.rows)
      columns = [Int](repeating: target.rows, count: target.columns)
    case .sensing:
      break
    }
    return (rows, columns)
  }

  /// The training problem of this instance under `settings`.
  public func trainingProblem(settings: TrainingSettings) throws(ProblemFileError) -> TrainingProblem {
    try problemFile(settings: settings).trainingProblem()
  }

  /// The `dmf train` problem file of this instance under `settings`.
  public func problemFile(settings: TrainingSettings) -> ProblemFile {
    let observed: ProblemFile.ObservationsSpec
    switch observations {
    case .entries(let entries): observed = .entries(entries.map { [$0.row, $0.column] })
    case .all: observed = .all
    case .sensing(let matrices): observed = .sensing(matrices.map(\.rowsOfElements))
    }
    return ProblemFile(target: target.rowsOfElements, observations: observed, settings: settings)
  }

  /// The instance a problem file describes, validated as `dmf train` validates it.
  public init(file: ProblemFile) throws(ProblemFileError) {
    let problem = try file.trainingProblem()
    self.init(target: problem.target, observations: problem.observations)
  }
}
