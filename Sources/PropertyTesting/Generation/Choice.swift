/// One typed choice a generator made: the unit that tapes record, replay and shrink.
///
/// The value is kept as 64 raw bits: an `Int64` bit pattern for integers, a `Double` bit pattern for
/// floats, 0 or 1 for booleans, and the seed itself for bulk seeds (64-bit seeds that drive large
/// random objects such as Gaussian matrices, so a whole matrix is one choice).
public struct Choice: Hashable, Sendable, Codable {
  /// What kind of value a choice holds.
  public enum Kind: UInt8, Hashable, Sendable, Codable {
    /// A bounded integer with a shrink target.
    case integer = 0
    /// A bounded, finite double.
    case float = 1
    /// A boolean; `false` is simpler.
    case boolean = 2
    /// A 64-bit bulk seed; 0 is simplest, seeds are otherwise opaque.
    case seed = 3
  }

  /// The kind of value.
  public var kind: Kind
  /// The value's raw bits.
  public var bits: UInt64

  /// A choice of the given kind and raw bits.
  public init(kind: Kind, bits: UInt64) {
    self.kind = kind
    self.bits = bits
  }

  /// An integer choice.
  public static func integer(_ value: Int) -> Choice { Choice(kind: .integer, bits: UInt64(bitPattern: Int64(value))) }
  /// A float choice.
  public static func float(_ value: Double) -> Choice { Choice(kind: .float, bits: value.bitPattern) }
  /// A boolean choice.
  public static func boolean(_ value: Bool) -> Choice { Choice(kind: .boolean, bits: value ? 1 : 0) }
  /// A bulk seed choice.
  public static func seed(_ value: UInt64) -> Choice { Choice(kind: .seed, bits: value) }

  /// The value as an integer (for integer choices).
  public var integerValue: Int { Int(Int64(bitPattern: bits)) }
  /// The value as a double (for float choices).
  public var floatValue: Double { Double(bitPattern: bits) }
  /// The value as a boolean (for boolean choices).
  public var booleanValue: Bool { bits != 0 }
}

/// The constraint a generator stated for a choice; the shrinker needs it to know what is simpler.
public enum ChoiceConstraint: Hashable, Sendable {
  /// An integer in `range`, shrinking towards `target`.
  case integer(range: ClosedRange<Int>, target: Int)
  /// A finite double in `range`, shrinking towards the value in range closest to 0.
  case float(range: ClosedRange<Double>)
  /// A boolean.
  case boolean
  /// A bulk seed.
  case seed

  /// The simplest value allowed: the integer target, the float closest to zero, `false`, seed 0.
  public var simplest: Choice {
    switch self {
    case .integer(_, let target): return .integer(target)
    case .float(let range): return .float(ChoiceConstraint.floatTarget(range))
    case .boolean: return .boolean(false)
    case .seed: return .seed(0)
    }
  }

  /// Whether `choice` is of the right kind and inside the constraint.
  public func admits(_ choice: Choice) -> Bool {
    switch self {
    case .integer(let range, _): return choice.kind == .integer && range.contains(choice.integerValue)
    case .float(let range):
      return choice.kind == .float && choice.floatValue.isFinite && range.contains(choice.floatValue)
    case .boolean: return choice.kind == .boolean && choice.bits <= 1
    case .seed: return choice.kind == .seed
    }
  }

  static func floatTarget(_ range: ClosedRange<Double>) -> Double {
    if range.contains(0) { return 0 }
    return range.lowerBound > 0 ? range.lowerBound : range.upperBound
  }
}

/// A recorded choice together with the constraint it was drawn under.
public struct ChoiceNode: Hashable, Sendable {
  /// The choice.
  public var choice: Choice
  /// The constraint stated by the generator.
  public var constraint: ChoiceConstraint

  /// How simple the choice is: smaller is simpler; compared lexicographically.
  ///
  /// Integers: the zig-zag index around the target (t, t+1, t−1, t+2, …). Floats, after Hypothesis:
  /// integral values before fractions, fewer fractional bits before more, smaller magnitude, positive
  /// before negative. Booleans: false, true. Seeds: their value (0 simplest).
  public var simplicity: [UInt64] {
    switch constraint {
    case .integer(_, let target):
      let delta = Int64(choice.integerValue) &- Int64(target)
      let zigzag = delta > 0 ? UInt64(delta) * 2 - 1 : UInt64(-delta) * 2
      return [zigzag, 0, 0]
    case .float(let range):
      let x = choice.floatValue - ChoiceConstraint.floatTarget(range)
      let magnitude = abs(x)
      let fractionalBits = ChoiceNode.fractionalBits(magnitude)
      return [UInt64(fractionalBits), magnitude.bitPattern, x < 0 ? 1 : 0]
    case .boolean:
      return [choice.bits, 0, 0]
    case .seed:
      return [choice.bits, 0, 0]
    }
  }

  /// The number of binary digits after the point needed to write `x` exactly (0 for integers).
  static func fractionalBits(_ x: Double) -> Int {
    guard x.isFinite, x != x.rounded(.towardZero) else { return 0 }
    var scaled = x
    var bits = 0
    while scaled != scaled.rounded(.towardZero) && bits < 1100 {
      scaled *= 2
      bits += 1
    }
    return bits
  }
}
