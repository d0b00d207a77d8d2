public import LinearAlgebra

/// The minimum-Frobenius-norm solution in closed form: the depth-1 limit of gradient descent from
/// zero (Arora et al.'s claim A4: depth 1 never moves what it does not observe).
public enum MinimumFrobeniusNorm {
  /// Completion: the observed entries and zeros elsewhere. Sensing: vec(X) = Aᵀ(AAᵀ)⁻¹y.
  ///
  /// - Throws: ``LinearAlgebraError`` when the sensing operator's rows are linearly dependent
  ///   (AAᵀ not positive definite).
  public static func solve(_ problem: NuclearNormProblem) throws(LinearAlgebraError) -> Matrix {
    switch problem {
    case .completion(let target, let observed):
      var x = Matrix.zeros(target.rows, target.columns)
      for p in observed { x[p.row, p.column] = target[p.row, p.column] }
      return x
    case .sensing(let matrices, let measurements):
      let (m, n) = problem.shape
      let a = SensingOperator(matrices)
      let gram = try a.gram.cholesky()
      let coefficients = try gram.solve(Matrix(rows: measurements.count, columns: 1, columnMajor: measurements))
      return a.adjoint(coefficients.columnMajorElements, rows: m, columns: n)
    }
  }
}

/// A sensing operator X ↦ (⟨Aᵢ, X⟩)ᵢ stored as a k × (rows·columns) matrix of vec(Aᵢ)ᵀ.
struct SensingOperator {
  let stacked: Matrix
  let gram: Matrix

  init(_ matrices: [Matrix]) {
    let k = matrices.count, size = (matrices.first?.rows ?? 0) * (matrices.first?.columns ?? 0)
    var stacked = Matrix.zeros(k, size)
    for (i, a) in matrices.enumerated() {
      let elements = a.columnMajorElements
      for j in 0 ..< size { stacked[i, j] = elements[j] }
    }
    self.stacked = stacked
    self.gram = Matrix.product(stacked, stacked, transposingRight: true)
  }

  /// (⟨Aᵢ, X⟩)ᵢ.
  func apply(_ x: Matrix) -> [Double] {
    stacked.applied(to: x.columnMajorElements)
  }

  /// Σ cᵢ Aᵢ as a rows×columns matrix.
  func adjoint(_ c: [Double], rows: Int, columns: Int) -> Matrix {
    let v = Matrix.product(stacked, Matrix(rows: c.count, columns: 1, columnMajor: c), transposingLeft: true)
    return Matrix(rows: rows, columns: columns, columnMajor: v.columnMajorElements)
  }
}
