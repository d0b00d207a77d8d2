@testable import LinearAlgebra
import Testing

struct MatrixTests {
  @Test func rowInitializerIsRowByRow() {
    let a = Matrix([[1, 2, 3],
                    [4, 5, 6]])
    #expect(a.rows == 2 && a.columns == 3)
    #expect(a[0, 1] == 2)
    #expect(a[1, 0] == 4)
    // Column-major storage: the first column comes first.
    #expect(a.columnMajorElements == [1, 4, 2, 5, 3, 6])
    #expect(a.rowsOfElements == [[1, 2, 3], [4, 5, 6]])
    #expect(a.row(1) == [4, 5, 6])
    #expect(a.column(2) == [3, 6])
  }

  @Test func rowInitializerRoundTripsThroughProducts() {
    // A silent transpose would turn [[0, 1], [0, 0]] · e₂ = e₁ into e₂.
    let shift = Matrix([[0, 1], [0, 0]])
    #expect(shift.applied(to: [0, 1]) == [1, 0])
    #expect(shift * Matrix([[0], [1]]) == Matrix([[1], [0]]))
  }

  @Test func transposeSwapsIndices() {
    let a = Matrix.gaussian(rows: 5, columns: 3, seed: 1)
    let t = a.transposed()
    #expect(t.rows == 3 && t.columns == 5)
    for i in 0 ..< 5 {
      for j in 0 ..< 3 { #expect(t[j, i] == a[i, j]) }
    }
    #expect(t.transposed() == a)
  }

  @Test func constructors() {
    #expect(Matrix.zeros(2, 3).columnMajorElements == [0, 0, 0, 0, 0, 0])
    #expect(Matrix.identity(3) == Matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
    #expect(Matrix.diagonal([2, 3]) == Matrix([[2, 0], [0, 3]]))
    #expect(Matrix.diagonal([2, 3], rows: 2, columns: 3) == Matrix([[2, 0, 0], [0, 3, 0]]))
    #expect(Matrix([]).rows == 0)
  }

  @Test func copyOnWriteKeepsValueSemantics() {
    let a = Matrix([[1, 2], [3, 4]])
    var b = a
    b[0, 0] = 10
    #expect(a[0, 0] == 1)
    #expect(b[0, 0] == 10)
  }

  @Test func approximateEqualityUsesRelativeFrobeniusDistance() {
    let a = Matrix([[1, 2], [3, 4]])
    var b = a
    b[1, 1] += 1e-12
    #expect(a.isApproximatelyEqual(to: b, relativeTolerance: 1e-10))
    #expect(!a.isApproximatelyEqual(to: b, relativeTolerance: 1e-14))
    #expect(!a.isApproximatelyEqual(to: Matrix([[1, 2, 0], [3, 4, 0]])))
  }

  @Test func finiteness() {
    #expect(Matrix([[1, 2]]).isFinite)
    #expect(!Matrix([[1, .nan]]).isFinite)
    #expect(!Matrix([[-.infinity, 0]]).isFinite)
  }
}
