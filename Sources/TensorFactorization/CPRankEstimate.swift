import DeepFactorization
import LinearAlgebra
import SeededRandom

/// The CP rank of a tensor as the issue defines it for measurement: the smallest R′ whose CP-ALS fit
/// reaches a stated relative error, found by bisection over R′.
///
/// CP rank is NP-hard to compute exactly (and not even lower semicontinuous), so this is an
/// estimate with stated assumptions: each rank's fit is the best of a few seeded alternating least
/// squares runs, and the bisection assumes the best fit's error does not increase with R′ (true of
/// exact minimisers; ALS local minima can break it, which the restarts make unlikely at small R′).
public struct CPRankEstimate: Sendable, Equatable {
  /// The smallest R′ ≤ `maxRank` whose fit reached the tolerance, or nil when `maxRank` did not.
  public var rank: Int?
  /// errors[R′ − 1]: the relative error ‖T − T_{R′}‖_F/‖T‖_F of the best fit at R′, for the ranks
  /// the bisection tried (nil for the others).
  public var errors: [Double?]

  /// Estimates the CP rank of `tensor` at relative error `tolerance`, trying ranks 1…`maxRank`.
  public init(of tensor: Tensor, tolerance: Double, maxRank: Int, restarts: Int = 3, sweeps: Int = 500, seed: UInt64 = 0) {
    precondition(tolerance > 0 && maxRank >= 1 && restarts >= 1 && sweeps >= 1, "a rank estimate needs a positive tolerance, maxRank ≥ 1, restarts ≥ 1 and sweeps ≥ 1")
    var errors = [Double?](repeating: nil, count: maxRank)
    func fits(_ rank: Int) -> Bool {
      let error = (0 ..< restarts).map { Self.alternatingLeastSquares(tensor, rank: rank, sweeps: sweeps, seed: SeedDerivation.derive(seed, "rank \(rank) restart \($0)")) }.min()!
      errors[rank - 1] = error
      return error <= tolerance
    }
    guard tensor.frobeniusNorm > 0 else {
      self.rank = 0
      self.errors = errors
      return
    }
    guard fits(maxRank) else {
      self.rank = nil
      self.errors = errors
      return
    }
    // The invariant: every rank below `low` fails (or is untried and assumed to), `high` fits.
    var low = 1, high = maxRank
    while low < high {
      let middle = (low + high) / 2
      if fits(middle) { high = middle } else { low = middle + 1 }
    }
    self.rank = high
    self.errors = errors
  }

  /// The relative error of a rank-`rank` CP fit by alternating least squares from Gaussian factors:
  /// each sweep solves, mode by mode, Aⁿ·V = M with V = ∗_{m≠n} AᵐᵀAᵐ (Hadamard product of Gram
  /// matrices, with a 1e-12 relative ridge) and M the tensor times the other factors' Khatri–Rao
  /// product; it stops after `sweeps` sweeps or when a sweep improves the error by less than 1e-12.
  public static func alternatingLeastSquares(_ tensor: Tensor, rank: Int, sweeps: Int, seed: UInt64) -> Double {
    let shape = CPShape(dimensions: tensor.dimensions, components: rank)
    let order = shape.order
    var generator = Xoshiro256StarStar(seed: seed)
    // The factors in the CP engine's layout: mode n's dₙ × R matrix row by row, modes one after another.
    var parameters = (0 ..< shape.parameterCount).map { _ in generator.nextGaussian() }
    let indices = (0 ..< shape.entryCount).map(shape.multiIndex)
    // ‖T − W‖_F/‖T‖_F through the engine's full-observation half-sum loss: √(2ℓ)/‖T‖_F.
    let engine = CPEngine(shape: shape, objective: TensorObjective(target: tensor, observed: nil, reduction: .halfSum))
    let norm = tensor.frobeniusNorm
    func error() -> Double {
      (2 * parameters.withUnsafeBufferPointer { engine.loss(at: $0.baseAddress!, gradient: nil) }).squareRoot() / norm
    }
    func at(_ m: Int, _ i: Int, _ r: Int) -> Int { shape.offset(ofMode: m) + i * rank + r }
    var previous = Double.infinity
    for _ in 0 ..< sweeps {
      for n in 0 ..< order {
        var gram = Matrix(rows: rank, columns: rank, repeating: 1)
        for m in 0 ..< order where m != n {
          for a in 0 ..< rank {
            for b in 0 ..< rank {
              var dot = 0.0
              for i in 0 ..< tensor.dimensions[m] { dot += parameters[at(m, i, a)] * parameters[at(m, i, b)] }
              gram[a, b] *= dot
            }
          }
        }
        let trace = (0 ..< rank).reduce(0.0) { $0 + gram[$1, $1] }
        for a in 0 ..< rank { gram[a, a] += 1e-12 * Swift.max(trace, 1e-300) }
        // Mᵀ: R × dₙ.
        var mt = Matrix(rows: rank, columns: tensor.dimensions[n], repeating: 0)
        for (linear, index) in indices.enumerated() {
          let t = tensor.entries[linear]
          guard t != 0 else { continue }
          for r in 0 ..< rank {
            var product = t
            for m in 0 ..< order where m != n { product *= parameters[at(m, index[m], r)] }
            mt[r, index[n]] += product
          }
        }
        guard let solution = try? gram.solve(mt) else { return previous.isFinite ? previous : 1 }
        for i in 0 ..< tensor.dimensions[n] {
          for r in 0 ..< rank { parameters[at(n, i, r)] = solution[r, i] }
        }
      }
      let current = error()
      if !current.isFinite { return previous.isFinite ? previous : 1 }
      if previous - current < 1e-12 { return Swift.min(previous, current) }
      previous = current
    }
    return previous
  }
}
