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
      components: problem.shape.components, initialization: problem.initialization.factors(of: problem.shape), loss: problem.objective.reduction,
      optimizer: problem.method, stop: problem.stop, recordEvery: every)
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

    // The reader's own keys, so that the two cannot drift apart; `model` and `record` hold one field each.
    enum ModelKeys: String, CodingKey { case components }
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
      var model = c.nestedContainer(keyedBy: ModelKeys.self, forKey: .model)
      try model.encode(file.components, forKey: .components)
      try c.encode(file.initialization, forKey: .initialization)
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
