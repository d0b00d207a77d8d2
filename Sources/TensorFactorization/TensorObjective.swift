public import DeepFactorization

/// What a CP factorization is fitted to: a target tensor seen at some entries (completion) or at all
/// of them, with a half-sum or mean squared loss over the seen entries.
public struct TensorObjective: Sendable, Equatable {
  /// The target tensor (its unseen entries are only used to measure reconstruction error).
  public var target: Tensor
  /// The observed entries' linear indices (every entry when nil), in a fixed order.
  public var observed: [Int]?
  /// ½Σ r² or (1/m)Σ r² over the observed residuals r.
  public var reduction: LossReduction

  /// A completion (or, with `observed` nil, full) objective.
  public init(target: Tensor, observed: [Int]?, reduction: LossReduction) {
    precondition(observed?.allSatisfy { target.entries.indices.contains($0) } ?? true, "an observed index lies outside the tensor")
    self.target = target
    self.observed = observed
    self.reduction = reduction
  }

  /// The observed linear indices.
  public var observedIndices: [Int] { observed ?? Array(target.entries.indices) }

  /// The loss and gradient factors c_ℓ, c_g: ℓ = c_ℓ Σ r², ∂ℓ/∂W_i = c_g r_i.
  var scales: (loss: Double, gradient: Double) { reduction.scales(observations: observedIndices.count) }

  /// The memoriser's reconstruction error (the observed entries kept, zeros elsewhere): the
  /// unobserved part's norm over ‖target‖_F, Razin & Cohen's "linear" baseline.
  public var memoriserError: Double {
    var seen = [Bool](repeating: false, count: target.entries.count)
    for i in observedIndices { seen[i] = true }
    var unseen = 0.0
    for (i, v) in target.entries.enumerated() where !seen[i] { unseen += v * v }
    return unseen.squareRoot() / target.frobeniusNorm
  }
}
