public import DeepFactorization
public import LinearAlgebra
import PropertyTesting

/// A training run went wrong in a way that must never count as a pass.
public struct TrainingFailure: Error, CustomStringConvertible {
  /// What happened.
  public var message: String
  /// The message.
  public var description: String { message }

  /// A failure saying `message`.
  public init(message: String) {
    self.message = message
  }
}

/// Trains `problem`; a diverged run is a failure of the case, reported with its step.
///
/// When the harness re-runs the case for its sensitivity check, the initial factors are perturbed
/// by a relative 1e-12 (``roundingPerturbation``) unless the problem sets its own perturbation.
public func train(_ problem: TrainingProblem, observers: [any TrainingObserver] = []) throws -> TrainingResult {
  let result = try trainAllowingDivergence(problem, observers: observers)
  if result.status == .diverged {
    throw PropertyFailure("training diverged at step \(result.steps) (loss \(result.loss))")
  }
  return result
}

/// Trains `problem` as ``train(_:observers:)`` does (the sensitivity check's perturbation, the replay
/// log), but returns a diverged run as a result: for claims about where training diverges (EO2's
/// ladder), where divergence is an outcome to classify, not a failure of the case.
public func trainAllowingDivergence(_ problem: TrainingProblem, observers: [any TrainingObserver] = []) throws -> TrainingResult {
  var problem = problem
  if problem.perturbation == nil { problem.perturbation = roundingPerturbation }
  TrainingLog.current?.append(.matrix(problem))
  return try Trainer.train(problem, observers: observers)
}

/// The rounding-level perturbation of the case being run, while the harness re-runs it for its
/// sensitivity check (`nil` otherwise). Claims whose numerics do not go through ``train(_:observers:)``
/// apply it to their own starting point.
public var roundingPerturbation: InitialPerturbation? {
  PropertyContext.perturbationSeed.map { InitialPerturbation(seed: $0) }
}

/// Records every snapshot's product (and step/time/loss) for claims that look along the trajectory.
public final class ProductRecorder: TrainingObserver {
  /// The recorded (step, time, loss, W, factors).
  public private(set) var snapshots: [TrainingSnapshot] = []

  /// An empty recorder.
  public init() {}

  /// Stores the snapshot.
  public func observe(_ snapshot: TrainingSnapshot) {
    snapshots.append(snapshot)
  }
}

/// Records |W11|, the nuclear, Frobenius and spectral norms and the effective rank at every
/// snapshot (Razin & Cohen's Figure 1 quantities; R10 and the report's Figure 1 use it).
public final class NormRecorder: TrainingObserver {
  /// One record point.
  public struct Point: Sendable {
    /// The loss, |W11|, ‖W‖_*, ‖W‖_F, ‖W‖_2 and erank(W).
    public var loss: Double, w11: Double, nuclear: Double, frobenius: Double, spectral: Double, erank: Double

    /// A point.
    public init(loss: Double, w11: Double, nuclear: Double, frobenius: Double, spectral: Double, erank: Double) {
      (self.loss, self.w11, self.nuclear, self.frobenius, self.spectral, self.erank) = (loss, w11, nuclear, frobenius, spectral, erank)
    }
  }

  /// The recorded points, in order.
  public private(set) var points: [Point] = []

  /// An empty recorder.
  public init() {}

  /// Records the snapshot's quantities.
  public func observe(_ snapshot: TrainingSnapshot) {
    let sigma = (try? snapshot.product.singularValues()) ?? []
    points.append(Point(
      loss: snapshot.loss, w11: abs(snapshot.product[0, 0]), nuclear: SpectralFunctions.nuclearNorm(sigma), frobenius: snapshot.product.frobeniusNorm,
      spectral: sigma.first ?? .nan, erank: (try? snapshot.product.effectiveRank()) ?? .nan))
  }
}

/// Relative Frobenius error ‖W − M‖_F/‖M‖_F.
public func relativeError(_ w: Matrix, _ m: Matrix) -> Double {
  (w - m).frobeniusNorm / m.frobeniusNorm
}

/// Arora et al.'s test error: mean over all entries of (W − W*)², the squared relative error for
/// their normalisation.
public func aroraError(_ w: Matrix, _ m: Matrix) -> Double {
  let d = w - m
  return d.frobeniusNorm * d.frobeniusNorm / Double(m.count)
}

/// The least-squares slope of y against x (at least two distinct x).
package func leastSquaresSlope(x: [Double], y: [Double]) -> Double {
  let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
  return zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
}
