import ClaimKit
import Foundation

/// Bai, Zhao & Zhang (2024), "Connectivity Shapes Implicit Regularization in Matrix Factorization
/// Models for Matrix Completion", NeurIPS 2024, arXiv 2405.13721.
///
/// The observed entries of an n×n completion problem are the edges of a bipartite graph between rows
/// and columns. The paper finds that when that graph is disconnected, gradient descent from small
/// init ends at the minimum nuclear norm (Gunasekar et al.'s conjecture holds), and when it is
/// connected it ends at the minimum rank (the Arora, Li et al. picture): G1 and A5/L2 each describe
/// one side of the same model.
///
/// Both claims use two instance families whose minimum-nuclear-norm completion is known exactly, so
/// no convex solver's tolerance enters a verdict:
/// - disconnected: a rank-1 target u vᵀ, observed on two complete bipartite blocks R₁×C₁ and R₂×C₂
///   that partition the rows and columns. Pinching (keeping the diagonal blocks) never raises the
///   nuclear norm, so the minimum is ‖B₁‖_* + ‖B₂‖_*, reached by zeros off the blocks;
/// - connected: a rank-(n−1) target with one entry missing. det is affine in that entry, so the
///   minimum-rank completion is unique (the target); ‖·‖_* is convex in it, so the minimum-nuclear
///   completion is a one-dimensional convex minimisation (golden section to 1e-13).
enum BaiZhaoZhang2024 {
  static let paper = PaperReference("Bai, Zhao & Zhang", 2024, arXiv: "2405.13721")

  /// Whether the observation graph is connected.
  enum Connectivity: String, Sendable {
    case disconnected, connected
  }

  /// One completion problem of either family, trained by GD from a Gaussian init at each scale of a
  /// ladder.
  struct Completion: Sendable, CustomStringConvertible {
    var n: Int
    var connectivity: Connectivity
    var depth: Int
    var initScales: [Double]
    var seed: UInt64
    var description: String {
      let family = connectivity == .disconnected ? "rank 1 on two complete bipartite blocks" : "rank \(n - 1), one entry missing"
      return "\(n)×\(n) \(family), depth \(depth), init \(initScales.map { format($0) }.joined(separator: " → ")), seed \(seed)"
    }

    /// The target, its observed and missing entries, and its minimum-nuclear-norm completion.
    func instance() throws -> Instance {
      var generator = Xoshiro256StarStar(seed: SeedDerivation.derive(seed, "instance"))
      var target = Matrix.zeros(n, n)
      var observed: [Observations.Entry] = []
      var missing: [Observations.Entry] = []
      var reference = Matrix.zeros(n, n)
      switch connectivity {
      case .disconnected:
        let u = (0 ..< n).map { _ in generator.nextGaussian() }, v = (0 ..< n).map { _ in generator.nextGaussian() }
        var rows = Array(0 ..< n), columns = Array(0 ..< n)
        generator.shuffle(&rows)
        generator.shuffle(&columns)
        let rowSplit = generator.nextInt(in: 1 ... n - 1), columnSplit = generator.nextInt(in: 1 ... n - 1)
        let firstRows = Set(rows.prefix(rowSplit)), firstColumns = Set(columns.prefix(columnSplit))
        for j in 0 ..< n {
          for i in 0 ..< n {
            target[i, j] = u[i] * v[j]
            if firstRows.contains(i) == firstColumns.contains(j) {
              observed.append(.init(i, j))
              reference[i, j] = target[i, j]
            } else {
              missing.append(.init(i, j))
            }
          }
        }
      case .connected:
        var a = Matrix.zeros(n, n - 1), b = Matrix.zeros(n - 1, n)
        for j in 0 ..< n - 1 { for i in 0 ..< n { a[i, j] = generator.nextGaussian() } }
        for j in 0 ..< n { for i in 0 ..< n - 1 { b[i, j] = generator.nextGaussian() } }
        target = (1 / Double(n - 1).squareRoot()) * (a * b)
        let hole = Observations.Entry(generator.nextInt(below: n), generator.nextInt(below: n))
        missing = [hole]
        for j in 0 ..< n { for i in 0 ..< n where !(i == hole.row && j == hole.column) { observed.append(.init(i, j)) } }
        reference = target
        reference[hole.row, hole.column] = try Self.minimumNuclearEntry(target, at: hole)
      }
      // Scaled so that σ₁(target) = 1: one step size suits every instance.
      let scale = 1 / (try target.spectralNorm())
      return Instance(target: scale * target, observed: observed, missing: missing, minimumNuclear: scale * reference, minimumNuclearNorm: try (scale * reference).nuclearNorm())
    }

