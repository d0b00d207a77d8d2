import PropertyTesting
import ClaimKit
import Properties
import Testing

/// Every claim of the catalogue carries a calibration from random run seeds (`dmf calibrate CODE
/// --write`), measured against its current thresholds: a claim decided on every instance never had a
/// case outside a bound, a statistical claim's runs all said "holds", and every counter-setting's
/// runs all failed.
struct CalibrationRecordTests {
  static let codes = Catalog.all.map(\.code)

  static func record(_ claim: Claim) throws -> CalibrationRecord {
    try #require(try CalibrationRecord.load(code: claim.code), "\(claim.code) has no calibration record: run dmf calibrate \(claim.code) --write")
  }

  @Test(arguments: codes)
  func theRecordIsCurrentAndLargeEnough(code: String) throws {
    let claim = try #require(Catalog.all.first { $0.code == code })
    let record = try Self.record(claim)
    #expect(record.claim == claim.id)
    #expect(
      record.isCurrent(for: claim),
      "\(code) changed after its calibration (thresholds, decision rule or cases a run draws; recorded \(record.thresholds.map(\.name)), \(record.sides.map(\.decidedBy))): run dmf calibrate \(code) --write")
    // 1000 cases a side, or 200 for a claim whose case takes 0.1 s or more; fewer only with a stated reason.
    let needed = try #require(record.side(.claim), "\(code) has no claim calibration").meanSecondsPerCase >= 0.1 ? 200 : 1000
    for side in CalibrationSide.allCases {
      let measured = try #require(record.side(side), "\(code) has no \(side) calibration")
      #expect(measured.cases >= needed || record.note != nil, "\(code) \(side): \(measured.cases) cases, the rule asks for \(needed) (or a note saying why not)")
      #expect(measured.cases > 0)
    }
  }

  @Test(arguments: codes)
  func everyCalibratedRunReachesTheClaimsVerdict(code: String) throws {
    let claim = try #require(Catalog.all.first { $0.code == code })
    let record = try Self.record(claim)
    let own = try #require(record.side(.claim)), counter = try #require(record.side(.counter))
    // An exploratory claim decides nothing: its record says what happened, whatever the verdicts.
    guard claim.status != .exploratory else { return }
    switch claim.kind {
    case .everyInstance:
      #expect(own.unmeasured == 0, "\(code): \(own.unmeasured) cases ended without a measurement (\(own.firstUnmeasured ?? ""))")
      for quantity in own.quantities {
        #expect(
          quantity.outside == 0,
          "\(code).\(quantity.threshold): \(quantity.outside) of \(quantity.count) calibration cases outside [\(quantity.lower ?? -.infinity), \(quantity.upper ?? .infinity)], lowest \(quantity.lowest.map { "\($0.value) at run seed \($0.runSeed) case \($0.index)" } ?? "–"), highest \(quantity.highest.map { "\($0.value) at run seed \($0.runSeed) case \($0.index)" } ?? "–")")
      }
      #expect(own.examples.allSatisfy { $0 }, "\(code): an explicit example failed")
      #expect(Set(own.runVerdicts.keys) == ["passed"], "\(code): run verdicts \(own.runVerdicts)")
      #expect(Set(counter.runVerdicts.keys) == ["failed"], "\(code) counter-setting: run verdicts \(counter.runVerdicts)")
    case .statistical:
      #expect(Set(own.runVerdicts.keys) == ["holds"], "\(code): run verdicts \(own.runVerdicts)")
      #expect(Set(counter.runVerdicts.keys) == ["fails"], "\(code) counter-setting: run verdicts \(counter.runVerdicts)")
    }
  }
}
