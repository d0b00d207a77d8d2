@testable import LinearAlgebra
import Testing

struct ErrorTests {
  static let poisoned: [Matrix] = [
    Matrix([[1, .nan], [0, 1]]),
    Matrix([[.infinity, 0], [0, 1]]),
    Matrix([[1, 0, 0], [0, -.infinity, 0], [0, 0, 1]]),
  ]

  @Test(arguments: poisoned)
  func nonFiniteInputIsRejectedBeforeLAPACK(matrix: Matrix) {
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgesdd")) { try matrix.svd() }
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgesdd")) { try matrix.singularValues() }
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgesdd")) { try matrix.nuclearNorm() }
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dsyevd")) { try matrix.symmetricEigen() }
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgeqrf")) { try matrix.qr() }
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dgetrf")) { try matrix.determinant() }
  }

  @Test func illegalLAPACKArgumentsThrowWithRoutineAndCode() {
    // jobz = 'X' is illegal: LAPACKE reports its argument 2 as info = −2.
    let a = Matrix([[1, 2], [3, 4]])
    #expect(throws: LinearAlgebraError.lapack(routine: "dgesdd", info: -2)) { try a.gesdd(job: "X") }
    #expect(throws: LinearAlgebraError.lapack(routine: "dsyevd", info: -2)) { try a.syevd(job: "X") }
  }

  @Test func messagesNameTheRoutineAndTheCode() {
    #expect(LinearAlgebraError.lapack(routine: "dgesdd", info: -2).description == "LAPACK dgesdd rejected argument 2 (info = -2)")
    #expect(LinearAlgebraError.lapack(routine: "dgesdd", info: 3).description == "LAPACK dgesdd failed with info = 3")
    #expect(LinearAlgebraError.nonFiniteInput(routine: "dgetrf").description.contains("dgetrf"))
  }
}
