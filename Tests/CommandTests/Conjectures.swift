import Baselines
import ClaimKit
import Foundation

/// Seven conjectures as a new user writes them from the README alone (issue 32's fixture; not in the
/// catalogue): a false nuclear-norm bound, a false depth-2 recovery claim, a statistical claim, a true
/// Razin–Cohen 5×5 variant, a true tensor-completion claim, a claim about Adam, and a false
/// convergence-speed claim. `ConjectureFixtureTests` runs them at one seed idle and under load, and
/// replays, exports and retrains each one's case.
enum Conjectures {
  static let paper = PaperReference("A. User", 2026, arXiv: "2612.00001", at: "notebook")

  /// A completion instance trained at a depth from a Gaussian start of a scale.
  struct Completion: Sendable, CustomStringConvertible {
    var instance: ProblemInstance
    var depth: Int
    var scale: Double
    var description: String { "\(instance), depth \(depth), init \(scale)" }

    /// The training problem the conjectures about it train (GD η = 0.1 on ½Σr², to L < 1e-8 or 20 000 steps).
    func problem(method: TrainingMethod = .descent(.gradientDescent(GradientDescent(learningRate: 0.1))), steps: Int = 20_000, lossBelow: Double = 1e-8) -> TrainingProblem {
      TrainingProblem(
        target: instance.target, observations: instance.observations, depth: depth, initialization: .gaussian(scale: scale, seed: 1), loss: .halfSum,
        method: method, stop: StopRule(maxSteps: steps, lossBelow: lossBelow))
    }
  }

  static func completions(rows: ClosedRange<Int>, rank: ClosedRange<Int>, oversampling: ClosedRange<Double>, depth: Int, scale: Double) -> Gen<Completion> {
    CompletionDistribution(rows: rows, rank: rank, observations: .oversampling(oversampling), minPerLine: .fixed(1)).gen
      .map { Completion(instance: $0, depth: depth, scale: scale) }
  }

  /// The minimum-nuclear-norm completion as `dmf baseline` solves it (the same solver and settings).
  static func minimumNuclearNorm(_ instance: ProblemInstance) throws -> Matrix {
    guard case .entries(let entries) = instance.observations else { throw PropertyFailure("not a completion instance") }
    let problem = NuclearNormProblem.completion(target: instance.target, observed: entries.map { NuclearNormProblem.Position($0.row, $0.column) })
    return try NuclearNormSolver(maxIterations: 10_000).solve(problem).x
  }

  /// ‖W − W*‖_F/‖W*‖_F, as `dmf train` prints it (`targetError.relative`).
  static func relativeError(_ w: Matrix, _ target: Matrix) -> Double {
    (w - target).frobeniusNorm / target.frobeniusNorm
  }

  // MARK: - The seven

  static let rankOne = ClaimSetting(
    cases: completions(rows: 4 ... 7, rank: 1 ... 1, oversampling: 2 ... 3, depth: 3, scale: 1e-3), budget: .cases(quick: 10, ci: 10, full: 10))

  /// 1. False: the interpolating solution depth 3 finds has at least the minimum nuclear norm, so
  /// "10 % below it" fails on every case. Kept as refuted; `nuclearNormBoundAsWritten` is the same
  /// claim before it was declared so.
  static let nuclearNormBound = nuclearNormBoundAsWritten
    .refuted("fails on every case: an interpolating W has ‖W‖_* ≥ ‖X_min‖_* (the ratio is 1.00–1.01 at seed 0x2a)")

  static let nuclearNormBoundAsWritten = Claim.forEvery(
    id: "user.nuclear-norm-below-minimum", code: "U1", paper: paper,
    thresholds: [Threshold(.userRatio, 0 ... 0.9, source: "the conjecture: 10 % below the minimum nuclear norm")],
    statement: "Depth-3 GD from init 1e-3 completes rank-1 matrices with a nuclear norm 10 % below the minimum nuclear norm.",
    setting: rankOne, counter: { $0.changingEachCase("depth 1: the observed entries and zeros") { $0.depth = 1 } }
  ) { c in
    let result = try train(c.problem(lossBelow: 1e-6))
    try assume(result.status == .converged, "stopped at loss \(result.loss)")
    return Measurement("‖W‖_*/‖X_min‖_*", try result.product.nuclearNorm() / minimumNuclearNorm(c.instance).nuclearNorm(), threshold: .userRatio)
  }

