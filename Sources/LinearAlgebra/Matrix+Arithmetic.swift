internal import CLinearAlgebra

extension Matrix {
  @inline(__always)
  internal func requireSameShape(_ other: Matrix, _ operation: String) {
    precondition(
      rows == other.rows && columns == other.columns,
      "\(operation) of a \(rows)×\(columns) and a \(other.rows)×\(other.columns) matrix")
  }

  /// Elementwise sum.
  public static func + (a: Matrix, b: Matrix) -> Matrix {
    var result = a
    result.axpy(1, b)
    return result
  }

  /// Elementwise difference.
  public static func - (a: Matrix, b: Matrix) -> Matrix {
    var result = a
    result.axpy(-1, b)
    return result
  }

  /// The negation.
  public static prefix func - (a: Matrix) -> Matrix {
    a * -1
  }

  /// Every element times `scalar`.
  public static func * (a: Matrix, scalar: Double) -> Matrix {
    var result = a
    result.scale(by: scalar)
    return result
  }

  /// Every element times `scalar`.
  public static func * (scalar: Double, a: Matrix) -> Matrix {
    a * scalar
  }

  /// Every element divided by `scalar`.
  public static func / (a: Matrix, scalar: Double) -> Matrix {
    a * (1 / scalar)
  }

  /// In place: `self += b`.
  public static func += (a: inout Matrix, b: Matrix) {
    a.axpy(1, b)
  }

  /// In place: `self −= b`.
  public static func -= (a: inout Matrix, b: Matrix) {
    a.axpy(-1, b)
  }

  /// In place: every element times `scalar` (`cblas_dscal`).
  public mutating func scale(by scalar: Double) {
    guard count > 0 else { return }
    OpenBLAS.ensureConfigured()
    let n = Int32(count)
    storage.withUnsafeMutableBufferPointer { p in
      cblas_dscal(n, scalar, p.baseAddress, 1)
    }
  }

  /// In place: `self += alpha · x` (`cblas_daxpy`).
  public mutating func axpy(_ alpha: Double, _ x: Matrix) {
    requireSameShape(x, "axpy")
    guard count > 0 else { return }
    OpenBLAS.ensureConfigured()
    let n = Int32(count)
    x.storage.withUnsafeBufferPointer { px in
      storage.withUnsafeMutableBufferPointer { py in
        cblas_daxpy(n, alpha, px.baseAddress, 1, py.baseAddress, 1)
      }
    }
  }

  /// The Hadamard (elementwise) product.
  public func hadamard(_ other: Matrix) -> Matrix {
    requireSameShape(other, "Hadamard product")
    var result = self
    result.storage.withUnsafeMutableBufferPointer { r in
      other.storage.withUnsafeBufferPointer { o in
        for i in 0 ..< r.count { r[i] *= o[i] }
      }
    }
    return result
  }

  /// The Frobenius inner product ⟨a, b⟩ = Σᵢⱼ aᵢⱼ bᵢⱼ = tr(aᵀb) (`cblas_ddot`).
  public static func frobeniusInner(_ a: Matrix, _ b: Matrix) -> Double {
    a.requireSameShape(b, "Frobenius inner product")
    guard a.count > 0 else { return 0 }
    OpenBLAS.ensureConfigured()
    return a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        cblas_ddot(Int32(a.count), pa.baseAddress, 1, pb.baseAddress, 1)
      }
    }
  }

  /// The sum of the diagonal.
  ///
  /// - Precondition: the matrix is square.
  public var trace: Double {
    precondition(isSquare, "trace of a non-square \(rows)×\(columns) matrix")
    var sum = 0.0
    for i in 0 ..< rows { sum += storage[i + i * rows] }
    return sum
  }
}
