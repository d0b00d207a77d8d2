public import PropertyTesting

/// Shrink passes for instances drawn by ``CompletionDistribution``, in the order that keeps every
/// candidate cheap and every step meaningful: fewer rows and columns (deleting lines, not
/// re-drawing the instance), lower rank, fewer observations (the generator keeps the per-line
/// constraint or discards the candidate), simpler singular values (equal, then small integers),
/// seeds set to 0.
///
/// Pass them to `checkProperty(…, shrinkPasses: InstanceShrinking.passes)`. Each proposes edits of
/// the labelled spans on the tape; the harness keeps an edit only when the instance still fails the
/// same way and is simpler.
public enum InstanceShrinking {
  /// All passes, in order.
  public static let passes: [ShrinkPass] = [lines, rank, observations, spectrum, seeds]

  /// Delete rows and columns: one line at a time from the last, then the second half, the first half. A line is deleted with its seed, so the other lines keep their factor rows and their
  /// mask keys; for square instances row k and column k go together.
  public static let lines = ShrinkPass("fewer rows and columns") { nodes, spans in
    let rowSpans = spans.filter { $0.label == "row" }.map(\.range), columnSpans = spans.filter { $0.label == "column" }.map(\.range)
    let rowsIndex = firstIntegers(labelled: "rows", nodes, spans).first
    let columnsIndex = firstIntegers(labelled: "columns", nodes, spans).first
    var candidates: [Tape] = []
    func deletions(count: Int) -> [Range<Int>] {
      guard count > 0 else { return [] }
      var result = (0 ..< count).reversed().map { $0 ..< $0 + 1 }
      if count >= 4 { result += [count / 2 ..< count, 0 ..< count / 2] }
      return result
    }
    if let rowsIndex, case .integer(let range, _) = nodes[rowsIndex].constraint {
      let m = nodes[rowsIndex].choice.integerValue
      for chunk in deletions(count: rowSpans.count) where m - chunk.count >= range.lowerBound {
        var removed = chunk.map { rowSpans[$0] }
        if columnsIndex == nil && columnSpans.count == rowSpans.count { removed += chunk.map { columnSpans[$0] } }
        candidates.append(remove(nodes, removed, editing: [(rowsIndex, .integer(m - chunk.count))]))
      }
    }
    if let columnsIndex, case .integer(let range, _) = nodes[columnsIndex].constraint {
      let n = nodes[columnsIndex].choice.integerValue
      for chunk in deletions(count: columnSpans.count) where n - chunk.count >= range.lowerBound {
        candidates.append(remove(nodes, chunk.map { columnSpans[$0] }, editing: [(columnsIndex, .integer(n - chunk.count))]))
      }
    }
    return unique(candidates, nodes)
  }

  /// One rank fewer, then the lowest rank allowed.
  public static let rank = ShrinkPass("lower rank") { nodes, spans in
    firstIntegers(labelled: "rank", nodes, spans).flatMap { index in
      unique([edit(nodes, [(index, lowered(nodes[index], halve: false))]), edit(nodes, [(index, nodes[index].constraint.simplest)])], nodes)
    }
  }

  /// Halve the observation count towards its minimum, then take one off.
  public static let observations = ShrinkPass("fewer observations") { nodes, spans in
    firstIntegers(labelled: "observations", nodes, spans).flatMap { index in
      unique([edit(nodes, [(index, lowered(nodes[index], halve: true))]), edit(nodes, [(index, lowered(nodes[index], halve: false))])], nodes)
    }
  }

  /// Equal singular values (every spectrum choice at its simplest), then integers.
  public static let spectrum = ShrinkPass("simpler singular values") { nodes, spans in
    let indices = spans.filter { $0.label == "spectrum" }.flatMap { Array($0.range) }.filter { $0 < nodes.count }
    guard !indices.isEmpty else { return [] }
    let simplest = edit(nodes, indices.map { ($0, nodes[$0].constraint.simplest) })
    let rounded = edit(nodes, indices.compactMap { index -> (Int, Choice)? in
      guard nodes[index].choice.kind == .float else { return nil }
      return (index, .float(nodes[index].choice.floatValue.rounded()))
    })
    return unique([simplest, rounded], nodes)
  }

  /// Every seed to 0 at once, then one at a time.
  public static let seeds = ShrinkPass("seeds to 0") { nodes, spans in
    let indices = spans.filter { $0.label == "seeds" }.flatMap { Array($0.range) }.filter { $0 < nodes.count && nodes[$0].choice.kind == .seed && nodes[$0].choice.bits != 0 }
    guard !indices.isEmpty else { return [] }
    return unique([edit(nodes, indices.map { ($0, .seed(0)) })] + indices.map { edit(nodes, [($0, .seed(0))]) }, nodes)
  }

  // MARK: - Helpers

  static func firstIntegers(labelled label: String, _ nodes: [ChoiceNode], _ spans: [Span]) -> [Int] {
    spans.filter { $0.label == label }.compactMap { span in
      span.range.first { $0 < nodes.count && nodes[$0].choice.kind == .integer }
    }
  }

  /// The integer moved towards its target: halfway, or by one.
  static func lowered(_ node: ChoiceNode, halve: Bool) -> Choice {
    guard case .integer(_, let target) = node.constraint else { return node.choice }
    let value = node.choice.integerValue
    guard value != target else { return node.choice }
    let step = halve ? (value - target) / 2 : (value > target ? 1 : -1)
    return .integer(value - (step == 0 ? (value > target ? 1 : -1) : step))
  }

  /// The tape with `changes` applied and the `removed` ranges deleted.
  static func remove(_ nodes: [ChoiceNode], _ removed: [Range<Int>], editing changes: [(Int, Choice)]) -> Tape {
    var choices = nodes.map(\.choice)
    for (index, choice) in changes { choices[index] = choice }
    for range in removed.sorted(by: { $0.lowerBound > $1.lowerBound }) where range.upperBound <= choices.count {
      choices.removeSubrange(range)
    }
    return Tape(choices)
  }

  static func edit(_ nodes: [ChoiceNode], _ changes: [(Int, Choice)]) -> Tape {
    var choices = nodes.map(\.choice)
    for (index, choice) in changes { choices[index] = choice }
    return Tape(choices)
  }

  static func unique(_ candidates: [Tape], _ nodes: [ChoiceNode]) -> [Tape] {
    let current = Tape(nodes.map(\.choice))
    var result: [Tape] = []
    for candidate in candidates where candidate != current && !result.contains(candidate) { result.append(candidate) }
    return result
  }
}