    /// The value of `entry` that minimises ‖·‖_* with every other entry of `target` fixed (golden
    /// section: the norm is convex in one entry, and its minimiser x* satisfies |x*| ≤ ‖M(x*)‖_* ≤
    /// ‖M(0)‖_*).
    static func minimumNuclearEntry(_ target: Matrix, at entry: Observations.Entry) throws -> Double {
      var m = target
      func norm(_ x: Double) throws -> Double {
        m[entry.row, entry.column] = x
        return try m.nuclearNorm()
      }
      let bound = try norm(0)
      var (low, high) = (-bound, bound)
      let ratio = (5.0.squareRoot() - 1) / 2
      var (x1, x2) = (high - ratio * (high - low), low + ratio * (high - low))
      var (f1, f2) = (try norm(x1), try norm(x2))
      while high - low > 1e-13 * Swift.max(1, bound) {
        if f1 <= f2 {
          (high, x2, f2) = (x2, x1, f1)
          x1 = high - ratio * (high - low)
          f1 = try norm(x1)
        } else {
          (low, x1, f1) = (x1, x2, f2)
          x2 = low + ratio * (high - low)
          f2 = try norm(x2)
        }
      }
      return (low + high) / 2
    }

    /// The product after GD from factors with i.i.d. N(0, `initScale`²) entries (the paper's and the
    /// notes' convention: the std of each factor's entries; `Initialization.gaussian` takes the
    /// product's scale (s·√n)^N) on the ½-sum loss, η = 0.1 with σ₁(target) = 1, to L < `lossBelow`
    /// or 2·10⁶ steps; a run that ends above `accepted` is discarded (counted).
    func train(_ instance: Instance, initScale: Double, lossBelow: Double, accepted: Double) throws -> Matrix {
      let productScale = pow(initScale * Double(n).squareRoot(), Double(depth))
      let result = try ClaimKit.train(TrainingProblem(
        target: instance.target, observations: .entries(instance.observed), depth: depth,
        initialization: .gaussian(scale: productScale, seed: SeedDerivation.derive(seed, "init")), loss: .halfSum,
        method: .descent(.gradientDescent(GradientDescent(learningRate: 0.1))), stop: StopRule(maxSteps: 2_000_000, lossBelow: lossBelow),
        recording: .everySteps(10_000_000)))
      try assume(result.loss < accepted, "init \(format(initScale)) had not fitted the observations to \(format(accepted)) after \(result.steps) steps (loss \(format(result.loss)))")
      return result.product
    }
  }

  /// A target, its observed and missing entries, and its minimum-nuclear-norm completion.
  struct Instance: Sendable {
    var target: Matrix
    var observed: [Observations.Entry]
    var missing: [Observations.Entry]
    var minimumNuclear: Matrix
    var minimumNuclearNorm: Double

    /// The largest |X − target| over the missing entries.
    func distanceToTarget(_ x: Matrix) -> Double {
      missing.map { abs(x[$0.row, $0.column] - target[$0.row, $0.column]) }.max() ?? 0
    }
  }

  static func completions(_ connectivity: Connectivity, depth: Int, initScales: [Double]) -> Gen<Completion> {
    zip(Gen<Int>.int(in: 3 ... 5), Gen<UInt64>.seed).map { Completion(n: $0, connectivity: connectivity, depth: depth, initScales: initScales, seed: $1) }
  }

  // MARK: - BZ1

