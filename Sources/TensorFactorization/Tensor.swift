import SeededRandom

/// A dense tensor: its mode dimensions and its entries, the first mode varying fastest.
public struct Tensor: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The mode dimensions.
  public let dimensions: [Int]
  /// The entries, in ``CPShape/linearIndex(_:)`` order.
  public var entries: [Double]

  /// A tensor of the given dimensions and entries (as many as the dimensions' product).
  public init(dimensions: [Int], entries: [Double]) {
    precondition(entries.count == dimensions.reduce(1, *), "a tensor needs Π dₙ entries")
    self.dimensions = dimensions
    self.entries = entries
  }

  /// The sum of the rank-one tensors whose factor vectors are `factors[r][n]` (component r, mode n).
  public init(dimensions: [Int], components factors: [[[Double]]]) {
    let shape = CPShape(dimensions: dimensions, components: 1)
    var entries = [Double](repeating: 0, count: shape.entryCount)
    for component in factors {
      for linear in entries.indices {
        let index = shape.multiIndex(linear)
        var product = 1.0
        for n in dimensions.indices { product *= component[n][index[n]] }
        entries[linear] += product
      }
    }
    self.init(dimensions: dimensions, entries: entries)
  }

  /// A random CP-rank-`rank` tensor of Frobenius norm 1: Gaussian factor vectors (the target of
  /// Razin & Cohen's and Razin, Maman & Cohen's tensor experiments), scaled to unit norm.
  public static func randomLowRank(dimensions: [Int], rank: Int, seed: UInt64) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    let factors = (0 ..< rank).map { _ in dimensions.map { d in (0 ..< d).map { _ in generator.nextGaussian() } } }
    var tensor = Tensor(dimensions: dimensions, components: factors)
    let norm = tensor.frobeniusNorm
    for i in tensor.entries.indices { tensor.entries[i] /= norm }
    return tensor
  }

  /// ‖T‖_F.
  public var frobeniusNorm: Double { entries.reduce(0) { $0 + $1 * $1 }.squareRoot() }

  /// "8×8×8 tensor, ‖·‖_F = 1".
  public var description: String {
    dimensions.map(String.init).joined(separator: "×") + " tensor, ‖·‖_F = \(frobeniusNorm)"
  }
}
