/// One of N deterministic slices of a run's generated cases: shard K (1 ≤ K ≤ N) takes the case
/// indices i with i mod N = K − 1, of every property.
///
/// Case seeds depend only on the run seed, the property's name and the case index, so a case is the
/// same whichever shard, machine or process runs it; `dmf merge` replays the shards' cases in index
/// order through the same decision rules as an unsharded run.
public struct Shard: Hashable, Sendable, Codable, CustomStringConvertible {
  /// K, counted from 1.
  public let index: Int
  /// N, the number of shards.
  public let count: Int

  /// Shard `index` of `count` (1 ≤ index ≤ count).
  public init(index: Int, count: Int) {
    precondition(count >= 1 && (1 ... count).contains(index), "a shard is K/N with 1 ≤ K ≤ N, got \(index)/\(count)")
    self.index = index
    self.count = count
  }

  /// Parses `K/N`, or says what is wrong with the text.
  public init(parsing text: String) throws(ShardError) {
    let parts = text.trimmingWhitespace().split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
      throw ShardError(text: text, message: "expected K/N, e.g. 3/8")
    }
    guard n >= 1 else { throw ShardError(text: text, message: "N must be at least 1") }
    guard (1 ... n).contains(k) else { throw ShardError(text: text, message: "K must lie in 1…\(n) (shards count from 1)") }
    self.init(index: k, count: n)
  }

  /// Whether case `caseIndex` (counted from 0) belongs to this shard.
  public func contains(caseIndex: Int) -> Bool { caseIndex % count == index - 1 }

  /// The `position`-th case index of this shard (counted from 0).
  public func caseIndex(at position: Int) -> Int { index - 1 + position * count }

  /// How many of the case indices 0 ..< `horizon` belong to this shard.
  public func share(of horizon: Int) -> Int {
    horizon <= index - 1 ? 0 : (horizon - index) / count + 1
  }

  /// `K/N`.
  public var description: String { "\(index)/\(count)" }
}

/// A shard specification that is not `K/N` with 1 ≤ K ≤ N.
public struct ShardError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The text given.
  public var text: String
  /// What is wrong with it.
  public var message: String

  /// `shard "…": message`.
  public var description: String { "shard \"\(text)\": \(message)" }
}
