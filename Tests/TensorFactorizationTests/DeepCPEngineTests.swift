import DeepFactorization
import SeededRandom
import TensorFactorization
import Testing

/// The deep CP engine (vectors times chains of scalars) against central differences, against the CP
/// engine at depth 1, and against the rescaling identity HZ1 rests on.
struct DeepCPEngineTests {
  /// Dimensions, R, depth, and whether half the entries are observed (else Gaussian sensing).
  static let settings: [([Int], Int, Int, Bool)] = [
    ([3, 4, 5], 3, 2, true), ([3, 4, 5], 2, 3, false), ([2, 3, 2, 3], 3, 4, true), ([4, 4], 2, 2, true), ([3, 3, 3], 4, 1, true),
  ]

  static func problem(_ dimensions: [Int], _ components: Int, _ depth: Int, _ completion: Bool, seed: UInt64) -> (DeepCPShape, TensorObjective, [Double]) {
    let shape = DeepCPShape(cp: CPShape(dimensions: dimensions, components: components), depth: depth)
    let target = Tensor.randomLowRank(dimensions: dimensions, rank: 2, seed: seed)
    var generator = Xoshiro256StarStar(seed: seed &+ 1)
    let objective = completion
      ? TensorObjective(target: target, observed: generator.sampleWithoutReplacement(target.entries.count / 2, from: target.entries.count), reduction: .halfSum)
      : .gaussianSensing(target: target, count: target.entries.count / 2, seed: seed &+ 2, reduction: .mean)
    let start = (0 ..< shape.parameterCount).map { _ in 0.4 * generator.nextGaussian() + (generator.nextBool() ? 0.3 : -0.3) }
    return (shape, objective, start)
  }

  static func loss(_ engine: DeepCPEngine, _ p: [Double]) -> Double {
    p.withUnsafeBufferPointer { engine.loss(at: $0.baseAddress!, gradient: nil) }
  }

  static func gradient(_ engine: DeepCPEngine, _ p: [Double]) -> (Double, [Double]) {
    var g = [Double](repeating: 0, count: p.count)
    let loss = p.withUnsafeBufferPointer { q in g.withUnsafeMutableBufferPointer { engine.loss(at: q.baseAddress!, gradient: $0.baseAddress!) } }
    return (loss, g)
  }

  @Test(arguments: settings.indices)
  func theGradientMatchesCentralDifferences(setting: Int) {
    let (dimensions, components, depth, completion) = Self.settings[setting]
    let (shape, objective, p) = Self.problem(dimensions, components, depth, completion, seed: 7)
    let engine = DeepCPEngine(shape: shape, objective: objective)
    let (loss, g) = Self.gradient(engine, p)
    let h = 1e-6
    var worst = 0.0, scale = 0.0
    for k in p.indices {
      var plus = p, minus = p
      plus[k] += h
      minus[k] -= h
      worst = max(worst, abs((Self.loss(engine, plus) - Self.loss(engine, minus)) / (2 * h) - g[k]))
      scale = max(scale, abs(g[k]))
    }
    // The difference quotient carries the loss's rounding, ε·ℓ/h ≈ 1e-10·ℓ, besides O(h²).
    #expect(worst <= 1e-6 * scale + 1e-9 * max(loss, 1), "setting \(setting): \(worst) against \(scale)")
  }

  @Test func depthOneIsTheCPEngine() {
    let (shape, objective, p) = Self.problem([3, 4, 5], 3, 1, true, seed: 3)
    #expect(shape.parameterCount == shape.cp.parameterCount)
    let deep = DeepCPEngine(shape: shape, objective: objective), cp = CPEngine(shape: shape.cp, objective: objective)
    let (deepLoss, deepGradient) = Self.gradient(deep, p)
    var cpGradient = [Double](repeating: 0, count: p.count)
    let cpLoss = p.withUnsafeBufferPointer { q in cpGradient.withUnsafeMutableBufferPointer { cp.loss(at: q.baseAddress!, gradient: $0.baseAddress!) } }
    #expect(deepLoss == cpLoss && deepGradient == cpGradient)
  }

  /// Every weight w of component r has ⟨w, ∇_w ℓ⟩ = ⟨∇ℓ(W), W_r⟩: the K values agree.
  @Test(arguments: settings.indices)
  func everyWeightOfAComponentHasTheSameRescalingDerivative(setting: Int) {
    let (dimensions, components, depth, completion) = Self.settings[setting]
    let (shape, objective, p) = Self.problem(dimensions, components, depth, completion, seed: 11)
    let engine = DeepCPEngine(shape: shape, objective: objective)
    let (_, g) = Self.gradient(engine, p)
    let cp = shape.cp
    for r in 0 ..< cp.components {
      var values: [Double] = []
      for n in 0 ..< cp.order {
        values.append((0 ..< cp.dimensions[n]).reduce(0) { sum, i in
          let k = cp.offset(ofMode: n) + i * cp.components + r
          return sum + p[k] * g[k]
        })
        for l in 0 ..< depth - 1 {
          let k = shape.scalarOffset(mode: n, layer: l) + r
          values.append(p[k] * g[k])
        }
      }
      #expect(values.count == shape.weightsPerComponent)
      let spread = (values.max() ?? 0) - (values.min() ?? 0), size = values.map(abs).max() ?? 0
      #expect(spread <= 1e-12 * max(size, 1e-300), "component \(r): \(values)")
    }
  }

  @Test func aBalancedStartHasEqualWeightNormsAndComponentNormWeightToTheK() {
    let shape = DeepCPShape(cp: CPShape(dimensions: [4, 3, 5], components: 3), depth: 3)
    let start = DeepCPProblem.balancedStart(shape: shape, weightNorm: 0.6, seed: 5)
    let engine = DeepCPEngine(shape: shape, objective: TensorObjective(target: Tensor.randomLowRank(dimensions: [4, 3, 5], rank: 1, seed: 1), observed: nil, reduction: .halfSum))
    for r in 0 ..< 3 {
      for norm in engine.weightNorms(at: start, component: r) { #expect(abs(norm - 0.6) <= 1e-15) }
    }
    let expected = (0 ..< 9).reduce(1.0) { product, _ in product * 0.6 }
    for norm in engine.componentNorms(at: start) { #expect(abs(norm - expected) <= 1e-14 * expected) }
  }
}
