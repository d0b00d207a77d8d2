/// A figure a claim's runs feed, declared by the claim (``Claim/drawing(_:)``) and drawn by
/// `dmf verify --report` from the claim's per-run quantities (``FigureData``) whenever the claim ran.
/// Adding a case makes the report's drawing switch incomplete until it draws it.
public enum ClaimFigure: Sendable, Equatable {
  /// Arora et al. 2019's Figure 2 for one observation count: error, nuclear norm and effective rank
  /// against the init scale, one line per depth.
  case aroraFigure2(observations: Int)
  /// Arora et al. 2019's Figure 3: top singular values and the alignment of the gradient, per depth.
  case aroraFigure3
  /// Razin & Cohen 2020's Figure 1: |W₁₁|, the norms and the effective rank against the loss, per depth.
  case razinCohenFigure1
  /// Razin & Cohen 2020's tensor completion figure: error and estimated CP rank against the observed entries.
  case razinCohenTensorFigure
  /// Razin, Maman & Cohen 2021: the largest component norms against the iteration.
  case componentNorms
  /// A figure of the claim's own, from the quantities its cases record.
  case plot(ClaimPlot)
}