  /// 2. False: depth 2 at 1.2–1.6× the degrees of freedom does not always recover a rank-2 target.
  static let depthTwoRecovery = Claim.forEvery(
    id: "user.depth-2-recovers", code: "U2", paper: paper,
    thresholds: [Threshold(.userError, 0 ... 1e-3, source: "the conjecture: exact recovery up to 1e-3")],
    statement: "Depth-2 GD from init 1e-3 recovers every rank-2 completion at 1.2–1.6× the degrees of freedom to a relative error below 1e-3.",
    setting: ClaimSetting(cases: completions(rows: 6 ... 9, rank: 2 ... 2, oversampling: 1.2 ... 1.6, depth: 2, scale: 1e-3), budget: .cases(quick: 20, ci: 20, full: 20)),
    counter: { $0.changingEachCase("depth 1") { $0.depth = 1 } }
  ) { c in
    let result = try train(c.problem())
    try assume(result.status == .converged, "stopped at loss \(result.loss)")
    return Measurement("‖W − W*‖_F/‖W*‖_F", relativeError(result.product, c.instance.target), threshold: .userError)
  }.refuted("fails within the first cases: under-determined lines leave errors of 0.1–1")

  /// 3. Statistical: depth 3 ends near rank 1 on most rank-1 completions.
  static let mostlyLowRank = Claim.statistical(
    id: "user.mostly-low-rank", code: "U3", paper: paper,
    thresholds: [Threshold(.userEffectiveRank, 1 ... 1.5, source: "the conjecture: closer to rank 1 than to rank 2")],
    statement: "Depth-3 GD from init 1e-3 completes a rank-1 matrix with effective rank below 1.5, with probability ≥ 0.95.",
    design: .mostInstances,
    setting: ClaimSetting(cases: completions(rows: 5 ... 7, rank: 1 ... 1, oversampling: 3 ... 3, depth: 3, scale: 1e-3), budget: .cases(quick: 60, ci: 60, full: 60)),
    counter: { $0.changingEachCase("depth 1") { $0.depth = 1 } }
  ) { c in
    let result = try train(c.problem(lossBelow: 1e-6))
    try assume(result.status == .converged, "stopped at loss \(result.loss)")
    return Measurement("effective rank", try result.product.effectiveRank(), threshold: .userEffectiveRank)
  }

  /// A run on Razin & Cohen's d×d problem.
  struct RazinCohenRun: Sendable, CustomStringConvertible {
    var depth: Int
    var seed: UInt64
    var determinant: Initialization.DeterminantSign
    var description: String { "5×5 (? 1; 1 0) ⊕ I₃, depth \(depth), balanced init 1e-2, det \(determinant.rawValue), seed \(seed)" }
  }

  /// 4. True: Razin & Cohen's |W11| growth on the 5×5 problem.
  static let razinCohenFive = Claim.forEvery(
    id: "user.razin-cohen-5x5", code: "U4", paper: paper,
    thresholds: [Threshold(.userW11, 0.95 ... .infinity, source: "Razin & Cohen 2020, Theorem 1's rate on the 2×2 block (R5's lower side)")],
    statement: "On (? 1; 1 0) ⊕ I₃ at depth 3 from a balanced start with det > 0, GD to L < 1e-3 ends with |W11|·√(2L) ≥ 0.95.",
    setting: ClaimSetting(
      cases: zip(Gen<Int>.int(in: 3 ... 3), Gen<UInt64>.seed).map { RazinCohenRun(depth: $0, seed: $1, determinant: .positive) }, budget: .cases(quick: 2, ci: 2, full: 2)),
    counter: { $0.changingEachCase("det W(0) < 0: a finite solution") { $0.determinant = .negative } }
  ) { run in
    let instance = PaperFixtures.razinCohen(dimension: 5)
    let result = try train(TrainingProblem(
      target: instance.target, observations: instance.observations, depth: run.depth, initialization: .balanced(scale: 1e-2, seed: run.seed, determinant: run.determinant),
      loss: .halfSum, method: .descent(.gradientDescent(GradientDescent(learningRate: 0.02))), stop: StopRule(maxSteps: 200_000, lossBelow: 1e-3)))
    try assume(result.status == .converged, "stopped at loss \(result.loss)")
    return Measurement("|W11|·√(2L)", abs(result.product[0, 0]) * (2 * result.loss).squareRoot(), threshold: .userW11)
  }

  /// A CP completion: a rank-1 3×3×3 target, some entries observed, R components from a Gaussian start.
  struct TensorCompletion: Sendable, CustomStringConvertible {
    var targetSeed: UInt64
    var observed: [Int]
    var components: Int
    var description: String { "3×3×3 rank-1 target (seed \(targetSeed)), \(observed.count) of 27 observed, R = \(components)" }

