import DeepFactorization
import PropertyTesting
package import TensorFactorization

/// Trains a CP problem for a claim: under the harness's sensitivity re-run the problem's
/// perturbation is the rounding-level one (a relative 1e-12 on the starting parameters), unless it
/// sets its own, as ``train(_:observers:)`` does for matrices; a diverged run is a failure of the
/// case. A claim that compares the run with its own starting point perturbs that point itself and
/// passes `perturbing: false`.
package func trainCP(_ problem: CPProblem, perturbing: Bool = true) throws -> CPTrainingResult {
  var problem = problem
  if perturbing && problem.perturbation == nil { problem.perturbation = roundingPerturbation }
  TrainingLog.current?.append(.tensor(problem))
  let result = CPTrainer.train(problem)
  if result.status == .diverged {
    throw PropertyFailure("CP training diverged at step \(result.steps) (loss \(result.loss))")
  }
  return result
}

/// Trains a hierarchical tensor factorization problem for a claim, as ``trainCP(_:perturbing:)`` does a
/// CP one: the sensitivity re-run's rounding-level perturbation unless the problem sets its own; a
/// diverged run is a failure of the case.
package func trainHT(_ problem: HTProblem, perturbing: Bool = true) throws -> HTTrainingResult {
  var problem = problem
  if perturbing && problem.perturbation == nil { problem.perturbation = roundingPerturbation }
  TrainingLog.current?.append(.hierarchical(problem))
  let result = HTTrainer.train(problem)
  if result.status == .diverged {
    throw PropertyFailure("HT training diverged at step \(result.steps) (loss \(result.loss))")
  }
  return result
}

/// Trains a deep CP factorization for a claim, as ``trainCP(_:perturbing:)`` does a CP one. Deep CP
/// problems have no problem-file kind, so the run is not added to the case's training log (its
/// replay shows the case, not a file to train).
package func trainDeepCP(_ problem: DeepCPProblem, perturbing: Bool = true) throws -> CPTrainingResult {
  var problem = problem
  if perturbing && problem.perturbation == nil { problem.perturbation = roundingPerturbation }
  let result = DeepCPTrainer.train(problem)
  if result.status == .diverged {
    throw PropertyFailure("deep CP training diverged at step \(result.steps) (loss \(result.loss))")
  }
  return result
}
