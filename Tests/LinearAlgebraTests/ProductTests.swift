import LinearAlgebra
import Testing

struct ProductTests {
  @Test func handComputedProduct() {
    let a = Matrix([[1, 2], [3, 4]])
    let b = Matrix([[5, 6], [7, 8]])
    #expect(a * b == Matrix([[19, 22], [43, 50]]))
  }

  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func transposedOperandsAgreeWithExplicitTransposes(transposeA: Bool, transposeB: Bool) {
    let a0 = Matrix.gaussian(rows: 7, columns: 5, seed: 1)
    let b0 = Matrix.gaussian(rows: 5, columns: 4, seed: 2)
    let a = transposeA ? a0.transposed() : a0
    let b = transposeB ? b0.transposed() : b0
    let product = Matrix.product(a, b, transposingLeft: transposeA, transposingRight: transposeB)
    #expect(Oracle.maxDifference(product, Oracle.product(a0, b0)) < 1e-13)
  }

  @Test func inPlaceFormAccumulatesWithAlphaAndBeta() {
    let a = Matrix.gaussian(rows: 6, columns: 3, seed: 3)
    let b = Matrix.gaussian(rows: 3, columns: 6, seed: 4)
    let c0 = Matrix.gaussian(rows: 6, columns: 6, seed: 5)
    var c = c0
    c.formProduct(a, b, alpha: 2, beta: -0.5)
    let expected = 2 * Oracle.product(a, b) - 0.5 * c0
    #expect(Oracle.maxDifference(c, expected) < 1e-13)
  }

  @Test func betaZeroIgnoresGarbageInTheDestination() {
    let a = Matrix([[1, 0], [0, 1]])
    var c = Matrix(rows: 2, columns: 2, repeating: .nan)
    c.formProduct(a, a)
    #expect(c == .identity(2))
  }

  @Test func emptyInnerDimensionGivesZeros() {
    let a = Matrix(rows: 3, columns: 0)
    let b = Matrix(rows: 0, columns: 2)
    #expect(a * b == .zeros(3, 2))
  }

  @Test func elementwiseOperations() {
    let a = Matrix([[1, 2], [3, 4]])
    let b = Matrix([[-1, 0.5], [2, 0]])
    #expect(a + b == Matrix([[0, 2.5], [5, 4]]))
    #expect(a - b == Matrix([[2, 1.5], [1, 4]]))
    #expect(-a == Matrix([[-1, -2], [-3, -4]]))
    #expect(a * 2 == Matrix([[2, 4], [6, 8]]))
    #expect(a.hadamard(b) == Matrix([[-1, 1], [6, 0]]))
    #expect(Matrix.frobeniusInner(a, b) == -1 + 1 + 6 + 0)
    #expect(a.trace == 5)
    var c = a
    c.axpy(3, b)
    #expect(c == Matrix([[-2, 3.5], [9, 4]]))
    c.scale(by: 0.5)
    #expect(c == Matrix([[-1, 1.75], [4.5, 2]]))
  }

  @Test func innerProductIsTraceOfTransposeProduct() {
    let a = Matrix.gaussian(rows: 4, columns: 6, seed: 9)
    let b = Matrix.gaussian(rows: 4, columns: 6, seed: 10)
    let viaTrace = Matrix.product(a, b, transposingLeft: true).trace
    #expect(abs(Matrix.frobeniusInner(a, b) - viaTrace) < 1e-12)
  }
}
