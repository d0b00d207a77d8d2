/// A dense matrix of `Double` with value semantics, stored column-major.
///
/// `Matrix` is the currency type of ImplicitBias: targets, factors W₁…W_N, end-to-end products and
/// gradients are all matrices. Element (i, j) lives at offset `i + j·rows` of the storage, which is
/// exactly what BLAS and LAPACK expect (`CblasColMajor`, `LAPACK_COL_MAJOR`, leading dimension
/// `rows`), so no call transposes behind your back.
///
/// Write matrices the way they are printed, row by row:
///
///     let w = Matrix([[0, 1],
///                     [1, 0]])     // w[0, 1] == 1
///
/// Copies are cheap until one of them is mutated (copy-on-write through `Array`). The mutating
/// in-place operations (``formProduct(_:_:transposingLeft:transposingRight:alpha:beta:)``,
/// ``axpy(_:_:)``, ``scale(by:)``) write into the existing storage and allocate nothing when the
/// matrix is uniquely referenced, which is what hot training loops rely on.
///
/// `==` is exact, element by element. For comparisons up to rounding use
/// ``isApproximatelyEqual(to:relativeTolerance:)``.
public struct Matrix: Sendable, Equatable, Hashable {
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int
  /// Column-major elements: (i, j) at `i + j * rows`.
  @usableFromInline internal var storage: [Double]

  /// A matrix with the given shape and column-major elements.
  ///
  /// - Precondition: `columnMajor.count == rows * columns`.
  public init(rows: Int, columns: Int, columnMajor: [Double]) {
    precondition(rows >= 0 && columns >= 0, "a matrix needs non-negative dimensions, got \(rows)×\(columns)")
    precondition(
      columnMajor.count == rows * columns,
      "\(rows)×\(columns) matrix needs \(rows * columns) elements, got \(columnMajor.count)")
    self.rows = rows
    self.columns = columns
    self.storage = columnMajor
  }

