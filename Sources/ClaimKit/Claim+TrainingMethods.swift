public import DeepFactorization
import PropertyTesting

extension Claim {
  /// The method families (optimizers, gradient flow) the claim's cases train with, as far as its
  /// explicit examples and its first `cases` generated cases of run seed `runSeed` show, in the order
  /// first met. Each case is trained (not decided), so this costs what those cases cost.
  ///
  /// A claim whose generator draws the optimizer may use more families than a few cases show; a
  /// claim that computes its dynamics without ``train(_:observers:)`` or `trainCP` shows none.
  /// On the counter side (`side` `.counter`) the counter-setting's generated cases are looked at.
  public func trainingMethods(_ side: CalibrationSide = .claim, runSeed: UInt64, cases: Int) -> [TrainingMethod.Family] {
    let log = TrainingLog()
    log.collecting {
      if side == .claim { _ = sampleExamples() }
      for index in 0 ..< cases { _ = sample(side, runSeed: runSeed, index: index) }
    }
    var families: [TrainingMethod.Family] = []
    for entry in log.entries where !families.contains(entry.family) { families.append(entry.family) }
    return families
  }
}