    func problem() -> CPProblem {
      let target = Tensor.randomLowRank(dimensions: [3, 3, 3], rank: 1, seed: targetSeed)
      return CPProblem(
        shape: CPShape(dimensions: [3, 3, 3], components: components), objective: TensorObjective(target: target, observed: observed, reduction: .halfSum),
        initialization: .gaussian(std: 0.01, seed: targetSeed &+ 1), optimizer: .gradientDescent(GradientDescent(learningRate: 0.1)),
        stop: StopRule(maxSteps: 20_000, lossBelow: 1e-10), recording: .everySteps(1000))
    }
  }

  /// 5. True: CP from a small start completes a rank-1 tensor from 20 of its 27 entries.
  static let tensorCompletion = Claim.forEvery(
    id: "user.tensor-completion", code: "U5", paper: paper,
    thresholds: [Threshold(.userError, 0 ... 0.05, source: "the conjecture: recovery within 5 %")],
    statement: "GD on a CP factorization with R = 3 from init std 0.01 recovers a rank-1 3×3×3 tensor from 20 random entries within 5 %.",
    setting: ClaimSetting(
      cases: zip(Gen<UInt64>.seed, Gen<UInt64>.seed).map { seed, maskSeed in
        var generator = Xoshiro256StarStar(seed: maskSeed)
        var cells = Array(0 ..< 27)
        for k in 0 ..< 26 { cells.swapAt(k, k + Int(generator.next() % UInt64(27 - k))) }
        return TensorCompletion(targetSeed: seed, observed: Array(cells.prefix(20)).sorted(), components: 3)
      }, budget: .cases(quick: 6, ci: 6, full: 6)),
    counter: { $0.changingEachCase("5 observed entries: too few to determine 7 degrees of freedom") { $0.observed = Array($0.observed.prefix(5)) } }
  ) { c in
    let result = try trainCP(c.problem())
    try assume(result.status == .converged, "stopped at loss \(result.loss)")
    return Measurement("‖W − W*‖_F/‖W*‖_F", result.trajectory.last?.reconstructionError ?? .infinity, threshold: .userError)
  }

  /// 6. Adam at depth 3 also ends near rank 1 on rank-1 completions (every case at this seed).
  static let adamLowRank = Claim.forEvery(
    id: "user.adam-low-rank", code: "U6", paper: paper,
    thresholds: [Threshold(.userEffectiveRank, 1 ... 1.5, source: "the conjecture: closer to rank 1 than to rank 2")],
    statement: "Depth-3 Adam (η = 1e-3) from init 1e-3 completes rank-1 matrices with effective rank below 1.5.",
    setting: ClaimSetting(cases: completions(rows: 5 ... 7, rank: 1 ... 1, oversampling: 3 ... 3, depth: 3, scale: 1e-3), budget: .cases(quick: 4, ci: 4, full: 4)),
    counter: { $0.changingEachCase("depth 1") { $0.depth = 1 } }
  ) { c in
    let result = try train(c.problem(method: .descent(.adam(Adam(learningRate: 1e-3))), steps: 20_000, lossBelow: 1e-6))
    return Measurement("effective rank", try result.product.effectiveRank(), threshold: .userEffectiveRank)
  }

  /// 7. False: small inits sit on a plateau, so "L < 1e-4 within 300 steps" fails for them.
  static let fastConvergence = Claim.forEvery(
    id: "user.converges-fast", code: "U7", paper: paper,
    thresholds: [Threshold(.userLoss, 0 ... 1e-4, source: "the conjecture: L < 1e-4 after 300 steps")],
    statement: "Depth-3 GD on rank-1 completions reaches L < 1e-4 within 300 steps from any init between 1e-3 and 1e-1.",
    setting: ClaimSetting(
      cases: zip(completions(rows: 4 ... 7, rank: 1 ... 1, oversampling: 2 ... 3, depth: 3, scale: 1e-3), Gen<Double>.double(in: -3 ... -1))
        .map { c, exponent in
          var c = c
          c.scale = pow(10, exponent)
          return c
        },
      budget: .cases(quick: 10, ci: 10, full: 10)),
    counter: { $0.changingEachCase("init 1e-5: every run is still on its plateau at step 300") { $0.scale = 1e-5 } }
  ) { c in
    let result = try train(c.problem(steps: 300, lossBelow: 0))
    return Measurement("loss after 300 steps", result.loss, threshold: .userLoss)
  }.refuted("fails on small inits: the plateau lasts longer than 300 steps")

  static let all = [nuclearNormBound, depthTwoRecovery, mostlyLowRank, razinCohenFive, tensorCompletion, adamLowRank, fastConvergence]
}

extension ThresholdName {
  static let userRatio = ThresholdName("user-ratio")
  static let userError = ThresholdName("user-error")
  static let userW11 = ThresholdName("user-w11-scaled")
  static let userLoss = ThresholdName("user-loss")
  static let userEffectiveRank = ThresholdName("user-effective-rank")
}
