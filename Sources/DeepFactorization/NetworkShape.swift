/// The shape of a deep linear network W = W_N ⋯ W_1 for a d_out × d_in target.
///
/// W_1 is width × d_in (applied first), W_2 … W_{N−1} are width × width, W_N is d_out × width; with
/// depth 1 the single factor is d_out × d_in. All factors live in one flat parameter vector, factor
/// after factor, each column-major (``offsets``), which is what optimizers update.
public struct NetworkShape: Hashable, Sendable {
  /// d_out, the rows of the end-to-end matrix.
  public let rows: Int
  /// d_in, the columns of the end-to-end matrix.
  public let columns: Int
  /// N ≥ 1.
  public let depth: Int
  /// The hidden width (ignored for depth 1).
  public let width: Int

  /// A network shape; the width defaults to max(d_out, d_in).
  public init(rows: Int, columns: Int, depth: Int, width: Int? = nil) {
    precondition(rows >= 1 && columns >= 1, "a network needs a target of at least 1×1, got \(rows)×\(columns)")
    precondition(depth >= 1, "depth must be at least 1, got \(depth)")
    let w = width ?? Swift.max(rows, columns)
    precondition(w >= 1, "width must be at least 1, got \(w)")
    self.rows = rows
    self.columns = columns
    self.depth = depth
    self.width = w
  }

  /// The shape (rows, columns) of factor j, 0-based (factor 0 is W_1).
  public func factorShape(_ j: Int) -> (rows: Int, columns: Int) {
    precondition(j >= 0 && j < depth, "factor \(j) of a depth-\(depth) network")
    let r = j == depth - 1 ? rows : width
    let c = j == 0 ? columns : width
    return (r, c)
  }

  /// Start of each factor in the flat parameter vector, and the total count at the end.
  public var offsets: [Int] {
    var result = [0]
    for j in 0 ..< depth {
      let (r, c) = factorShape(j)
      result.append(result[j] + r * c)
    }
    return result
  }

  /// The number of parameters Σ rows·columns over the factors.
  public var parameterCount: Int { offsets[depth] }

  /// Whether every dimension is at most 4: such networks train on the scalar path, without BLAS.
  public var isSmall: Bool { Swift.max(rows, columns, width) <= 4 }
}
