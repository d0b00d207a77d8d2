import ClaimKit
import Baselines
import Foundation

/// Li, Luo & Lyu (2021), "Towards Resolving the Implicit Bias of Gradient Descent for Matrix
/// Factorization: Greedy Low-Rank Learning", ICLR 2021, arXiv 2012.09839.
enum LiLuoLyu2021 {
  static let paper = PaperReference("Li, Luo & Lyu", 2021, arXiv: "2012.09839")

  struct Sensing: Sendable, CustomStringConvertible {
    /// The target's singular values σ(W*) = (4, 1.44): W* = UUᵀ with U's columns scaled by 2 and 1.2.
    static let targetSpectrum = [4.0, 1.44]
    var initScale: Double
    var seed: UInt64
    var description: String { "8×8 symmetric sensing of a rank-2 PSD target, 40 measurements, depth 2, balanced init \(initScale), seed \(seed)" }

    var problem: (target: Matrix, matrices: [Matrix]) {
      let u = Targets.haarFrame(rows: 8, columns: 2, seed: SeedDerivation.derive(seed, "U")) * Matrix.diagonal(Self.targetSpectrum.map { $0.squareRoot() })
      let target = Matrix.product(u, u, transposingRight: true)
      // Symmetric measurements with N(0, 1/n²) entries (Arora et al.'s scale); n = 8 and 40 of them.
      let matrices = (try? Problems.Sensing.measurements(rows: 8, columns: 8, count: 40, variant: .symmetric, seed: SeedDerivation.derive(seed, "A"))) ?? []
      return (target, matrices.map { $0 * 8 })
    }

    /// −∇f(0) = Σ yᵢAᵢ (half-sum loss) and its top eigenvector.
    var escapeDirection: [Double] {
      get throws {
        let (target, matrices) = problem
        var direction = Matrix.zeros(8, 8)
        for a in matrices { direction.axpy(Matrix.frobeniusInner(a, target), a) }
        direction.symmetrize()
        return try direction.symmetricEigen().vectors.column(7)
      }
    }

    /// Depth 2, full width from the balanced init, or width 1 started along `along` (GLRL's
    /// rank-1-constrained phase); GD η = 2e-4.
    func run(along: [Double]? = nil, steps: Int, every: Int, observers: [any TrainingObserver] = []) throws -> TrainingResult {
      let (target, matrices) = problem
      var initialization = Initialization.balanced(scale: initScale, seed: seed, determinant: nil)
      if let along {
        let e = 1e-3
        initialization = .factors([Matrix(rows: 1, columns: 8, columnMajor: along.map { e * $0 }), Matrix(rows: 8, columns: 1, columnMajor: along.map { e * $0 })])
      }
      return try train(TrainingProblem(
        target: target, observations: .sensing(matrices), depth: 2, width: along == nil ? nil : 1, initialization: initialization, loss: .halfSum,
        method: .descent(.gradientDescent(GradientDescent(learningRate: 2e-4))), stop: StopRule(maxSteps: steps), recording: .everySteps(every)), observers: observers)
    }
  }

  static func cases(scale: Double) -> Gen<Sensing> { Gen<UInt64>.seed.map { Sensing(initScale: scale, seed: $0) } }

  /// GLRL's regime, shared by L1 and L2: 8×8 symmetric sensing of a rank-2 PSD target from an
  /// infinitesimal balanced init.
  static func infinitesimalInit(budget: Budget) -> ClaimSetting<Sensing> {
    ClaimSetting(
      cases: cases(scale: 1e-40), budget: budget,
      hypotheses: [
        "8×8 symmetric Gaussian measurements (40), PSD rank-2 target with σ = (\(Sensing.targetSpectrum.map { "\($0)" }.joined(separator: ", ")))",
        "depth 2, balanced init 1e-40 (the infinitesimal limit), GD η = 2e-4",
      ])
  }

