import LinearAlgebra
import SeededRandom
import Testing

struct SparseKernelsTests {
  /// Random k-long columns of A and B, and `count` entries grouped by B's column: each entry names
  /// a column of A; `start` says where each of B's columns' entries begin.
  struct Data {
    var a: [Double], b: [Double], ia: [Int], start: [Int], targets: [Double]
  }

  static func data(k: Int, columns: Int, count: Int, seed: UInt64) -> Data {
    var generator = Xoshiro256StarStar(seed: seed)
    let a = (0 ..< k * columns).map { _ in generator.nextGaussian() }
    let b = (0 ..< k * columns).map { _ in generator.nextGaussian() }
    // Group sizes: some columns empty, some with several entries.
    let groupOf = (0 ..< count).map { _ in Int(generator.next() % UInt64(columns)) }.sorted()
    var start = [Int](repeating: 0, count: columns + 1)
    for g in groupOf { start[g + 1] += 1 }
    for g in 0 ..< columns { start[g + 1] += start[g] }
    let ia = (0 ..< count).map { _ in Int(generator.next() % UInt64(columns)) }
    return Data(a: a, b: b, ia: ia, start: start, targets: (0 ..< count).map { _ in generator.nextGaussian() })
  }

  static func completion(_ d: Data, k: Int, isa: SparseKernels.InstructionSet) -> (sum: Double, residuals: [Double], c: [Double]) {
    let groups = d.start.count - 1
    var residuals = [Double](repeating: .nan, count: d.ia.count)
    var c = [Double](repeating: .nan, count: k * groups)  // every column must be written
    let sum = residuals.withUnsafeMutableBufferPointer { r in
      c.withUnsafeMutableBufferPointer { c in
        SparseKernels.completionResiduals(
          k: k, a: d.a, lda: k, aColumns: d.ia, b: d.b, ldb: k, start: d.start, groups: groups, targets: d.targets, scale: 0.7,
          residuals: r.baseAddress!, into: c.baseAddress!, ldc: k, using: isa)
      }
    }
    return (sum, residuals, c)
  }

  @Test(arguments: [1, 7, 8, 15, 16, 17, 33, 100])
  func completionResidualsMatchPlainLoops(k: Int) {
    let d = Self.data(k: k, columns: 6, count: 40, seed: UInt64(k))
    var sum = 0.0
    var c = [Double](repeating: 0, count: k * 6)
    var residuals: [Double] = []
    for g in 0 ..< 6 {
      for e in d.start[g] ..< d.start[g + 1] {
        var dot = 0.0
        for p in 0 ..< k { dot += d.a[p + d.ia[e] * k] * d.b[p + g * k] }
        let r = dot - d.targets[e]
        sum += r * r
        residuals.append(0.7 * r)
        for p in 0 ..< k { c[p + g * k] += 0.7 * r * d.a[p + d.ia[e] * k] }
      }
    }
    let kernel = Self.completion(d, k: k, isa: .best)
    #expect(abs(kernel.sum - sum) <= 1e-12 * sum)
    #expect(zip(kernel.residuals, residuals).allSatisfy { abs($0 - $1) <= 1e-12 * Swift.max(1, abs($1)) })
    #expect(zip(kernel.c, c).allSatisfy { abs($0 - $1) <= 1e-11 * Swift.max(1, abs($1)) })
  }

  /// The point of writing them in C: every instruction set gives the same bits.
  @Test(arguments: [5, 16, 100])
  func everyInstructionSetGivesTheSameBits(k: Int) {
    let d = Self.data(k: k, columns: 9, count: 60, seed: UInt64(k))
    let reference = Self.completion(d, k: k, isa: .generic)
    for isa in SparseKernels.InstructionSet.allCases where isa.rawValue <= SparseKernels.InstructionSet.best.rawValue {
      let other = Self.completion(d, k: k, isa: isa)
      #expect(other.sum.bitPattern == reference.sum.bitPattern, "\(isa)")
      #expect(other.residuals.map(\.bitPattern) == reference.residuals.map(\.bitPattern), "\(isa)")
      #expect(other.c.map(\.bitPattern) == reference.c.map(\.bitPattern), "\(isa)")
    }
  }

  @Test func groupedSumsFollowTheScaleIndicesAndFillEmptyGroups() {
    let a: [Double] = [1, 2, 3, 4, 5, 6]  // three columns of length 2
    var c = [Double](repeating: .nan, count: 6)
    let scales: [Double] = [10, 100, 1000]
    c.withUnsafeMutableBufferPointer { c in
      // Group 0: no entries; group 1: entries 0, 1; group 2: entry 2.
      SparseKernels.groupedSums(
        k: 2, a: a, lda: 2, aColumns: [2, 0, 1], scales: scales, scaleIndices: [1, 0, 2], start: [0, 0, 2, 3], groups: 3,
        into: c.baseAddress!, ldc: 2)
    }
    // Column 1 = 100·(5, 6) + 10·(1, 2); column 2 = 1000·(3, 4).
    #expect(c == [0, 0, 510, 620, 3000, 4000])
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
