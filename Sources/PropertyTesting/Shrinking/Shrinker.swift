/// A domain-specific shrink pass: proposes simpler tapes for the current minimal case.
///
/// Passes run before the generic ones in every round, in the order given, so a domain can try its
/// cheap, high-yield simplifications first (fewer rows and columns, lower rank, fewer observations).
/// A candidate is kept only if it fails the same way and is simpler in shortlex order.
public struct ShrinkPass: Sendable {
  /// A name for reports.
  public var name: String
  /// Candidate tapes, most promising first, for the current minimal case's choices and spans.
  public var candidates: @Sendable (_ nodes: [ChoiceNode], _ spans: [Span]) -> [Tape]

  /// A pass from a candidate function.
  public init(_ name: String, candidates: @escaping @Sendable (_ nodes: [ChoiceNode], _ spans: [Span]) -> [Tape]) {
    self.name = name
    self.candidates = candidates
  }
}

/// The shrinker's own passes, in the order they run after the domain passes in every round.
enum GenericShrinkPass: CaseIterable {
  /// Delete a span (a generator's whole draw), longest first.
  case deleteSpans
  /// Delete runs of 8, 4, 2 and 1 consecutive choices.
  case deleteBlocks
  /// Replace a span's choices by its simplest values.
  case simplifySpans
  /// Move each choice towards its simplest value (an integer's target, a float's simplest, false).
  case minimizeChoices
  /// Move the value of one integer choice into a nearby one.
  case redistributeIntegers

  /// The name reports give the pass.
  var name: String {
    switch self {
    case .deleteSpans: "delete spans"
    case .deleteBlocks: "delete blocks"
    case .simplifySpans: "simplify spans"
    case .minimizeChoices: "minimize choices"
    case .redistributeIntegers: "redistribute integers"
    }
  }
}

/// A pass of a shrink round: a domain's or a generic one.
private enum Pass {
  case domain(ShrinkPass)
  case generic(GenericShrinkPass)

  var name: String {
    switch self {
    case .domain(let pass): pass.name
    case .generic(let pass): pass.name
    }
  }
}

/// One replayed case as the shrinker sees it.
struct Evaluation: Sendable {
  var outcome: CaseOutcome
  var nodes: [ChoiceNode]
  var spans: [Span]
  var tape: Tape { Tape(nodes.map(\.choice)) }
}

/// Shrinks a failing case on its tape, keeping only candidates that fail with the same origin and
/// are simpler in shortlex order; stops at a fixed point or when its budget of calls is spent.
/// The budget is in calls, never in seconds, so that the same failing case shrinks to the same
/// minimal case on any machine at any load. Every candidate is tried at most once (a cache of
/// tapes already run).
final class Shrinker {
  private let evaluate: (Tape) async -> Evaluation
  private let origin: FailureOrigin?
  /// Every pass of a round, in order: the domain's, then the generic ones.
  private let passes: [Pass]
  private let callBudget: Int
  private var tried: Set<[Choice]> = []  // membership only; its order never matters
  private(set) var best: Evaluation
  private(set) var calls = 0
  private(set) var successes = 0
  private(set) var budgetExhausted = false
  /// Calls and accepted shrinks per pass, in the order the passes run (domain passes first).
  private(set) var passStatistics: [PropertyResult.ShrinkPassStatistics]
  /// The pass whose candidates are being tried (an index into ``passStatistics``).
  private var currentPass = 0

  init(
    failing: Evaluation, passes: [ShrinkPass], callBudget: Int,
    evaluate: @escaping (Tape) async -> Evaluation
  ) {
    self.best = failing
    self.origin = failing.outcome.origin
    self.passes = passes.map(Pass.domain) + GenericShrinkPass.allCases.map(Pass.generic)
    self.callBudget = callBudget
    self.evaluate = evaluate
    self.passStatistics = self.passes.map { PropertyResult.ShrinkPassStatistics(pass: $0.name) }
    tried.insert(failing.tape.choices)
  }

