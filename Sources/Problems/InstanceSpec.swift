/// The small description an instance is built from: dimensions, rank, spectrum, observation rule
/// and seeds. Heavy objects (frames, targets, masks) are derived from it deterministically, so the
/// spec is what generators record and shrinkers simplify.
public struct InstanceSpec: Sendable, Equatable, CustomStringConvertible {
  /// d_out.
  public var rows: Int
  /// d_in.
  public var columns: Int
  /// The target's rank r.
  public var rank: Int
  /// How the target is built.
  public var target: TargetKind
  /// What is observed.
  public var observations: ObservationRule
  /// At least this many observations in every row and every column (0: no constraint).
  public var minPerLine: Int
  /// How a constrained mask is drawn.
  public var sampler: MaskSampler
  /// One seed per row: row i of the left factor and the mask keys of row i derive from it, so a
  /// row can be deleted without changing anything drawn for the other rows.
  public var rowSeeds: [UInt64]
  /// One seed per column, likewise for the right factor and the mask.
  public var columnSeeds: [UInt64]
  /// Seed of the mask or the measurements.
  public var seedObservations: UInt64

  /// How the target is built.
  public enum TargetKind: Sendable, Equatable {
    /// U diag(σ) Vᵀ with Haar frames U, V and the given singular values (V = U when symmetric).
    case prescribed(singularValues: [Double], symmetric: Bool)
    /// Arora et al.: U Vᵀ/√r with Gaussian U, V, rescaled so ‖W*‖_F = √(rows·columns) (= n when square).
    case arora(symmetric: Bool)
  }

  /// What is observed.
  public enum ObservationRule: Sendable, Equatable {
    /// Exactly `count` entries, uniformly without replacement.
    case uniform(count: Int)
    /// Every entry independently with probability p.
    case bernoulli(probability: Double)
    /// Every entry.
    case all
    /// `count` Gaussian measurements of the given variant.
    case sensing(count: Int, variant: SensingVariant)
  }

  /// A spec whose row and column seeds derive from `seedU` and `seedV`.
  public init(
    rows: Int, columns: Int, rank: Int, target: TargetKind, observations: ObservationRule,
    minPerLine: Int = 0, sampler: MaskSampler = .rejection, seedU: UInt64 = 0, seedV: UInt64 = 0, seedObservations: UInt64 = 0
  ) {
    self.init(
      rows: rows, columns: columns, rank: rank, target: target, observations: observations, minPerLine: minPerLine,
      sampler: sampler, rowSeeds: Targets.lineSeeds(seedU, count: rows), columnSeeds: Targets.lineSeeds(seedV, count: columns),
      seedObservations: seedObservations)
  }

  /// A spec with explicit row and column seeds (`rowSeeds.count == rows`, `columnSeeds.count == columns`).
  public init(
    rows: Int, columns: Int, rank: Int, target: TargetKind, observations: ObservationRule,
    minPerLine: Int = 0, sampler: MaskSampler = .rejection, rowSeeds: [UInt64], columnSeeds: [UInt64], seedObservations: UInt64
  ) {
    self.rows = rows
    self.columns = columns
    self.rank = rank
    self.target = target
    self.observations = observations
    self.minPerLine = minPerLine
    self.sampler = sampler
    self.rowSeeds = rowSeeds
    self.columnSeeds = columnSeeds
    self.seedObservations = seedObservations
  }

  /// A compact one-line form.
  public var description: String {
    var parts = ["\(rows)×\(columns)", "rank \(rank)"]
    switch target {
    case .prescribed(let sigma, let symmetric):
      parts.append("σ = \(sigma.map { "\($0)" }.joined(separator: ", "))" + (symmetric ? ", symmetric" : ""))
    case .arora(let symmetric): parts.append("Arora et al. target" + (symmetric ? ", symmetric" : ""))
    }
    switch observations {
    case .uniform(let count): parts.append("\(count) uniform entries")
    case .bernoulli(let p): parts.append("Bernoulli(\(p)) mask")
    case .all: parts.append("all entries")
    case .sensing(let count, let variant): parts.append("\(count) \(variant.rawValue) measurements")
    }
    if minPerLine > 0 { parts.append("≥ \(minPerLine) per row and column (\(sampler.rawValue))") }
    parts.append("observation seed \(seedObservations)")
    return parts.joined(separator: ", ")
  }
}

/// How a mask with a per-row/per-column minimum is drawn.
public enum MaskSampler: String, Sendable, Equatable {
  /// Rejection sampling: exactly the conditional distribution; refused up front when the
  /// acceptance probability is estimated below 1 %.
  case rejection
  /// Cover every row and column first, then fill uniformly: always fast, but *not* the conditional
  /// distribution (statistical claims must say they use it).
  case constructive
}

/// Which Gaussian measurement matrices sensing uses.
public enum SensingVariant: String, Sendable, Equatable {
  /// i.i.d. N(0, 1/(rows·columns)) entries (Arora et al.: N(0, 1/n²) for n×n).
  case gaussian
  /// (G + Gᵀ)/√2 of such a G (square only).
  case symmetric
  /// Diagonal matrices with N(0, 1/n) diagonals: symmetric and commuting (Gunasekar et al.'s setting).
  case diagonal
}

/// Why an instance cannot be built.
public enum InstanceError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The spec is self-contradictory (e.g. rank above min(rows, columns)).
  case invalid(String)
  /// The mask constraint cannot be met at all.
  case infeasible(String)
  /// Rejection sampling would almost never meet the constraint; the estimate is given.
  case constraintUnlikely(acceptance: Double, advice: String)

  /// A one-line message.
  public var description: String {
    switch self {
    case .invalid(let why): "invalid instance: \(why)"
    case .infeasible(let why): "infeasible mask: \(why)"
    case .constraintUnlikely(let acceptance, let advice):
      "mask constraint too unlikely for rejection sampling (acceptance ≈ \(acceptance)): \(advice)"
    }
  }
}
