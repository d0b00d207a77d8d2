import Foundation
import LinearAlgebra
import Testing

struct OpenBLASTests {
  @Test func singleThreadedUnlessTheEnvironmentSaysOtherwise() {
    let requested = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"].flatMap(Int.init)
    let threads = OpenBLAS.threadCount
    if let requested {
      #expect(threads == min(requested, ProcessInfo.processInfo.activeProcessorCount) || threads == requested)
    } else {
      #expect(threads == 1)
    }
  }

  @Test func buildFactsAreReported() {
    #expect(!OpenBLAS.coreName.isEmpty)
    #expect(OpenBLAS.configuration.contains("OpenBLAS"))
  }

  @Test func repeatedProductsAreBitIdentical() {
    let a = Matrix.gaussian(rows: 120, columns: 90, seed: 1)
    let b = Matrix.gaussian(rows: 90, columns: 110, seed: 2)
    let first = a * b
    for _ in 0 ..< 3 { #expect(a * b == first) }
  }
}
