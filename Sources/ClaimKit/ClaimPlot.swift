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

  /// A plot of `y` against `x`.
  public init(title: String, x: RunQuantity, y: RunQuantity, lineBy: RunQuantity? = nil, logX: Bool = false, logY: Bool = false, joined: Bool = false) {
    self.joined = joined
    self.title = title
    self.x = x
    self.y = y
    self.lineBy = lineBy
    self.logX = logX
    self.logY = logY
  }
}
