public import LinearAlgebra

/// Minimum-nuclear-norm completion and sensing by ADMM with singular value thresholding.
///
/// Solves min ‖X‖_* subject to the observations, exactly (X_ij = M_ij, ⟨Aᵢ, X⟩ = yᵢ) or, for
/// completion, within a tolerance |X_ij − M_ij| ≤ δ as in Arora et al.'s cvxpy baseline. The
/// splitting X = Z with Z in the constraint set gives, with scaled dual U and penalty ρ,
///
///     X ← SVT_{1/ρ}(Z − U)          (prox of ‖·‖_*: shrink singular values by 1/ρ)
///     Z ← Π_C(X + U)                (projection onto the constraints)
///     U ← U + X − Z
///
/// **Stopping rule** (Boyd et al. 2011, §3.3): stop when the primal residual ‖X − Z‖_F ≤
/// √(mn)·absoluteTolerance + relativeTolerance·max(‖X‖_F, ‖Z‖_F) *and* the dual residual
/// ρ‖Z − Z_prev‖_F ≤ √(mn)·absoluteTolerance + relativeTolerance·ρ‖U‖_F. ρ adapts by residual
/// balancing (×2 or ÷2 when one residual exceeds 10× the other). A run that hits `maxIterations`
/// first reports `maxIterations`, never `converged`.
///
/// For exact constraints the dual certificate Y = −ρU is supported on the observations (or lies in
/// the span of the Aᵢ) after every iteration; at the optimum ‖Y‖₂ ≤ 1 and ⟨Y, X⟩ = ‖X‖_*.
public struct NuclearNormSolver: Sendable {
  /// How the constraints are imposed.
  public enum Constraint: Sendable, Equatable {
    /// Equality.
    case exact
    /// |X_ij − M_ij| ≤ δ on the observed entries (completion only).
    case withinTolerance(Double)
  }

  /// Equality or tolerance.
  public var constraint: Constraint
  /// Relative tolerance of the stopping rule.
  public var relativeTolerance: Double
  /// Absolute tolerance of the stopping rule (per entry).
  public var absoluteTolerance: Double
  /// The most iterations.
  public var maxIterations: Int
  /// The initial penalty ρ; nil picks 1/‖P(M)‖₂-scaled default.
  public var initialPenalty: Double?
  /// Whether ρ adapts by residual balancing.
  public var adaptivePenalty: Bool

  /// A solver with the given settings.
  public init(
    constraint: Constraint = .exact, relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-9,
    maxIterations: Int = 10_000, initialPenalty: Double? = nil, adaptivePenalty: Bool = true
  ) {
    self.constraint = constraint
    self.relativeTolerance = relativeTolerance
    self.absoluteTolerance = absoluteTolerance
    self.maxIterations = maxIterations
    self.initialPenalty = initialPenalty
    self.adaptivePenalty = adaptivePenalty
  }

  /// How a solve ended, with the numbers that justify it.
  public struct Report: Sendable, Equatable, CustomStringConvertible {
    /// Converged by the stopping rule, or stopped at the iteration limit.
    public enum Status: String, Sendable, Equatable {
      /// Both residuals met the stopping rule.
      case converged
      /// `maxIterations` was reached first.
      case maxIterations = "max-iterations"
    }

    /// The status.
    public var status: Status
    /// Iterations run.
    public var iterations: Int
    /// The final primal residual ‖X − Z‖_F.
    public var primalResidual: Double
    /// The final dual residual ρ‖Z − Z_prev‖_F.
    public var dualResidual: Double
    /// The final penalty ρ.
    public var penalty: Double
    /// ‖X‖_* of the returned X.
    public var objective: Double
    /// The largest constraint violation of the returned X.
    public var constraintViolation: Double

    /// One line.
    public var description: String {
      "\(status.rawValue) after \(iterations) iterations: ‖X‖_* = \(objective), primal \(primalResidual), dual \(dualResidual), violation \(constraintViolation), ρ = \(penalty)"
    }
  }

  /// The solution X (the thresholded iterate: exactly low rank, meeting the constraints up to the
  /// primal residual), the dual certificate and the report.
  public struct Solution: Sendable {
    /// The minimiser found.
    public var x: Matrix
    /// Y = −ρU: supported on the observations (exact constraints).
    public var dualCertificate: Matrix
    /// The report.
    public var report: Report
  }

  /// Where a solve starts: a primal point, and optionally the dual and penalty of an earlier solve
  /// (a neighbouring problem's solution, or the same problem's at a looser tolerance).
  public struct WarmStart: Sendable {
    /// The starting X.
    public var x: Matrix
    /// The starting dual certificate Y = −ρU, if known.
    public var dual: Matrix?
    /// The starting ρ, if known.
    public var penalty: Double?

    /// A warm start from a point, optionally with a dual and a penalty.
    public init(x: Matrix, dual: Matrix? = nil, penalty: Double? = nil) {
      self.x = x
      self.dual = dual
      self.penalty = penalty
    }

