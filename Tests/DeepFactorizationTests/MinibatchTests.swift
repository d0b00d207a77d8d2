import DeepFactorization
import Foundation
import LinearAlgebra
import SeededRandom
import Testing

/// Minibatch gradients: each evaluation draws `size` distinct observations weighted m/size, so that
/// the gradient is unbiased; the loss stays the full loss.
struct MinibatchTests {
  /// A 4×3 rank-1 target observed on `entries`, depth 3, Gaussian init 0.3.
  static func problem(_ observations: Observations, minibatch: Minibatch?, steps: Int = 50, eta: Double = 0.05) -> TrainingProblem {
    TrainingProblem(
      target: Matrix([[1, 2, 0.5], [0.5, 1, 0.25], [-1, -2, -0.5], [2, 4, 1]]), observations: observations, depth: 3,
      initialization: .gaussian(scale: 0.3, seed: 5), loss: .halfSum, method: .descent(.gradientDescent(GradientDescent(learningRate: eta))),
      stop: StopRule(maxSteps: steps), recording: .everySteps(1), minibatch: minibatch)
  }

  static let entries: Observations = .entries([.init(0, 0), .init(1, 1), .init(2, 2), .init(3, 0), .init(0, 2), .init(2, 1), .init(1, 0)])

  @Test(arguments: [entries, .all])
  func aBatchOfEveryObservationIsFullBatchDescent(observations: Observations) throws {
    let count = if case .entries(let list) = observations { list.count } else { 12 }
    let full = try Trainer.train(Self.problem(observations, minibatch: nil))
    let batched = try Trainer.train(Self.problem(observations, minibatch: Minibatch(size: count, seed: 1)))
    // Weights m/m = 1: the same gradients, through the dense path's products instead of the fixed-size one's.
    for (a, b) in zip(full.trajectory, batched.trajectory) {
      #expect(abs(a.loss - b.loss) <= 1e-12 * max(1, a.loss), "step \(a.step)")
    }
    #expect((full.product - batched.product).frobeniusNorm <= 1e-12 * full.product.frobeniusNorm)
  }

  @Test func eachEvaluationDrawsSizeDistinctObservationsUniformlyAndTheGradientIsUnbiased() throws {
    // Depth 1 on 7 observed entries: the gradient is the weighted residual itself, so each draw's
    // batch can be read off the gradient's non-zeros.
    let target = Matrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    let entries: [Observations.Entry] = [.init(0, 0), .init(1, 1), .init(2, 2), .init(0, 1), .init(1, 2), .init(2, 0), .init(0, 2)]
    let m = entries.count, size = 3, draws = 14_000
    let objective = Objective(target: target, observations: .entries(entries), reduction: .halfSum, minibatch: Minibatch(size: size, seed: 9))
    let w = [Double](repeating: 0, count: 9)  // residual −target at every entry
    var gradient = [Double](repeating: 0, count: 9), scratch = [Double](repeating: 0, count: objective.scratchCount)
    var chosen = [Int](repeating: 0, count: m), mean = [Double](repeating: 0, count: 9)
    for _ in 0 ..< draws {
      let loss = w.withUnsafeBufferPointer { pw in
        gradient.withUnsafeMutableBufferPointer { pg in
          scratch.withUnsafeMutableBufferPointer { ps in objective.evaluate(pw.baseAddress!, gradient: pg.baseAddress!, scratch: ps.baseAddress!) }
        }
      }
      #expect(loss == 0.5 * entries.reduce(0) { $0 + pow(target[$1.row, $1.column], 2) }, "the full loss, whatever the batch")
      var inBatch = 0
      for (k, entry) in entries.enumerated() {
        let g = gradient[entry.row + entry.column * 3]
        guard g != 0 else { continue }
        inBatch += 1
        chosen[k] += 1
        #expect(g == Double(m) / Double(size) * -target[entry.row, entry.column], "weight m/size")
      }
      #expect(inBatch == size)
      for i in 0 ..< 9 { mean[i] += gradient[i] / Double(draws) }
    }
    // Each entry is in a batch with probability size/m = 3/7: the count is Binomial(14000, 3/7),
    // standard deviation 58.5; 5 of them bound a false alarm by 6e-7 per entry.
    for count in chosen { #expect(abs(Double(count) - Double(draws * size) / Double(m)) < 5 * 58.6) }
    // Unbiased: the mean gradient is the full one, −target on the observed entries (relative error ≤ 5 %).
    for entry in entries {
      let full = -target[entry.row, entry.column]
      #expect(abs(mean[entry.row + entry.column * 3] - full) <= 0.05 * abs(full))
    }
  }

  @Test func theBatchesAreTheSeedsAndDifferentSeedsMoveDifferently() throws {
    let a = try Trainer.train(Self.problem(Self.entries, minibatch: Minibatch(size: 2, seed: 1)))
    let again = try Trainer.train(Self.problem(Self.entries, minibatch: Minibatch(size: 2, seed: 1)))
    let other = try Trainer.train(Self.problem(Self.entries, minibatch: Minibatch(size: 2, seed: 2)))
    #expect(a.product == again.product && a.trajectory.map(\.loss) == again.trajectory.map(\.loss))
    #expect(a.product != other.product)
    // The reported loss is the full loss at each iterate (not the batch's).
    let objective = Self.problem(Self.entries, minibatch: nil).objective
    #expect(abs(objective.loss(at: a.product) - a.loss) <= 1e-14 * max(1, a.loss))
  }

  @Test func sensingBatchesWeightTheMeasurements() throws {
    // Sensing with every measurement in the batch is full-batch sensing.
    var generator = Xoshiro256StarStar(seed: 3)
    let matrices = (0 ..< 6).map { _ in Matrix(rows: 4, columns: 3, columnMajor: (0 ..< 12).map { _ in generator.nextGaussian() }) }
    let full = try Trainer.train(Self.problem(.sensing(matrices), minibatch: nil))
    let batched = try Trainer.train(Self.problem(.sensing(matrices), minibatch: Minibatch(size: 6, seed: 4)))
    #expect(abs(full.loss - batched.loss) <= 1e-12 * max(1, full.loss))
    let noisy = try Trainer.train(Self.problem(.sensing(matrices), minibatch: Minibatch(size: 2, seed: 4)))
    #expect(noisy.loss.isFinite && noisy.loss != full.loss)
  }
}
