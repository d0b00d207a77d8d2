import Foundation
import PropertyTesting
import Testing

struct ShrinkingTests {
  @Test func plantedIntegerBoundShrinksToExactlyTheBoundary() async throws {
    let gen = Gen<Int>.int(in: 0 ... 1_000_000)
    let result = await testRunner().check("planted: every x < 1000", gen) { x in
      try require(x < 1000, "x = \(x)")
    }
    #expect(result.verdict == .failed)
    #expect(result.failure?.minimalCase == "1000")
    #expect(try replayed(result.failure?.token, gen) == 1000)
  }

  @Test func listPropertyShrinksToTheMinimalList() async throws {
    let gen = Gen<Int>.int(in: 0 ... 1000).array(length: 0 ... 20)
    let result = await testRunner().check("planted: sum < 1000", gen) { xs in
      try require(xs.reduce(0, +) < 1000)
    }
    #expect(result.verdict == .failed)
    // One element carrying the whole sum: fewer elements beats smaller ones in shortlex order.
    #expect(try replayed(result.failure?.token, gen) == [1000])
  }

  @Test func dependentGenerationShrinksThroughFlatMap() async throws {
    // Draw a size, then an array of exactly that size.
    let gen = Gen<Int>.int(in: 0 ... 20).flatMap { n in Gen<Int>.int(in: 0 ... 100).array(count: n) }
    let result = await testRunner().check("planted: no 3+ arrays with a big entry", gen) { xs in
      try require(!(xs.count >= 3 && xs.contains { $0 >= 10 }))
    }
    #expect(result.verdict == .failed)
    let minimal = try replayed(result.failure?.token, gen)
    #expect(minimal.count == 3)
    #expect(minimal.sorted() == [0, 0, 10])
  }

  @Test func floatsShrinkToShortValues() async throws {
    let gen = Gen<Double>.double(in: 0 ... 100)
    let result = await testRunner().check("planted: x < 3.7", gen) { x in try require(x < 3.7) }
    // Integers come before fractions: the simplest counterexample is 4, not 3.7000000000000002.
    #expect(try replayed(result.failure?.token, gen) == 4)
  }

  @Test func bulkSeedsShrinkToSmallSeeds() async throws {
    let gen = Gen<UInt64>.seed
    let result = await testRunner().check("planted: even seeds", gen) { seed in try require(seed % 2 == 0) }
    #expect(try replayed(result.failure?.token, gen) == 1)
  }