  /// A matrix with every element equal to `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    self.init(rows: rows, columns: columns, columnMajor: [Double](repeating: value, count: rows * columns))
  }

  /// A matrix written row by row, as matrices are printed: `Matrix([[1, 2], [3, 4]])[0, 1] == 2`.
  ///
  /// An empty array gives the 0×0 matrix.
  /// - Precondition: every row has the same length.
  public init(_ rowsOfElements: [[Double]]) {
    let rowCount = rowsOfElements.count
    let columnCount = rowsOfElements.first?.count ?? 0
    for (index, row) in rowsOfElements.enumerated() {
      precondition(
        row.count == columnCount,
        "ragged rows: row 0 has \(columnCount) elements, row \(index) has \(row.count)")
    }
    var elements = [Double](repeating: 0, count: rowCount * columnCount)
    for i in 0 ..< rowCount {
      for j in 0 ..< columnCount {
        elements[i + j * rowCount] = rowsOfElements[i][j]
      }
    }
    self.init(rows: rowCount, columns: columnCount, columnMajor: elements)
  }

  /// Internal: a matrix whose storage is written by `body` (nothing is zeroed first).
  @usableFromInline
  internal init(
    rows: Int, columns: Int,
    uninitialized body: (inout UnsafeMutableBufferPointer<Double>) throws -> Void
  ) rethrows {
    self.rows = rows
    self.columns = columns
    self.storage = try [Double](unsafeUninitializedCapacity: rows * columns) { buffer, count in
      try body(&buffer)
      count = rows * columns
    }
  }

  /// The rows×columns zero matrix.
  public static func zeros(_ rows: Int, _ columns: Int) -> Matrix {
    Matrix(rows: rows, columns: columns)
  }

  /// The n×n identity.
  public static func identity(_ n: Int) -> Matrix {
    var result = Matrix(rows: n, columns: n)
    for i in 0 ..< n { result.storage[i + i * n] = 1 }
    return result
  }

  /// A matrix with `values` on its main diagonal and zeros elsewhere.
  ///
  /// The shape defaults to square; a rectangular shape must have room for every value
  /// (`values.count <= min(rows, columns)`), and the rest of the diagonal is zero.
  public static func diagonal(_ values: [Double], rows: Int? = nil, columns: Int? = nil) -> Matrix {
    let m = rows ?? values.count
    let n = columns ?? values.count
    precondition(
      values.count <= min(m, n),
      "\(values.count) diagonal values do not fit a \(m)×\(n) matrix")
    var result = Matrix(rows: m, columns: n)
    for (i, value) in values.enumerated() { result.storage[i + i * m] = value }
    return result
  }

  /// The shape as (rows, columns).
  public var shape: (rows: Int, columns: Int) { (rows, columns) }

  /// `rows × columns`, the number of elements.
  public var count: Int { storage.count }

  /// Whether the matrix is square.
  public var isSquare: Bool { rows == columns }

  /// The elements in column-major order (a copy-on-write view of the storage).
  public var columnMajorElements: [Double] { storage }

  /// The elements row by row, the inverse of ``init(_:)``.
  public var rowsOfElements: [[Double]] {
    (0 ..< rows).map { row($0) }
  }

  /// Element (row, column).
  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index (\(row), \(column)) is outside the \(rows)×\(columns) matrix")
      return storage[row + column * rows]
    }
    set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index (\(row), \(column)) is outside the \(rows)×\(columns) matrix")
      storage[row + column * rows] = newValue
    }
  }

  /// Row `i` as an array.
  public func row(_ i: Int) -> [Double] {
    precondition(i >= 0 && i < rows, "row \(i) is outside the \(rows)×\(columns) matrix")
    return (0 ..< columns).map { storage[i + $0 * rows] }
  }

  /// Column `j` as an array.
  public func column(_ j: Int) -> [Double] {
    precondition(j >= 0 && j < columns, "column \(j) is outside the \(rows)×\(columns) matrix")
    return Array(storage[(j * rows) ..< ((j + 1) * rows)])
  }

  /// The transpose.
  public func transposed() -> Matrix {
    let m = rows, n = columns
    return storage.withUnsafeBufferPointer { source in
      Matrix(rows: n, columns: m) { target in
        for j in 0 ..< n {
          for i in 0 ..< m { target[j + i * n] = source[i + j * m] }
        }
      }
    }
  }

  /// Calls `body` with the column-major storage (leading dimension `rows`).
  @inlinable
  public func withUnsafeBufferPointer<Result>(
    _ body: (UnsafeBufferPointer<Double>) throws -> Result
  ) rethrows -> Result {
    try storage.withUnsafeBufferPointer(body)
  }

  /// Calls `body` with the mutable column-major storage; copies first if the storage is shared.
  @inlinable
  public mutating func withUnsafeMutableBufferPointer<Result>(
    _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> Result
  ) rethrows -> Result {
    try storage.withUnsafeMutableBufferPointer(body)
  }

  /// Whether every element is finite (no NaN, no infinity).
  public var isFinite: Bool {
    storage.allSatisfy(\.isFinite)
  }

  /// Whether `self` and `other` have the same shape and ‖self − other‖_F ≤ tol · max(‖self‖_F, ‖other‖_F).
  ///
  /// Reflexive and symmetric but not transitive, so it is not (and must not back) `==`. Two zero
  /// matrices are equal; a zero and a non-zero matrix are never approximately equal.
  public func isApproximatelyEqual(to other: Matrix, relativeTolerance: Double = Double.ulpOfOne.squareRoot()) -> Bool {
    guard rows == other.rows && columns == other.columns else { return false }
    let scale = Swift.max(frobeniusNorm, other.frobeniusNorm)
    return (self - other).frobeniusNorm <= relativeTolerance * scale
  }
}

extension Matrix: CustomStringConvertible {
  /// The matrix printed row by row, e.g. `[[0.0, 1.0], [1.0, 0.0]]`.
  public var description: String {
    "[" + rowsOfElements.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
  }
}
