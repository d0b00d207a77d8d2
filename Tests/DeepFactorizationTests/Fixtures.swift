import DeepFactorization
import LinearAlgebra
import SeededRandom

/// Small problems shared by the engine's tests.
enum Problems {
  /// A random target with a random objective of each kind.
  static func objective(kind: String, rows: Int, columns: Int, reduction: LossReduction, seed: UInt64) -> Objective {
    var generator = Xoshiro256StarStar(seed: seed)
    let target = Matrix.gaussian(rows: rows, columns: columns, using: &generator)
    let observations: Observations
    switch kind {
    case "entries":
      let picked = generator.sampleWithoutReplacement(Swift.max(1, rows * columns / 2), from: rows * columns)
      observations = .entries(picked.map { Observations.Entry($0 % rows, $0 / rows) })
    case "all":
      observations = .all
    default:
      observations = .sensing((0 ..< 5).map { _ in Matrix.gaussian(rows: rows, columns: columns, using: &generator) })
    }
    return Objective(target: target, observations: observations, reduction: reduction)
  }

  /// Random factors for a shape.
  static func factors(_ shape: NetworkShape, seed: UInt64, scale: Double = 0.7) -> [Matrix] {
    var generator = Xoshiro256StarStar(seed: seed)
    return (0 ..< shape.depth).map { j in
      let (r, c) = shape.factorShape(j)
      return Matrix.gaussian(rows: r, columns: c, standardDeviation: scale, using: &generator)
    }
  }

  /// The Razin–Cohen 2×2 completion (? 1; 1 0).
  static func razinCohen(depth: Int, initialization: Initialization, method: TrainingMethod, stop: StopRule, recording: RecordingSchedule = .everySteps(100)) -> TrainingProblem {
    TrainingProblem(
      target: Matrix([[0, 1], [1, 0]]), observations: .entries([.init(0, 1), .init(1, 0), .init(1, 1)]),
      depth: depth, initialization: initialization, loss: .halfSum, method: method, stop: stop, recording: recording)
  }
}
