import ClaimKit

/// Razin & Cohen's tensor experiments (their code's `tc_multiple_experiments_runner.py`): "this
/// interpretation extends to a certain class of non-linear neural networks" — CP tensor factorization,
/// a shallow convolutional network with multiplicative non-linearity, completing a rank-1 tensor.
extension RazinCohen2020 {
  /// An order-3, 8×8×8 rank-1 unit-norm target seen at `observations` uniform entries, fitted by
  /// R = 64 components from Gaussian factors of std `initStd`, GroupRMSprop lr 0.01 (ε = 1e-6, the
  /// tensor code's) on the mean loss, until it is below 1e-12 or 20 000 steps.
  struct TensorCompletion: Sendable, CustomStringConvertible {
    var observations: Int
    var initStd: Double
    var seed: UInt64
    var description: String { "8×8×8 rank-1 target, \(observations) observed entries, R = 64, init std \(initStd), seed \(seed)" }

    var objective: TensorObjective {
      let target = Tensor.randomLowRank(dimensions: [8, 8, 8], rank: 1, seed: SeedDerivation.derive(seed, "target"))
      var generator = Xoshiro256StarStar(seed: SeedDerivation.derive(seed, "mask"))
      return TensorObjective(target: target, observed: generator.sampleWithoutReplacement(observations, from: 512), reduction: .mean)
    }

    /// The run's final reconstruction error ‖W − W*‖_F/‖W*‖_F and the estimated CP rank of W at
    /// relative error ``rankTolerance`` (ranks 1…``maxRank``; `maxRank + 1` when none fits).
    func run() throws -> (error: Double, rank: Int) {
      let shape = CPShape(dimensions: [8, 8, 8], components: 64)
      let result = try trainCP(CPProblem(
        shape: shape, objective: objective, initialization: .gaussian(std: initStd, seed: SeedDerivation.derive(seed, "init")),
        optimizer: .groupRMSprop(GroupRMSprop(learningRate: 0.01, epsilon: 1e-6)), stop: StopRule(maxSteps: 20_000, lossBelow: 1e-12), recording: .everySteps(20_000)))
      let w = CPEngine(shape: shape, objective: objective).tensor(at: result.parameters)
      let estimate = CPRankEstimate(of: w, tolerance: Self.rankTolerance, maxRank: Self.maxRank, seed: SeedDerivation.derive(seed, "cp-als"))
      return (result.trajectory.last?.reconstructionError ?? .nan, estimate.rank ?? Self.maxRank + 1)
    }

    /// The CP-ALS fit's relative error at which a rank counts as reached.
    static let rankTolerance = 0.02
    /// The largest rank the estimate tries.
    static let maxRank = 4
  }

  /// The paper's 200-observation point (of 512 entries) from init std 1e-3.
  static let tensorCompletions = ClaimSetting(
    cases: Gen<UInt64>.seed.map { TensorCompletion(observations: 200, initStd: 1e-3, seed: $0) },
    budget: .cases(quick: 60, ci: 60, full: 100),
    hypotheses: ["order 3, 8×8×8, rank-1 target of unit Frobenius norm, 200 uniform observations, R = 64", "Gaussian init std 1e-3, GroupRMSprop lr 0.01, ε = 1e-6, mean loss, until 1e-12 or 20 000 steps"])

  static let tensorCompletionRecovers = Claim.statistical(
    id: "razin-cohen.tensor-completion-recovers", code: "R8", paper: paper.at("Section 5, tensor factorization experiments"),
    thresholds: [
      Threshold(.error, 0 ... 1e-2, source: "the notes' R8 (3 seeds: 4e-5, 8e-3, 5e-5; the plots ~5e-6 at ≥ 200 observations): suggested ≤ 1e-2"),
      Threshold(.errorOverMemoriser, 0 ... 0.05, source: "the notes' R8: the memoriser's error is 0.79 at 200 of 512 entries; suggested ≤ 0.05 × it"),
      Threshold(.cpRank, 1 ... 1, source: "Razin & Cohen 2020 §5 / the issue: small init reaches CP rank 1 (the target's); estimated as the smallest R′ ≤ 4 whose CP-ALS fit of W has relative error ≤ 0.02 (best of 3 seeded ALS runs, bisection)"),
    ],
    statement: "CP factorization from small init completes a rank-1 8×8×8 tensor from 200 of its 512 entries (error ≤ 1e-2, far below the memoriser's) at CP rank 1, with probability ≥ 0.8.",
    design: .typically, setting: tensorCompletions,
    counter: tensorCompletions.changingEachCase("a large init (std 0.5): no implicit low-rank bias") { $0.initStd = 0.5 }
  ) { c in
    let (error, rank) = try c.run()
    return Measurement(
      "‖W − W*‖_F/‖W*‖_F", error, threshold: .error,
      and: [
        Measurement("error / the memoriser's", error / c.objective.memoriserError, threshold: .errorOverMemoriser),
        Measurement("estimated CP rank of W (CP-ALS within 2 %)", Double(rank), threshold: .cpRank),
      ])
  }

