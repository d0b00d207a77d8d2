import DeepFactorization
public import LinearAlgebra
import SeededRandom

/// Random measurement operators for matrix sensing.
public enum Sensing {
  /// `count` measurement matrices of the given variant, drawn from `seed`.
  public static func measurements(rows: Int, columns: Int, count: Int, variant: SensingVariant, seed: UInt64) throws(InstanceError) -> [Matrix] {
    var generator = Xoshiro256StarStar(seed: seed)
    switch variant {
    case .gaussian:
      let sd = 1 / Double(rows * columns).squareRoot()
      return (0 ..< count).map { _ in Matrix.gaussian(rows: rows, columns: columns, standardDeviation: sd, using: &generator) }
    case .symmetric:
      guard rows == columns else { throw .invalid("symmetric measurements need a square target, got \(rows)×\(columns)") }
      let sd = 1 / Double(rows * columns).squareRoot()
      return (0 ..< count).map { _ in
        let g = Matrix.gaussian(rows: rows, columns: columns, standardDeviation: sd, using: &generator)
        return (g + g.transposed()) / 2.0.squareRoot()
      }
    case .diagonal:
      guard rows == columns else { throw .invalid("commuting measurements need a square target, got \(rows)×\(columns)") }
      let sd = 1 / Double(rows).squareRoot()
      return (0 ..< count).map { _ in
        Matrix.diagonal((0 ..< rows).map { _ in sd * generator.nextGaussian() })
      }
    }
  }
}

/// Observation counts as multiples of the degrees of freedom.
public enum Oversampling {
  /// r(d_out + d_in − r): the dimension of the rank-r matrices of that shape.
  public static func degreesOfFreedom(rows: Int, columns: Int, rank: Int) -> Int {
    rank * (rows + columns - rank)
  }

  /// round(factor · r(d_out + d_in − r)), at most rows·columns.
  public static func observationCount(rows: Int, columns: Int, rank: Int, factor: Double) -> Int {
    Swift.min(rows * columns, Int((factor * Double(degreesOfFreedom(rows: rows, columns: columns, rank: rank))).rounded()))
  }
}

extension InstanceSpec {
  /// Builds the instance this spec describes.
  public func instance() throws(InstanceError) -> ProblemInstance {
    guard rows >= 1 && columns >= 1 else { throw .invalid("a \(rows)×\(columns) target") }
    guard rank >= 0 && rank <= Swift.min(rows, columns) else { throw .invalid("rank \(rank) of a \(rows)×\(columns) target") }
    guard rowSeeds.count == rows && columnSeeds.count == columns else {
      throw .invalid("\(rowSeeds.count) row seeds and \(columnSeeds.count) column seeds for a \(rows)×\(columns) target")
    }
    let w: Matrix
    switch target {
    case .prescribed(let sigma, let symmetric):
      guard sigma.count == rank else { throw .invalid("\(sigma.count) singular values for rank \(rank)") }
      guard sigma.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw .invalid("singular values must be positive and finite") }
      guard !symmetric || rows == columns else { throw .invalid("a symmetric target must be square") }
      w = Targets.lowRank(rowSeeds: rowSeeds, columnSeeds: columnSeeds, singularValues: sigma, symmetric: symmetric)
    case .arora(let symmetric):
      guard rank >= 1 else { throw .invalid("Arora et al.'s generator needs rank ≥ 1") }
      guard !symmetric || rows == columns else { throw .invalid("a symmetric target must be square") }
      w = Targets.arora(rowSeeds: rowSeeds, columnSeeds: columnSeeds, rank: rank, symmetric: symmetric)
    }
    let observed: Observations
    switch observations {
    case .uniform(let count):
      observed = .entries(try Masks.uniform(rows: rows, columns: columns, count: count, minPerLine: minPerLine, sampler: sampler, seed: seedObservations, rowKeys: rowSeeds, columnKeys: columnSeeds))
    case .bernoulli(let p):
      observed = .entries(try Masks.bernoulli(rows: rows, columns: columns, probability: p, minPerLine: minPerLine, sampler: sampler, seed: seedObservations, rowKeys: rowSeeds, columnKeys: columnSeeds))
    case .all:
      observed = .all
    case .sensing(let count, let variant):
      observed = .sensing(try Sensing.measurements(rows: rows, columns: columns, count: count, variant: variant, seed: seedObservations))
    }
    return ProblemInstance(target: w, observations: observed, spec: self)
  }
}
