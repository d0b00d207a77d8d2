import DeepFactorization
import Foundation
import LinearAlgebra
import Problems
import Testing

struct ProblemFileTests {
  static let valid = ProblemFile.example

  static func problem(_ text: String) throws(ProblemFileError) -> TrainingProblem {
    try ProblemFile.decode(Data(text.utf8)).trainingProblem()
  }

  @Test func theDocumentedExampleReads() throws {
    let problem = try Self.problem(Self.valid)
    #expect(problem.depth == 3 && problem.target[0, 1] == 1)
    #expect(problem.observations == .entries([.init(0, 1), .init(1, 0), .init(1, 1)]))
    #expect(problem.stop == StopRule(maxSteps: 20000, lossBelow: 1e-3))
  }

  @Test func writingAndReadingRoundTrips() throws {
    let file = try ProblemFile.decode(Data(Self.valid.utf8))
    let again = try ProblemFile.decode(file.encoded())
    #expect(again == file)
    #expect(again.encoded() == file.encoded())
  }

  struct BadInput: Sendable, CustomTestStringConvertible {
    let name: String, from: String, to: String, message: String
    var testDescription: String { name }
  }

  static let badInputs: [BadInput] = [
    BadInput(name: "not JSON", from: "{ \"target\"", to: "{ \"target\" oops", message: "not valid JSON: Invalid value at line 1, column"),
    BadInput(name: "missing field", from: "\"model\": {\"depth\": 3, \"width\": 2},", to: "\"model\": {\"width\": 2},", message: "model.depth: missing"),
    BadInput(name: "ragged rows", from: "[[0, 1], [1, 0]]", to: "[[0, 1], [1]]", message: "target[1]: ragged rows: row 0 has 2 entries, row 1 has 1"),
    BadInput(name: "non-finite number", from: "[[0, 1], [1, 0]]", to: "[[0, 1e999], [1, 0]]", message: "target[0][1]: 1e999 is too large for a double"),
    BadInput(name: "entry out of range", from: "[[0, 1], [1, 0], [1, 1]]", to: "[[0, 1], [1, 0], [1, 1], [5, 0]]", message: "observations.entries[3]: (5, 0) is outside the 2×2 target"),
    BadInput(name: "duplicate entry", from: "[[0, 1], [1, 0], [1, 1]]", to: "[[0, 1], [1, 0], [0, 1]]", message: "observations.entries[2]: (0, 1) is already observations.entries[0]"),
    BadInput(name: "sensing matrix shape", from: "{\"kind\": \"entries\", \"entries\": [[0, 1], [1, 0], [1, 1]]}", to: "{\"kind\": \"sensing\", \"matrices\": [[[1, 0], [0, 1]], [[1, 0, 0]]]}", message: "observations.matrices[1]: is 1×3, the target is 2×2"),
    BadInput(name: "depth below 1", from: "\"depth\": 3", to: "\"depth\": 0", message: "model.depth: must be at least 1, got 0"),
    BadInput(name: "non-positive learning rate", from: "\"learningRate\": 0.02", to: "\"learningRate\": -0.1", message: "optimizer.learningRate: must be positive and finite, got -0.1"),
    BadInput(name: "unknown optimizer", from: "\"kind\": \"gd\"", to: "\"kind\": \"sgd\"", message: "optimizer.kind: unknown kind \"sgd\""),
    BadInput(name: "unknown initialization", from: "\"kind\": \"identity\"", to: "\"kind\": \"xavier\"", message: "initialization.kind: unknown kind \"xavier\""),
    BadInput(name: "unknown loss", from: "\"half-sum\"", to: "\"l1\"", message: "loss: unknown loss \"l1\""),
    BadInput(name: "wrong type", from: "\"maxSteps\": 20000", to: "\"maxSteps\": \"many\"", message: "stop.maxSteps: expected a number"),
    BadInput(name: "pair of three", from: "[[0, 1], [1, 0], [1, 1]]", to: "[[0, 1, 2]]", message: "observations.entries[0]: expected [row, column], got 3 numbers"),
    BadInput(name: "factor shape", from: "{\"kind\": \"identity\", \"scale\": 0.001}", to: "{\"kind\": \"factors\", \"factors\": [[[1, 0]], [[1]], [[1]]]}", message: "initialization: factor 1 is 1×2, expected 2×2"),
    // The file is strict: unknown, misspelt and inapplicable fields, duplicate keys, numbers out of range.
    BadInput(name: "misspelt stop field", from: "\"lossBelow\"", to: "\"lossbelow\"", message: "stop.lossbelow: unknown field (did you mean \"lossBelow\"?"),
    BadInput(name: "misspelt model field", from: "\"width\": 2", to: "\"widht\": 2", message: "model.widht: unknown field (did you mean \"width\"?"),
    BadInput(name: "misspelt optimizer field", from: "{\"kind\": \"gd\", \"learningRate\": 0.02}", to: "{\"kind\": \"momentum\", \"learningRate\": 0.02, \"momentun\": 0.9}", message: "optimizer.momentun: unknown field (did you mean \"momentum\"?"),
    BadInput(name: "field of another kind", from: "{\"kind\": \"identity\", \"scale\": 0.001}", to: "{\"kind\": \"gaussian\", \"scale\": 0.001, \"seed\": 1, \"determinant\": \"positive\"}", message: "initialization.determinant: unknown field (kind \"gaussian\" has the fields scale, seed)"),
    BadInput(name: "learning rate on gradient flow", from: "{\"kind\": \"gd\", \"learningRate\": 0.02}", to: "{\"kind\": \"gradient-flow\", \"learningRate\": 0.02}", message: "optimizer.learningRate: unknown field (kind \"gradient-flow\" has the fields relativeTolerance)"),
    BadInput(name: "unknown top-level field", from: "\"loss\": \"half-sum\",", to: "\"loss\": \"half-sum\", \"los\": 1,", message: "los: unknown field (did you mean \"loss\"?"),
    BadInput(name: "unknown record field", from: "{\"every\": 100}", to: "{\"every\": 100, \"format\": \"csv\"}", message: "record.format: unknown field"),
    BadInput(name: "field of kind all", from: "{\"kind\": \"entries\", \"entries\": [[0, 1], [1, 0], [1, 1]]}", to: "{\"kind\": \"all\", \"entries\": [[0, 1]]}", message: "observations.entries: unknown field (kind \"all\" has no other fields)"),
    BadInput(name: "duplicate key", from: "\"loss\": \"half-sum\",", to: "\"loss\": \"half-sum\", \"loss\": \"mean\",", message: "loss: given twice in one object"),
    BadInput(name: "duplicate nested key", from: "\"depth\": 3,", to: "\"depth\": 3, \"depth\": 4,", message: "model.depth: given twice in one object"),
    BadInput(name: "negative lossBelow", from: "\"lossBelow\": 1e-3", to: "\"lossBelow\": -1", message: "stop.lossBelow: must be a finite loss ≥ 0, got -1"),
    BadInput(name: "negative seed", from: "{\"kind\": \"identity\", \"scale\": 0.001}", to: "{\"kind\": \"gaussian\", \"scale\": 0.001, \"seed\": -1}", message: "initialization.seed: must be a whole number from 0 to 18446744073709551615, got -1"),
    BadInput(name: "seed past 2^64", from: "{\"kind\": \"identity\", \"scale\": 0.001}", to: "{\"kind\": \"gaussian\", \"scale\": 0.001, \"seed\": 18446744073709551616}", message: "initialization.seed: must be a whole number from 0"),
    BadInput(name: "fractional seed", from: "{\"kind\": \"identity\", \"scale\": 0.001}", to: "{\"kind\": \"gaussian\", \"scale\": 0.001, \"seed\": 1.5}", message: "initialization.seed: must be a whole number from 0 to 18446744073709551615, got 1.5"),
    BadInput(name: "fractional maxSteps", from: "\"maxSteps\": 20000", to: "\"maxSteps\": 1.5", message: "stop.maxSteps: must be a whole number up to 9223372036854775807, got 1.5"),
    BadInput(name: "maxSteps past 2^63", from: "\"maxSteps\": 20000", to: "\"maxSteps\": 9223372036854775808", message: "stop.maxSteps: must be a whole number up to"),
    BadInput(name: "fractional depth", from: "\"depth\": 3", to: "\"depth\": 2.5", message: "model.depth: must be a whole number up to 9223372036854775807, got 2.5"),
    BadInput(name: "fractional entry", from: "[[0, 1], [1, 0], [1, 1]]", to: "[[0.5, 1], [1, 0]]", message: "observations.entries[0]: expected whole-number [row, column], got [0.5, 1]"),
    BadInput(name: "number too large for a double", from: "\"scale\": 0.001", to: "\"scale\": 1e309", message: "initialization.scale: 1e309 is too large for a double"),
    // Resource bounds: refused before anything is allocated, naming the field and the limit.
    BadInput(name: "huge width", from: "\"width\": 2", to: "\"width\": 100000", message: "model.width: the network would need about 820 GiB"),
    BadInput(name: "huge depth", from: "\"depth\": 3", to: "\"depth\": 1000000000", message: "model.depth: the network would need about"),
    BadInput(name: "deep and narrow", from: "\"depth\": 3", to: "\"depth\": 20000000", message: "the limit is 4 GiB (dmf train --max-memory-gib)"),
    BadInput(name: "record interval past Int", from: "{\"every\": 100}", to: "{\"every\": 1e19}", message: "record.every: must be at most 9e15 steps"),
    BadInput(name: "too many record points", from: "\"maxSteps\": 20000", to: "\"maxSteps\": 2000000000", message: "record.every: 20000001 record points would be kept"),
    BadInput(name: "integrator tolerance below double precision", from: "{\"kind\": \"gd\", \"learningRate\": 0.02}", to: "{\"kind\": \"gradient-flow\", \"relativeTolerance\": 1e-300}", message: "optimizer.relativeTolerance: must lie in [1e-14, 1)"),
    // Minibatches: a size within the observations, descent only, whole numbers, known fields.
    BadInput(name: "minibatch of none", from: "\"loss\": \"half-sum\",", to: "\"loss\": \"half-sum\", \"minibatch\": {\"size\": 0, \"seed\": 1},", message: "minibatch.size: must be between 1 and the 3 observations, got 0"),
    BadInput(name: "minibatch past the observations", from: "\"loss\": \"half-sum\",", to: "\"loss\": \"half-sum\", \"minibatch\": {\"size\": 4, \"seed\": 1},", message: "minibatch.size: must be between 1 and the 3 observations, got 4"),
    BadInput(name: "minibatch on gradient flow", from: "\"optimizer\": {\"kind\": \"gd\", \"learningRate\": 0.02},", to: "\"optimizer\": {\"kind\": \"gradient-flow\"}, \"minibatch\": {\"size\": 1, \"seed\": 1},", message: "minibatch: gradient flow has no minibatches"),
    BadInput(name: "minibatch without a seed", from: "\"loss\": \"half-sum\",", to: "\"loss\": \"half-sum\", \"minibatch\": {\"size\": 1},", message: "minibatch.seed"),
    BadInput(name: "misspelt minibatch field", from: "\"loss\": \"half-sum\",", to: "\"loss\": \"half-sum\", \"minibatch\": {\"sise\": 1, \"seed\": 1},", message: "minibatch.sise: unknown field (did you mean \"size\"?"),
    BadInput(name: "fractional minibatch", from: "\"loss\": \"half-sum\",", to: "\"loss\": \"half-sum\", \"minibatch\": {\"size\": 1.5, \"seed\": 1},", message: "minibatch.size: must be a whole number"),
    BadInput(name: "number too large in the target", from: "[[0, 1], [1, 0]]", to: "[[0, 1], [1e400, 0]]", message: "target[1][0]: 1e400 is too large for a double"),
  ]

