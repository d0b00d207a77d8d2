import DeepFactorization
import Foundation
import Problems
import TensorFactorization
import Testing

/// `dmf replay --export` of a tensor claim's case: the CP problem written as a tensor problem file
/// and read back trains the same run, bit for bit.
struct TensorProblemFileExportTests {
  static let shape = CPShape(dimensions: [3, 4, 2], components: 3)
  static let target = Tensor.randomLowRank(dimensions: [3, 4, 2], rank: 2, seed: 11)

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var initialization: CPInitialization
    var method: TrainingMethod
    var recording: RecordingSchedule
    var observed: [Int]?
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "gaussian start, gd, every entry", initialization: .gaussian(std: 0.1, seed: 3), method: .descent(.gradientDescent(GradientDescent(learningRate: 0.05))), recording: .everySteps(50), observed: nil),
    Case(name: "balanced start, group-rmsprop, some entries", initialization: .balanced(norm: 0.3, seed: 5),
         method: .descent(.groupRMSprop(GroupRMSprop(learningRate: 0.01, epsilon: 1e-6))), recording: .everySteps(100), observed: [0, 2, 5, 7, 11, 13, 17, 19, 20, 23]),
    Case(name: "a flat parameter vector start, written as factors", initialization: .parameters((0 ..< 27).map { 0.05 * Double($0 % 7) - 0.1 }),
         method: .descent(.gradientDescent(GradientDescent(learningRate: 0.05))), recording: .everySteps(25), observed: [1, 4, 6, 9, 10, 15, 21]),
    Case(name: "gaussian start, gradient flow", initialization: .gaussian(std: 0.1, seed: 9), method: .gradientFlow(relativeTolerance: 1e-8), recording: .everyTime(0.5), observed: nil),
  ]

  @Test(arguments: cases)
  func anExportedProblemTrainsTheSameRun(_ c: Case) throws {
    let stop = c.method.isGradientFlow ? StopRule(maxTime: 5, lossBelow: 1e-12) : StopRule(maxSteps: 400, lossBelow: 1e-12)
    let problem = CPProblem(
      shape: Self.shape, objective: TensorObjective(target: Self.target, observed: c.observed, reduction: .halfSum), initialization: c.initialization,
      method: c.method, stop: stop, recording: c.recording, probes: [Self.target])
    let file = try TensorProblemFile.decode(try TensorProblemFile(problem: problem).encoded())
    guard case .cp(let again) = try file.problem() else {
      Issue.record("a CP problem's file read back as another model")
      return
    }
    #expect(again.shape == problem.shape && again.objective == problem.objective && again.stop == problem.stop && again.recording == problem.recording)
    #expect(again.initialization.parameters(for: Self.shape) == problem.initialization.parameters(for: Self.shape))
    let original = CPTrainer.train(problem), replayed = CPTrainer.train(again)
    #expect(replayed.steps == original.steps && replayed.status == original.status)
    #expect(replayed.parameters == original.parameters, "bit for bit")
    #expect(replayed.loss == original.loss)
  }

  @Test func aPerturbedStartOrASensingObjectiveHasNoFile() {
    var perturbed = CPProblem(
      shape: Self.shape, objective: TensorObjective(target: Self.target, observed: nil, reduction: .mean), initialization: .gaussian(std: 0.1, seed: 1),
      optimizer: .gradientDescent(GradientDescent(learningRate: 0.01)), stop: StopRule(maxSteps: 10), recording: .everySteps(10))
    var sensing = perturbed
    perturbed.perturbation = InitialPerturbation(seed: 2)
    #expect(throws: ProblemFileError.self) { try TensorProblemFile(problem: perturbed) }
    sensing.objective = .gaussianSensing(target: Self.target, count: 5, seed: 1, reduction: .mean)
    #expect(throws: ProblemFileError.self) { try TensorProblemFile(problem: sensing) }
  }
}
