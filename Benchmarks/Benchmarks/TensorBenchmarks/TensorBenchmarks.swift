import Benchmark
import DeepFactorization
import SeededRandom
import TensorFactorization

// One GD step of CP tensor completion (update, then loss and gradient at the new point: what
// CPTrainer's loop does), at the two sizes; `peers/numpy_cp_step.py` times the same update
// in numpy on the same sizes (issue "tensor": at least 3× faster than numpy at both).

final class CPStepFixture {
  let engine: CPEngine
  var parameters: [Double]
  var gradient: [Double]
  var optimizer = GradientDescent(learningRate: 1e-6)

  init(dimensions: [Int], components: Int, observed: Int, seed: UInt64) {
    let target = Tensor.randomLowRank(dimensions: dimensions, rank: 1, seed: seed)
    var generator = Xoshiro256StarStar(seed: seed &+ 1)
    let shape = CPShape(dimensions: dimensions, components: components)
    engine = CPEngine(shape: shape, objective: TensorObjective(
      target: target, observed: generator.sampleWithoutReplacement(observed, from: target.entries.count), reduction: .mean))
    parameters = CPInitialization.gaussian(std: 0.1, seed: seed).parameters(for: shape)
    gradient = [Double](repeating: 0, count: parameters.count)
  }

  func run(steps: Int) -> Double {
    var loss = 0.0
    let count = parameters.count
    parameters.withUnsafeMutableBufferPointer { p in
      gradient.withUnsafeMutableBufferPointer { g in
        for t in 1 ... steps {
          optimizer.update(parameters: p.baseAddress!, gradients: UnsafePointer(g.baseAddress!), count: count, step: t)
          loss = engine.loss(at: UnsafePointer(p.baseAddress!), gradient: g.baseAddress!)
        }
      }
    }
    return loss
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal], warmupIterations: 3, scalingFactor: .one,
    maxDuration: .seconds(3), maxIterations: 5000)

  for (dimensions, components, observed) in [([8, 8, 8], 64, 200), ([10, 10, 10, 10], 1000, 2000)] {
    let name = "cp step order \(dimensions.count) d=\(dimensions[0]) R=\(components) m=\(observed) gd"
    Benchmark(name) { benchmark in
      let fixture = CPStepFixture(dimensions: dimensions, components: components, observed: observed, seed: 1)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { blackHole(fixture.run(steps: 1)) }
    }
  }
}