  @Test(arguments: badInputs)
  func badInputGetsOneMessageNamingTheField(input: BadInput) {
    #expect(Self.valid.contains(input.from), "the test's edit does not apply")
    let text = Self.valid.replacingOccurrences(of: input.from, with: input.to)
    #expect {
      _ = try Self.problem(text)
    } throws: { error in
      let message = (error as? ProblemFileError)?.description ?? ""
      return message.contains(input.message) && !message.contains("\n")
    }
  }
}

/// A training problem written as a problem file reads back as the same problem.
struct ProblemFileExportTests {
  static let methods: [TrainingMethod] =
    OptimizerChoice.Kind.allCases.map { .descent(OptimizerChoice($0, learningRate: 0.01)) } + [
      .descent(.momentum(Momentum(learningRate: 0.1, momentum: 0.8))), .descent(.adam(Adam(learningRate: 0.01, beta1: 0.9, beta2: 0.99, epsilon: 1e-7))),
      .descent(.sharedScalarAdam(SharedScalarAdam(learningRate: 0.01, beta1: 0.5))), .gradientFlow(relativeTolerance: 1e-8), .gradientFlow(),
      .descent(.weightDecay(WeightDecayDescent(learningRate: 0.1, weightDecay: 0.25))),
    ]

  @Test(arguments: methods)
  func exportRoundTrips(optimizer: TrainingMethod) throws {
    var file = try ProblemFile.decode(Data(ProblemFile.example.utf8))
    file.settings.optimizer = optimizer
    if case .gradientFlow = optimizer { file.settings.stop = StopRule(maxTime: 10) }
    let problem = try file.trainingProblem()
    let exported = try ProblemFile(problem: problem)
    #expect(exported.settings.optimizer == optimizer)
    let again = try exported.trainingProblem()
    #expect(again.target == problem.target && again.observations == problem.observations && again.method.name == problem.method.name)
    #expect(again.initialization == problem.initialization && again.stop == problem.stop)
    #expect(again.method == optimizer && again.recording == problem.recording)
    // Through JSON text, as `dmf replay --export` writes it and `dmf train` reads it.
    let text = try ProblemFile.decode(exported.encoded())
    #expect(text.settings.optimizer == optimizer)
  }

