import Benchmark
import CBenchmarkBLAS
import LinearAlgebra

// Matrix's product against a bare cblas_dgemm on the same data, measured in the same run.
// Issue target: the wrapper within 10 % of the bare call at 512×512.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal],
    warmupIterations: 5,
    scalingFactor: .one,
    maxDuration: .seconds(3),
    maxIterations: 400
  )

  for n in [64, 512] {
    let a = Matrix.gaussian(rows: n, columns: n, seed: 1)
    let b = Matrix.gaussian(rows: n, columns: n, seed: 2)
    let rawA = a.columnMajorElements
    let rawB = b.columnMajorElements

    Benchmark("dgemm bare n=\(n)") { benchmark in
      var c = [Double](repeating: 0, count: n * n)
      let m = Int32(n)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        c.withUnsafeMutableBufferPointer { pc in
          cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, m, m, 1, rawA, m, rawB, m, 0, pc.baseAddress, m)
        }
      }
      benchmark.stopMeasurement()
      blackHole(c)
    }

    Benchmark("Matrix formProduct n=\(n)") { benchmark in
      var c = Matrix.zeros(n, n)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        c.formProduct(a, b)
      }
      benchmark.stopMeasurement()
      blackHole(c)
    }

    Benchmark("Matrix * n=\(n)") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(a * b)
      }
    }
  }

  let a100 = Matrix.gaussian(rows: 100, columns: 100, seed: 3)
  Benchmark("dgesdd values n=100") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try a100.singularValues()) }
  }
}
