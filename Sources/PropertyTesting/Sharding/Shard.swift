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

  /// The largest N: more shards than cases are empty, and N bounds the case indices a shard computes.
  public static let maximumCount = 10_000

  /// Shard `index` of `count` (1 ≤ index ≤ count ≤ ``maximumCount``).
  public init(index: Int, count: Int) {
    precondition(Self.problem(index: index, count: count) == nil, "a shard is K/N with 1 ≤ K ≤ N ≤ \(Self.maximumCount), got \(index)/\(count)")
    self.index = index
    self.count = count
  }

  /// Parses `K/N`, or says what is wrong with the text.
  public init(parsing text: String) throws(ShardError) {
    let parts = text.trimmingWhitespace().split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
      throw ShardError(text: text, message: "expected K/N, e.g. 3/8")
    }
    if let message = Self.problem(index: k, count: n) { throw ShardError(text: text, message: message) }
    self.init(index: k, count: n)
  }

  /// Decodes a shard and checks it (a results file is input like any other).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let index = try container.decode(Int.self, forKey: .index), count = try container.decode(Int.self, forKey: .count)
    if let message = Self.problem(index: index, count: count) {
      throw DecodingError.dataCorruptedError(forKey: .count, in: container, debugDescription: "shard \(index)/\(count): \(message)")
    }
    self.init(index: index, count: count)
  }

  /// What is wrong with K/N, if anything.
  private static func problem(index k: Int, count n: Int) -> String? {
    guard n >= 1 else { return "N must be at least 1" }
    guard n <= maximumCount else { return "N must be at most \(maximumCount)" }
    guard (1 ... n).contains(k) else { return "K must lie in 1…\(n) (shards count from 1)" }
    return nil
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
