internal import CLinearAlgebra

extension Matrix {
  /// The Frobenius norm √(Σᵢⱼ aᵢⱼ²), computed without overflow (`cblas_dnrm2`).
  public var frobeniusNorm: Double {
    guard count > 0 else { return 0 }
    OpenBLAS.ensureConfigured()
    return storage.withUnsafeBufferPointer { cblas_dnrm2(Int32(count), $0.baseAddress, 1) }
  }

  /// The largest entry in absolute value (the max norm); NaN if any entry is NaN.
  public var maxAbsoluteElement: Double {
    var result = 0.0
    for x in storage {
      if x.isNaN { return .nan }
      result = Swift.max(result, abs(x))
    }
    return result
  }

  /// The spectral norm σ_max (operator 2-norm).
  public func spectralNorm() throws(LinearAlgebraError) -> Double {
    try singularValues().first ?? 0
  }

  /// The nuclear norm Σ σᵢ (trace norm, Schatten-1).
  public func nuclearNorm() throws(LinearAlgebraError) -> Double {
    SpectralFunctions.nuclearNorm(try singularValues())
  }

  /// The Schatten-p norm (Σ σᵢᵖ)^{1/p} for every p > 0 (a quasi-norm for p < 1; `.infinity` is σ_max).
  ///
  /// See ``SpectralFunctions/schattenNorm(_:p:)``.
  public func schattenNorm(p: Double) throws(LinearAlgebraError) -> Double {
    SpectralFunctions.schattenNorm(try singularValues(), p: p)
  }

  /// The effective rank of Roy & Vetterli; see ``SpectralFunctions/effectiveRank(_:)``.
  public func effectiveRank() throws(LinearAlgebraError) -> Double {
    SpectralFunctions.effectiveRank(try singularValues())
  }

  /// The number of singular values above `tolerance`, by default max(m, n) · ε · σ_max.
  public func numericalRank(tolerance: Double? = nil) throws(LinearAlgebraError) -> Int {
    let sigma = try singularValues()
    let tol = tolerance ?? SpectralFunctions.defaultRankTolerance(sigma, rows: rows, columns: columns)
    return SpectralFunctions.numericalRank(sigma, tolerance: tol)
  }
}