  @Test func aMinibatchRoundTrips() throws {
    var file = try ProblemFile.decode(Data(ProblemFile.example.utf8))
    file.settings.minibatch = Minibatch(size: 2, seed: 0xFFFF_FFFF_FFFF_FFFF)
    let problem = try file.trainingProblem()
    #expect(problem.minibatch == Minibatch(size: 2, seed: 0xFFFF_FFFF_FFFF_FFFF) && problem.objective.minibatch == problem.minibatch)
    let text = try ProblemFile.decode(try ProblemFile(problem: problem).encoded())
    #expect(text.settings.minibatch == problem.minibatch)
    #expect(try ProblemFile.decode(Data(ProblemFile.example.utf8)).settings.minibatch == nil, "absent: full batch")
  }

  @Test(arguments: OptimizerChoice.Kind.allCases)
  func aFieldLeftOutTakesTheInitializersDefault(kind: OptimizerChoice.Kind) throws {
    let json = ProblemFile.example.replacingOccurrences(of: #""kind": "gd", "learningRate": 0.02"#, with: #""kind": "\#(kind.rawValue)", "learningRate": 0.02"#)
    #expect(json != ProblemFile.example || kind == .gradientDescent)
    let file = try ProblemFile.decode(Data(json.utf8))
    #expect(file.settings.optimizer == .descent(OptimizerChoice(kind, learningRate: 0.02)))
  }

  @Test func aPerturbedInitializationHasNoFile() throws {
    var problem = try ProblemFile.decode(Data(ProblemFile.example.utf8)).trainingProblem()
    problem.perturbation = InitialPerturbation(seed: 1)
    #expect(throws: ProblemFileError.self) { try ProblemFile(problem: problem) }
  }

  /// A file records descent by steps and gradient flow by time: other schedules have no file.
  @Test(arguments: [
    (TrainingMethod.gradientFlow(), RecordingSchedule.everySteps(6)), (.gradientFlow(), .everyTime(.infinity)),
    (.descent(.gradientDescent(GradientDescent(learningRate: 0.02))), .everyTime(0.5)),
  ])
  func aScheduleAFileCannotSayHasNoFile(method: TrainingMethod, recording: RecordingSchedule) throws {
    var problem = try ProblemFile.decode(Data(ProblemFile.example.utf8)).trainingProblem()
    (problem.method, problem.recording) = (method, recording)
    #expect(throws: ProblemFileError.self) { try ProblemFile(problem: problem) }
  }
}

/// The resource limits can be set by the caller (`dmf train --max-memory-gib`, `--max-records`).
struct ResourceLimitTests {
  @Test func tighterLimitsRefuseWhatTheDefaultsAccept() throws {
    let file = try ProblemFile.decode(Data(ProblemFile.example.utf8))
    _ = try file.trainingProblem()
    #expect(throws: ProblemFileError.self) { try file.trainingProblem(limits: ResourceLimits(memoryBytes: 100, recordPoints: 1_000_000)) }
    #expect(throws: ProblemFileError.self) { try file.trainingProblem(limits: ResourceLimits(memoryBytes: 1e9, recordPoints: 10)) }
  }
}

