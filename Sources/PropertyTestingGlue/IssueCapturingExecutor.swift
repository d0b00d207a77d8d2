import PropertyTesting
import Synchronization
import Testing

/// Runs a case's body with Swift Testing's issues captured and suppressed: a failed `#expect`
/// fails the case (its source location is the failure's origin) without failing the test, so that
/// search and shrinking stay quiet and only the summary issue is reported.
struct IssueCapturingExecutor: CaseExecutor {
  func execute(_ body: @Sendable () throws -> Void) async -> CaseOutcome {
    guard let test = Test.current else { return await ThrowingExecutor().execute(body) }
    let captured = Mutex<[Issue]>([])
    let handler = IssueHandlingTrait.compactMapIssues { issue in
      guard issue.isFailure else { return issue }
      captured.withLock { $0.append(issue) }
      return nil
    }
    var thrown: (any Error)?
    do {
      try await handler.provideScope(for: test, testCase: Test.Case.current) { try body() }
    } catch {
      thrown = error
    }
    if let issue = captured.withLock({ $0.first }) {
      let origin = FailureOrigin.issue(at: issue.sourceLocation.map { "\($0.fileID):\($0.line)" } ?? "issue")
      return .failed(message: String(describing: issue), origin: origin)
    }
    if let thrown { return .from(error: thrown) }
    return .passed
  }
}