  static let disconnected = ClaimSetting(
    cases: completions(.disconnected, depth: 2, initScales: [1e-3]), budget: .cases(quick: 6, ci: 20, full: 100),
    hypotheses: [
      "n ∈ {3, 4, 5}; a rank-1 target u vᵀ (u, v standard Gaussian), scaled to σ₁ = 1, observed on R₁×C₁ ∪ R₂×C₂ for a random split of the rows and of the columns",
      "depth 2, factor entries N(0, 1e-3²), GD η = 0.1 on ½‖·‖² to L < 1e-12 or 2·10⁶ steps (a run that ends above 1e-11 is discarded and counted)",
    ])

  static let bz1NuclearExcess = Threshold(
    .nuclearExcess, 0 ... 1e-4,
    source: "Bai et al. 2024, Section 4 (disconnected observations with complete bipartite components: minimum nuclear norm). Calibration: see Fixtures/calibration/BZ1.json; a first look (12 numpy runs) gave 1e-6 … 1.2e-5 at init 1e-3, against 5.8e-4 … 0.11 for the connected family's GD solutions where their minimum-rank and minimum-nuclear completions differ")

  static let disconnectedMeansMinimumNuclearNorm = Claim.forEvery(
    id: "bai-zhao-zhang.disconnected-minimum-nuclear-norm", code: "BZ1", paper: paper.at("Section 4 (disconnected observation graphs) and Figure 1"),
    thresholds: [bz1NuclearExcess],
    statement: "When the observation graph is disconnected with complete bipartite components, gradient descent from small init ends at the minimum nuclear norm Σ_c ‖B_c‖_* (the pinching bound), not at the minimum rank.",
    hypotheses: ["reference: the pinching bound ‖B₁‖_* + ‖B₂‖_*, exact for this family"],
    findings: [
      "the paper's body was not read (its abstract and secondary summaries were): the family, the exact reference and the thresholds are this project's",
      "the minimum-nuclear completions form a face that also holds rank-1 matrices ([a₁; c·a₂][b₁; b₂/c]ᵀ at the right c reaches the bound), so 'not the minimum rank' is a statement about which point of the face GD picks: in the notes' 3×3 case three seeds gave three different completions, each of rank 2, none the rank-1 truth (‖·‖_* 1.2354 against 1.0985)",
    ],
    operationalDefinition: "|‖W‖_*/ν* − 1| at the end of training, ν* the instance's minimum nuclear norm (the pinching bound, or for the connected family the golden-section minimum over the missing entry)",
    setting: disconnected,
    counter: disconnected.changingEachCase("a connected graph (a rank-(n−1) target with one entry missing): GD ends near the minimum-rank completion, above the minimum nuclear norm") { $0.connectivity = .connected }
  ) { c in
    let instance = try c.instance()
    // L < 1e-11 leaves residuals below 4.5e-6, which move ‖W‖_* by about that much relative: 20×
    // below the interval. The last digits of the fit come slowly here (the loss was still 3e-12 after
    // 2·10⁵ steps in a numpy look): a first calibration that asked for 1e-13 discarded 195 of 399 runs.
    let w = try c.train(instance, initScale: c.initScales[0], lossBelow: 1e-12, accepted: 1e-11)
    let excess = abs(try w.nuclearNorm() / instance.minimumNuclearNorm - 1)
    PropertyContext.measure("σ₂/σ₁ of W", try { let s = try w.singularValues(); return s[1] / s[0] }())
    return Measurement("|‖W‖_*/min ‖·‖_* − 1|", excess, threshold: .nuclearExcess)
  }
  .varying(SettingVariable<Completion>("init-scale", meaning: "the std of every factor entry at init", current: 1e-3) { $0.initScales = [$1] })
  .limit("init-scale", rungs: [3e-2, 1e-2, 3e-3, 1e-3], "init → 0")

  // MARK: - BZ2

  static let connected = ClaimSetting(
    cases: completions(.connected, depth: 3, initScales: [1e-1, 1e-2]), budget: .cases(quick: 32, ci: 64, full: 200),
    hypotheses: [
      "n ∈ {3, 4, 5}; a rank-(n−1) target A B/√(n−1) (A, B standard Gaussian), scaled to σ₁ = 1, one entry missing",
      "depth 3, factor entries N(0, s²) for s = 1e-1 then 1e-2, GD η = 0.1 on ½‖·‖² to L < 1e-13 or 2·10⁶ steps (a run that ends above 1e-9 is discarded and counted)",
      "an instance whose minimum-nuclear completion is within 1e-3 of the target in the missing entry is discarded (counted): there the two biases agree",
    ])

