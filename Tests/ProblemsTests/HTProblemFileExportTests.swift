import DeepFactorization
import Foundation
import Problems
import TensorFactorization
import Testing

/// `dmf replay --export` of a hierarchical tensor claim's case: the problem written as a tensor problem
/// file and read back trains the same run, bit for bit.
struct HTProblemFileExportTests {
  static let shape = HTShape(dimensions: [3, 2, 3], pattern: .half, widths: [3, 2])
  static let target = Tensor.randomHierarchical(shape: HTShape(dimensions: [3, 2, 3], pattern: .half, widths: [2, 2]), norm: 1, seed: 4)

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var initialization: HTInitialization
    var method: TrainingMethod
    var recording: RecordingSchedule
    var observed: [Int]?
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "gaussian start, gd, every entry", initialization: .gaussian(std: 0.4, seed: 3), method: .descent(.gradientDescent(GradientDescent(learningRate: 0.05))), recording: .everySteps(50), observed: nil),
    Case(name: "a flat parameter vector start written as weights, group-rmsprop, some entries", initialization: .parameters((0 ..< shape.parameterCount).map { 0.07 * Double($0 % 5) - 0.13 }),
         method: .descent(.groupRMSprop(GroupRMSprop(learningRate: 0.01, epsilon: 1e-6))), recording: .everySteps(100), observed: [0, 2, 5, 7, 11, 13, 16, 17]),
    Case(name: "gaussian start, gradient flow", initialization: .gaussian(std: 0.4, seed: 9), method: .gradientFlow(relativeTolerance: 1e-8), recording: .everyTime(0.5), observed: [1, 3, 4, 8, 9, 10, 12, 15]),
  ]

  @Test(arguments: cases)
  func anExportedProblemTrainsTheSameRun(_ c: Case) throws {
    let stop = c.method.isGradientFlow ? StopRule(maxTime: 5, lossBelow: 1e-12) : StopRule(maxSteps: 400, lossBelow: 1e-12)
    let problem = HTProblem(
      shape: Self.shape, objective: TensorObjective(target: Self.target, observed: c.observed, reduction: .mean), initialization: c.initialization,
      method: c.method, stop: stop, recording: c.recording)
    let file = try TensorProblemFile.decode(try TensorProblemFile(problem: problem).encoded())
    guard case .hierarchical(let again) = try file.problem() else {
      Issue.record("a hierarchical problem's file read back as another model")
      return
    }
    #expect(again.shape == problem.shape && again.objective == problem.objective && again.stop == problem.stop && again.recording == problem.recording)
    #expect(again.initialization.parameters(for: Self.shape) == problem.initialization.parameters(for: Self.shape))
    let original = HTTrainer.train(problem), replayed = HTTrainer.train(again)
    #expect(replayed.steps == original.steps && replayed.status == original.status)
    #expect(replayed.parameters == original.parameters, "bit for bit")
  }

  @Test("hostile hierarchical models and weights are named at their field", arguments: [
    (#""model": {"kind": "hierarchical", "widths": [3]}"#, "model.widths: has 1 widths; an order-3 tensor pooled 2 at a time has 2 hidden layers"),
    (#""model": {"kind": "hierarchical", "widths": [3, 0]}"#, "model.widths[1]: must lie in 1…100000, got 0"),
    (#""model": {"kind": "hierarchical", "widths": [3, 2], "poolSize": 1}"#, "model.poolSize: must lie in 2…8, got 1"),
    (#""model": {"kind": "hierarchical", "widths": [3, 2], "pattern": "spiral"}"#, "unknown kind \"spiral\" (checkerboard, half)"),
    (#""model": {"kind": "hierarchical", "widths": [3, 2], "depth": 3}"#, "depth"),
    (#""model": {"kind": "hierarchical", "widths": [8000, 8000]}"#, "parameters is more than 5·10⁷"),
  ])
  func hostileModels(model: String, message: String) {
    let text = """
      {"tensor": {"dimensions": [2, 2, 2], "entries": [1, 0, 0, 0, 0, 0, 0, 1]}, "observations": {"kind": "all"}, \(model),
       "initialization": {"kind": "gaussian", "std": 0.1, "seed": 1}, "loss": "mean", "optimizer": {"kind": "gd", "learningRate": 0.1},
       "stop": {"maxSteps": 10}}
      """
    do {
      _ = try TensorProblemFile.decode(Data(text.utf8))
      Issue.record("accepted \(model)")
    } catch {
      #expect("\(error)".contains(message), "\(error)")
    }
  }

  @Test("weights of the wrong size are named at their place")
  func hostileWeights() {
    let cases = [
      (#"{"kind": "weights", "layers": [[[[1, 2]], [[1, 2]], [[1, 2]]]], "output": [1]}"#, "initialization.layers: has 1 layers, the model has 2"),
      (#"{"kind": "weights", "layers": [[[[1, 2], [1, 2]], [[1, 2], [1, 2]], [[1, 2], [1, 2]]], [[[1], [1]], [[1], [1]]]], "output": [1, 2]}"#, "initialization.output: has 2 entries, the last layer has width 1"),
      (#"{"kind": "weights", "layers": [[[[1, 2], [1]], [[1, 2], [1, 2]], [[1, 2], [1, 2]]], [[[1], [1]], [[1], [1]]]], "output": [1]}"#, "initialization.layers[0][0][1]: has 1 entries, layer 0 has width 2"),
      (#"{"kind": "gaussian", "std": -1, "seed": 1}"#, "initialization.std: must be positive and finite"),
      (#"{"kind": "factors", "factors": []}"#, "unknown kind \"factors\" (gaussian, weights)"),
    ]
    for (initialization, message) in cases {
      let text = """
        {"tensor": {"dimensions": [2, 2, 2], "entries": [1, 0, 0, 0, 0, 0, 0, 1]}, "observations": {"kind": "all"},
         "model": {"kind": "hierarchical", "widths": [2, 1]}, "initialization": \(initialization), "loss": "mean",
         "optimizer": {"kind": "gd", "learningRate": 0.1}, "stop": {"maxSteps": 10}}
        """
      do {
        _ = try TensorProblemFile.decode(Data(text.utf8))
        Issue.record("accepted \(initialization)")
      } catch {
        #expect("\(error)".contains(message), "\(error)")
      }
    }
  }
}
