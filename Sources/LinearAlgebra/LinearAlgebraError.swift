/// An error from a decomposition: LAPACK reported failure, or the input could not be handed to it.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A LAPACK routine returned `info ≠ 0`. Negative: argument number −info was illegal (LAPACKE's
  /// numbering); positive: the routine's own failure (e.g. no convergence).
  case lapack(routine: String, info: Int32)
  /// A NaN or an infinity was handed to `routine`; LAPACK was not called.
  case nonFiniteInput(routine: String)
  /// A symmetric routine was handed a matrix whose relative asymmetry ‖A − Aᵀ‖_F / ‖A‖_F exceeds the tolerance.
  case notSymmetric(routine: String, relativeAsymmetry: Double)
  /// A routine that needs a positive semidefinite matrix found an eigenvalue below −tolerance.
  case notPositiveSemidefinite(smallestEigenvalue: Double, tolerance: Double)

  /// A one-line message naming what went wrong.
  public var description: String {
    switch self {
    case .lapack(let routine, let info) where info < 0:
      return "LAPACK \(routine) rejected argument \(-info) (info = \(info))"
    case .lapack(let routine, let info):
      return "LAPACK \(routine) failed with info = \(info)"
    case .nonFiniteInput(let routine):
      return "\(routine): the matrix contains NaN or infinity"
    case .notSymmetric(let routine, let asymmetry):
      return "\(routine): the matrix is not symmetric (‖A − Aᵀ‖_F/‖A‖_F = \(asymmetry))"
    case .notPositiveSemidefinite(let smallest, let tolerance):
      return "matrix is not positive semidefinite: smallest eigenvalue \(smallest) < −\(tolerance)"
    }
  }
}
