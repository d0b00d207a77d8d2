import Foundation

/// A directory of shrunk failing cases, replayed first on the next run of the same property.
///
/// Layout: `<directory>/<property>-<name hash>/<tape hash>.token`, one replay token per file.
/// Entries that no longer fail are deleted when replayed. Keyed by the property's stable name, so
/// entries survive edits of the property's code. Point CI artifacts or a shared disk at it.
public struct FailureDatabase: Sendable {
  /// The root directory.
  public var directory: String

  /// A database rooted at `directory` (created on first write).
  public init(directory: String) {
    self.directory = directory
  }

  /// Why the database cannot be used at `directory`, or nil once it is a directory a file can be
  /// written in (created if missing, as a user who names it expects).
  public static func problem(directory: String) -> String? {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
      return "\(directory) is a file, not a directory"
    }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      let probe = directory + "/.write-probe-\(ProcessInfo.processInfo.processIdentifier)"
      guard FileManager.default.createFile(atPath: probe, contents: Data()) else { return "\(directory) is not writable" }
      try? FileManager.default.removeItem(atPath: probe)
    } catch {
      return "\(directory) cannot be created"
    }
    return nil
  }

  private func folder(for name: String) -> String {
    let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }.prefix(80))
    return directory + "/" + safe + "-" + hex(PropertyIdentity.hash(name))
  }

  private func file(for token: ReplayToken, name: String) -> String {
    folder(for: name) + "/" + hex(tapeHash(token.tape)) + ".token"
  }

  /// The stored tokens of property `name`, in file-name order; unreadable entries are skipped.
  public func tokens(for name: String) -> [ReplayToken] {
    let path = folder(for: name)
    guard let files = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
    return files.sorted().filter { $0.hasSuffix(".token") }.compactMap { file in
      guard let text = try? String(contentsOfFile: path + "/" + file, encoding: .utf8) else { return nil }
      return try? ReplayToken(parsing: text)
    }
  }

  /// Stores a failing case (written whole: a temporary file renamed into place), or says why it
  /// could not: the path and the cause.
  public func save(_ token: ReplayToken, for name: String) throws(FailureDatabaseError) {
    let path = folder(for: name), target = file(for: token, name: name)
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      try (token.description + "\n").write(toFile: target, atomically: true, encoding: .utf8)
    } catch {
      throw FailureDatabaseError(path: target, cause: (error as NSError).localizedDescription)
    }
  }

  /// Deletes a case that no longer fails.
  public func delete(_ token: ReplayToken, for name: String) {
    try? FileManager.default.removeItem(atPath: file(for: token, name: name))
  }
}

/// Pinned counterexamples: committed replay tokens that are run as explicit examples every time.
///
/// File: `<directory>/<property name>.tokens`, one token per line; blank lines and lines starting
/// with `#` are ignored.
public enum PinnedExamples {
  /// The tokens pinned for property `name`, or the error naming a bad line.
  public static func tokens(in directory: String, for name: String) throws -> [ReplayToken] {
    let path = directory + "/" + name + ".tokens"
    guard FileManager.default.fileExists(atPath: path) else { return [] }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var tokens: [ReplayToken] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = String(line).trimmingWhitespace()
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      do {
        tokens.append(try ReplayToken(parsing: String(trimmed)))
      } catch {
        throw PinnedExampleError(path: path, line: number + 1, reason: error.description)
      }
    }
    return tokens
  }
}

/// A pinned-examples file with a bad line.
public struct PinnedExampleError: Error, CustomStringConvertible {
  /// The file.
  public var path: String
  /// The one-based line number.
  public var line: Int
  /// What is wrong.
  public var reason: String

  /// `path:line: reason`.
  public var description: String { "\(path):\(line): \(reason)" }
}

private func tapeHash(_ tape: Tape) -> UInt64 {
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in tape.bytes {
    hash ^= UInt64(byte)
    hash &*= 0x0000_0100_0000_01B3
  }
  return hash
}

/// A failing case the database could not store: where, and why.
public struct FailureDatabaseError: Error, Sendable, CustomStringConvertible {
  /// The token file it was writing.
  public var path: String
  /// What the system said.
  public var cause: String
  /// `cannot store /x/y.token (No space left on device)`.
  public var description: String { "cannot store \(path) (\(cause))" }
}
