public import PropertyTesting

extension Claim {
  /// Runs the claim at each rung of its declared limit (far to near) and decides the limit;
  /// `onRung` sees each rung as soon as it is decided (results are written as they are produced).
  /// A claim without a limit, or a definition mistake met on the way, is thrown.
  public func runLimit(
    with runner: PropertyRunner, level: Double = 0.01, onRung: (LimitRung) throws -> Void = { _ in }
  ) async throws -> (rungs: [LimitRung], verdict: LimitVerdict) {
    let rungs = try await runLimitRungs(Array((limit?.rungs ?? []).indices), with: runner, onRung: onRung)
    return (rungs, LimitVerdict.decide(rungs, level: level))
  }

  /// Runs the rungs at `indices` of the claim's limit ladder (a shard's part: a rung's cases depend
  /// only on the run seed, the claim and the rung's value, so any machine computes the same rung).
  public func runLimitRungs(_ indices: [Int], with runner: PropertyRunner, onRung: (LimitRung) throws -> Void = { _ in }) async throws -> [LimitRung] {
    guard let limit else {
      throw ClaimDefinitionError(claim: "\(code) \(id)", field: "limit", problem: "the claim declares no limit (claims with one: dmf limit --list)")
    }
    guard let variable = variable(named: limit.variable) else {
      throw ClaimDefinitionError(claim: "\(code) \(id)", field: "limit", problem: "\"\(limit.variable)\" is not a declared variable")
    }
    var rungs: [LimitRung] = []
    for index in indices {
      let rung = LimitRung(value: limit.rungs[index], result: try await run(setting: variable, to: limit.rungs[index], with: runner))
      try onRung(rung)
      rungs.append(rung)
    }
    return rungs
  }

  /// Finds where along `variable` between `low` and `high` the claim stops holding: the claim is
  /// decided at both ends (which must differ) and then by bisection — geometric when both ends are
  /// positive and an order of magnitude apart, arithmetic otherwise — until the bracket's relative
  /// width is at most `tolerance` or `probes` bisections are spent. `onProbe` sees each decision.
  public func frontier(
    along variable: ClaimVariable, from low: Double, to high: Double, tolerance: Double = 0.01, probes: Int = 12,
    with runner: PropertyRunner, onProbe: (FrontierProbe) throws -> Void = { _ in }
  ) async throws -> Frontier {
    var decided: [FrontierProbe] = []
    func probe(_ value: Double) async throws -> Bool {
      let result = try await run(setting: variable, to: value, with: runner)
      let probe = FrontierProbe(value: value, verdict: result.verdict, holds: result.verdict == .passed || result.verdict == .holds, casesRun: result.casesRun)
      try onProbe(probe)
      decided.append(probe)
      return probe.holds
    }
    let holdsLow = try await probe(low), holdsHigh = try await probe(high)
    guard holdsLow != holdsHigh else {
      return Frontier(variable: variable.name, holdsBelow: nil, bracket: nil, geometric: false, probes: decided)
    }
    let geometric = low > 0 && high / low >= 10
    var (a, b) = (low, high)  // a: the low end's verdict, b: the high end's
    var spent = 0
    while spent < probes && abs(b - a) > tolerance * max(abs(a), abs(b)) {
      let middle = geometric ? (a * b).squareRoot() : (a + b) / 2
      if try await probe(middle) == holdsLow { a = middle } else { b = middle }
      spent += 1
    }
    return Frontier(variable: variable.name, holdsBelow: holdsLow, bracket: a ... b, geometric: geometric, probes: decided)
  }
}

/// One decision of a frontier search.
public struct FrontierProbe: Sendable, Codable, Equatable {
  /// The variable's value.
  public var value: Double
  /// The claim's verdict there.
  public var verdict: PropertyResult.Verdict
  /// Whether it is a pass.
  public var holds: Bool
  /// The cases it took.
  public var casesRun: Int
}

/// Where a claim stops holding along one variable.
public struct Frontier: Sendable, Codable, Equatable {
  /// The variable.
  public var variable: String
  /// True when the claim holds below the boundary (at the low end), false when above; nil when both
  /// ends had the same verdict (no boundary in the range).
  public var holdsBelow: Bool?
  /// The boundary's bracket: the last values decided on either side.
  public var bracket: ClosedRange<Double>?
  /// Whether the bisection was geometric.
  public var geometric: Bool
  /// Every decision, in the order made.
  public var probes: [FrontierProbe]

  /// The frontier in words: which side holds and the bracket, or that both ends agreed. The bracket
  /// is wrong only if some probe's verdict was: at most the sum of their error rates (each SPRT's α or
  /// β; an every-instance pass is a search that found no failure, not a proof).
  public var summary: String {
    guard let bracket, let holdsBelow else {
      let verdict = probes.first?.holds == true ? "holds" : "fails"
      return "no boundary between \(format(probes.first?.value ?? .nan)) and \(format(probes.dropFirst().first?.value ?? .nan)): the claim \(verdict) at both ends"
    }
    return "the claim \(holdsBelow ? "holds below" : "fails below") and \(holdsBelow ? "fails above" : "holds above") a boundary in [\(format(bracket.lowerBound)), \(format(bracket.upperBound))] (\(probes.count) decisions)"
  }
}
