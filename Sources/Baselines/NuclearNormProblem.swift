public import LinearAlgebra

/// What a norm-minimisation baseline must fit: observed entries of a matrix, or linear measurements.
public enum NuclearNormProblem: Sendable {
  /// Matrix completion: X_ij = target_ij on the listed zero-based (row, column) positions.
  case completion(target: Matrix, observed: [Position])
  /// Matrix sensing: ⟨Aᵢ, X⟩ = yᵢ.
  case sensing(matrices: [Matrix], measurements: [Double])

  /// A zero-based (row, column) position.
  public struct Position: Hashable, Sendable {
    /// The row.
    public var row: Int
    /// The column.
    public var column: Int

    /// The position (row, column).
    public init(_ row: Int, _ column: Int) {
      self.row = row
      self.column = column
    }
  }

  /// The shape of X.
  public var shape: (rows: Int, columns: Int) {
    switch self {
    case .completion(let target, _): (target.rows, target.columns)
    case .sensing(let matrices, _): (matrices.first?.rows ?? 0, matrices.first?.columns ?? 0)
    }
  }

  /// The largest violation of the constraints by `x`: max |X_ij − M_ij| or max |⟨Aᵢ, X⟩ − yᵢ|.
  public func constraintViolation(_ x: Matrix) -> Double {
    switch self {
    case .completion(let target, let observed):
      return observed.reduce(0) { Swift.max($0, abs(x[$1.row, $1.column] - target[$1.row, $1.column])) }
    case .sensing(let matrices, let measurements):
      return zip(matrices, measurements).reduce(0) { Swift.max($0, abs(Matrix.frobeniusInner($1.0, x) - $1.1)) }
    }
  }
}
