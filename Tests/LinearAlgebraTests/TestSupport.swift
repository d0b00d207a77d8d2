import LinearAlgebra
import Testing

/// Oracles for the tests: plain loops that share no code with the BLAS path.
enum Oracle {
  static func product(_ a: Matrix, _ b: Matrix) -> Matrix {
    var result = Matrix(rows: a.rows, columns: b.columns)
    for i in 0 ..< a.rows {
      for j in 0 ..< b.columns {
        var sum = 0.0
        for k in 0 ..< a.columns { sum += a[i, k] * b[k, j] }
        result[i, j] = sum
      }
    }
    return result
  }

  static func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns)
    var worst = 0.0
    for i in 0 ..< a.rows {
      for j in 0 ..< a.columns { worst = max(worst, abs(a[i, j] - b[i, j])) }
    }
    return worst
  }

  /// ‖QᵀQ − I‖_max for a matrix with supposedly orthonormal columns.
  static func orthonormalityDefect(_ q: Matrix) -> Double {
    maxDifference(Matrix.product(q, q, transposingLeft: true), .identity(q.columns))
  }

  /// A random rows×columns matrix of rank `rank` (product of Gaussian factors).
  static func lowRank(rows: Int, columns: Int, rank: Int, seed: UInt64) -> Matrix {
    Matrix.gaussian(rows: rows, columns: rank, seed: seed) * Matrix.gaussian(rows: rank, columns: columns, seed: seed &+ 1)
  }
}

/// A named matrix shape for parameterized tests.
struct Shape: CustomTestStringConvertible, Sendable {
  let rows: Int
  let columns: Int
  let rank: Int?
  var testDescription: String { "\(rows)×\(columns)" + (rank.map { " rank \($0)" } ?? "") }

  func matrix(seed: UInt64) -> Matrix {
    if let rank { return Oracle.lowRank(rows: rows, columns: columns, rank: rank, seed: seed) }
    return Matrix.gaussian(rows: rows, columns: columns, seed: seed)
  }

  static let representative: [Shape] = [
    Shape(rows: 6, columns: 6, rank: nil),
    Shape(rows: 40, columns: 40, rank: nil),
    Shape(rows: 9, columns: 4, rank: nil),
    Shape(rows: 4, columns: 9, rank: nil),
    Shape(rows: 30, columns: 20, rank: 3),
    Shape(rows: 12, columns: 25, rank: 1),
    Shape(rows: 1, columns: 7, rank: nil),
  ]
}
