public import Foundation
public import TensorFactorization
import DeepFactorization

extension TensorProblemFile {
  /// The tensor problem file of a CP training problem, so that a case a tensor claim ran can be
  /// trained again with `dmf train`. A perturbed start, a sensing objective or a recording schedule
  /// a file cannot say is an error; probes (inner products a claim records) are not part of a file
  /// and do not change the run.
  public init(problem: CPProblem) throws(ProblemFileError) {
    guard problem.perturbation == nil else { throw ProblemFileError("initialization", "a perturbed initialisation has no problem file") }
    guard !problem.objective.isSensing else { throw ProblemFileError("observations", "tensor sensing measurements have no tensor problem file") }
    guard let every = problem.recording.fileValue(for: problem.method) else {
      throw ProblemFileError("record.every", "\(problem.recording) has no problem file (a file records descent by steps and gradient flow by time)")
    }
    let target = problem.objective.target
    self.init(
      dimensions: target.dimensions, entries: target.entries, observed: problem.objective.observed.map { $0.map(problem.shape.multiIndex) },
      model: .cp(components: problem.shape.components, initialization: problem.initialization.factors(of: problem.shape)), loss: problem.objective.reduction,
      optimizer: problem.method, stop: problem.stop, recordEvery: every)
  }

  /// The tensor problem file of a hierarchical tensor factorization problem, on the same terms as a CP
  /// one's (a perturbed start, sensing or an unwritable schedule is an error; probes, the tracked norms
  /// and matricization records are not part of a file and do not change the run).
  public init(problem: HTProblem) throws(ProblemFileError) {
    guard problem.perturbation == nil else { throw ProblemFileError("initialization", "a perturbed initialisation has no problem file") }
    guard !problem.objective.isSensing else { throw ProblemFileError("observations", "tensor sensing measurements have no tensor problem file") }
    guard let every = problem.recording.fileValue(for: problem.method) else {
      throw ProblemFileError("record.every", "\(problem.recording) has no problem file (a file records descent by steps and gradient flow by time)")
    }
    let target = problem.objective.target, indexing = CPShape(dimensions: target.dimensions, components: 1)
    self.init(
      dimensions: target.dimensions, entries: target.entries, observed: problem.objective.observed.map { $0.map(indexing.multiIndex) },
      model: .hierarchical(
        widths: problem.shape.widths, poolSize: problem.shape.poolSize, pattern: problem.shape.pattern,
        initialization: problem.initialization.weights(of: problem.shape)),
      loss: problem.objective.reduction, optimizer: problem.method, stop: problem.stop, recordEvery: every)
  }

  /// The file as pretty-printed JSON with sorted keys, in the layout ``decode(_:)`` reads.
  public func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    // Every field is a number, string or array, and the initialisation is never `.parameters`
    // (``init(problem:)`` writes it as factors); encoding cannot fail.
    return (try? encoder.encode(Written(self))) ?? Data()
  }

  /// The JSON layout of a tensor problem file.
  private struct Written: Encodable {
    var file: TensorProblemFile
    init(_ file: TensorProblemFile) { self.file = file }

    // The reader's own keys, so that the two cannot drift apart; `record` holds one field.
    enum RecordKeys: String, CodingKey { case every }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: Raw.CodingKeys.self)
      var tensor = c.nestedContainer(keyedBy: Raw.TensorSpec.CodingKeys.self, forKey: .tensor)
      try tensor.encode(file.dimensions, forKey: .dimensions)
      try tensor.encode(file.entries, forKey: .entries)
      var observations = c.nestedContainer(keyedBy: Raw.Observations.CodingKeys.self, forKey: .observations)
      if let observed = file.observed {
        try observations.encode("entries", forKey: .kind)
        try observations.encode(observed, forKey: .entries)
      } else {
        try observations.encode("all", forKey: .kind)
      }
      var model = c.nestedContainer(keyedBy: Raw.Model.CodingKeys.self, forKey: .model)
      switch file.model {
      case .cp(let components, let initialization):
        try model.encode(components, forKey: .components)
        try c.encode(initialization, forKey: .initialization)
      case .hierarchical(let widths, let poolSize, let pattern, let initialization):
        try model.encode(Raw.Model.Kind.hierarchical.rawValue, forKey: .kind)
        try model.encode(widths, forKey: .widths)
        try model.encode(poolSize, forKey: .poolSize)
        try model.encode(pattern.rawValue, forKey: .pattern)
        try c.encode(initialization, forKey: .initialization)
      }
      try c.encode(file.loss.rawValue, forKey: .loss)
      try c.encode(file.optimizer, forKey: .optimizer)
      try c.encode(file.stop, forKey: .stop)
      if let every = file.recordEvery {
        var record = c.nestedContainer(keyedBy: RecordKeys.self, forKey: .record)
        try record.encode(every, forKey: .every)
      }
    }
  }
}
