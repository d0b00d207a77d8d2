/// A figure a claim declares for itself (``ClaimFigure/plot(_:)``): `y` against `x` over the values
/// its cases record with ``FigureData/record(_:_:)``, one point per case (or record point), one colour
/// per value of `lineBy`. The report draws it whenever the claim ran, in any profile, with its CSV.
///
///     static let gap = RunQuantity(named: "gap")
///     Claim.forEvery(…) { c in
///       FigureData.record(.observations, Double(c.observations))
///       FigureData.record(gap, measuredGap)
///       …
///     }.drawing(.plot(ClaimPlot(title: "gap against observations", x: .observations, y: gap)))
public struct ClaimPlot: Sendable, Equatable {
  /// The figure's title (the report adds the claim's code and the number of runs).
  public var title: String
  /// The horizontal axis.
  public var x: RunQuantity
  /// The vertical axis.
  public var y: RunQuantity
  /// One line per distinct value of this quantity (nil: one line).
  public var lineBy: RunQuantity?
  /// Logarithmic axes.
  public var logX: Bool, logY: Bool
  /// Join each line's points in x order; false (the default) draws the cases as points, since several
  /// cases can share an x.
  public var joined: Bool
  /// What is drawn at each x: every case, or the cases' median with its interval.
  public var summary: Summary
  /// A categorical x: x is an index into these names, drawn as the axis's tick labels (nil: numeric).
  public var categories: [String]?

  /// What a plot draws at each value of x (of each line).
  public enum Summary: Sendable, Equatable {
    /// One point per case (or record point).
    case cases
    /// The median of the cases at that x with the distribution-free 95 % confidence interval of the
    /// median (order statistics), as an error bar; with fewer than 6 cases no pair of order
    /// statistics reaches 95 %, and the bar spans the smallest to the largest case instead.
    case medianWithInterval
  }

  /// A plot of `y` against `x`.
  public init(
    title: String, x: RunQuantity, y: RunQuantity, lineBy: RunQuantity? = nil, logX: Bool = false, logY: Bool = false, joined: Bool = false,
    summary: Summary = .cases, categories: [String]? = nil
  ) {
    self.categories = categories
    self.joined = joined
    self.summary = summary
    self.title = title
    self.x = x
    self.y = y
    self.lineBy = lineBy
    self.logX = logX
    self.logY = logY
  }
}
