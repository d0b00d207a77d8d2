public import DeepFactorization
import SeededRandom

/// What a CP factorization is fitted to: a target tensor seen at some entries (completion), at all of
/// them (full), or through linear measurements yₖ = ⟨Aₖ, target⟩ (sensing), with a half-sum or mean
/// squared loss over the residuals.
public struct TensorObjective: Sendable, Equatable {
  /// The target tensor (its unseen entries are only used to measure reconstruction error).
  public var target: Tensor
  /// The observed entries' linear indices (every entry when nil), in a fixed order; unused by sensing.
  public var observed: [Int]?
  /// The sensing tensors A₁…A_m, each flattened like ``Tensor/entries`` and laid end to end; nil for
  /// completion and full observation.
  public private(set) var measurements: [Double]?
  /// ½Σ r² or (1/m)Σ r² over the residuals r.
  public var reduction: LossReduction

  /// A completion (or, with `observed` nil, full) objective.
  public init(target: Tensor, observed: [Int]?, reduction: LossReduction) {
    precondition(observed?.allSatisfy { target.entries.indices.contains($0) } ?? true, "an observed index lies outside the tensor")
    self.target = target
    self.observed = observed
    self.measurements = nil
    self.reduction = reduction
  }

  /// A sensing objective: residuals ⟨Aₖ, W⟩ − ⟨Aₖ, target⟩ for the tensors `measurements`.
  public init(target: Tensor, measurements: [Tensor], reduction: LossReduction) {
    precondition(!measurements.isEmpty && measurements.allSatisfy { $0.dimensions == target.dimensions }, "sensing needs measurement tensors of the target's dimensions")
    self.target = target
    self.observed = nil
    self.measurements = measurements.flatMap(\.entries)
    self.reduction = reduction
  }

  /// Gaussian sensing: `count` tensors with independent N(0, 1/Π dₙ) entries drawn from `seed` (the
  /// tensor code's scaling, `torch.randn(…) / sqrt(num_entries)` in its `tensor_sensing_data_generator.py`,
  /// so that E‖Aₖ‖²_F = 1).
  public static func gaussianSensing(target: Tensor, count: Int, seed: UInt64, reduction: LossReduction) -> TensorObjective {
    var generator = Xoshiro256StarStar(seed: seed)
    let scale = 1 / Double(target.entries.count).squareRoot()
    let tensors = (0 ..< count).map { _ in
      Tensor(dimensions: target.dimensions, entries: (0 ..< target.entries.count).map { _ in scale * generator.nextGaussian() })
    }
    return TensorObjective(target: target, measurements: tensors, reduction: reduction)
  }

  /// Whether the objective is a sensing one.
  public var isSensing: Bool { measurements != nil }

  /// The number of residuals: measurements for sensing, observed entries otherwise.
  public var residualCount: Int { measurements.map { $0.count / target.entries.count } ?? observedIndices.count }

  /// The observed linear indices (every entry for full observation and for sensing).
  public var observedIndices: [Int] { observed ?? Array(target.entries.indices) }

  /// The loss and gradient factors c_ℓ, c_g: ℓ = c_ℓ Σ r², ∂ℓ/∂rₖ = c_g rₖ.
  var scales: (loss: Double, gradient: Double) { reduction.scales(observations: residualCount) }

  /// The residuals at the tensor `w`: ⟨Aₖ, w − target⟩ for sensing, (w − target)ᵢ at the observed entries otherwise.
  public func residuals(at w: Tensor) -> [Double] {
    let difference = zip(w.entries, target.entries).map { $0 - $1 }
    guard let measurements else { return observedIndices.map { difference[$0] } }
    let size = difference.count
    return (0 ..< residualCount).map { k in (0 ..< size).reduce(0) { $0 + measurements[k * size + $1] * difference[$1] } }
  }

  /// ∇ℓ(W) as a dense tensor: c_g Σₖ rₖ Aₖ for sensing, c_g·rᵢ at the observed entries otherwise.
  public func lossGradient(at w: Tensor) -> Tensor {
    let r = residuals(at: w), c = scales.gradient
    var gradient = [Double](repeating: 0, count: w.entries.count)
    if let measurements {
      for k in r.indices {
        for i in gradient.indices { gradient[i] += c * r[k] * measurements[k * gradient.count + i] }
      }
    } else {
      for (k, i) in observedIndices.enumerated() { gradient[i] = c * r[k] }
    }
    return Tensor(dimensions: w.dimensions, entries: gradient)
  }

  /// The memoriser's reconstruction error (the observed entries kept, zeros elsewhere): the
  /// unobserved part's norm over ‖target‖_F, Razin & Cohen's "linear" baseline. For sensing, which
  /// observes no entry, it is 1 (the zero tensor).
  public var memoriserError: Double {
    guard measurements == nil else { return 1 }
    var seen = [Bool](repeating: false, count: target.entries.count)
    for i in observedIndices { seen[i] = true }
    var unseen = 0.0
    for (i, v) in target.entries.enumerated() where !seen[i] { unseen += v * v }
    return unseen.squareRoot() / target.frobeniusNorm
  }
}