  @Test func shrinkingKeepsTheSameFailure() async throws {
    // Two different requirements; whichever is found first is the one the minimal case violates.
    let gen = Gen<Int>.int(in: -1000 ... 1000)
    let result = await testRunner(seed: 7).check("two bugs", gen) { x in
      try require(x <= 500, "too big")
      try require(x >= -500, "too small")
    }
    let failure = try #require(result.failure)
    let minimal = try replayed(failure.token, gen)
    if failure.message == "too big" { #expect(minimal == 501) } else { #expect(minimal == -501) }
    // Shrinking towards 0 would pass through values that satisfy both; it must not jump to the other bug.
    #expect(failure.origin.kind == .requirement && failure.origin.site.hasPrefix("PropertyTestingTests/ShrinkingTests.swift:"))
  }

  @Test func shrinkingRespectsItsCallBudget() async {
    let gen = Gen<Int>.int(in: 0 ... 1000).array(length: 0 ... 50)
    var budget = Budget()
    budget.shrinkCalls[.quick] = 5
    let result = await testRunner().check("budgeted", gen, budget: budget) { xs in try require(xs.reduce(0, +) < 100) }
    #expect(result.failure?.shrinkCalls ?? 0 <= 5)
    #expect(result.failure?.shrinkBudgetExhausted == true)
  }

  @Test(arguments: [nil, 40])
  func theMinimalCaseDoesNotDependOnTheMachinesSpeed(callBudget: Int?) async throws {
    // The same seed on an idle machine and on one where every call takes 2 ms longer (as under load):
    // the same minimal case, token and shrink statistics, whether shrinking reaches a fixed point or
    // (at 40 calls) stops on its budget.
    let gen = Gen<Int>.int(in: 0 ... 1000).array(length: 0 ... 30)
    var budget = Budget()
    budget.shrinkCalls[.quick] = callBudget
    let property: @Sendable ([Int]) throws -> Void = { xs in try require(xs.reduce(0, +) < 1000) }
    let idle = await testRunner(seed: 7).check("sum < 1000", gen, budget: budget, property)
    let loaded = await testRunner(seed: 7).check("sum < 1000", gen, budget: budget) { xs in
      Thread.sleep(forTimeInterval: 0.002)
      try property(xs)
    }
    let a = try #require(idle.failure), b = try #require(loaded.failure)
    #expect(a.token == b.token && a.minimalCase == b.minimalCase)
    #expect(a.shrinkCalls == b.shrinkCalls && a.successfulShrinks == b.successfulShrinks)
    #expect(a.shrinkBudgetExhausted == b.shrinkBudgetExhausted && a.shrinkBudgetExhausted == (callBudget != nil))
    #expect(b.shrinkSeconds > Double(b.shrinkCalls) * 0.002)
  }

  @Test func theFirstFailingCaseIsKeptBesideTheMinimalOne() async throws {
    // The case as found and the minimal case are different cases, each with its message and a token
    // that replays it; the summary labels which is which.
    let gen = Gen<Int>.int(in: 0 ... 1000).array(length: 0 ... 30)
    let result = await testRunner(seed: 7).check("sum < 1000", gen) { xs in try require(xs.reduce(0, +) < 1000, "sum \(xs.reduce(0, +))") }
    let failure = try #require(result.failure)
    let first = try #require(failure.firstFailingCase)
    let found = try replayed(first.token, gen), minimal = try replayed(failure.token, gen)
    #expect(first.description == "\(found)" && failure.minimalCase == "\(minimal)")
    #expect(first.message == "sum \(found.reduce(0, +))" && failure.message == "sum \(minimal.reduce(0, +))")
    #expect(found.reduce(0, +) > minimal.reduce(0, +) && minimal.reduce(0, +) == 1000)
    #expect(result.summary.contains("first failing case, as found: sum \(found.reduce(0, +))"))
    #expect(result.summary.contains("fails at ") && result.summary.contains("DMF_REPLAY=\(first.token)"))
  }

  @Test func domainPassesRunFirst() async throws {
    // A domain pass that proposes "all integers set to 7" makes 7 the minimal case of x ≥ 7,
    // and it is the pass (not the generic search) that gets there in one call.
    let gen = Gen<Int>.int(in: 0 ... 1000)
    let pass = ShrinkPass("seven") { nodes, _ in [Tape(nodes.map { _ in .integer(7) })] }
    let result = await testRunner().check("planted: x < 7", gen, shrinkPasses: [pass]) { x in try require(x < 7) }
    #expect(try replayed(result.failure?.token, gen) == 7)
    #expect(result.failure?.successfulShrinks == 1)
  }

  @Test func everyPassReportsItsCallsAndShrinks() async throws {
    // The per-pass figures add up to the totals, in the order the passes run: domain passes first.
    let gen = Gen<Int>.int(in: 0 ... 1000).array(length: 0 ... 20)
    let pass = ShrinkPass("halve the largest") { nodes, _ in
      var choices = nodes.map { $0.choice }
      guard let i = choices.indices.max(by: { choices[$0].integerValue < choices[$1].integerValue }), choices[i].integerValue > 1 else { return [] }
      choices[i] = .integer(choices[i].integerValue / 2)
      return [Tape(choices)]
    }
    let result = await testRunner().check("planted: sum < 1000", gen, shrinkPasses: [pass]) { xs in try require(xs.reduce(0, +) < 1000) }
    let failure = try #require(result.failure)
    #expect(failure.shrinkPasses.map(\.pass) == ["halve the largest", "delete spans", "delete blocks", "simplify spans", "minimize choices", "redistribute integers"])
    #expect(failure.shrinkPasses.reduce(0) { $0 + $1.calls } == failure.shrinkCalls)
    #expect(failure.shrinkPasses.reduce(0) { $0 + $1.successes } == failure.successfulShrinks)
    #expect(failure.shrinkPasses.contains { $0.pass == "delete spans" && $0.successes > 0 })
    #expect(result.summary.contains("shrink passes: "))
  }
}
