/// A linear program in standard form, min cᵀx subject to A x = b and x ≥ 0, solved by the
/// two-phase simplex method on a dense tableau with Bland's rule (no cycling).
///
/// Meant for the small exact programs of the commuting-measurement baseline, where the optimum is
/// a vertex and simplex returns it exactly up to rounding (no interior-point tolerance).
public struct LinearProgram: Sendable {
  /// The cost vector c (n entries).
  public var cost: [Double]
  /// The constraint matrix A, m rows of n entries.
  public var constraints: [[Double]]
  /// The right-hand side b (m entries).
  public var rightHandSide: [Double]

  /// A program min cᵀx, A x = b, x ≥ 0.
  public init(cost: [Double], constraints: [[Double]], rightHandSide: [Double]) {
    precondition(constraints.count == rightHandSide.count, "\(constraints.count) constraint rows for \(rightHandSide.count) right-hand sides")
    precondition(constraints.allSatisfy { $0.count == cost.count }, "every constraint row needs \(cost.count) coefficients")
    self.cost = cost
    self.constraints = constraints
    self.rightHandSide = rightHandSide
  }

  /// The outcome.
  public enum Outcome: Sendable, Equatable {
    /// An optimal vertex and its cost.
    case optimal(x: [Double], objective: Double)
    /// No x ≥ 0 satisfies A x = b.
    case infeasible
    /// The cost is unbounded below.
    case unbounded
  }

  /// Solves the program; `tolerance` decides zero pivots and phase-1 feasibility (relative to the data's scale).
  public func solve(tolerance: Double = 1e-10) -> Outcome {
    let m = constraints.count, n = cost.count
    let scale = Swift.max(1, constraints.flatMap { $0 }.map(abs).max() ?? 1, rightHandSide.map(abs).max() ?? 1)
    let eps = tolerance * scale
    // Tableau rows: m constraints (made b ≥ 0), columns: n variables, m artificials, rhs.
    let width = n + m + 1
    var t = [[Double]](repeating: [Double](repeating: 0, count: width), count: m)
    for i in 0 ..< m {
      let sign: Double = rightHandSide[i] < 0 ? -1 : 1
      for j in 0 ..< n { t[i][j] = sign * constraints[i][j] }
      t[i][n + i] = 1
      t[i][width - 1] = sign * rightHandSide[i]
    }
    var basis = (0 ..< m).map { n + $0 }

    func pivot(_ row: Int, _ column: Int) {
      let p = t[row][column]
      for j in 0 ..< width { t[row][j] /= p }
      for i in 0 ..< m where i != row && t[i][column] != 0 {
        let factor = t[i][column]
        for j in 0 ..< width { t[i][j] -= factor * t[row][j] }
      }
      basis[row] = column
    }

    /// Minimises `costs` over the current tableau with Bland's rule; false if unbounded.
    func optimize(_ costs: [Double], allowed: Int) -> Bool {
      while true {
        // Reduced costs c_j − c_Bᵀ B⁻¹ A_j; Bland: the lowest-index improving column.
        var entering: Int?
        for j in 0 ..< allowed where !basis.contains(j) {
          var reduced = costs[j]
          for i in 0 ..< m { reduced -= costs[basis[i]] * t[i][j] }
          if reduced < -eps {
            entering = j
            break
          }
        }
        guard let column = entering else { return true }
        // Ratio test; Bland: among ties, the lowest basis index leaves.
        var leaving: Int?
        var best = Double.infinity
        for i in 0 ..< m where t[i][column] > eps {
          let ratio = t[i][width - 1] / t[i][column]
          if ratio < best - eps || (abs(ratio - best) <= eps && leaving.map { basis[i] < basis[$0] } == true) {
            best = ratio
            leaving = i
          }
        }
        guard let row = leaving else { return false }
        pivot(row, column)
      }
    }

    // Phase 1: minimise the sum of artificials.
    var phase1 = [Double](repeating: 0, count: n + m)
    for i in 0 ..< m { phase1[n + i] = 1 }
    _ = optimize(phase1, allowed: n + m)
    let infeasibility = (0 ..< m).reduce(0.0) { $0 + (basis[$1] >= n ? t[$1][width - 1] : 0) }
    if infeasibility > eps * Double(Swift.max(1, m)) { return .infeasible }
    // Drive artificials out of the basis where a real column can replace them.
    for i in 0 ..< m where basis[i] >= n {
      if let j = (0 ..< n).first(where: { !basis.contains($0) && abs(t[i][$0]) > eps }) { pivot(i, j) }
    }
    // Phase 2 over the real variables (artificials left in the basis sit at zero: redundant rows).
    var phase2 = cost + [Double](repeating: 0, count: m)
    for i in 0 ..< m where basis[i] >= n { phase2[basis[i]] = 0 }
    guard optimize(phase2, allowed: n) else { return .unbounded }
    var x = [Double](repeating: 0, count: n)
    for i in 0 ..< m where basis[i] < n { x[basis[i]] = Swift.max(0, t[i][width - 1]) }
    let objective = zip(cost, x).reduce(0) { $0 + $1.0 * $1.1 }
    return .optimal(x: x, objective: objective)
  }
}