  // R9 (init std 1e-2 worse than 1e-3) is not a claim: asked as "at least twice the error,
  // typically", 12 quick-profile cases (seed 0x2a) gave p̂ = 0.5 (inconclusive), the ratio ranging
  // 0.25 to 307 — the notes' three seeds do not make it a typical property of this setting.
  static let tensorClaims: [Claim] = [tensorCompletionRecovers]

  // MARK: - R11: the tensor figure at its original settings (paper profile)

  /// The tensor code's order-3 sweep: observed entries 50, 100, …, 450, 511 of 512, init std 1e-3 and
  /// 1e-2, five repetitions (tc_multiple_experiments_runner.py).
  static let tensorFigureCounts = [50, 100, 150, 200, 250, 300, 350, 400, 450, 511]
  static let tensorFigureStds = [1e-3, 1e-2]

  static let tensorFigure = Claim.forEvery(
    id: "razin-cohen.tensor-figure", code: "R11", paper: paper.at("Section 5, the tensor completion figure (order 3) at its original settings"),
    thresholds: [
      Threshold(.errorOverMemoriser, 0 ... 0.25, source: "Razin & Cohen 2020 §5 plots (notes §2.5): from 200 observations on, both inits settle at errors ≤ 1e-2, far below the memoriser (0.86 at 200, 0.23 at 450); measured (seed 0x2a, first repetition): at most 0.043 × the memoriser's error there, held at 0.25×"),
    ],
    statement: "In the tensor code's order-3 sweep (8×8×8 rank-1 target, R = 64, init std 1e-3 and 1e-2), every run from 200 to 450 observed entries reconstructs with at most a quarter of the memoriser's error; the runs below 200 observations (where a run may not complete) and at 511 (the memoriser misses one entry) are drawn, not judged.",
    hypotheses: ["five repetitions of each (observations, init) point, 100 runs, each a new target and mask", "GroupRMSprop lr 0.01, ε = 1e-6, mean loss, until 1e-12 or 20 000 steps (R8's run)"],
    findings: [
      "seed 0x2a, one repetition: init 1e-3 errors 2.2e-5 to 7.9e-5 from 100 observations on, except 8.3e-3 at 350 (and 7.6e-3 at 50); below 200 observations runs of later repetitions did not complete (1.85 × the memoriser's error at 50 from init 1e-3, 0.66 × at 100 from 1e-2), so they are drawn, not judged; init 1e-2 errors 7.2e-3 to 0.065, where the plots show ~5e-4 from 300 on: within R8's 20 000-step budget GroupRMSprop's normalised step leaves the larger init's loss near 1e-7, so its error settles higher than the authors' longer runs; estimated CP rank 1 except two init-1e-2 runs (rank 2 at 100 and 200 observations)",
    ],
    setting: ClaimSetting(
      cases: zip(Gen.stratified(tensorFigureCounts.flatMap { m in tensorFigureStds.map { (m, $0) } }), Gen<UInt64>.seed).map {
        TensorCompletion(observations: $0.0, initStd: $0.1, seed: $1)
      },
      budget: .paper(100), profiles: [.paper],
      cost: { _ in
        // Measured: 100 runs in 86.5 s of core time (seed 0x2a, release build, AMD EPYC), 0.87 s a run
        // with the CP-rank estimate; a run is at most 20 000 steps.
        CaseCost(typicalSeconds: 0.9, maxSeconds: 3, basis: "0.87 s a run measured (100 runs, 86.5 core-s), 20 000 steps at most")
      }),
    counter: { $0.changingEachCase("a large init (std 0.5): no implicit low-rank bias") { $0.initStd = 0.5 } }
  ) { c in
    let (error, rank) = try c.run()
    let memoriser = c.objective.memoriserError
    for (quantity, value): (RunQuantity, Double) in [
      (.observations, Double(c.observations)), (.initStd, c.initStd), (.error, error), (.memoriserError, memoriser), (.cpRank, Double(rank)),
    ] { FigureData.record(quantity, value) }
    try require(error.isFinite, "the run's error is \(error)")
    // At 511 of 512 entries the memoriser misses one entry (error ≈ 0.004), and below 200 a run may
    // not complete (seen: 1.85 × the memoriser's error at 50 from init 1e-3, 0.66 × at 100 from
    // 1e-2): drawn, not judged.
    return (200 ... 450).contains(c.observations)
      ? Measurement("error / the memoriser's", error / memoriser, threshold: .errorOverMemoriser)
      : Measurement("error / the memoriser's", error / memoriser, expected: 0 ... .infinity)
  }.drawing(.razinCohenTensorFigure)
}
