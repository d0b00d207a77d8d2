/// How paper-profile claims hand their runs to the report's figures: each case records its settings
/// and results as diagnostics named `run: <quantity>` (one value per case, in case order, all recorded
/// at one place so that the values of a case line up across quantities).
public enum FigureData {
  /// The prefix of a per-run quantity (`run: depth`, `run: error`).
  public static let runPrefix = "run: "
}
