import DeepFactorization
import LinearAlgebra
import PropertyTesting
@testable import ClaimKit
@testable import Properties
import Testing

/// The sensitivity check on real training runs: a planted claim whose outcome is a rounding-level
/// quantity is flagged on every machine, and L2 as it was stated before its reference was made
/// symmetric never holds.
struct SensitivityClaimTests {
  static func runner(cases: Int? = nil) -> PropertyRunner {
    var configuration = RunConfiguration(profile: .quick, seed: 0x5e75, parallelism: 2)
    configuration.sensitivity = SensitivityCheck(cases: cases)
    return PropertyRunner(configuration: configuration)
  }

  /// "The trained loss is reproducible to the last bit": a depth-3 completion run through `train`
  /// (perturbed under the check) against the same run through the engine directly (never perturbed).
  /// Unperturbed, both are the same computation and agree on every machine; perturbed by 1e-12,
  /// the last bits differ.
  static let lastBits = Claim.forEvery(
    id: "planted.last-bits-of-the-loss", code: "P0", paper: PaperReference("planted", 2026, arXiv: "none", at: "SensitivityClaimTests"),
    statement: "The loss after 300 GD steps is the same to the last bit as a second identical run's.",
    hypotheses: ["6×6 rank-2 target, 20 observed entries, depth 3, Gaussian init 0.1, GD η = 0.05"],
    setting: ClaimSetting(cases: Gen<UInt64>.seed, budget: .cases(20)), counter: { $0.changed("none") { _ in } }
  ) { seed in
    let problem = TrainingProblem(
      target: Matrix.gaussian(rows: 6, columns: 2, seed: seed) * Matrix.gaussian(rows: 2, columns: 6, seed: seed &+ 1),
      observations: .entries((0 ..< 20).map { Observations.Entry($0 % 6, ($0 * 5 + $0 / 6) % 6) }), depth: 3,
      initialization: .gaussian(scale: 0.1, seed: seed), loss: .halfSum, method: .descent(.gradientDescent(GradientDescent(learningRate: 0.05))),
      stop: StopRule(maxSteps: 300))
    let reference = try Trainer.train(problem).loss
    let measured = try train(problem).loss
    return Measurement("|Δloss| / loss", abs(measured - reference) / reference, expected: 0 ... 0)
  }

  @Test func aClaimDecidedByTheLastBitsIsFlagged() async throws {
    let result = try await Self.lastBits.run(with: Self.runner())
    #expect(result.verdict == .unhealthy, "\(result.summary)")
    #expect(result.health.contains { $0.check == HealthCheck.numericallyFragile && $0.isError })
  }

  @Test func theSameClaimPassesWithoutTheCheck() async throws {
    // Unperturbed, the two runs are one computation: the flag comes from the check alone.
    let result = try await Self.lastBits.run(with: Self.runner(cases: 0))
    #expect(result.verdict == .passed, "\(result.summary)")
  }

  /// L2 before 2026-12: the rank-1 reference was the width-1 network W₂W₁ from W₂ = W₁ᵀ = 1e-3·e₁,
  /// whose symmetric critical point is a saddle of rank-1 W₂W₁. It held under AVX-512 kernels
  /// (exactly symmetric products) and failed under Haswell and Prescott.
  static let oldL2 = Claim.statistical(
    id: "planted.l2-width-1-reference", code: "P1", paper: LiLuoLyu2021.paper.at("L2 as stated before 2026-12"),
    statement: "The first plateau equals the loss width-1 depth-2 GD reaches from the top eigenvector.",
    hypotheses: ["as L2, with the asymmetric width-1 reference"], design: .mostInstances,
    setting: ClaimSetting(cases: LiLuoLyu2021.cases(scale: 1e-40), budget: .cases(30)), counter: { $0.changed("none") { _ in } }
  ) { c in
    let points = try c.run(steps: 5000, every: 10).trajectory
    let start = points.firstIndex { ($0.singularValues.first ?? 0) > 2 } ?? 0
    let end = points.firstIndex { $0.singularValues.count > 1 && $0.singularValues[1] > 0.144 } ?? points.count - 1
    let flattest = (start ..< max(start + 1, end)).min { k, l in
      abs(points[k + 1].loss - points[k].loss) / points[k].loss < abs(points[l + 1].loss - points[l].loss) / points[l].loss
    } ?? start
    let plateau = points[flattest].loss
    let rankOne = try c.run(along: try c.escapeDirection, steps: 20_000, every: 20_000).loss
    return Measurement("plateau / width-1 loss − 1", plateau / rankOne - 1, expected: -0.01 ... 0.01)
  }

  @Test func theOldL2NeverHolds() async throws {
    let result = try await Self.oldL2.run(with: Self.runner(cases: 10))
    // Fragile where the kernel keeps W₂ = W₁ᵀ exactly (the perturbation breaks it), failing where
    // rounding already does: never a pass.
    #expect(result.verdict == .unhealthy || result.verdict == .fails, "\(result.summary)")
  }
}
