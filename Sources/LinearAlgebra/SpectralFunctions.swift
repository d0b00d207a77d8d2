import RealModule

/// Norms and ranks as functions of singular values, so one SVD can serve many of them.
///
/// Every function takes the singular values of a matrix (any order, all ≥ 0). The ``Matrix``
/// methods of the same names compute the SVD and call these.
public enum SpectralFunctions {
  /// The Schatten-p norm (Σ σᵢᵖ)^{1/p} for p > 0; a quasi-norm for p < 1; `.infinity` gives σ_max.
  ///
  /// Computed as σ_max · (Σ (σᵢ/σ_max)ᵖ)^{1/p}, which neither overflows for large p nor underflows
  /// for small σ. p = 1 is the nuclear norm, p = 2 the Frobenius norm, p → ∞ the spectral norm.
  public static func schattenNorm(_ singularValues: [Double], p: Double) -> Double {
    precondition(p > 0, "the Schatten-p norm needs p > 0, got \(p)")
    let largest = singularValues.max() ?? 0
    guard largest > 0 else { return 0 }
    if p == .infinity { return largest }
    var sum = 0.0
    for sigma in singularValues where sigma > 0 {
      sum += Double.pow(sigma / largest, p)
    }
    return largest * Double.pow(sum, 1 / p)
  }

  /// The nuclear norm Σ σᵢ.
  public static func nuclearNorm(_ singularValues: [Double]) -> Double {
    singularValues.reduce(0, +)
  }

  /// The effective rank of Roy & Vetterli (2007): exp(−Σ pᵢ log pᵢ) with pᵢ = σᵢ / Σⱼ σⱼ.
  ///
  /// Singular values are normalised by their sum (not squared); zero singular values are dropped
  /// (0 · log 0 = 0). It lies in [1, number of non-zero σ]: d for the d×d identity, 1 for rank one.
  /// The zero matrix has no spectrum to normalise and gets effective rank 0.
  public static func effectiveRank(_ singularValues: [Double]) -> Double {
    let total = singularValues.reduce(0, +)
    guard total > 0 else { return 0 }
    var entropy = 0.0
    for sigma in singularValues where sigma > 0 {
      let p = sigma / total
      entropy -= p * Double.log(p)
    }
    return Double.exp(entropy)
  }

  /// The default numerical-rank tolerance: max(m, n) · ε · σ_max (the convention of NumPy's matrix_rank).
  public static func defaultRankTolerance(_ singularValues: [Double], rows: Int, columns: Int) -> Double {
    Double(Swift.max(rows, columns)) * Double.ulpOfOne * (singularValues.max() ?? 0)
  }

  /// The number of singular values strictly above `tolerance`.
  public static func numericalRank(_ singularValues: [Double], tolerance: Double) -> Int {
    singularValues.count { $0 > tolerance }
  }
}
