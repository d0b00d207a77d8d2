import DeepFactorization
import SeededRandom
import TensorFactorization
import Testing

/// The CP engine against central differences and against an independent implementation of the
/// update written here from the formulas (W_i = Σ_r Π_n Aⁿ[iₙ, r], ∂ℓ/∂Aⁿ[j, r] = Σ_{i: iₙ = j} c·r_i·Π_{m≠n} Aᵐ[i_m, r]).
struct CPEngineTests {
  struct Setting: Sendable, CustomStringConvertible {
    var dimensions: [Int]
    var components: Int
    var observedFraction: Double?
    var reduction: LossReduction
    /// Gaussian sensing with this many measurements instead of entries.
    var sensing: Int? = nil
    var description: String {
      "\(dimensions) R=\(components) \(sensing.map { "sensing \($0)" } ?? observedFraction.map { "observed \($0)" } ?? "full") \(reduction)"
    }

    func objective(seed: UInt64) -> TensorObjective {
      let target = Tensor.randomLowRank(dimensions: dimensions, rank: 2, seed: seed)
      if let sensing { return .gaussianSensing(target: target, count: sensing, seed: seed &+ 2, reduction: reduction) }
      var generator = Xoshiro256StarStar(seed: seed &+ 1)
      let observed = observedFraction.map { fraction in
        generator.sampleWithoutReplacement(Int(fraction * Double(target.entries.count)), from: target.entries.count)
      }
      return TensorObjective(target: target, observed: observed, reduction: reduction)
    }
  }

  static let settings = [
    Setting(dimensions: [3, 4, 5], components: 4, observedFraction: 0.5, reduction: .halfSum),
    Setting(dimensions: [3, 4, 5], components: 4, observedFraction: nil, reduction: .mean),
    Setting(dimensions: [3, 2, 3, 4], components: 3, observedFraction: 0.4, reduction: .mean),
    Setting(dimensions: [3, 2, 3, 4], components: 5, observedFraction: nil, reduction: .halfSum),
    Setting(dimensions: [4, 4], components: 2, observedFraction: 0.6, reduction: .halfSum),
    Setting(dimensions: [3, 4, 2], components: 3, observedFraction: nil, reduction: .mean, sensing: 10),
    Setting(dimensions: [2, 3, 2, 3], components: 4, observedFraction: nil, reduction: .halfSum, sensing: 7),
  ]

  /// W at every entry, from nested products.
  static func independentTensor(shape: CPShape, _ p: [Double]) -> [Double] {
    (0 ..< shape.entryCount).map { linear in
      let index = shape.multiIndex(linear)
      return (0 ..< shape.components).reduce(0.0) { sum, r in
        sum + (0 ..< shape.order).reduce(1.0) { $0 * p[shape.offset(ofMode: $1) + index[$1] * shape.components + r] }
      }
    }
  }

  /// The residuals from their definition: (W − T) at the observed entries, or ⟨Aₖ, W − T⟩.
  static func independentResiduals(_ objective: TensorObjective, shape: CPShape, _ p: [Double]) -> [Double] {
    let difference = zip(independentTensor(shape: shape, p), objective.target.entries).map { $0 - $1 }
    guard let a = objective.measurements else { return objective.observedIndices.map { difference[$0] } }
    let size = difference.count
    return stride(from: 0, to: a.count, by: size).map { start in zip(a[start ..< start + size], difference).reduce(0) { $0 + $1.0 * $1.1 } }
  }

  /// The loss, written from the definition with nested products.
  static func independentLoss(_ objective: TensorObjective, shape: CPShape, _ p: [Double]) -> Double {
    let residuals = independentResiduals(objective, shape: shape, p)
    let sum = residuals.reduce(0) { $0 + $1 * $1 }
    return objective.reduction == .halfSum ? 0.5 * sum : sum / Double(residuals.count)
  }

