import PropertyTesting
import Testing

struct GenTests {
  @Test func replayingAPrefixFillsTheRestWithSimplestValues() throws {
    let gen = zip(Gen<Int>.int(in: 5 ... 9), Gen<Bool>.bool, Gen<Double>.double(in: 2 ... 3))
    let (a, b, c) = try gen.generate(ChoiceSource(replaying: Tape([.integer(7)])))
    #expect(a == 7 && b == false && c == 2)
    // A recorded value outside the constraint is replaced by the simplest allowed one.
    let source = ChoiceSource(replaying: Tape([.integer(100), .float(2.5)]))
    let misaligned = try Gen<Int>.int(in: 5 ... 9).generate(source)
    #expect(misaligned == 5 && source.misalignedCount == 1)
  }

  @Test func theTapeRecordsEveryChoiceAndReplaysToTheSameValue() throws {
    let gen = Gen<Int>.int(in: 0 ... 10).flatMap { n in Gen<UInt64>.seed.array(count: n) }
    let source = ChoiceSource(seed: 3)
    let value = try gen.generate(source)
    #expect(source.nodes.count == value.count + 1)
    #expect(try gen.generate(ChoiceSource(replaying: source.tape)) == value)
  }

  @Test func oneOfAndFrequencyRespectTheirWeights() throws {
    let frequency = Gen<String>.frequency([(1, .constant("rare")), (9, .constant("common"))])
    var common = 0
    for seed in 0 ..< 2000 where try frequency.sample(seed: UInt64(seed)) == "common" { common += 1 }
    // 1800 expected, sd ≈ 13.4.
    #expect(abs(common - 1800) < 70)
    let oneOf = Gen<Int>.oneOf([.constant(1), .constant(2), .constant(3)])
    #expect(Set(try (0 ..< 100).map { try oneOf.sample(seed: UInt64($0)) }) == [1, 2, 3])
    #expect(try oneOf.generate(ChoiceSource(replaying: Tape())) == 1)
  }

  @Test func stratifiedDrawsFollowTheCaseIndexAndReplayFromTheTape() throws {
    let grid = Gen<String>.stratified(["a", "b", "c"])
    let repetition = Gen<Int>.stratified(Array(0 ..< 100), every: 3)
    let both = zip(grid, repetition, Gen<UInt64>.seed)
    var seen: [String] = []
    for index in 0 ..< 9 {
      let source = ChoiceSource(seed: UInt64(1000 + index), caseIndex: index)
      let (point, block, _) = try both.generate(source)
      #expect(block == index / 3)
      seen.append(point)
      // The stratum is recorded: the token's tape alone gives the same case back.
      let (again, blockAgain, _) = try both.generate(ChoiceSource(replaying: source.tape))
      #expect(again == point && blockAgain == block)
    }
    #expect(seen == ["a", "b", "c", "a", "b", "c", "a", "b", "c"], "every 3 consecutive cases cover the grid once")
    // Without a case index (a sample), the stratum is drawn uniformly.
    let sampled = try (0 ..< 300).map { try grid.sample(seed: UInt64($0)) }
    for element in ["a", "b", "c"] { #expect(sampled.filter { $0 == element }.count > 60) }
  }

  @Test func theRunnerGivesGeneratedCasesTheirIndex() async throws {
    var configuration = RunConfiguration(profile: .quick, seed: 7, parallelism: 2)
    configuration.sensitivity = .off
    let runner = PropertyRunner(configuration: configuration)
    let strata = Gen<Int>.stratified(Array(0 ..< 4))
    let result = await runner.check("stratified", strata, budget: .cases(8)) { stratum in
      PropertyContext.measure("stratum", Double(stratum), primary: true)
    }
    #expect(result.measurements.first?.values == [0, 1, 2, 3, 0, 1, 2, 3])
  }

  @Test func filterRetriesAndElementPicks() throws {
    let even = Gen<Int>.int(in: 0 ... 100).filter("even") { $0 % 2 == 0 }
    for seed in 0 ..< 50 { #expect(try even.sample(seed: UInt64(seed)) % 2 == 0) }
    let element = Gen<String>.element(of: ["a", "b"])
    #expect(Set(try (0 ..< 50).map { try element.sample(seed: UInt64($0)) }) == ["a", "b"])
  }

  @Test func arraysStayWithinTheirLengths() throws {
    let gen = Gen<Int>.int(in: 0 ... 3).array(length: 2 ... 6)
    var lengths = Set<Int>()
    for seed in 0 ..< 300 {
      let xs = try gen.sample(seed: UInt64(seed))
      #expect(xs.count >= 2 && xs.count <= 6)
      lengths.insert(xs.count)
    }
    #expect(lengths == [2, 3, 4, 5, 6])
  }

  @Test func runawayGeneratorsOverrun() {
    let gen = Gen<Int>.int(in: 0 ... 1).array(count: 50)
    #expect(throws: GenerationError.overrun(limit: 10)) { try gen.generate(ChoiceSource(seed: 1, maxChoices: 10)) }
  }
}
