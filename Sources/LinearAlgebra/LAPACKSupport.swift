internal import CLinearAlgebra

/// Shared plumbing of the LAPACK wrappers: argument checks before the call, `info` checks after.
internal enum LAPACKSupport {
  /// A LAPACK character argument (`jobz`, `uplo`, …).
  @inline(__always)
  static func character(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

  /// Throws ``LinearAlgebraError/nonFiniteInput(routine:)`` unless every element is finite.
  static func requireFinite(_ matrix: Matrix, routine: String) throws(LinearAlgebraError) {
    guard matrix.isFinite else { throw .nonFiniteInput(routine: routine) }
  }

  /// Throws ``LinearAlgebraError/lapack(routine:info:)`` unless `info == 0`.
  static func check(_ info: Int32, routine: String) throws(LinearAlgebraError) {
    guard info == 0 else { throw .lapack(routine: routine, info: info) }
  }

  /// A dimension as LAPACK's `lapack_int`.
  @inline(__always)
  static func int32(_ value: Int) -> Int32 {
    precondition(value <= Int(Int32.max), "dimension \(value) exceeds LAPACK's 32-bit integers")
    return Int32(value)
  }
}
