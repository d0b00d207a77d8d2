public import DeepFactorization
import LinearAlgebra

extension ProblemFile {
  /// The problem file of a training problem, so that a case a claim ran can be trained again with
  /// `dmf train`; a perturbed initialisation, or a recording schedule a file cannot say, is an error.
  public init(problem: TrainingProblem) throws(ProblemFileError) {
    guard problem.perturbation == nil else { throw ProblemFileError("initialization", "a perturbed initialisation has no problem file") }
    guard let every = problem.recording.fileValue(for: problem.method) else {
      throw ProblemFileError("record.every", "\(problem.recording) has no problem file (a file records descent by steps and gradient flow by time)")
    }
    let observations: ObservationsSpec
    switch problem.observations {
    case .entries(let entries): observations = .entries(entries.map { [$0.row, $0.column] })
    case .all: observations = .all
    case .sensing(let matrices): observations = .sensing(matrices.map(\.rowsOfElements))
    }
    self.init(
      target: problem.target.rowsOfElements, observations: observations,
      settings: TrainingSettings(
        model: .init(depth: problem.depth, width: problem.width), initialization: problem.initialization, loss: problem.loss,
        optimizer: problem.method, stop: problem.stop, record: .init(every: every), minibatch: problem.minibatch))
  }
}
