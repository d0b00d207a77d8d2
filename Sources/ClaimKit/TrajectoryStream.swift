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
  private let path: String
  private let topValues: Int
  /// Set by the first write that failed: the file keeps its whole lines and gets no more.
  private(set) var stopped = false

  /// What went wrong with the streams so far, reported once a path (a full disk fails every file).
  private static let reported = Mutex<Set<String>>([])  // membership only

  /// Says once on standard error that the trajectory file at `path` could not be written, and why.
  static func report(_ path: String, _ cause: String) {
    let first = reported.withLock { $0.insert(path).inserted }
    guard first else { return }
    FileHandle.standardError.write(Data("dmf: warning: cannot write the trajectory \(path) (\(cause)); it keeps the records written before, and the run goes on\n".utf8))
  }

  /// A stream into `directory/name.jsonl` (replacing an earlier file of that name, as a re-run case
  /// does), or nil when no directory is set or the file cannot be created (said once, with why).
  init?(name: String, topValues: Int = 10) {
    guard let directory = Self.directory else { return nil }
    let path = directory + "/" + name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" } + ".jsonl"
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      Self.report(path, "cannot create \(directory)")
      return nil
    }
    // Opened in place (created or emptied), not replaced: a file another tool set up stays that file.
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else {
      Self.report(path, String(cString: strerror(errno)))
      return nil
    }
    self.handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    self.path = path
    self.topValues = topValues
  }

  deinit { try? handle.close() }

  /// Writes one line for the record point and hands it to the file at once; a write that fails (a
  /// full disk) is cut back to the lines before it, said once, and ends the stream.
  public func observe(_ snapshot: TrainingSnapshot) {
    guard !stopped else { return }
    let sigma = ((try? snapshot.product.singularValues()) ?? []).prefix(topValues)
    func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "\"\(x)\"" }
    let line = "{\"step\":\(snapshot.step),\"loss\":\(number(snapshot.loss)),\"singularValues\":[\(sigma.map(number).joined(separator: ","))]}\n"
    let offset = handle.offsetInFile
    do {
      try handle.write(contentsOf: Data(line.utf8))
    } catch {
      try? handle.truncate(atOffset: offset)
      stopped = true
      Self.report(path, error.localizedDescription)
    }
  }

  /// The stream for `name` as an observer list (empty when nothing is streamed); the sensitivity
  /// check's perturbed re-run of a case streams beside it, as `name-perturbed`.
  package static func observers(_ name: String) -> [any TrainingObserver] {
    TrajectoryStream(name: name + (roundingPerturbation == nil ? "" : "-perturbed")).map { [$0] } ?? []
  }
}
