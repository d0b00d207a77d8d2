import ArgumentParser
import Foundation
import PropertyTesting

/// A results file (`results.jsonl`, `shard-K-of-N.jsonl`): one JSON line per claim, appended and
/// flushed as each claim finishes, so an interrupted run loses nothing.
struct ResultsFile {
  /// The file's path.
  let path: String
  private let handle: FileHandle

  /// Opens `directory/name` for appending, creating both if missing; unless `resuming`, an existing
  /// file is emptied first.
  init(directory: String, name: String, resuming: Bool) throws {
    path = directory + "/" + name
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      if !resuming || !FileManager.default.fileExists(atPath: path) {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteNoPermission) }
      }
      handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      handle.seekToEndOfFile()
    } catch {
      throw Verify.failInput("--report: cannot write \(path) (\(error.localizedDescription))")
    }
  }

  /// Appends one line.
  func append(_ line: String) {
    handle.write(Data((line + "\n").utf8))
  }

  /// Closes the file.
  func close() {
    try? handle.close()
  }

  /// The lines of a results file, decoded, or a message naming the file and the line that is not one.
  static func read(_ path: String, option: String) throws -> [ResultLine] {
    guard let data = FileManager.default.contents(atPath: path) else { throw Verify.failInput("\(option): cannot read \(path)") }
    var lines: [ResultLine] = []
    for (number, text) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !text.allSatisfy(\.isWhitespace) {
      do {
        lines.append(try PropertyResult.lineDecoder().decode(ResultLine.self, from: Data(text.utf8)))
      } catch {
        throw Verify.failInput("\(option): \(path):\(number + 1) is not a result line of dmf verify (\(Self.reason(error)))")
      }
    }
    return lines
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
