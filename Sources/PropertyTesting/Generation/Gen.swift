/// A generator of test cases: a recipe of typed choices drawn from a ``ChoiceSource``.
///
/// Generators compose (`map`, `flatMap`, `zip`, `filter`, `oneOf`, `frequency`, arrays). Because
/// every value is rebuilt from recorded choices, a shrunk case always satisfies the generator's own
/// invariants — also through `flatMap`, where the size drawn first decides what is drawn next:
///
///     let sizedArrays = Gen.int(in: 0 ... 20).flatMap { n in Gen.int(in: 0 ... 100).array(count: n) }
///
/// Large random objects should come from one ``seed`` choice each (a Gaussian matrix from a bulk
/// seed), not from per-entry choices, so tapes stay short and shrinking stays cheap.
public struct Gen<Value>: Sendable {
  /// Draws one value.
  public let generate: @Sendable (ChoiceSource) throws -> Value

  /// A generator from a drawing function.
  public init(_ generate: @escaping @Sendable (ChoiceSource) throws -> Value) {
    self.generate = generate
  }

  /// A value of this generator drawn afresh from `seed` (for examples and scripts).
  public func sample(seed: UInt64) throws -> Value {
    try generate(ChoiceSource(seed: seed))
  }
}

extension Gen {
  /// Always `value`; draws nothing.
  public static func constant(_ value: Value) -> Gen where Value: Sendable {
    Gen { _ in value }
  }

  /// Transforms each value; shrinking happens on the choices underneath, so it survives the map.
  public func map<T>(_ transform: @escaping @Sendable (Value) throws -> T) -> Gen<T> {
    Gen<T> { source in try transform(self.generate(source)) }
  }

  /// Dependent generation: the value drawn first chooses the generator of what follows.
  public func flatMap<T>(_ next: @escaping @Sendable (Value) throws -> Gen<T>) -> Gen<T> {
    Gen<T> { source in try next(self.generate(source)).generate(source) }
  }

  /// Keeps only values satisfying `predicate`, retrying up to `maxAttempts` times per case.
  ///
  /// When every attempt fails the case is discarded (``GenerationError/filterExhausted(description:attempts:)``);
  /// the runner counts discards and stops with a health-check failure when they dominate.
  public func filter(
    _ description: String = "filter", maxAttempts: Int = 100,
    _ predicate: @escaping @Sendable (Value) -> Bool
  ) -> Gen {
    Gen { source in
      for _ in 0 ..< maxAttempts {
        let value = try source.span { try self.generate(source) }
        if predicate(value) { return value }
      }
      throw GenerationError.filterExhausted(description: description, attempts: maxAttempts)
    }
  }

  /// Draws this generator's choices as one span, the unit the shrinker deletes or simplifies
  /// together; the label lets domain shrink passes find it.
  public func spanned(_ label: String? = nil) -> Gen {
    Gen { source in try source.span(label) { try self.generate(source) } }
  }

  /// Arrays of exactly `count` values.
  public func array(count: Int) -> Gen<[Value]> {
    precondition(count >= 0, "array(count:) needs a non-negative count, got \(count)")
    return Gen<[Value]> { source in
      var result: [Value] = []
      result.reserveCapacity(count)
      for _ in 0 ..< count { result.append(try source.span { try self.generate(source) }) }
      return result
    }
  }

  /// Arrays whose length lies in `lengths` (average about the middle of the range).
  ///
  /// Each element beyond the minimum is preceded by a "one more" boolean inside the element's span,
  /// so the shrinker removes elements by deleting spans and truncates by setting a boolean to false.
  public func array(length lengths: ClosedRange<Int>) -> Gen<[Value]> {
    precondition(lengths.lowerBound >= 0, "array lengths must be non-negative, got \(lengths)")
    let optional = lengths.upperBound - lengths.lowerBound
    let average = Double(optional) / 2
    let continueProbability = optional == 0 ? 0 : average / (average + 1)
    return Gen<[Value]> { source in
      var result: [Value] = []
      for _ in 0 ..< lengths.lowerBound { result.append(try source.span { try self.generate(source) }) }
      while result.count < lengths.upperBound {
        let element: Value? = try source.span {
          guard try source.drawBoolean(probability: continueProbability) else { return nil }
          return try self.generate(source)
        }
        guard let element else { break }
        result.append(element)
      }
      return result
    }
  }
}

