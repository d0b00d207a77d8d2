public import DeepFactorization
import Foundation
import LinearAlgebra
import Synchronization

/// Streams a paper-scale run's trajectory to disk as it is produced, one JSON line a record point
/// (`step`, `loss`, the top singular values), so that a killed multi-hour job keeps every record it
/// reached. `dmf verify --profile paper --report DIR` sets the directory to `DIR/trajectories`;
/// nothing is written while it is unset (as under `swift test`).
public final class TrajectoryStream: TrainingObserver {
  private static let root = Mutex<String?>(nil)

  /// Where claims stream their runs' trajectories (nil: they do not).
  public static var directory: String? {
    get { root.withLock { $0 } }
    set { root.withLock { $0 = newValue } }
  }

  private let handle: FileHandle
  private let topValues: Int

  /// A stream into `directory/name.jsonl` (replacing an earlier file of that name, as a re-run case
  /// does), or nil when no directory is set or the file cannot be created.
  init?(name: String, topValues: Int = 10) {
    guard let directory = Self.directory else { return nil }
    let path = directory + "/" + name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" } + ".jsonl"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else { return nil }
    self.handle = handle
    self.topValues = topValues
  }

  deinit { try? handle.close() }

  /// Writes one line for the record point and hands it to the file at once.
  public func observe(_ snapshot: TrainingSnapshot) {
    let sigma = ((try? snapshot.product.singularValues()) ?? []).prefix(topValues)
    func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "\"\(x)\"" }
    let line = "{\"step\":\(snapshot.step),\"loss\":\(number(snapshot.loss)),\"singularValues\":[\(sigma.map(number).joined(separator: ","))]}\n"
    try? handle.write(contentsOf: Data(line.utf8))
  }

  /// The stream for `name` as an observer list (empty when nothing is streamed); the sensitivity
  /// check's perturbed re-run of a case streams beside it, as `name-perturbed`.
  package static func observers(_ name: String) -> [any TrainingObserver] {
    TrajectoryStream(name: name + (roundingPerturbation == nil ? "" : "-perturbed")).map { [$0] } ?? []
  }
}