  static let bz2Distance = Threshold(
    .relativeDistance, 0 ... 0.02,
    source: "Bai et al. 2024, Section 5 (connected observations: minimum rank) and the notes' 4×4 rank-3 example (depth 3: −1.06125 at init 1e-1, −1.06133 at 1e-2 against the minimum-rank −1.0613 and minimum-nuclear −0.7097). Calibration: Fixtures/calibration/BZ2.json")

  static let connectedMeansMinimumRank = Claim.statistical(
    id: "bai-zhao-zhang.connected-minimum-rank", code: "BZ2", paper: paper.at("Section 5 (connected observation graphs) and Figure 1"),
    thresholds: [bz2Distance],
    statement: "When the observation graph is connected, the completion approaches the minimum-rank one as the init shrinks, and at depth 3 from small init it is within a small fraction of the minimum-rank/minimum-nuclear gap of it: GD does not end at the minimum nuclear norm.",
    hypotheses: ["the minimum-rank completion is the target (det is affine in the missing entry)"],
    findings: [
      "the paper's body was not read (its abstract and secondary summaries were); it states minimum rank under a dynamics condition, not for every instance, so the claim is statistical",
      "first calibration at P ≥ 0.95 (200 cases): 185 of 205 held (rate [0.853, 0.939]); the misses end up to 20 gaps away (q99) or farther than from the larger init, and 9 of 11 run seeds were inconclusive. So the claim is 'typically' (P ≥ 0.8 against 0.4): about one connected instance in ten is not completed at its minimum rank from init 1e-2 at depth 3. The record (runs accepted once L < 1e-9, which keeps the slow ones) has 186 of 209 holding, 21 of 21 run seeds holding",
      "on about a third of the connected instances drawn (104 of 313 in the record) the minimum-nuclear completion is the target itself (to 1e-14): there the two biases agree and the case is discarded",
      "depth 2 does not approach monotonically on every instance: a numpy look at 4 instances with the two completions apart (η 0.02, init 1e-1, 1e-2, 1e-3) gave distances 1.36 → 0.16 → 0.002, 0.19 → 0.002 → 0, 0.11 → 0.14 → 0 and 0.86 → 3.6 → 2.8 gaps; at depth 3 they were 0.048 → 0, 0.006 → 0, 0.085 → 0 and 2.97 → 0.012 (not yet fitted)",
    ],
    operationalDefinition: "d(s) = max over missing entries |W_ij(s) − M_ij| / max |X*_ij − M_ij|, X* the minimum-nuclear completion, W(s) the product trained from init s; holds when d(1e-2) is in the interval and d(1e-2) ≤ d(1e-1)",
    design: .typically, setting: connected,
    counter: { $0.changingEachCase("a disconnected graph (a rank-1 target on two complete bipartite blocks): GD ends on the minimum-nuclear face, away from the target") { $0.connectivity = .disconnected } }
  ) { c in
    let instance = try c.instance()
    let gap = instance.distanceToTarget(instance.minimumNuclear)
    try assume(gap >= 1e-3, "the minimum-nuclear completion is within \(format(gap)) of the target")
    // A fit to L < 1e-9 leaves residuals below 4.5e-5, under 5 % of the smallest gap judged: the
    // disconnected family at depth 3 (the counter-setting) creeps below 1e-12 only after 2·10⁶ steps.
    let distances = try c.initScales.map { instance.distanceToTarget(try c.train(instance, initScale: $0, lossBelow: 1e-13, accepted: 1e-9)) / gap }
    let last = distances[distances.count - 1]
    return Measurement(
      "distance to the minimum-rank completion / its distance to the minimum-nuclear one", last, threshold: .relativeDistance,
      and: [.condition("no farther than at the larger init", zip(distances, distances.dropFirst()).allSatisfy { $1 <= $0 })])
  }

  static let claims: [Claim] = [disconnectedMeansMinimumNuclearNorm, connectedMeansMinimumRank]
}
