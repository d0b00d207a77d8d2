public import DeepFactorization
public import TensorFactorization
import Synchronization

/// The training problems a case ran, in order: `dmf replay` prints them and exports one as a
/// problem file. Collected by ``train(_:observers:)`` (matrices) and `trainCP` (CP tensors) and `trainHT` (hierarchical tensors) while
/// ``TrainingLog/collecting(_:)`` runs.
public final class TrainingLog: Sendable {
  /// One training problem a case ran.
  public enum Entry: Sendable {
    /// A deep matrix factorization (`dmf train` reads it as a problem file).
    case matrix(TrainingProblem)
    /// A CP tensor factorization (`dmf train` reads it as a tensor problem file).
    case tensor(CPProblem)
    /// A hierarchical tensor factorization (`dmf train` reads it as a tensor problem file).
    case hierarchical(HTProblem)

    /// The run's method family (optimizer or gradient flow).
    public var family: TrainingMethod.Family {
      switch self {
      case .matrix(let problem): problem.method.family
      case .tensor(let problem): problem.method.family
      case .hierarchical(let problem): problem.method.family
      }
    }
  }

  @TaskLocal static var current: TrainingLog?
  private let problems = Mutex<[Entry]>([])

  /// An empty log.
  public init() {}

  /// The problems trained so far.
  public var entries: [Entry] { problems.withLock { $0 } }

  func append(_ entry: Entry) {
    problems.withLock { $0.append(entry) }
  }

  /// Runs `body` with this log collecting every problem trained inside it (child tasks included).
  public func collecting<T>(_ body: () async throws -> T) async rethrows -> T {
    try await Self.$current.withValue(self) { try await body() }
  }

  /// Runs `body` with this log collecting every problem trained inside it.
  public func collecting<T>(_ body: () throws -> T) rethrows -> T {
    try Self.$current.withValue(self) { try body() }
  }
}