extension Gen where Value == Int {
  /// Integers in `range`, uniform, shrinking towards `target` (default: the value in range closest to 0).
  public static func int(in range: ClosedRange<Int>, shrinkingTowards target: Int? = nil) -> Gen<Int> {
    let goal = target ?? (range.contains(0) ? 0 : (range.lowerBound > 0 ? range.lowerBound : range.upperBound))
    return Gen { source in try source.drawInteger(in: range, shrinkingTowards: goal) }
  }
}

extension Gen where Value == Double {
  /// Finite doubles in `range`, uniform, shrinking towards short values near 0 (integers first).
  public static func double(in range: ClosedRange<Double>) -> Gen<Double> {
    Gen { source in try source.drawFloat(in: range) }
  }
}

extension Gen where Value == Bool {
  /// A fair coin; shrinks to `false`.
  public static var bool: Gen<Bool> { bool(probability: 0.5) }

  /// `true` with probability `p`; shrinks to `false`.
  public static func bool(probability p: Double) -> Gen<Bool> {
    Gen { source in try source.drawBoolean(probability: p) }
  }
}

extension Gen where Value == UInt64 {
  /// A 64-bit bulk seed for a large random object; shrinks to 0, then 1, 2.
  public static var seed: Gen<UInt64> {
    Gen { source in try source.drawSeed() }
  }
}

extension Gen {
  /// One of `elements`, uniformly; shrinks towards the first.
  public static func element(of elements: [Value]) -> Gen where Value: Sendable {
    precondition(!elements.isEmpty, "element(of:) needs at least one element")
    return Gen<Int>.int(in: 0 ... elements.count - 1).map { elements[$0] }
  }

  /// One of `elements` by the case's index: generated case i is `elements[⌊i / every⌋ mod count]`.
  /// With `every` 1 a run of k·count cases holds every element k times (a grid, each point
  /// repeated); uniform where there is no case index (``Gen/sample(seed:)``). Shrinks towards the first.
  public static func stratified(_ elements: [Value], every: Int = 1) -> Gen where Value: Sendable {
    precondition(!elements.isEmpty, "stratified(_:) needs at least one element")
    return Gen { source in elements[try source.drawStratum(count: elements.count, every: every)] }
  }

  /// One of `generators`, chosen uniformly; shrinks towards the first.
  public static func oneOf(_ generators: [Gen]) -> Gen {
    precondition(!generators.isEmpty, "oneOf needs at least one generator")
    return Gen { source in
      let index = try source.drawInteger(in: 0 ... generators.count - 1, shrinkingTowards: 0)
      return try generators[index].generate(source)
    }
  }

  /// One of `generators`, chosen with the given positive weights; shrinks towards the first.
  public static func frequency(_ weighted: [(weight: Int, generator: Gen)]) -> Gen {
    precondition(!weighted.isEmpty && weighted.allSatisfy { $0.weight > 0 }, "frequency needs positive weights")
    let total = weighted.reduce(0) { $0 + $1.weight }
    return Gen { source in
      var ticket = try source.drawInteger(in: 0 ... total - 1, shrinkingTowards: 0)
      for entry in weighted {
        if ticket < entry.weight { return try entry.generator.generate(source) }
        ticket -= entry.weight
      }
      return try weighted[weighted.count - 1].generator.generate(source)
    }
  }
}

/// Pairs of independent values.
public func zip<A, B>(_ a: Gen<A>, _ b: Gen<B>) -> Gen<(A, B)> {
  Gen { source in (try a.generate(source), try b.generate(source)) }
}

/// Triples of independent values.
public func zip<A, B, C>(_ a: Gen<A>, _ b: Gen<B>, _ c: Gen<C>) -> Gen<(A, B, C)> {
  Gen { source in (try a.generate(source), try b.generate(source), try c.generate(source)) }
}
