import SeededRandom

/// Where generators draw their choices from, and where the drawn choices are recorded.
///
/// In a generated case the choices come from the case's seeded generator. In a replayed case (a
/// shrink candidate, a database entry, a replay token) they come from a recorded prefix; a recorded
/// choice of the wrong kind or outside the generator's current constraint, and every choice after
/// the prefix runs out, is replaced by the simplest value allowed — or, for database entries, drawn
/// afresh. Either way the choices actually used are recorded, so any case can be replayed exactly.
///
/// A source belongs to one case on one task; it is not thread-safe.
public final class ChoiceSource {
  private var generator: Xoshiro256StarStar
  private let prefix: [Choice]
  private var position = 0
  private let extendRandomly: Bool
  private let maxChoices: Int
  /// The choices used so far, with their constraints.
  public private(set) var nodes: [ChoiceNode] = []
  /// Index ranges of `nodes` that belong together (one array element, one labelled sub-generator).
  public private(set) var spans: [Span] = []
  /// How many replayed choices did not fit their generator's constraint and were replaced.
  public private(set) var misalignedCount = 0
  /// The index of the generated case this source draws for (`nil` for replays, shrink candidates and
  /// samples): ``drawStratum(count:)`` reads it.
  public let caseIndex: Int?

  /// A source that draws every choice from a generator seeded with `seed`; `caseIndex` is the
  /// generated case's index, which stratified draws use.
  public init(seed: UInt64, maxChoices: Int = 10_000, caseIndex: Int? = nil) {
    generator = Xoshiro256StarStar(seed: seed)
    prefix = []
    extendRandomly = true
    self.maxChoices = maxChoices
    self.caseIndex = caseIndex
  }

  /// A source that replays `tape`, filling missing choices with the simplest values or, when
  /// `extendingWithSeed` is given, with fresh draws from that seed.
  public init(replaying tape: Tape, extendingWithSeed seed: UInt64? = nil, maxChoices: Int = 10_000) {
    generator = Xoshiro256StarStar(seed: seed ?? 0)
    prefix = tape.choices
    extendRandomly = seed != nil
    self.maxChoices = maxChoices
    caseIndex = nil
  }

  /// The recorded tape of this case.
  public var tape: Tape { Tape(nodes.map(\.choice)) }

  /// Whether the replayed prefix was used up (later choices were filled in).
  public var prefixExhausted: Bool { position >= prefix.count }

  /// Replayed choices the generator did not ask for (a tape longer than its case).
  public var unusedCount: Int { Swift.max(0, prefix.count - position) }

  private func draw(_ constraint: ChoiceConstraint, random: (inout Xoshiro256StarStar) -> Choice) throws(GenerationError) -> Choice {
    guard nodes.count < maxChoices else { throw .overrun(limit: maxChoices) }
    let choice: Choice
    if position < prefix.count {
      let recorded = prefix[position]
      position += 1
      if constraint.admits(recorded) {
        choice = recorded
      } else {
        misalignedCount += 1
        choice = constraint.simplest
      }
    } else if extendRandomly {
      choice = random(&generator)
    } else {
      choice = constraint.simplest
    }
    nodes.append(ChoiceNode(choice: choice, constraint: constraint))
    return choice
  }

  /// An integer in `range`, uniform when generated, shrinking towards `target` (clamped into range).
  public func drawInteger(in range: ClosedRange<Int>, shrinkingTowards target: Int = 0) throws(GenerationError) -> Int {
    let clamped = Swift.min(Swift.max(target, range.lowerBound), range.upperBound)
    return try draw(.integer(range: range, target: clamped)) { .integer($0.nextInt(in: range)) }.integerValue
  }

  /// A stratum in `0 ..< count`: generated case i takes stratum ⌊i / `every`⌋ mod `count` (with
  /// `every` 1, every `count` consecutive cases cover every stratum once: a balanced design over a
  /// grid; with `every` the grid's size, the repetition a case belongs to). A source with no case
  /// index draws it uniformly. Recorded as an integer, so a replay token repeats it exactly.
  public func drawStratum(count: Int, every: Int = 1) throws(GenerationError) -> Int {
    precondition(count > 0 && every > 0, "drawStratum needs at least one stratum and a positive period")
    let index = caseIndex
    return try draw(.integer(range: 0 ... count - 1, target: 0)) { generator in
      .integer(index.map { ($0 / every) % count } ?? generator.nextInt(in: 0 ... count - 1))
    }.integerValue
  }

  /// A finite double in `range`, uniform when generated, shrinking towards the value closest to 0.
  public func drawFloat(in range: ClosedRange<Double>) throws(GenerationError) -> Double {
    precondition(range.lowerBound.isFinite && range.upperBound.isFinite, "drawFloat needs a finite range, got \(range)")
    return try draw(.float(range: range)) { generator in
      let u = generator.nextDouble()
      return .float(Swift.min(range.upperBound, range.lowerBound + (range.upperBound - range.lowerBound) * u))
    }.floatValue
  }

  /// A boolean that is `true` with probability `p` when generated; shrinks to `false`.
  public func drawBoolean(probability p: Double = 0.5) throws(GenerationError) -> Bool {
    try draw(.boolean) { .boolean($0.nextBool(probability: p)) }.booleanValue
  }

  /// A 64-bit bulk seed for a large random object; shrinks to 0.
  public func drawSeed() throws(GenerationError) -> UInt64 {
    try draw(.seed) { .seed($0.next()) }.bits
  }

  /// Runs `body` and records the choices it makes as one span (the unit the shrinker deletes).
  ///
  /// A label lets domain shrink passes find the span again ("observations", "rows").
  public func span<T>(_ label: String? = nil, _ body: () throws -> T) rethrows -> T {
    let start = nodes.count
    let result = try body()
    if nodes.count > start { spans.append(Span(range: start ..< nodes.count, label: label)) }
    return result
  }
}

/// A run of consecutive choices drawn by one sub-generator.
public struct Span: Hashable, Sendable {
  /// The indices of the choices in the tape.
  public var range: Range<Int>
  /// The label given by the generator, if any.
  public var label: String?
}

/// Why a case could not be generated.
public enum GenerationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A `filter` rejected every attempt.
  case filterExhausted(description: String, attempts: Int)
  /// The case needed more choices than the limit.
  case overrun(limit: Int)

  /// A one-line message.
  public var description: String {
    switch self {
    case .filterExhausted(let description, let attempts): return "filter \"\(description)\" rejected \(attempts) attempts in a row"
    case .overrun(let limit): return "the case drew more than \(limit) choices"
    }
  }
}
