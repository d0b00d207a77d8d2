public import PropertyTesting

/// A distribution over completion (or sensing) instances, drawn as a short spec on the harness's
/// tape: dimensions, rank, spectrum, one seed per row and per column, observation count, mask
/// seed — each in a labelled span that the domain shrink passes (``InstanceShrinking``) know.
///
///     let instances = CompletionDistribution(rows: 5 ... 30, rank: 1 ... 3, observations: .oversampling(2 ... 4)).gen
///
/// An instance whose constraint cannot be met (a mask too sparse for ≥ k per line, a rank above
/// the dimensions) is discarded, and the harness's health check reports when that dominates.
public struct CompletionDistribution: Sendable {
  /// d_out.
  public var rows: ClosedRange<Int>
  /// d_in; nil for square instances (d_in = d_out).
  public var columns: ClosedRange<Int>?
  /// The rank r (clipped to min(d_out, d_in)).
  public var rank: ClosedRange<Int>
  /// How the target's singular values are chosen.
  public var spectrum: SpectrumFamily
  /// What is observed.
  public var observations: ObservationFamily
  /// At least this many observations per row and column.
  public var minPerLine: MinimumPerLine
  /// How constrained masks are drawn.
  public var sampler: MaskSampler

  /// How the target's singular values are chosen.
  public enum SpectrumFamily: Sendable, Equatable {
    /// All σ = 1.
    case equal
    /// Geometric from 1 down to 1/κ, κ drawn from the range (κ = 1 is equal).
    case geometric(conditionNumber: ClosedRange<Double>)
    /// σ₁ = 1, σ_r = 1/κ and the others log-uniform in between.
    case random(conditionNumber: Double)
    /// The given values (the rank range must be their count).
    case given([Double])
    /// Arora et al.'s Gaussian-factor generator, ‖W*‖_F = √(d_out·d_in).
    case arora
  }

  /// What is observed.
  public enum ObservationFamily: Sendable, Equatable {
    /// Uniform entries, their count a multiple (in the range) of r(d_out + d_in − r).
    case oversampling(ClosedRange<Double>)
    /// Uniform entries, their count in the range.
    case count(ClosedRange<Int>)
    /// A Bernoulli mask with p in the range.
    case bernoulli(ClosedRange<Double>)
    /// Every entry.
    case all
    /// Gaussian sensing, the measurement count a multiple (in the range) of the degrees of freedom.
    case sensing(oversampling: ClosedRange<Double>, variant: SensingVariant)
  }

  /// At least how many observations per row and column.
  public enum MinimumPerLine: Sendable, Equatable {
    /// No constraint.
    case none
    /// At least k.
    case fixed(Int)
    /// At least r (what rank-r recovery needs).
    case rank
  }

  /// A distribution; square instances unless `columns` is given.
  public init(
    rows: ClosedRange<Int>, columns: ClosedRange<Int>? = nil, rank: ClosedRange<Int>, spectrum: SpectrumFamily = .equal,
    observations: ObservationFamily, minPerLine: MinimumPerLine = .none, sampler: MaskSampler = .rejection
  ) {
    self.rows = rows
    self.columns = columns
    self.rank = rank
    self.spectrum = spectrum
    self.observations = observations
    self.minPerLine = minPerLine
    self.sampler = sampler
  }

  /// The generator of instances.
  public var gen: Gen<ProblemInstance> {
    let distribution = self
    return Gen { source in try distribution.draw(source) }
  }

  /// Whether no two of the seeds are equal.
  public static func distinct(_ seeds: [UInt64]) -> Bool {
    let sorted = seeds.sorted()
    return zip(sorted, sorted.dropFirst()).allSatisfy { $0 != $1 }
  }

