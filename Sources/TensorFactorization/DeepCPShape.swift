public import DeepFactorization

/// A deep CP factorization: every factor vector of a CP factorization carries a chain of depth − 1
/// scalar layers, w_rⁿ = s_{r,1}ⁿ ⋯ s_{r,L−1}ⁿ · v_rⁿ, so that component r is the product of
/// K = N·L weights (N vectors and N(L − 1) scalars). Depth 1 is the CP factorization itself.
///
/// This is the component-wise form of a deep tensor factorization: each mode's factor matrix is a
/// product V·D_{L−1}⋯D_1 of a d_n × R matrix and L − 1 diagonal R × R ones. Under gradient flow every
/// weight of a component has the same ⟨w, ∇_w ℓ⟩ (the component's ⟨∇ℓ(W), W_r⟩), so their squared
/// norms differ by constants and a balanced component moves by K·γ·σ^{2−2/K}: the exponent grows
/// with the depth as it does with the order.
///
/// The parameters are one flat vector: the CP shape's factor matrices first (``CPShape``'s layout),
/// then the scalars, mode by mode, layer by layer, component by component.
public struct DeepCPShape: Sendable, Equatable, CustomStringConvertible {
  /// The underlying CP shape (dimensions and R).
  public let cp: CPShape
  /// L ≥ 1: the vector and L − 1 scalar layers per factor.
  public let depth: Int

  /// A deep CP shape of depth `depth` ≥ 1 over `cp`.
  public init(cp: CPShape, depth: Int) {
    precondition(depth >= 1, "a deep CP factorization needs depth ≥ 1, got \(depth)")
    self.cp = cp
    self.depth = depth
  }

  /// The number of weights whose product is one component, K = N·L.
  public var weightsPerComponent: Int { cp.order * depth }

  /// R·Σ dₙ vector entries and N·(L − 1)·R scalars.
  public var parameterCount: Int { cp.parameterCount + cp.order * (depth - 1) * cp.components }

  /// Where scalar layer `layer` (0-based, < depth − 1) of mode `mode` starts: R scalars, one per component.
  public func scalarOffset(mode: Int, layer: Int) -> Int {
    cp.parameterCount + (mode * (depth - 1) + layer) * cp.components
  }

  /// The CP shape's blocks (one per mode factor), then one block per mode and scalar layer.
  public var parameterLayout: ParameterLayout {
    ParameterLayout(blockSizes: cp.parameterLayout.blockSizes + [Int](repeating: cp.components, count: cp.order * (depth - 1)))
  }

  /// "4×4×4, R = 8, depth 2".
  public var description: String {
    "\(cp.dimensions.map(String.init).joined(separator: "×")), R = \(cp.components), depth \(depth)"
  }
}
