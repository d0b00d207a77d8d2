import ArgumentParser
import Foundation
import PropertyTesting
import Synchronization

/// A results file (`results.jsonl`, `shard-K-of-N.jsonl`): one JSON line per claim, appended and
/// flushed as each claim finishes, so an interrupted run loses nothing.
struct ResultsFile {
  /// The file's path.
  let path: String
  private let handle: FileHandle

  /// Opens `directory/name` for appending, creating both if missing; unless `resuming`, an existing
  /// file is emptied first. The file is locked first (``lock(_:)``), so a second run into it refuses
  /// instead of interleaving or erasing lines; shards writing their own files into one directory do
  /// not conflict.
  init(directory: String, name: String, resuming: Bool) throws {
    path = directory + "/" + name
    try Self.lock(path)
    do {
      if !resuming || !FileManager.default.fileExists(atPath: path) {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteNoPermission) }
      }
      handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      handle.seekToEndOfFile()
    } catch {
      throw Verify.failInput("--report: cannot write \(path) (\(PathProblem.writing(path, error)))")
    }
  }

  /// The results files this process holds the lock of, with the lock file's descriptor.
  private static let held = Mutex<[String: Int32]>([:])

  /// Takes the lock of the results file at `path` (`PATH.lock`, created with its directory), held
  /// until the process ends, even when it is killed. A run takes it before it reads, rewrites or
  /// empties the file, so a second run (a concurrent `--resume` too) refuses before touching it.
  /// Taking it again in the same process is a no-op.
  static func lock(_ path: String) throws {
    if held.withLock({ $0[path] != nil }) { return }
    let directory = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw Verify.failInput("--report: cannot create \(directory) (\(PathProblem.creatingDirectory(directory, error)))")
    }
    let lock = open(path + ".lock", O_CREAT | O_RDWR, 0o644)
    guard lock >= 0 else { throw Verify.failInput("--report: cannot create \(path).lock (\(String(cString: strerror(errno))))") }
    guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
      _ = Foundation.close(lock)
      throw Verify.failInput("--report: another dmf run is writing \(path) (it holds \(path).lock); wait for it to finish or use another directory")
    }
    held.withLock { $0[path] = lock }
  }

  /// Appends one line with its ``LineCheck``, whole or not at all: a failed write (a full disk)
  /// truncates the file back to the lines before it and is one message with exit 2.
  func append(_ line: String) throws {
    let offset = handle.offsetInFile
    do {
      try handle.write(contentsOf: Data((LineCheck.sealed(line) + "\n").utf8))
    } catch {
      try? handle.truncate(atOffset: offset)
      throw Verify.failInput("--report: cannot write \(path) (\(PathProblem.writing(path, error))); it keeps the claims finished before this one, and --resume continues from them")
    }
  }

  /// Closes the file.
  func close() {
    try? handle.close()
  }

  /// The lines of a results file, decoded, or a message naming the file and the line that is not one
  /// (or whose ``LineCheck`` fails: edited, or written by another build).
  static func read(_ path: String, option: String) throws -> [ResultLine] {
    guard let data = FileManager.default.contents(atPath: path) else { throw Verify.failInput("\(option): cannot read \(path)") }
    var lines: [ResultLine] = []
    for (number, text) in Self.lines(of: data).enumerated()
    where !text.allSatisfy(\.isWhitespace) {
      // A line whose check does not match is another build's (whose format may differ too), and a
      // JSON object without a check is not this build's either; anything else is not a result line.
      let (line, finding) = LineCheck.unsealed(text)
      let refused = { (problem: String) in Verify.failInput("\(option): \(path):\(number + 1) \(problem); run that shard again with this build") }
      if finding == .mismatch, let problem = finding.problem { throw refused(problem) }
      do {
        lines.append(try PropertyResult.lineDecoder().decode(ResultLine.self, from: Data(line.utf8)))
      } catch {
        if let problem = finding.problem, (try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any] { throw refused(problem) }
        throw Verify.failInput("\(option): \(path):\(number + 1) is not a result line of dmf verify (\(Self.reason(error)))")
      }
      if let problem = finding.problem { throw refused(problem) }
    }
    return lines
  }

  /// The lines of a results file to resume from, each with its text and what its ``LineCheck``
  /// found, and the text of a last line cut by a crash or a full disk (no newline, not a result),
  /// left out of the lines; any other line that is not a result is an error.
  static func readForResume(_ path: String) throws -> (lines: [(text: String, line: ResultLine, check: LineCheck.Finding)], cut: String?) {
    guard let data = FileManager.default.contents(atPath: path) else { throw Verify.failInput("--resume: cannot read \(path)") }
    let texts = Self.lines(of: data)
    var lines: [(String, ResultLine, LineCheck.Finding)] = []
    for (number, text) in texts.enumerated() where !text.allSatisfy(\.isWhitespace) {
      let (line, finding) = LineCheck.unsealed(text)
      do {
        lines.append((String(text), try PropertyResult.lineDecoder().decode(ResultLine.self, from: Data(line.utf8)), finding))
      } catch {
        if number == texts.count - 1 && data.last != UInt8(ascii: "\n") { return (lines, String(text)) }
        throw Verify.failInput("--resume: \(path):\(number + 1) is not a result line of dmf verify (\(Self.reason(error)))")
      }
    }
    return (lines, nil)
  }

  /// Appends `lines` to the set-aside file at `path` (created if missing): what `--resume` keeps of
  /// a results file's lines that do not belong to the run, before it rewrites the file without them.
  static func keep(_ lines: [String], in path: String) throws {
    do {
      if !FileManager.default.fileExists(atPath: path) {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteNoPermission) }
      }
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
      try handle.synchronize()
    } catch {
      throw Verify.failInput("--resume: cannot keep the set-aside lines in \(path) (\(PathProblem.writing(path, error))); nothing was changed")
    }
  }

  /// The file's lines, each without its line end and trailing blanks: a file whose line ends became
  /// CRLF or that gained trailing spaces (an editor, a copy through Windows) reads as it was written,
  /// since JSON ignores both; the line checks then see the text that was sealed.
  static func lines(of data: Data) -> [Substring] {
    String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { line in
      var line = line
      while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
      return line
    }
  }

  /// Replaces the file with `lines` (written to a temporary file, then renamed over it).
  static func rewrite(_ path: String, lines: [String]) throws {
    let temporary = path + ".rewrite"
    do {
      try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: temporary))
      guard Foundation.rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw Verify.failInput("--resume: cannot rewrite \(path) (\(PathProblem.writing(path, error)))")
    }
  }

  private static func reason(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): "no \"\(key.stringValue)\""
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context):
      context.codingPath.isEmpty ? "not JSON" : "bad \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
    default: "\(error)"
    }
  }
}

/// What `dmf verify --resume` and `dmf merge` read back from a results line.
struct ResultLine: Decodable {
  /// The claim id.
  var id: String
  /// The full result (with the recorded cases, for a shard).
  var result: PropertyResult
  /// The OpenBLAS kernel and thread count the line was computed with.
  var openblas: String?
}
