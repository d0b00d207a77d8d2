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

/// One replayed case as the shrinker sees it.
struct Evaluation: Sendable {
  var outcome: CaseOutcome
  var nodes: [ChoiceNode]
  var spans: [Span]
  var tape: Tape { Tape(nodes.map(\.choice)) }
}

/// Shrinks a failing case on its tape, keeping only candidates that fail with the same origin and
/// are simpler in shortlex order; stops at a fixed point or when its budget in calls or seconds
/// is spent. Every candidate is tried at most once (a cache of tapes already run).
final class Shrinker {
  private let evaluate: (Tape) async -> Evaluation
  private let origin: FailureOrigin?
  private let domainPasses: [ShrinkPass]
  private let callBudget: Int
  private let deadline: ContinuousClock.Instant
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
    failing: Evaluation, passes: [ShrinkPass], callBudget: Int, seconds: Double,
    evaluate: @escaping (Tape) async -> Evaluation
  ) {
    self.best = failing
    self.origin = failing.outcome.origin
    self.domainPasses = passes
    self.callBudget = callBudget
    self.deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    self.evaluate = evaluate
    self.passStatistics = (passes.map(\.name) + Self.genericPassNames).map { PropertyResult.ShrinkPassStatistics(pass: $0) }
    tried.insert(failing.tape.choices)
  }

  private var exhausted: Bool {
    if budgetExhausted { return true }
    if calls >= callBudget || ContinuousClock.now >= deadline { budgetExhausted = true }
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

  /// The generic passes, in the order they run after the domain passes.
  static let genericPassNames = ["delete spans", "delete blocks", "simplify spans", "minimize choices", "redistribute integers"]

  /// Runs the generic pass `index` of ``genericPassNames``.
  private func runGenericPass(_ index: Int) async -> Bool {
    switch index {
    case 0: await deleteSpans()
    case 1: await deleteBlocks()
    case 2: await simplifySpans()
    case 3: await minimizeChoices()
    default: await redistributeIntegers()
    }
  }

  /// Shrinks to a fixed point of all passes or until the budget is spent: every round runs the
  /// domain passes, then the generic ones, each counted in ``passStatistics``.
  func run() async {
    var improved = true
    while improved && !exhausted {
      improved = false
      for index in passStatistics.indices {
        currentPass = index
        let progressed = index < domainPasses.count
          ? await runDomainPass(domainPasses[index]) : await runGenericPass(index - domainPasses.count)
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
