import LinearAlgebra
import SeededRandom
import Testing

struct SparseKernelsTests {
  /// Random columns and entry lists: k rows, `columns` columns, `count` entries.
  static func data(k: Int, columns: Int, count: Int, seed: UInt64) -> (a: [Double], b: [Double], ia: [Int], ib: [Int], targets: [Double]) {
    var generator = Xoshiro256StarStar(seed: seed)
    let a = (0 ..< k * columns).map { _ in generator.nextGaussian() }
    let b = (0 ..< k * columns).map { _ in generator.nextGaussian() }
    let ia = (0 ..< count).map { _ in Int(generator.next() % UInt64(columns)) }
    let ib = (0 ..< count).map { _ in Int(generator.next() % UInt64(columns)) }
    return (a, b, ia, ib, (0 ..< count).map { _ in generator.nextGaussian() })
  }

  static func completion(k: Int, columns: Int, count: Int, isa: SparseKernels.InstructionSet) -> (sum: Double, residuals: [Double], c: [Double]) {
    let (a, b, ia, ib, targets) = data(k: k, columns: columns, count: count, seed: UInt64(k))
    var residuals = [Double](repeating: 0, count: count)
    var c = [Double](repeating: 0, count: k * columns)
    let sum = residuals.withUnsafeMutableBufferPointer { r in
      c.withUnsafeMutableBufferPointer { c in
        SparseKernels.completionResiduals(
          k: k, a: a, lda: k, aColumns: ia, b: b, ldb: k, bColumns: ib, targets: targets, count: count, scale: 0.7,
          residuals: r.baseAddress!, into: c.baseAddress!, ldc: k, using: isa)
      }
    }
    return (sum, residuals, c)
  }

  @Test(arguments: [1, 7, 8, 15, 16, 17, 33, 100])
  func completionResidualsMatchPlainLoops(k: Int) {
    let (a, b, ia, ib, targets) = Self.data(k: k, columns: 6, count: 40, seed: UInt64(k))
    var sum = 0.0
    var c = [Double](repeating: 0, count: k * 6)
    var residuals: [Double] = []
    for e in 0 ..< 40 {
      var dot = 0.0
      for p in 0 ..< k { dot += a[p + ia[e] * k] * b[p + ib[e] * k] }
      let r = dot - targets[e]
      sum += r * r
      residuals.append(0.7 * r)
      for p in 0 ..< k { c[p + ib[e] * k] += 0.7 * r * a[p + ia[e] * k] }
    }
    let kernel = Self.completion(k: k, columns: 6, count: 40, isa: .best)
    #expect(abs(kernel.sum - sum) <= 1e-12 * sum)
    #expect(zip(kernel.residuals, residuals).allSatisfy { abs($0 - $1) <= 1e-12 * Swift.max(1, abs($1)) })
    #expect(zip(kernel.c, c).allSatisfy { abs($0 - $1) <= 1e-11 * Swift.max(1, abs($1)) })
  }

  /// The point of writing them in C: every instruction set gives the same bits.
  @Test(arguments: [5, 16, 100])
  func everyInstructionSetGivesTheSameBits(k: Int) {
    let reference = Self.completion(k: k, columns: 9, count: 60, isa: .generic)
    for isa in SparseKernels.InstructionSet.allCases where isa.rawValue <= SparseKernels.InstructionSet.best.rawValue {
      let other = Self.completion(k: k, columns: 9, count: 60, isa: isa)
      #expect(other.sum.bitPattern == reference.sum.bitPattern, "\(isa)")
      #expect(other.residuals.map(\.bitPattern) == reference.residuals.map(\.bitPattern), "\(isa)")
      #expect(other.c.map(\.bitPattern) == reference.c.map(\.bitPattern), "\(isa)")
    }
  }

  @Test func scatteredAxpysFollowTheScaleIndices() {
    let a: [Double] = [1, 2, 3, 4, 5, 6]  // three columns of length 2
    var c = [Double](repeating: 0, count: 4)
    let scales: [Double] = [10, 100]
    c.withUnsafeMutableBufferPointer { c in
      SparseKernels.scatteredAxpys(
        k: 2, a: a, lda: 2, aColumns: [2, 0], scales: scales, scaleIndices: [1, 0], count: 2, into: c.baseAddress!, ldc: 2, cColumns: [1, 1])
    }
    // Column 1 of C = 100·(5, 6) + 10·(1, 2).
    #expect(c == [0, 0, 510, 620])
  }

  @Test func transposeIsExact() {
    var generator = Xoshiro256StarStar(seed: 3)
    let a = Matrix.gaussian(rows: 37, columns: 21, using: &generator)
    var b = [Double](repeating: 0, count: 37 * 21)
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeMutableBufferPointer { pb in
        SparseKernels.transpose(rows: 37, columns: 21, a: pa.baseAddress!, lda: 37, into: pb.baseAddress!, ldb: 21)
      }
    }
    #expect(Matrix(rows: 21, columns: 37, columnMajor: b) == a.transposed())
  }
}
