import Baselines
import Benchmark
import DeepFactorization
import Foundation
import LinearAlgebra
import Problems

// Minimum nuclear norm, |X_ij − M_ij| ≤ 1e-3 on the observed entries (Arora et al.'s cvxpy form),
// on the instances in Benchmarks/instances/ — the same files the cvxpy + SCS peer solves
// (peers/cvxpy_nuclear.py). The solver runs at the relative tolerance that matches SCS's accuracy
// on these instances; the objective gaps are printed once per instance.

func load(_ name: String) -> NuclearNormProblem {
  let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("instances/\(name).json").path
  let data = FileManager.default.contents(atPath: path)!
  let problem = try! ProblemFile.decode(data).trainingProblem()
  guard case .entries(let entries) = problem.observations else { fatalError("\(name) is not a completion instance") }
  return .completion(target: problem.target, observed: entries.map { .init($0.row, $0.column) })
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock], warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 20)

  for name in ["nnm-30x30-r2-m250", "nnm-100x100-r5-m2000"] {
    let problem = load(name)
    let reference = try! NuclearNormSolver(constraint: .withinTolerance(1e-3), relativeTolerance: 1e-10, maxIterations: 100_000).solve(problem)
    for tolerance in [1e-4, 1e-5] {
      let solver = NuclearNormSolver(constraint: .withinTolerance(1e-3), relativeTolerance: tolerance, maxIterations: 100_000)
      let check = try! solver.solve(problem)
      print("\(name) tol \(tolerance): \(check.report); objective gap to reference \((check.report.objective - reference.report.objective) / reference.report.objective) (reference \(reference.report.objective))")
      Benchmark("nnm \(name) tol \(tolerance)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try! solver.solve(problem)) }
      }
    }
  }
}
