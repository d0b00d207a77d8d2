public import DeepFactorization
import LinearAlgebra

extension ProblemFile {
  /// The problem file of a training problem, so that a case a claim ran can be trained again with
  /// `dmf train`; an optimizer the file format does not know, or a perturbed initialisation, is an error.
  public init(problem: TrainingProblem) throws(ProblemFileError) {
    guard problem.perturbation == nil else { throw ProblemFileError("initialization", "a perturbed initialisation has no problem file") }
    let observations: ObservationsSpec
    switch problem.observations {
    case .entries(let entries): observations = .entries(entries.map { [$0.row, $0.column] })
    case .all: observations = .all
    case .sensing(let matrices): observations = .sensing(matrices.map(\.rowsOfElements))
    }
    let initialization: TrainingSettings.InitializationSpec
    switch problem.initialization {
    case .identity(let scale): initialization = .identity(scale: scale)
    case .gaussian(let scale, let seed): initialization = .gaussian(scale: scale, seed: seed)
    case .orthogonal(let scale, let seed): initialization = .orthogonal(scale: scale, seed: seed)
    case .balanced(let scale, let seed, let sign): initialization = .balanced(scale: scale, seed: seed, determinant: sign)
    case .factors(let factors): initialization = .factors(factors.map(\.rowsOfElements))
    }
    let optimizer: TrainingSettings.OptimizerSpec
    switch problem.method {
    case .gradientFlow(let tolerance):
      optimizer = .gradientFlow(relativeTolerance: tolerance)
    case .descent(let rule):
      switch rule {
      case let gd as GradientDescent: optimizer = .gd(learningRate: gd.learningRate)
      case let m as Momentum: optimizer = .momentum(learningRate: m.learningRate, momentum: m.momentum)
      case let a as Adam: optimizer = .adam(learningRate: a.learningRate, beta1: a.beta1, beta2: a.beta2, epsilon: a.epsilon)
      case let r as RMSprop: optimizer = .rmsprop(learningRate: r.learningRate, alpha: r.alpha, epsilon: r.epsilon)
      case let g as GroupRMSprop: optimizer = .groupRMSprop(learningRate: g.learningRate, beta: g.beta, epsilon: g.epsilon)
      default: throw ProblemFileError("optimizer", "the optimizer \"\(rule.name)\" has no problem-file kind")
      }
    }
    self.init(
      target: problem.target.rowsOfElements, observations: observations,
      settings: TrainingSettings(
        model: .init(depth: problem.depth, width: problem.width), initialization: initialization, loss: problem.loss,
        optimizer: optimizer, stop: problem.stop, record: .init(every: problem.recordEvery)))
  }
}
