import DeepFactorization
import LinearAlgebra
import SeededRandom
import TensorFactorization
import Testing

/// The hierarchical tensor factorization engine against an independent implementation written here
/// from the formulas (each entry's tree evaluated node by node with explicit loops), against central
/// differences, and the rescaling identity its claims rest on.
struct HTEngineTests {
  struct Setting: Sendable, CustomStringConvertible {
    var shape: HTShape
    var observedFraction: Double?
    var reduction: LossReduction
    /// Gaussian sensing with this many measurements instead of entries.
    var sensing: Int? = nil
    var description: String {
      "\(shape) \(sensing.map { "sensing \($0)" } ?? observedFraction.map { "observed \($0)" } ?? "full") \(reduction)"
    }

    func objective(seed: UInt64) -> TensorObjective {
      let target = Tensor.randomLowRank(dimensions: shape.dimensions, rank: 2, seed: seed)
      if let sensing { return .gaussianSensing(target: target, count: sensing, seed: seed &+ 2, reduction: reduction) }
      var generator = Xoshiro256StarStar(seed: seed &+ 1)
      let observed = observedFraction.map { fraction in
        generator.sampleWithoutReplacement(Int(fraction * Double(target.entries.count)), from: target.entries.count)
      }
      return TensorObjective(target: target, observed: observed, reduction: reduction)
    }
  }

  static let settings = [
    Setting(shape: HTShape(dimensions: [3, 3, 3, 3], widths: [4, 3]), observedFraction: 0.6, reduction: .halfSum),
    Setting(shape: HTShape(dimensions: [4, 3, 2], widths: [3, 2]), observedFraction: nil, reduction: .mean),
    Setting(shape: HTShape(dimensions: [2, 3, 2, 2, 3], pattern: .half, widths: [3, 4, 2]), observedFraction: 0.5, reduction: .mean),
    Setting(shape: HTShape(dimensions: [2, 2, 3, 2, 2], poolSize: 3, widths: [3, 2]), observedFraction: 0.7, reduction: .halfSum),
    Setting(shape: HTShape(dimensions: [3, 4], widths: [5]), observedFraction: 0.5, reduction: .halfSum),
    Setting(shape: HTShape(dimensions: [2, 3, 2, 2], pattern: .half, widths: [2, 3]), observedFraction: nil, reduction: .halfSum, sensing: 9),
  ]

  /// W at every entry: each entry's tree evaluated node by node (vectors times matrices with loops).
  static func independentTensor(_ shape: HTShape, _ p: [Double]) -> [Double] {
    let cp = CPShape(dimensions: shape.dimensions, components: 1), groups = shape.groups
    return (0 ..< shape.entryCount).map { linear in
      let index = cp.multiIndex(linear)
      var z: [[Double]] = (0 ..< shape.order).map { n in
        (0 ..< shape.widths[0]).map { p[shape.offset(layer: 0, node: n) + index[n] * shape.widths[0] + $0] }
      }
      for l in 0 ..< shape.layers {
        let pooled = groups[l].map { window in (0 ..< shape.widths[l]).map { i in window.reduce(1.0) { $0 * z[$1][i] } } }
        if l + 1 == shape.layers {
          return (0 ..< shape.widths[l]).reduce(0.0) { $0 + pooled[0][$1] * p[shape.outputOffset + $1] }
        }
        let out = shape.widths[l + 1]
        z = pooled.enumerated().map { v, x in
          (0 ..< out).map { j in x.indices.reduce(0.0) { $0 + x[$1] * p[shape.offset(layer: l + 1, node: v) + $1 * out + j] } }
        }
      }
      fatalError("unreachable: the last layer returns")
    }
  }

  /// The loss from its definition: ½Σr² or (1/m)Σr² of (W − T) at the observed entries, or of ⟨Aₖ, W − T⟩.
  static func independentLoss(_ objective: TensorObjective, _ shape: HTShape, _ p: [Double]) -> Double {
    let difference = zip(independentTensor(shape, p), objective.target.entries).map { $0 - $1 }
    let residuals: [Double]
    if let a = objective.measurements {
      let size = difference.count
      residuals = stride(from: 0, to: a.count, by: size).map { start in zip(a[start ..< start + size], difference).reduce(0) { $0 + $1.0 * $1.1 } }
    } else {
      residuals = objective.observedIndices.map { difference[$0] }
    }
    let sum = residuals.reduce(0) { $0 + $1 * $1 }
    return objective.reduction == .halfSum ? sum / 2 : sum / Double(residuals.count)
  }

  static func gradient(_ engine: HTEngine, _ p: [Double]) -> (Double, [Double]) {
    var g = [Double](repeating: .nan, count: p.count)
    let loss = p.withUnsafeBufferPointer { p in g.withUnsafeMutableBufferPointer { engine.loss(at: p.baseAddress!, gradient: $0.baseAddress!) } }
    return (loss, g)
  }