  func draw(_ source: ChoiceSource) throws -> ProblemInstance {
    let m = try source.span("rows") { try source.drawInteger(in: rows, shrinkingTowards: rows.lowerBound) }
    let n = try columns.map { range in try source.span("columns") { try source.drawInteger(in: range, shrinkingTowards: range.lowerBound) } } ?? m
    let maxRank = Swift.min(rank.upperBound, m, n)
    try assume(rank.lowerBound <= maxRank, "rank \(rank.lowerBound) does not fit \(m)×\(n)")
    let r = try source.span("rank") { try source.drawInteger(in: rank.lowerBound ... maxRank, shrinkingTowards: rank.lowerBound) }
    let target: InstanceSpec.TargetKind = try source.span("spectrum") {
      switch spectrum {
      case .equal:
        return .prescribed(singularValues: Targets.equalSpectrum(rank: r), symmetric: false)
      case .geometric(let kappa):
        let k = try source.drawFloat(in: kappa)
        return .prescribed(singularValues: Targets.geometricSpectrum(rank: r, conditionNumber: k), symmetric: false)
      case .random(let kappa):
        var sigma = [1.0]
        if r > 1 {
          var middle: [Double] = []
          for _ in 0 ..< r - 2 { middle.append(try source.drawFloat(in: 1 / kappa ... 1)) }
          sigma += middle.sorted(by: >) + [1 / kappa]
        }
        return .prescribed(singularValues: sigma, symmetric: false)
      case .given(let values):
        try assume(values.count == r, "\(values.count) given singular values for rank \(r)")
        return .prescribed(singularValues: values, symmetric: false)
      case .arora:
        return .arora(symmetric: false)
      }
    }
    // One seed per row and per column, each in its own span: the shrinker deletes lines by
    // deleting spans (see InstanceShrinking.lines), and nothing drawn for the other lines changes.
    var rowSeeds: [UInt64] = [], columnSeeds: [UInt64] = []
    for _ in 0 ..< m { rowSeeds.append(try source.span("row") { try source.drawSeed() }) }
    for _ in 0 ..< n { columnSeeds.append(try source.span("column") { try source.drawSeed() }) }
    // Two lines with one seed would have equal factor rows and equal mask keys: a target of lower
    // rank than drawn and a mask of "the first k cells". Drawn seeds never collide (2⁻⁶⁴ a pair),
    // but the shrinker's "seed to 0" edits would make them collide; this keeps its minimal cases
    // inside what the generator promises (distinct lines, the drawn rank, a uniform mask).
    try assume(Self.distinct(rowSeeds), "two rows share a seed (equal rows, equal mask keys)")
    try assume(Self.distinct(columnSeeds), "two columns share a seed (equal columns, equal mask keys)")
    let dof = Oversampling.degreesOfFreedom(rows: m, columns: n, rank: r)
    let rule: InstanceSpec.ObservationRule = try source.span("observations") {
      switch observations {
      case .oversampling(let factors):
        // More entries than the matrix has is not "every entry": such a case lies outside the
        // family the setting names, so it is discarded with its reason (counted and reported).
        let low = Int((factors.lowerBound * Double(dof)).rounded(.up))
        try assume(low <= m * n, "oversampling \(factors.lowerBound) × \(dof) degrees of freedom is \(low) entries, more than the \(m)×\(n) matrix has")
        let high = Swift.min(m * n, Swift.max(low, Int((factors.upperBound * Double(dof)).rounded(.down))))
        return .uniform(count: try source.drawInteger(in: low ... high, shrinkingTowards: low))
      case .count(let counts):
        let high = Swift.min(counts.upperBound, m * n)
        try assume(counts.lowerBound <= high, "\(counts.lowerBound) entries do not fit \(m)×\(n)")
        return .uniform(count: try source.drawInteger(in: counts.lowerBound ... high, shrinkingTowards: counts.lowerBound))
      case .bernoulli(let ps):
        return .bernoulli(probability: try source.drawFloat(in: ps))
      case .all:
        return .all
      case .sensing(let factors, let variant):
        let low = Swift.max(1, Int((factors.lowerBound * Double(dof)).rounded(.up)))
        let high = Swift.max(low, Int((factors.upperBound * Double(dof)).rounded(.down)))
        return .sensing(count: try source.drawInteger(in: low ... high, shrinkingTowards: low), variant: variant)
      }
    }
    let seedObservations = try source.span("seeds") { try source.drawSeed() }
    let k: Int
    switch minPerLine {
    case .none: k = 0
    case .fixed(let value): k = value
    case .rank: k = r
    }
    let spec = InstanceSpec(
      rows: m, columns: n, rank: r, target: target, observations: rule, minPerLine: k, sampler: sampler,
      rowSeeds: rowSeeds, columnSeeds: columnSeeds, seedObservations: seedObservations)
    do {
      return try spec.instance()
    } catch {
      try assume(false, error.description)
      throw error  // not reached: assume(false) throws
    }
  }
}
