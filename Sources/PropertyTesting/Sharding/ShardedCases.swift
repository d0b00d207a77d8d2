/// Every shard's recorded cases of one property, checked to fit together: what a merge replays.
package struct ShardedCases: Sendable {
  /// The property's stable name.
  package let property: String
  /// N.
  package let shardCount: Int
  /// The common horizon.
  package let horizon: Int
  private let records: [Int: CaseRecord]  // looked up by case index only

  /// Combines the parts of shards 1…N, or says why they do not fit together.
  package init(merging parts: [RecordedCases]) throws(MergeError) {
    guard let first = parts.first else { throw MergeError("no shard recorded cases") }
    let count = first.shard.count
    var byIndex: [Int: CaseRecord] = [:]
    var seen = [Bool](repeating: false, count: count)
    for part in parts {
      guard part.property == first.property else {
        throw MergeError("cases of \"\(part.property)\" and \"\(first.property)\" cannot be merged")
      }
      guard part.shard.count == count else {
        throw MergeError("\(first.property): shard \(part.shard) and shard \(first.shard) split the work differently")
      }
      guard (0 ... 1 << 24).contains(part.horizon) else {
        throw MergeError("\(first.property): shard \(part.shard) has the case budget \(part.horizon), outside 0…\(1 << 24)")
      }
      guard part.horizon == first.horizon else {
        throw MergeError("\(first.property): shards ran to different case budgets (\(part.horizon) and \(first.horizon)); were they run with the same profile?")
      }
      guard !seen[part.shard.index - 1] else { throw MergeError("\(first.property): shard \(part.shard) appears twice") }
      seen[part.shard.index - 1] = true
      for record in part.cases {
        guard record.index >= 0, part.shard.contains(caseIndex: record.index) else {
          throw MergeError("\(first.property): shard \(part.shard) recorded case \(record.index), which is not in its slice")
        }
        guard byIndex.updateValue(record, forKey: record.index) == nil else {
          throw MergeError("\(first.property): case \(record.index) recorded twice")
        }
      }
    }
    let missing = seen.indices.filter { !seen[$0] }.map { "\($0 + 1)/\(count)" }
    guard missing.isEmpty else {
      throw MergeError("\(first.property): shard\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) missing")
    }
    property = first.property
    shardCount = count
    horizon = first.horizon
    records = byIndex
    var prefix = 0
    while byIndex[prefix] != nil { prefix += 1 }
    recordedPrefix = prefix
  }

  /// The first case index no shard recorded: cases 0 ..< `recordedPrefix` are all recorded.
  package let recordedPrefix: Int

  /// The recorded case `index`, if a shard ran it.
  package func record(at index: Int) -> CaseRecord? { records[index] }

  /// How many cases the shards recorded.
  package var recordedCount: Int { records.count }
}

/// Shards that do not fit together.
package struct MergeError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What is wrong.
  package var message: String

  /// An error saying `message`.
  package init(_ message: String) { self.message = message }

  /// The message.
  package var description: String { message }
}
