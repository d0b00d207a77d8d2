public import DeepFactorization
import Synchronization

/// The training problems a case ran, in order: `dmf replay` prints them and exports one as a
/// problem file. Collected by ``train(_:observers:)`` while ``TrainingLog/collecting(_:)`` runs.
public final class TrainingLog: Sendable {
  @TaskLocal static var current: TrainingLog?
  private let problems = Mutex<[TrainingProblem]>([])

  /// An empty log.
  public init() {}

  /// The problems trained so far.
  public var entries: [TrainingProblem] { problems.withLock { $0 } }

  func append(_ problem: TrainingProblem) {
    problems.withLock { $0.append(problem) }
  }

  /// Runs `body` with this log collecting every problem ``train(_:observers:)`` trains inside it
  /// (child tasks included).
  public func collecting<T>(_ body: () async throws -> T) async rethrows -> T {
    try await Self.$current.withValue(self) { try await body() }
  }
}