  /// The gradient, from ∂ℓ/∂Aⁿ[iₙ, r] = c·r_i·Π_{m≠n} Aᵐ[i_m, r], with the product taken over m ≠ n directly.
  /// For sensing, ∂ℓ/∂W_i = c·Σₖ rₖ·Aₖ[i] replaces c·r_i, over every entry.
  static func independentGradient(_ objective: TensorObjective, shape: CPShape, _ p: [Double]) -> [Double] {
    let residuals = independentResiduals(objective, shape: shape, p)
    let c = objective.reduction == .halfSum ? 1.0 : 2.0 / Double(residuals.count)
    var weights = [Double](repeating: 0, count: shape.entryCount)
    if let a = objective.measurements {
      for i in weights.indices { weights[i] = c * residuals.indices.reduce(0) { $0 + residuals[$1] * a[$1 * shape.entryCount + i] } }
    } else {
      for (k, linear) in objective.observedIndices.enumerated() { weights[linear] = c * residuals[k] }
    }
    var gradient = [Double](repeating: 0, count: p.count)
    func at(_ n: Int, _ i: Int, _ r: Int) -> Int { shape.offset(ofMode: n) + i * shape.components + r }
    for linear in 0 ..< shape.entryCount where weights[linear] != 0 {
      let index = shape.multiIndex(linear)
      for n in 0 ..< shape.order {
        for r in 0 ..< shape.components {
          let others = (0 ..< shape.order).filter { $0 != n }.reduce(1.0) { $0 * p[at($1, index[$1], r)] }
          gradient[at(n, index[n], r)] += weights[linear] * others
        }
      }
    }
    return gradient
  }

  static func engineLoss(_ engine: CPEngine, _ p: [Double], gradient: inout [Double]) -> Double {
    p.withUnsafeBufferPointer { pp in gradient.withUnsafeMutableBufferPointer { g in engine.loss(at: pp.baseAddress!, gradient: g.baseAddress!) } }
  }

  /// The setting's objective (from `seed`), its shape, the engine, and Gaussian parameters of std `std`.
  static func fixture(_ setting: Setting, seed: UInt64, std: Double, parameterSeed: UInt64) -> (TensorObjective, CPShape, CPEngine, [Double]) {
    let objective = setting.objective(seed: seed)
    let shape = CPShape(dimensions: setting.dimensions, components: setting.components)
    return (objective, shape, CPEngine(shape: shape, objective: objective), CPInitialization.gaussian(std: std, seed: parameterSeed).parameters(for: shape))
  }

  @Test(arguments: settings)
  func gradientMatchesCentralDifferences(setting: Setting) {
    let (_, _, engine, p) = Self.fixture(setting, seed: 3, std: 0.5, parameterSeed: 9)
    var gradient = [Double](repeating: 0, count: p.count), scratch = gradient
    _ = Self.engineLoss(engine, p, gradient: &gradient)
    let h = 1e-6
    var worst = 0.0, scale = 0.0
    for k in p.indices {
      var plus = p, minus = p
      plus[k] += h
      minus[k] -= h
      let difference = (Self.engineLoss(engine, plus, gradient: &scratch) - Self.engineLoss(engine, minus, gradient: &scratch)) / (2 * h)
      worst = max(worst, abs(difference - gradient[k]))
      scale = max(scale, abs(gradient[k]))
    }
    #expect(worst <= 1e-7 * max(scale, 1), "\(setting): central differences differ by \(worst) (gradient scale \(scale))")
  }

  @Test(arguments: settings)
  func lossAndGradientMatchAnIndependentImplementation(setting: Setting) {
    let (objective, shape, engine, p) = Self.fixture(setting, seed: 5, std: 0.7, parameterSeed: 2)
    var gradient = [Double](repeating: 0, count: p.count)
    let loss = Self.engineLoss(engine, p, gradient: &gradient)
    let expected = Self.independentGradient(objective, shape: shape, p)
    #expect(abs(loss - Self.independentLoss(objective, shape: shape, p)) <= 1e-12 * loss)
    let scale = expected.map(abs).max() ?? 1
    #expect(zip(gradient, expected).allSatisfy { abs($0 - $1) <= 1e-12 * scale })
  }

