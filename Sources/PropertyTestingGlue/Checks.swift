public import PropertyTesting
public import Testing

/// Checks a deterministic property inside an `@Test` function.
///
/// Cases are generated, run (in parallel) and, on failure, shrunk; `#expect` failures and thrown
/// errors inside `body` fail a case but are suppressed during search and shrinking. The minimal case
/// is then run once more with issues reported normally, followed by one summary issue at the call
/// site with the minimal case, the replay token and the seed. The summary is printed either way.
///
///     @Test func transposeIsAnInvolution() async {
///       await checkProperty(Gen.int(in: 1 ... 8)) { n in #expect(n > 0) }
///     }
///
/// - Parameters:
///   - name: the stable name (default: the test's identifier); seeds and the database key on it.
///   - configuration: run settings (default: from the environment, see ``RunConfiguration``).
/// - Returns: the result, for further assertions (e.g. that a planted false property is found).
@discardableResult
public func checkProperty<Value: Sendable>(
  _ name: String? = nil, _ gen: Gen<Value>, examples: [Value] = [], budget: Budget = .standard,
  shrinkPasses: [ShrinkPass] = [], configuration: RunConfiguration? = nil,
  expectFailure: Bool = false,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: @escaping @Sendable (Value) throws -> Void
) async -> PropertyResult? {
  guard let runner = makeRunner(configuration, sourceLocation: sourceLocation) else { return nil }
  let stableName = name ?? defaultName(sourceLocation)
  let result = await runner.check(stableName, gen, examples: examples, budget: budget, shrinkPasses: shrinkPasses, body)
  print(result.summary)
  if expectFailure { return result }
  switch result.verdict {
  case .failed:
    if let token = result.failure.flatMap({ try? ReplayToken(parsing: $0.token) }) {
      // The minimal case once more, with its issues reported where they are written.
      if let value = try? gen.generate(ChoiceSource(replaying: token.tape)) {
        do { try body(value) } catch { Issue.record("the minimal case threw: \(error)", sourceLocation: sourceLocation) }
      }
    }
    Issue.record(Comment(rawValue: result.summary), sourceLocation: sourceLocation)
  default:
    recordVerdict(result, at: sourceLocation)
  }
  return result
}

/// One issue at the call site for a verdict that is not a pass: a failure for failing, flaky and
/// unhealthy verdicts, a warning for inconclusive and partial ones.
private func recordVerdict(_ result: PropertyResult, at sourceLocation: SourceLocation) {
  switch result.verdict {
  case .failed, .fails, .flaky, .unhealthy:
    Issue.record(Comment(rawValue: result.summary), sourceLocation: sourceLocation)
  case .inconclusive, .partial:
    Issue.record(Comment(rawValue: result.summary), severity: .warning, sourceLocation: sourceLocation)
  case .passed, .holds:
    break
  }
}

/// Decides a statistical claim inside an `@Test` function: `body` holds with probability ≥ p0.
///
/// `fails` (and a health error) records an issue at the call site; `inconclusive` records a
/// warning, not a failure. The summary with n, failures, p̂, the Wilson and Clopper–Pearson
/// intervals and the seed is printed either way.
@discardableResult
public func checkClaim<Value: Sendable>(
  _ name: String? = nil, _ gen: Gen<Value>, design: SPRTDesign, budget: Budget = .standard,
  configuration: RunConfiguration? = nil, expectFailure: Bool = false,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: @escaping @Sendable (Value) throws -> Bool
) async -> PropertyResult? {
  guard let runner = makeRunner(configuration, sourceLocation: sourceLocation) else { return nil }
  let stableName = name ?? defaultName(sourceLocation)
  let result = await runner.claim(stableName, gen, design: design, budget: budget, body)
  print(result.summary)
  if !expectFailure { recordVerdict(result, at: sourceLocation) }
  return result
}

/// ``checkProperty(_:_:examples:budget:shrinkPasses:configuration:expectFailure:sourceLocation:_:)``
/// named after the enclosing test.
@discardableResult
public func checkProperty<Value: Sendable>(
  _ gen: Gen<Value>, examples: [Value] = [], budget: Budget = .standard,
  shrinkPasses: [ShrinkPass] = [], configuration: RunConfiguration? = nil,
  expectFailure: Bool = false,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: @escaping @Sendable (Value) throws -> Void
) async -> PropertyResult? {
  await checkProperty(
    nil, gen, examples: examples, budget: budget, shrinkPasses: shrinkPasses, configuration: configuration,
    expectFailure: expectFailure, sourceLocation: sourceLocation, body)
}

/// ``checkClaim(_:_:design:budget:configuration:expectFailure:sourceLocation:_:)`` named after the
/// enclosing test.
@discardableResult
public func checkClaim<Value: Sendable>(
  _ gen: Gen<Value>, design: SPRTDesign, budget: Budget = .standard,
  configuration: RunConfiguration? = nil, expectFailure: Bool = false,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: @escaping @Sendable (Value) throws -> Bool
) async -> PropertyResult? {
  await checkClaim(
    nil, gen, design: design, budget: budget, configuration: configuration, expectFailure: expectFailure,
    sourceLocation: sourceLocation, body)
}

private func makeRunner(_ configuration: RunConfiguration?, sourceLocation: SourceLocation) -> PropertyRunner? {
  var resolved: RunConfiguration
  if let configuration {
    resolved = configuration
  } else {
    do {
      resolved = try RunConfiguration.fromEnvironment()
    } catch {
      Issue.record(Comment(rawValue: "bad property-testing environment: \(error)"), sourceLocation: sourceLocation)
      return nil
    }
    resolved.pinnedDirectory = "Fixtures/counterexamples"
  }
  return PropertyRunner(configuration: resolved, executor: IssueCapturingExecutor())
}

private func defaultName(_ sourceLocation: SourceLocation) -> String {
  if let test = Test.current { return "\(test.id)" }
  return "\(sourceLocation.fileID):\(sourceLocation.line)"
}