    /// A warm start from an earlier solution: its X, dual certificate and final ρ.
    public init(_ solution: Solution) {
      self.init(x: solution.x, dual: solution.dualCertificate, penalty: solution.report.penalty)
    }
  }

  /// Solves `problem`, starting from `warmStart` (default: the minimum-Frobenius-norm solution,
  /// zero dual).
  ///
  /// - Throws: ``LinearAlgebraError`` from the SVDs (NaN in the data) or the sensing projection.
  public func solve(_ problem: NuclearNormProblem, warmStart: WarmStart? = nil) throws(LinearAlgebraError) -> Solution {
    let (m, n) = problem.shape
    if case .withinTolerance = constraint, case .sensing = problem {
      preconditionFailure("the tolerance form is implemented for completion only")
    }
    let projection = try Projection(problem: problem, constraint: constraint)
    let start: Matrix
    if let warmStart { start = warmStart.x } else { start = try MinimumFrobeniusNorm.solve(problem) }
    precondition(start.rows == m && start.columns == n, "a \(start.rows)×\(start.columns) warm start for a \(m)×\(n) problem")
    var z = projection.apply(start)
    var x = z
    let spectral = try z.spectralNorm()
    var rho = warmStart?.penalty ?? initialPenalty ?? 1 / Swift.max(spectral, 1e-12)
    var u = warmStart?.dual.map { $0 * (-1 / rho) } ?? Matrix.zeros(m, n)
    let scale = Double(m * n).squareRoot()
    var primal = Double.infinity, dual = Double.infinity
    var iterations = 0
    var status = Report.Status.maxIterations
    while iterations < maxIterations {
      iterations += 1
      x = try Self.threshold(z - u, by: 1 / rho)
      let previous = z
      z = projection.apply(x + u)
      u += x - z
      primal = (x - z).frobeniusNorm
      dual = rho * (z - previous).frobeniusNorm
      let primalBound = scale * absoluteTolerance + relativeTolerance * Swift.max(x.frobeniusNorm, z.frobeniusNorm)
      let dualBound = scale * absoluteTolerance + relativeTolerance * rho * u.frobeniusNorm
      if primal <= primalBound && dual <= dualBound {
        status = .converged
        break
      }
      if adaptivePenalty {
        if primal > 10 * dual {
          rho *= 2
          u.scale(by: 0.5)
        } else if dual > 10 * primal {
          rho /= 2
          u.scale(by: 2)
        }
      }
    }
    let report = Report(
      status: status, iterations: iterations, primalResidual: primal, dualResidual: dual, penalty: rho,
      objective: try x.nuclearNorm(), constraintViolation: problem.constraintViolation(x))
    return Solution(x: x, dualCertificate: u * -rho, report: report)
  }

  /// Singular value thresholding: U diag(max(σ − τ, 0)) Vᵀ.
  public static func threshold(_ a: Matrix, by tau: Double) throws(LinearAlgebraError) -> Matrix {
    let svd = try a.svd()
    let kept = svd.singularValues.filter { $0 > tau }.count
    guard kept > 0 else { return .zeros(a.rows, a.columns) }
    var left = svd.u.leadingColumns(kept)
    for j in 0 ..< kept {
      let shrunk = svd.singularValues[j] - tau
      for i in 0 ..< a.rows { left[i, j] *= shrunk }
    }
    let right = svd.vt.transposed().leadingColumns(kept)
    return Matrix.product(left, right, transposingRight: true)
  }
}

/// Projection onto the constraint set.
private struct Projection {
  enum Kind {
    case entries(indices: [(Int, Int)], values: [Double], tolerance: Double)
    case affine(SensingOperator, CholeskyFactorization, [Double])
  }

  let kind: Kind

  init(problem: NuclearNormProblem, constraint: NuclearNormSolver.Constraint) throws(LinearAlgebraError) {
    switch problem {
    case .completion(let target, let observed):
      let tolerance: Double = if case .withinTolerance(let delta) = constraint { delta } else { 0 }
      kind = .entries(indices: observed.map { ($0.row, $0.column) }, values: observed.map { target[$0.row, $0.column] }, tolerance: tolerance)
    case .sensing(let matrices, let measurements):
      let operator_ = SensingOperator(matrices)
      kind = .affine(operator_, try operator_.gram.cholesky(), measurements)
    }
  }

  func apply(_ v: Matrix) -> Matrix {
    switch kind {
    case .entries(let indices, let values, let tolerance):
      var z = v
      for (k, (i, j)) in indices.enumerated() {
        z[i, j] = tolerance == 0 ? values[k] : Swift.min(Swift.max(v[i, j], values[k] - tolerance), values[k] + tolerance)
      }
      return z
    case .affine(let a, let gram, let y):
      // V − A*(AA*)⁻¹(A(V) − y).
      let residual = zip(a.apply(v), y).map { $0 - $1 }
      // The Gram factor was computed from finite data; a solve cannot fail on finite input.
      guard let correction = try? gram.solve(Matrix(rows: residual.count, columns: 1, columnMajor: residual)) else { return v }
      return v - a.adjoint(correction.columnMajorElements, rows: v.rows, columns: v.columns)
    }
  }
}