  /// A large initialisation: there is no rank-1 phase, and W starts (and 'escapes') in a random direction.
  static func largeInit(_ setting: ClaimSetting<Sensing>, _ description: String) -> CounterSetting<Sensing> {
    setting.changed(description) { $0.cases = cases(scale: 0.5) }
  }

  static let firstEscapeAligns = Claim.forEvery(
    id: "li-luo-lyu.first-escape-direction", code: "L1", paper: paper.at("Theorem on greedy low-rank learning (first phase)"),
    thresholds: [Threshold(.alignment, 0.99 ... 1, source: "notes L1 (proposed): |cos| ≥ 0.99 with the top eigenvector of −∇f(0)")],
    statement: "From infinitesimal init, the first escape is along the top eigenvector of −∇f(0) = Σ yᵢAᵢ.",
    findings: ["at init 1e-12 the second escape can start before the rank-1 phase settles, hence 1e-40"],
    operationalDefinition: "the escape moment is the first record (every 10 steps) where σ₁(W) exceeds 1e-3·σ₁(W*); alignment is the smaller of |⟨u₁(W), e₁⟩| and |⟨v₁(W), e₁⟩|",
    setting: infinitesimalInit(budget: .cases(quick: 2, ci: 6, full: 20)),
    counter: largeInit(infinitesimalInit(budget: .cases(quick: 2, ci: 6, full: 20)), "a large initialisation (0.5): W starts, and 'escapes', in a random direction")
  ) { c in
    let top = try c.escapeDirection
    let recorder = ProductRecorder()
    _ = try c.run(steps: 2500, every: 10, observers: [recorder])
    guard let escape = try recorder.snapshots.first(where: { try $0.product.spectralNorm() > 1e-3 * Sensing.targetSpectrum[0] }) else {
      throw PropertyFailure("no escape within 2500 steps")
    }
    let svd = try escape.product.svd()
    let u1 = svd.u.column(0), v1 = svd.vt.row(0)
    let alignment = min(abs(zip(u1, top).reduce(0) { $0 + $1.0 * $1.1 }), abs(zip(v1, top).reduce(0) { $0 + $1.0 * $1.1 }))
    return Measurement("alignment with the top eigenvector of −∇f(0)", alignment, threshold: .alignment)
  }

  static let firstPlateauIsRankOneMinimum = Claim.statistical(
    id: "li-luo-lyu.first-plateau-rank-1", code: "L2", paper: paper.at("Greedy low-rank learning (rank-1 phase)"),
    thresholds: [Threshold(.plateauGap, -0.01 ... 0.01, source: "notes L2 (proposed): first plateau within 1 % of the rank-1 local minimum's loss")],
    statement: "The first loss plateau equals the loss of the rank-1-constrained local minimum that greedy low-rank learning reaches from the first escape direction (with probability ≥ 0.95 over instances, at init 1e-40).",
    hypotheses: [
      "rank-1 reference: GLRL's rank-1 phase for the symmetric factorization W = uuᵀ of the paper, GD u ← u − η∇f(uuᵀ)u (η = 2e-4, 20 000 steps) from u₀ = 1e-3·(e₁ + 1e-4·g)/‖·‖, e₁ the top eigenvector of −∇f(0), g a seeded Gaussian vector",
    ],
    findings: [
      "why symmetric: the depth-2 network W₂W₁ started at W₂ = W₁ᵀ = 1e-3·e₁ (the reference before 2026-12) is rank-1 GD on uvᵀ, where the symmetric rank-1 critical point is a saddle: under AVX-512 kernels the products stay exactly symmetric and it stopped there, under Haswell and Prescott rounding broke the symmetry and it went on to a lower asymmetric rank-1 point (88.55 → 70.18 on seed 5), so the verdict followed the BLAS kernel; uuᵀ cannot leave the symmetric manifold, and the 1e-4 start perturbation (far above rounding) keeps it off any saddle of f(uuᵀ)",
      "statistical at a fixed init: the theorem is the limit init → 0, and at 1e-40 the rank-1 phase is cut short on some instances (the second escape waits ∝ log(1/init)·(1/λ₂ − 1/λ₁) for the eigenvalues λ₁ > λ₂ of −∇f(0)); over 150 instances the plateau was within 1e-3 of the rank-1 minimum except at λ₂/λ₁ = 0.79 and 0.80 (0.125 and 1.5 above it) and 0.87 (0.0055)",
    ],
    operationalDefinition: "the plateau is the loss at the flattest record (smallest relative change over 10 steps) between σ₁(W) > σ₁(W*)/2 and σ₂(W) > σ₂(W*)/10",
    design: .mostInstances, setting: infinitesimalInit(budget: .cases(quick: 60, ci: 100, full: 150)),
    counter: largeInit(infinitesimalInit(budget: .cases(quick: 60, ci: 100, full: 150)), "a large initialisation (0.5): there is no rank-1 phase")
  ) { c in
    Measurement("plateau / rank-1 minimum − 1", try plateauGap(c), threshold: .plateauGap)
  }

