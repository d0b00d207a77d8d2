import Foundation
import PropertyTesting
import Testing

struct BinomialBoundsTests {
  struct Row: Sendable, CustomTestStringConvertible {
    let successes: Int, trials: Int
    let wilson: (Double, Double), clopperPearson: (Double, Double)
    var testDescription: String { "\(successes)/\(trials)" }
  }

  // Reference values at 95 %: Clopper–Pearson from the beta quantiles, Wilson from its formula
  // (both computed independently with SciPy).
  static let table: [Row] = [
    Row(successes: 95, trials: 100, wilson: (0.8882495307680808, 0.9784563208456319), clopperPearson: (0.8871650888945373, 0.9835681208179479)),
    Row(successes: 0, trials: 10, wilson: (0, 0.2775327998628892), clopperPearson: (0, 0.3084971078187607)),
    Row(successes: 10, trials: 10, wilson: (0.7224672001371107, 1), clopperPearson: (0.6915028921812392, 1)),
    Row(successes: 123, trials: 130, wilson: (0.8930220274608427, 0.9736750410118185), clopperPearson: (0.8922026812689459, 0.9780797632153108)),
    Row(successes: 5, trials: 20, wilson: (0.11186170140766569, 0.468700877618744), clopperPearson: (0.08657146910143462, 0.49104587170795744)),
  ]

  @Test(arguments: table)
  func againstTabulatedValues(row: Row) {
    let wilson = BinomialBounds.wilson(successes: row.successes, trials: row.trials)
    #expect(abs(wilson.lower - row.wilson.0) < 1e-9)
    #expect(abs(wilson.upper - row.wilson.1) < 1e-9)
    let exact = BinomialBounds.clopperPearson(successes: row.successes, trials: row.trials)
    #expect(abs(exact.lower - row.clopperPearson.0) < 1e-9)
    #expect(abs(exact.upper - row.clopperPearson.1) < 1e-9)
  }

  @Test func otherConfidenceLevels() {
    let wilson = BinomialBounds.wilson(successes: 190, trials: 200, confidence: 0.99)
    #expect(abs(wilson.lower - 0.8939098713095793) < 1e-9 && abs(wilson.upper - 0.9771917817067118) < 1e-9)
    let exact = BinomialBounds.clopperPearson(successes: 190, trials: 200, confidence: 0.99)
    #expect(abs(exact.lower - 0.8960378442460176) < 1e-9 && abs(exact.upper - 0.9811645116951908) < 1e-9)
    // Zero failures in n: the one-sided bound is α^{1/n} (rule of three's exact form).
    #expect(abs(BinomialBounds.clopperPearsonLowerBound(successes: 44, trials: 44, confidence: 0.99) - pow(0.01, 1.0 / 44)) < 1e-10)
  }

  @Test(arguments: [(0.975, 1.959963984540054), (0.999, 3.090232306167813), (1e-9, -5.9978070150076865), (0.3, -0.5244005127080409)])
  func normalQuantiles(p: Double, z: Double) {
    #expect(abs(BinomialBounds.normalQuantile(p) - z) < 1e-12)
  }
}
