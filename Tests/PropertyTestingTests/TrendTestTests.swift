import Foundation
import PropertyTesting
import SeededRandom
import Testing

/// The Jonckheere–Terpstra trend test and the power-law fit behind limit verdicts.
struct TrendTestTests {
  @Test func theStatisticAndItsVarianceMatchAHandCount() {
    // Every one of the 4 cross pairs rises: J = 4; 𝔼J = (16 − 8)/4 = 2; Var J = (4·3·13 − 2·2·1·9)/72 = 5/3.
    let result = TrendTest.jonckheere([[1, 2], [3, 4]])
    #expect(result.statistic == 4)
    #expect(abs(result.z - 2 / (5.0 / 3).squareRoot()) < 1e-12)
    #expect(abs(result.pRising + result.pFalling - 1) < 1e-12)
    // Ties count ½, and a ladder of one value has no trend.
    #expect(TrendTest.jonckheere([[1], [1]]).statistic == 0.5)
    #expect(TrendTest.jonckheere([[2, 2], [2, 2], [2]]).z == 0)
  }

  /// On ladders with no trend, the two one-sided tests at α/2 = 0.005 each sound together at most
  /// α = 0.01 of the time: continuous values, heavily tied values and 0/1 outcomes, 5 rungs of 12.
  @Test(arguments: ["continuous", "tied", "binary"])
  func theFalseAlarmRateOnAFlatLadderIsAtMostItsLevel(kind: String) {
    var generator = Xoshiro256StarStar(seed: SeedDerivation.derive(0x7E57, kind))
    let simulations = 4000
    var alarms = 0
    for _ in 0 ..< simulations {
      let groups = (0 ..< 5).map { _ in
        (0 ..< 12).map { _ -> Double in
          switch kind {
          case "continuous": generator.nextGaussian()
          case "tied": Double(generator.nextInt(below: 4))
          default: generator.nextBool(probability: 0.9) ? 1 : 0
          }
        }
      }
      let test = TrendTest.jonckheere(groups)
      if test.pRising < 0.005 || test.pFalling < 0.005 { alarms += 1 }
    }
    // The rate's upper 99.9 % bound (normal approximation) must not exceed the level.
    let rate = Double(alarms) / Double(simulations)
    #expect(rate - 3.1 * (0.01 * 0.99 / Double(simulations)).squareRoot() <= 0.01, "\(alarms) alarms in \(simulations)")
  }

  @Test func aTrendIsFoundAndItsDirectionIsRight() {
    var generator = Xoshiro256StarStar(seed: 3)
    let rising = (0 ..< 5).map { k in (0 ..< 10).map { _ in Double(k) + generator.nextGaussian() } }
    let test = TrendTest.jonckheere(rising)
    #expect(test.pRising < 1e-3 && test.pFalling > 0.99)
  }

  @Test func thePowerLawRecoversItsExponentWithinItsInterval() throws {
    var generator = Xoshiro256StarStar(seed: 11)
    let x = [1e-1, 1e-2, 1e-3, 1e-4].flatMap { [Double](repeating: $0, count: 8) }
    let y = x.map { 3 * pow($0, 1.5) * exp(0.2 * generator.nextGaussian()) }
    let law = try #require(TrendTest.powerLaw(x: x, y: y))
    #expect(law.lower <= 1.5 && 1.5 <= law.upper && law.upper - law.lower < 0.1)
    #expect(TrendTest.powerLaw(x: [1, 1, 1, 1], y: [1, 2, 3, 4]) == nil, "one x: no slope")
  }

  @Test(arguments: [(3.0, 3.182446), (10.0, 2.228139), (30.0, 2.042272)])
  func studentQuantilesAreWithinHalfAPercent(degrees: Double, exact: Double) {
    #expect(abs(TrendTest.studentQuantile(0.975, degrees: degrees) / exact - 1) < 5e-3)
  }
}
