public import LinearAlgebra

/// The commuting-measurement baseline: with diagonal measurement matrices Aᵢ = diag(aᵢ) and a
/// positive semidefinite diagonal X = diag(x), minimum nuclear norm is the linear program
/// min Σⱼ xⱼ subject to ⟨aᵢ, x⟩ = yᵢ, x ≥ 0 — the minimum-ℓ1 nonnegative solution. This is where
/// Gunasekar et al. proved their conjecture and Arora et al. showed every depth N ≥ 2 agrees.
public enum CommutingSensing {
  /// The diagonal minimiser, solved exactly by simplex; nil if no nonnegative diagonal fits.
  ///
  /// - Precondition: every measurement matrix is square and diagonal.
  public static func minimumNuclearNorm(matrices: [Matrix], measurements: [Double]) -> Matrix? {
    precondition(!matrices.isEmpty, "at least one measurement")
    let d = matrices[0].rows
    for (i, a) in matrices.enumerated() {
      precondition(a.rows == d && a.columns == d, "measurement \(i) is \(a.rows)×\(a.columns), expected \(d)×\(d)")
      for r in 0 ..< d {
        for c in 0 ..< d where r != c { precondition(a[r, c] == 0, "measurement \(i) is not diagonal at (\(r), \(c))") }
      }
    }
    let program = LinearProgram(
      cost: [Double](repeating: 1, count: d),
      constraints: matrices.map { a in (0 ..< d).map { a[$0, $0] } },
      rightHandSide: measurements)
    guard case .optimal(let x, _) = program.solve() else { return nil }
    return Matrix.diagonal(x)
  }
}

/// How far a trained end-to-end matrix is from a baseline, and their norms side by side.
public struct BaselineComparison: Sendable, Equatable {
  /// ‖W − X‖_F / ‖X‖_F (absolute ‖W − X‖_F when X = 0).
  public var relativeDistance: Double
  /// The Schatten-p norms of W, for each requested p.
  public var trainedNorms: [Double]
  /// The Schatten-p norms of the baseline X.
  public var baselineNorms: [Double]
  /// The p values.
  public var ps: [Double]

  /// Compares W (trained) with X (baseline) in the Schatten-p norms `ps` (default: 2/3, 1, 2, ∞).
  public init(trained w: Matrix, baseline x: Matrix, ps: [Double] = [2.0 / 3, 1, 2, .infinity]) throws(LinearAlgebraError) {
    let distance = (w - x).frobeniusNorm, scale = x.frobeniusNorm
    relativeDistance = scale > 0 ? distance / scale : distance
    let sw = try w.singularValues(), sx = try x.singularValues()
    trainedNorms = ps.map { SpectralFunctions.schattenNorm(sw, p: $0) }
    baselineNorms = ps.map { SpectralFunctions.schattenNorm(sx, p: $0) }
    self.ps = ps
  }
}