  private var exhausted: Bool {
    if budgetExhausted { return true }
    if calls >= callBudget { budgetExhausted = true }
    return budgetExhausted
  }

  /// Runs `choices`; adopts the case if it fails the same way and is simpler. Returns whether it did.
  @discardableResult
  private func consider(_ choices: [Choice]) async -> Bool {
    guard !exhausted, tried.insert(choices).inserted else { return false }
    calls += 1
    passStatistics[currentPass].calls += 1
    let result = await evaluate(Tape(choices))
    guard result.outcome.origin == origin, Shortlex.isSimpler(result.nodes, than: best.nodes) else { return false }
    best = result
    tried.insert(result.tape.choices)
    successes += 1
    passStatistics[currentPass].successes += 1
    return true
  }

  /// Runs one generic pass.
  private func run(_ pass: GenericShrinkPass) async -> Bool {
    switch pass {
    case .deleteSpans: await deleteSpans()
    case .deleteBlocks: await deleteBlocks()
    case .simplifySpans: await simplifySpans()
    case .minimizeChoices: await minimizeChoices()
    case .redistributeIntegers: await redistributeIntegers()
    }
  }

  /// Shrinks to a fixed point of all passes or until the budget is spent: every round runs the
  /// domain passes, then the generic ones, each counted in ``passStatistics``.
  func run() async {
    var improved = true
    while improved && !exhausted {
      improved = false
      for (index, pass) in passes.enumerated() {
        currentPass = index
        let progressed =
          switch pass {
          case .domain(let pass): await runDomainPass(pass)
          case .generic(let pass): await run(pass)
          }
        if progressed { improved = true }
      }
    }
  }

  private var choices: [Choice] { best.nodes.map(\.choice) }

  private func runDomainPass(_ pass: ShrinkPass) async -> Bool {
    var any = false
    var progressed = true
    while progressed && !exhausted {
      progressed = false
      for candidate in pass.candidates(best.nodes, best.spans) where await consider(candidate.choices) {
        progressed = true
        any = true
        break
      }
    }
    return any
  }

  /// Spans in a fixed order: longest first, then by position.
  private func orderedSpans() -> [Span] {
    best.spans.sorted { ($0.range.count, -$0.range.lowerBound) > ($1.range.count, -$1.range.lowerBound) }
  }

  private func deleteSpans() async -> Bool {
    var any = false
    var progressed = true
    while progressed && !exhausted {
      progressed = false
      for span in orderedSpans() where span.range.upperBound <= best.nodes.count {
        var candidate = choices
        candidate.removeSubrange(span.range)
        if await consider(candidate) {
          progressed = true
          any = true
          break
        }
      }
    }
    return any
  }

  private func deleteBlocks() async -> Bool {
    var any = false
    for size in [8, 4, 2, 1] {
      var start = 0
      while start + size <= best.nodes.count && !exhausted {
        var candidate = choices
        candidate.removeSubrange(start ..< start + size)
        if await consider(candidate) { any = true } else { start += 1 }
      }
    }
    return any
  }

  private func simplifySpans() async -> Bool {
    var any = false
    for span in orderedSpans() where span.range.upperBound <= best.nodes.count && !exhausted {
      var candidate = choices
      for index in span.range { candidate[index] = best.nodes[index].constraint.simplest }
      if await consider(candidate) { any = true }
    }
    return any
  }

  private func replacing(_ index: Int, with choice: Choice) -> [Choice] {
    var candidate = choices
    candidate[index] = choice
    return candidate
  }

  private func minimizeChoices() async -> Bool {
    var any = false
    var index = 0
    while index < best.nodes.count && !exhausted {
      let node = best.nodes[index]
      switch node.constraint {
      case .integer(let range, let target):
        if await minimizeInteger(at: index, range: range, target: target) { any = true }
      case .float(let range):
        if await minimizeFloat(at: index, range: range) { any = true }
      case .boolean:
        if node.choice.booleanValue, await consider(replacing(index, with: .boolean(false))) { any = true }
      case .seed:
        for seed: UInt64 in [0, 1, 2] where seed < node.choice.bits {
          if await consider(replacing(index, with: .seed(seed))) {
            any = true
            break
          }
        }
      }
      index += 1
    }
    return any
  }

