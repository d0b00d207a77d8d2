@testable import DeepFactorization
import SeededRandom
import Testing

struct GroupRMSpropTests {
  @Test(arguments: [0, 1, 7, 8, 9, 17, 100, 30_001])
  func squaredNormIsTheSumOfSquares(count: Int) {
    var generator = Xoshiro256StarStar(seed: UInt64(count))
    // Small integers: every partial sum is exact, so any order gives the true value to the bit.
    let integers = (0 ..< count).map { _ in Double(Int(generator.next() % 2001) - 1000) }
    #expect(integers.withUnsafeBufferPointer { GroupRMSprop.squaredNorm($0.baseAddress!, count: count) } == integers.reduce(0) { $0 + $1 * $1 })
    // Gaussian values: within rounding of the sequential sum.
    let values = (0 ..< count).map { _ in generator.nextGaussian() }
    let sequential = values.reduce(0) { $0 + $1 * $1 }
    let norm = values.withUnsafeBufferPointer { GroupRMSprop.squaredNorm($0.baseAddress!, count: count) }
    #expect(abs(norm - sequential) <= 1e-13 * Swift.max(1, sequential))
  }

  @Test func oneStepIsGradientDescentScaledByTheBiasCorrectedNorm() {
    // Step 1 from v = 0: v = (1 − β)‖g‖², v̂ = v/(1 − β) = ‖g‖², so W ← W − η g / (‖g‖ + ε).
    var optimizer = GroupRMSprop(learningRate: 0.1, beta: 0.9, epsilon: 1e-4)
    optimizer.prepare(layout: ParameterLayout(count: 11))
    var parameters = (0 ..< 11).map { Double($0) }
    let gradients = (0 ..< 11).map { Double($0 % 3) - 1 }  // ‖g‖² = 7
    parameters.withUnsafeMutableBufferPointer { p in
      gradients.withUnsafeBufferPointer { g in optimizer.update(parameters: p.baseAddress!, gradients: g.baseAddress!, count: 11, step: 1) }
    }
    let scale = 0.1 / (7.0.squareRoot() + 1e-4)
    for i in 0 ..< 11 { #expect(abs(parameters[i] - (Double(i) - scale * gradients[i])) <= 1e-15 * Swift.max(1, Double(i))) }
  }
}