  /// The first plateau's loss relative to the rank-1-constrained minimum, minus 1.
  static func plateauGap(_ c: Sensing) throws -> Double {
    let full = try c.run(steps: 5000, every: 10)
    let points = full.trajectory
    let sigma = Sensing.targetSpectrum
    let start = points.firstIndex { ($0.singularValues.first ?? 0) > sigma[0] / 2 } ?? 0
    let end = points.firstIndex { $0.singularValues.count > 1 && $0.singularValues[1] > sigma[1] / 10 } ?? points.count - 1
    let plateau = points[Metrics.plateauIndex(points, pairs: start ..< Swift.max(start, end)) ?? start].loss
    return plateau / (try c.symmetricRankOneMinimum()) - 1
  }

  static let claims: [Claim] = [firstEscapeAligns, firstPlateauIsRankOneMinimum]
}

extension LiLuoLyu2021.Sensing {
  /// The loss GLRL's rank-1 phase reaches: gradient descent on f(uuᵀ) over u ∈ ℝ⁸ (the paper's
  /// symmetric factorization), u ← u − η∇f(uuᵀ)u with η = 2e-4 for 20 000 steps, from
  /// u₀ = 1e-3·(e₁ + 1e-4·g)/‖e₁ + 1e-4·g‖ with e₁ the top eigenvector of −∇f(0).
  ///
  /// Symmetric by construction, so no rounding can carry it to an asymmetric critical point; the
  /// start perturbation is far above rounding, so neither can the kernel's last bits pick the saddle.
  func symmetricRankOneMinimum() throws -> Double {
    let (target, matrices) = problem
    let objective = Objective(target: target, observations: .sensing(matrices), reduction: .halfSum)
    var u = Matrix(rows: 8, columns: 1, columnMajor: try escapeDirection)
    u.axpy(1, Matrix.gaussian(rows: 8, columns: 1, standardDeviation: 1e-4, seed: SeedDerivation.derive(seed, "rank-1 start")))
    var start = (u * (1e-3 / u.frobeniusNorm)).column(0)
    roundingPerturbation?.apply(to: &start)
    u = Matrix(rows: 8, columns: 1, columnMajor: start)
    var w = Matrix.zeros(8, 8), gradient = Matrix.zeros(8, 8), step = Matrix.zeros(8, 1)
    var scratch = [Double](repeating: 0, count: objective.scratchCount)
    for _ in 0 ..< 20_000 {
      w.formProduct(u, u, transposingRight: true)
      w.withUnsafeBufferPointer { pw in
        gradient.withUnsafeMutableBufferPointer { pg in
          scratch.withUnsafeMutableBufferPointer { ps in
            _ = objective.evaluate(pw.baseAddress!, gradient: pg.baseAddress!, scratch: ps.baseAddress!)
          }
        }
      }
      step.formProduct(gradient, u)
      u.axpy(-2e-4, step)
    }
    w.formProduct(u, u, transposingRight: true)
    return objective.loss(at: w)
  }
}