  /// Binary search on the distance to the target, on the value's side of it.
  private func minimizeInteger(at index: Int, range: ClosedRange<Int>, target: Int) async -> Bool {
    let value = best.nodes[index].choice.integerValue
    guard value != target else { return false }
    if await consider(replacing(index, with: .integer(target))) { return true }
    let sign = value > target ? 1 : -1
    var low = 0, high = abs(value - target)  // distance `low` does not fail (or is untried), `high` fails
    var any = false
    while high - low > 1 && !exhausted {
      let mid = low + (high - low) / 2
      guard index < best.nodes.count, best.nodes[index].constraint == .integer(range: range, target: target) else { break }
      if await consider(replacing(index, with: .integer(target + sign * mid))) {
        high = mid
        any = true
      } else {
        low = mid
      }
    }
    return any
  }

  /// Hypothesis's float order: the target, then fewer fractional bits, then integer distance.
  private func minimizeFloat(at index: Int, range: ClosedRange<Double>) async -> Bool {
    let target = ChoiceConstraint.floatTarget(range)
    let value = best.nodes[index].choice.floatValue
    guard value != target else { return false }
    if await consider(replacing(index, with: .float(target))) { return true }
    var any = false
    // Fewer fractional bits: truncate the distance to the target to multiples of 2^-p.
    for p in 0 ... 10 where !exhausted {
      let current = best.nodes[index].choice.floatValue - target
      let scale = Double(1 << p)
      let truncated = (current * scale).rounded(.towardZero) / scale
      for candidate in [truncated, truncated + (current > 0 ? 1 / scale : -1 / scale)] where candidate != current {
        let x = target + candidate
        if range.contains(x), await consider(replacing(index, with: .float(x))) {
          any = true
          break
        }
      }
    }
    // An integral distance: binary search on it as on an integer.
    let distance = best.nodes[index].choice.floatValue - target
    if distance == distance.rounded(), abs(distance) < 0x1p52 {
      let sign: Double = distance > 0 ? 1 : -1
      var low = 0.0, high = abs(distance)
      while high - low > 1 && !exhausted {
        let mid = (low + (high - low) / 2).rounded(.down)
        if await consider(replacing(index, with: .float(target + sign * mid))) {
          high = mid
          any = true
        } else {
          low = mid
        }
      }
    }
    return any
  }

  /// Moves the value of one integer into a nearby one, so that the first can reach its target
  /// (and perhaps be deleted): [600, 500] in 0…1000 with "sum ≥ 1000" becomes [100, 1000], then [0, 1000], then [1000].
  private func redistributeIntegers() async -> Bool {
    var any = false
    let integers = best.nodes.indices.filter { if case .integer = best.nodes[$0].constraint { true } else { false } }
    for (a, i) in integers.enumerated() where !exhausted {
      for j in integers[(a + 1) ..< Swift.min(a + 4, integers.count)] where i < best.nodes.count && j < best.nodes.count {
        guard case .integer(_, let targetI) = best.nodes[i].constraint,
          case .integer(let rangeJ, _) = best.nodes[j].constraint
        else { continue }
        let vi = best.nodes[i].choice.integerValue, vj = best.nodes[j].choice.integerValue
        guard vi != targetI else { continue }
        // Move as much of vi's distance to its target as j's range can take.
        let newJ = Swift.min(Swift.max(vj + (vi - targetI), rangeJ.lowerBound), rangeJ.upperBound)
        let transferred = newJ - vj
        guard transferred != 0 else { continue }
        var candidate = choices
        candidate[i] = .integer(vi - transferred)
        candidate[j] = .integer(newJ)
        if await consider(candidate) { any = true }
      }
    }
    return any
  }
}
