import PropertyTesting
import Synchronization
import Testing

struct HealthTests {
  @Test func aFilterThatRejectsEverythingIsReported() async {
    let gen = Gen<Int>.int(in: 0 ... 100).filter("negative", maxAttempts: 5) { $0 < 0 }
    let result = await testRunner().check("impossible filter", gen) { _ in }
    #expect(result.verdict == .unhealthy)
    #expect(result.health.first?.check == .tooManyDiscards)
    #expect(result.casesPassed == 0)
  }

  @Test func aVacuousPreconditionIsReported() async {
    let result = await testRunner().check("vacuous", Gen<Int>.int(in: 0 ... 1000)) { x in
      try assume(x == 12345, "x is 12345")
    }
    #expect(result.verdict == .unhealthy)
    #expect(result.health.first?.message.contains("assumption") == true)
  }

  @Test func aFailureTheDatabaseCannotStoreIsAWarningNotALoss() async {
    // A database under a file: every store fails. The verdict and the token stand, and the result says so.
    let runner = PropertyRunner(configuration: RunConfiguration(seed: 3, database: FailureDatabase(directory: "/dev/null/pbt")))
    let result = await runner.check("x below 50", Gen<Int>.int(in: 0 ... 100)) { x in try require(x < 50, "x = \(x)") }
    #expect(result.verdict == .failed && result.failure != nil)
    let finding = result.health.first { $0.check == .failureDatabase }
    #expect(finding?.isError == false && finding?.message.contains("cannot store /dev/null/pbt/") == true, "\(result.health)")
  }

  @Test func aFailureThatDoesNotReproduceIsFlaky() async {
    // Fails on the very first call only: the replayed minimal case passes.
    let calls = Atomic<Int>(0)
    // (The sensitivity check is off: its re-run would be the second call and find the case fragile.)
    var runner = testRunner(parallelism: 1)
    runner.configuration.sensitivity = .off
    let result = await runner.check("flaky", Gen<Int>.int(in: 0 ... 10)) { _ in
      let call = calls.add(1, ordering: .relaxed).oldValue
      try require(call > 0, "first call")
    }
    #expect(result.verdict == .flaky)
    #expect(result.health.first?.check == .nondeterministicReplay)
  }

  @Test func aStatisticalBudgetThatCanNeverDecideIsRejectedUpFront() async {
    let design = SPRTDesign(p0: 0.9, p1: 0.8, alpha: 0.01, beta: 0.01)
    let result = await testRunner().claim("tiny budget", Gen<Bool>.bool, design: design, budget: .cases(20)) { _ in true }
    #expect(result.verdict == .unhealthy)
    #expect(result.casesRun == 0)
    #expect(result.health.first?.message.contains("at least 40") == true)
  }

  @Test func explicitExamplesRunFirstAndAreNotShrunk() async {
    let result = await testRunner().check("examples", Gen<Int>.int(in: 0 ... 10), examples: [10_000]) { x in
      try require(x <= 10)
    }
    #expect(result.verdict == .failed)
    #expect(result.failure?.foundBy == .example)
    #expect(result.failure?.minimalCase == "10000")
  }

  @Test func labelsAreTabulated() async {
    let result = await testRunner().check("labels", Gen<Int>.int(in: 0 ... 99)) { x in
      PropertyContext.classify(x < 50, "small")
      PropertyContext.label("any")
    }
    #expect(result.verdict == .passed)
    let any = result.labels.first { $0.label == "any" }?.count
    let small = result.labels.first { $0.label == "small" }?.count ?? 0
    #expect(any == result.casesRun)
    #expect(small > 20 && small < 80)
  }
}
