import Foundation

/// The expected intervals of the papers' numbers, read from `Fixtures/papers/expectations.json`
/// (each with its source), so that a researcher can see and adjust what each claim is held to.
public enum PaperNumbers {
  /// One expectation: an interval and where it comes from.
  public struct Entry: Codable, Sendable, Equatable {
    /// The lower end.
    public var low: Double
    /// The upper end (JSON has no infinity: use a large number).
    public var high: Double
    /// The paper, table or reproduction the interval comes from.
    public var source: String
  }

  /// The file, found next to this source tree (`Fixtures/papers/expectations.json`).
  public static let path: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/papers/expectations.json").path

  /// All entries, or the error reading them.
  public static let entries: Result<[String: Entry], PaperNumbersError> = {
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure(PaperNumbersError(message: "cannot read \(path)"))
    }
    do {
      return .success(try JSONDecoder().decode([String: Entry].self, from: data))
    } catch {
      return .failure(PaperNumbersError(message: "\(path): \(error)"))
    }
  }()

  /// The expected interval named `key`; a missing file or key is a failure of the claim that asks.
  public static func interval(_ key: String) throws -> ClosedRange<Double> {
    switch entries {
    case .failure(let error): throw error
    case .success(let table):
      guard let entry = table[key] else { throw PaperNumbersError(message: "\(path) has no entry \"\(key)\"") }
      guard entry.low <= entry.high else { throw PaperNumbersError(message: "\(path): \"\(key)\" has low > high") }
      return entry.low ... entry.high
    }
  }
}

/// The expectations file is missing, unreadable, or lacks a key.
public struct PaperNumbersError: Error, Sendable, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// The message.
  public var description: String { message }
}