  @Test("the tree, the windows and the parameter layout", arguments: [
    (HTShape(dimensions: [3, 3, 3], widths: [5, 4]), [[[0, 1], [2]], [[0, 1]]], [[[0, 1], [2]], [[0, 1, 2]]], 3 * 15 + 2 * 20 + 4),
    (HTShape(dimensions: [2, 2, 2, 2], pattern: .half, widths: [3, 2]), [[[0, 2], [1, 3]], [[0, 1]]], [[[0, 2], [1, 3]], [[0, 2, 1, 3]]], 4 * 6 + 2 * 6 + 2),
    (HTShape(dimensions: [2, 2, 2, 2, 2], pattern: .half, widths: [2, 2, 2]), [[[0, 3], [1, 4], [2]], [[0, 2], [1]], [[0, 1]]],
     [[[0, 3], [1, 4], [2]], [[0, 3, 2], [1, 4]], [[0, 3, 2, 1, 4]]], 5 * 4 + 3 * 4 + 2 * 4 + 2),
  ])
  func treeAndLayout(shape: HTShape, groups: [[[Int]]], tree: [[[Int]]], parameters: Int) {
    #expect(shape.groups == groups)
    #expect(Array(shape.modeTree.dropFirst()) == tree)
    #expect(shape.parameterCount == parameters)
    #expect(shape.parameterLayout.count == parameters)
    // Every parameter belongs to exactly one local component's vector at each layer it feeds.
    let components = shape.localComponents
    #expect(components.count == (0 ..< shape.layers).reduce(0) { $0 + groups[$1].count * shape.widths[$1] })
    #expect(components.allSatisfy { $0.order == groups[$0.layer][$0.node].count + 1 })
  }

  @Test("the end tensor and the loss match the independent implementation", arguments: settings)
  func matchesIndependentImplementation(setting: Setting) {
    let objective = setting.objective(seed: 11)
    let engine = HTEngine(shape: setting.shape, objective: objective)
    let p = HTInitialization.gaussian(std: 0.8, seed: 5).parameters(for: setting.shape)
    let expected = Self.independentTensor(setting.shape, p)
    let w = engine.tensor(at: p).entries
    let scale = expected.map(abs).max()!
    #expect(zip(w, expected).allSatisfy { abs($0 - $1) <= 1e-13 * scale })
    let (loss, _) = Self.gradient(engine, p)
    let independent = Self.independentLoss(objective, setting.shape, p)
    #expect(abs(loss - independent) <= 1e-12 * independent)
  }

  @Test("the gradient matches central differences of the independent loss", arguments: settings)
  func gradientMatchesCentralDifferences(setting: Setting) {
    let objective = setting.objective(seed: 3)
    let engine = HTEngine(shape: setting.shape, objective: objective)
    let p = HTInitialization.gaussian(std: 0.7, seed: 9).parameters(for: setting.shape)
    let (_, g) = Self.gradient(engine, p)
    let h = 1e-6
    var worst = 0.0
    for i in p.indices {
      var plus = p, minus = p
      plus[i] += h
      minus[i] -= h
      let numeric = (Self.independentLoss(objective, setting.shape, plus) - Self.independentLoss(objective, setting.shape, minus)) / (2 * h)
      worst = max(worst, abs(numeric - g[i]))
    }
    let scale = g.map(abs).max()!
    #expect(worst <= 1e-6 * scale, "worst |central difference − gradient| \(worst), max |gradient| \(scale)")
  }

  @Test("within a local component every weight vector has the same ⟨w, ∇_w ℓ⟩", arguments: settings)
  func rescalingIdentity(setting: Setting) {
    let engine = HTEngine(shape: setting.shape, objective: setting.objective(seed: 4))
    let p = HTInitialization.gaussian(std: 0.9, seed: 2).parameters(for: setting.shape)
    let (_, g) = Self.gradient(engine, p)
    var worst = 0.0, scale = 0.0
    for component in setting.shape.localComponents {
      let products = component.innerProducts(p, g)
      worst = max(worst, products.max()! - products.min()!)
      scale = max(scale, products.map(abs).max()!)
    }
    #expect(scale > 0)
    #expect(worst <= 1e-12 * scale, "largest spread \(worst) against max |⟨w, ∇⟩| \(scale)")
  }

  @Test("the random hierarchical target has the asked norm and hierarchical rank at most the widths")
  func hierarchicalTarget() throws {
    let shape = HTShape(dimensions: [3, 3, 3, 3], widths: [2, 2])
    let target = Tensor.randomHierarchical(shape: shape, norm: 5, seed: 8)
    #expect(abs(target.frobeniusNorm - 5) <= 1e-12)
    // The matricizations of the level-1 nodes (modes 0, 1 and modes 2, 3) have rank ≤ r₁ = 2; single modes ≤ r₀ = 2.
    for rows in [[0, 1], [2, 3], [0], [3]] {
      let sigma = try target.matricization(rows: rows).singularValues()
      #expect(sigma.count > 2 && sigma[2] <= 1e-12 * sigma[0], "modes \(rows): \(sigma)")
    }
    let cross = try target.matricization(rows: [0, 2]).singularValues()
    #expect(cross[2] > 1e-3 * cross[0], "modes 0, 2 are not a tree node: their matricization need not be low rank")
  }
}