  @Test func gradientDescentStepsMatchTheIndependentUpdate() {
    // 50 GD steps through the trainer against 50 steps of the independent gradient: 1e-9 relative.
    let setting = Self.settings[2]
    let objective = setting.objective(seed: 11)
    let shape = CPShape(dimensions: setting.dimensions, components: setting.components)
    let start = CPInitialization.balanced(norm: 0.6, seed: 4).parameters(for: shape)
    let result = CPTrainer.train(CPProblem(
      shape: shape, objective: objective, initialization: .parameters(start), optimizer: .gradientDescent(GradientDescent(learningRate: 0.05)),
      stop: StopRule(maxSteps: 50), recording: .everySteps(50)))
    var p = start
    for _ in 0 ..< 50 {
      let g = Self.independentGradient(objective, shape: shape, p)
      for k in p.indices { p[k] -= 0.05 * g[k] }
    }
    let difference = zip(result.parameters, p).map { abs($0 - $1) }.max() ?? .nan
    #expect(result.status == .maxSteps && result.steps == 50)
    #expect(difference <= 1e-9 * (p.map(abs).max() ?? 1), "largest difference \(difference)")
  }

  @Test func balancedComponentsHaveEqualFactorNorms() {
    let shape = CPShape(dimensions: [3, 5, 4], components: 6)
    let p = CPInitialization.balanced(norm: 0.1, seed: 1).parameters(for: shape)
    let engine = CPEngine(shape: shape, objective: TensorObjective(target: Tensor.randomLowRank(dimensions: [3, 5, 4], rank: 1, seed: 1), observed: nil, reduction: .halfSum))
    for c in 0 ..< 6 {
      #expect(engine.factorNorms(at: p, component: c).allSatisfy { abs($0 - 0.1) < 1e-15 })
    }
    #expect(engine.componentNorms(at: p).allSatisfy { abs($0 - 1e-3) < 1e-15 })
  }

  @Test func theMemoriserKeepsOnlyTheObservedEntries() {
    let target = Tensor(dimensions: [2, 2], entries: [3, 0, 0, 4])
    #expect(TensorObjective(target: target, observed: [0], reduction: .halfSum).memoriserError == 0.8)
    #expect(TensorObjective(target: target, observed: nil, reduction: .halfSum).memoriserError == 0)
  }

  /// A rank-1 3×3×3 target fitted with R = 2 from a Gaussian start of `std`, by `method`.
  static func smallRun(std: Double, _ method: TrainingMethod, stop: StopRule, recording: RecordingSchedule) -> CPTrainingResult {
    let shape = CPShape(dimensions: [3, 3, 3], components: 2)
    let objective = TensorObjective(target: Tensor.randomLowRank(dimensions: [3, 3, 3], rank: 1, seed: 2), observed: nil, reduction: .halfSum)
    return CPTrainer.train(CPProblem(
      shape: shape, objective: objective, initialization: .gaussian(std: std, seed: 1), method: method, stop: stop, recording: recording))
  }

  @Test func aDivergingRunIsReportedNotCrashed() {
    let result = Self.smallRun(
      std: 3, .descent(.gradientDescent(GradientDescent(learningRate: 10))), stop: StopRule(maxSteps: 1000), recording: .everySteps(100))
    #expect(result.status == .diverged)
  }

  /// CP runs go through the matrix trainer's driver: the same record points (multiples of the
  /// schedule, then the final state) and no flow time on a descent trajectory, the first point included.
  @Test func aCPRunRecordsByTheDriversSchedule() {
    let result = Self.smallRun(
      std: 0.3, .descent(.gradientDescent(GradientDescent(learningRate: 0.05))), stop: StopRule(maxSteps: 250), recording: .everySteps(100))
    #expect(result.status == .maxSteps && result.steps == 250)
    #expect(result.trajectory.map(\.step) == [0, 100, 200, 250])
    #expect(result.trajectory.allSatisfy { $0.time == nil })
    let flow = Self.smallRun(std: 0.3, .gradientFlow(relativeTolerance: 1e-8), stop: StopRule(maxTime: 3), recording: .everyTime(1))
    #expect(flow.status == .maxTime && flow.time == 3)
    #expect(flow.trajectory.compactMap(\.time) == [0, 1, 2, 3])
  }
}
