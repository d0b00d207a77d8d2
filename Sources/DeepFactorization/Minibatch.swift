internal import SeededRandom

/// Stochastic gradients: each gradient evaluation sees `size` of the m observations (entries or
/// measurements), drawn uniformly without replacement and afresh at every evaluation, each weighted
/// m/size so that the minibatch gradient is an unbiased estimate of the full one. The reported loss
/// stays the full loss over all m observations (it costs one pass over the residuals the step forms
/// anyway), so stop rules and divergence checks read the objective, not the batch's noise.
///
/// Evaluation k (k = 0 the initial point, k = t the point after step t, so step t + 1 moves by batch
/// k = t) draws its batch with a generator seeded from (`seed`, k): a run's batches depend on its
/// seed and step count only. A problem file writes it as `"minibatch": {"size": 8, "seed": 1}`;
/// without it every evaluation sees every observation (full-batch descent).
public struct Minibatch: Sendable, Equatable, Codable {
  /// Observations per evaluation, 1 ≤ size ≤ m.
  public var size: Int
  /// The seed of the batches.
  public var seed: UInt64

  /// Batches of `size` observations drawn from `seed`.
  public init(size: Int, seed: UInt64) {
    self.size = size
    self.seed = seed
  }

  private enum CodingKeys: String, CodingKey { case size, seed }

  /// Reads `size` and `seed`, both whole numbers, and nothing else.
  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(["size", "seed"])
    let c = try decoder.container(keyedBy: CodingKeys.self)
    size = try c.decodeWhole(Int.self, forKey: .size)
    seed = try c.decodeWhole(UInt64.self, forKey: .seed)
  }

  /// Writes `size` and `seed`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(size, forKey: .size)
    try c.encode(seed, forKey: .seed)
  }

  /// Writes evaluation `draw`'s weights for `count` observations into `weights`: m/size on `size`
  /// distinct observations chosen uniformly (Floyd's algorithm, the weights themselves marking the
  /// chosen), 0 on the rest. Allocates nothing.
  @inline(__always)
  func drawWeights(_ weights: UnsafeMutablePointer<Double>, count: Int, draw: UInt64) {
    weights.update(repeating: 0, count: count)
    let batch = Swift.min(size, count), weight = Double(count) / Double(batch)
    var generator = Xoshiro256StarStar(seed: SeedDerivation.derive(seed, index: draw))
    for j in (count - batch) ..< count {
      let t = generator.nextInt(below: j + 1)
      if weights[t] == 0 { weights[t] = weight } else { weights[j] = weight }
    }
  }
}
