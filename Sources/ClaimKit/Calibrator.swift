public import PropertyTesting
public import Foundation
import SeededRandom

/// Measures a claim's generated cases over random run seeds without deciding anything (`dmf
/// calibrate`): each run seed contributes the cases a run of the profile with that seed would check —
/// every generated case of its budget for a claim decided on every instance, the cases up to the
/// SPRT's decision for a statistical one — so the record says both how the quantities are
/// distributed and how often a run's verdict would differ from the claim's.
public struct Calibrator: Sendable {
  /// The claim.
  public var claim: Claim
  /// The profile whose runs are reproduced seed by seed.
  public var profile: Profile
  /// Run seeds are drawn from this one, each claim its own (the record keeps it and them:
  /// `dmf calibrate CODE --seed <masterSeed>` repeats the record).
  public var masterSeed: UInt64
  /// Cases to measure at least, per side (whole runs are kept: the last run seed may add a few more).
  public var minimumCases: Int
  /// Run seeds measured at once.
  public var parallelism: Int

  /// A calibration of `claim` over the runs of `profile`.
  public init(claim: Claim, profile: Profile = .quick, masterSeed: UInt64, minimumCases: Int, parallelism: Int) {
    self.claim = claim
    self.profile = profile
    self.masterSeed = masterSeed
    self.minimumCases = minimumCases
    self.parallelism = Swift.max(1, parallelism)
  }

  /// The k-th run seed of this claim.
  public func runSeed(_ k: Int) -> UInt64 {
    let claimSeed = PropertyIdentity.caseSeed(runSeed: masterSeed, name: claim.id, index: 0)
    return SeedDerivation.derive(claimSeed, "calibration run \(k)")
  }

  /// The cases of one run seed on `side`, in index order (a statistical claim's stop at its SPRT
  /// decision, or at the run's budget).
  func run(_ side: CalibrationSide, seed: UInt64) -> [CalibrationSample] {
    let budget = claim.casesPerRun(side, profile: profile)
    var samples: [CalibrationSample] = []
    switch claim.kind {
    case .everyInstance:
      // A run stops at its first failure; the calibration measures every case of the budget, so
      // that the distribution is not cut where the claim fails. Discards are replaced, as in a run.
      var index = 0, counted = 0
      while counted < budget && index < 10 * Swift.max(1, budget) {
        let sample = claim.sample(side, runSeed: seed, index: index)
        samples.append(sample)
        if sample.counts { counted += 1 }
        index += 1
      }
    case .statistical(let design):
      var test = SequentialTest(design: design)
      var index = 0
      while index < budget && test.decision == .undecided {
        let sample = claim.sample(side, runSeed: seed, index: index)
        samples.append(sample)
        if sample.counts { test.observe(success: sample.holds) }
        index += 1
      }
    }
    return samples
  }

  /// Calibrates `side`: run seeds 0, 1, … until at least `minimumCases` cases are measured, the
  /// runs spread over `parallelism` tasks; the record keeps the shortest prefix of run seeds that
  /// reaches the count, so it does not depend on which task finished first. `progress` is told of
  /// each finished run (its seed index, cases so far, and the run's samples).
  public func calibrate(_ side: CalibrationSide, progress: @Sendable (Int, Int, [CalibrationSample]) -> Void = { _, _, _ in }) async
    -> CalibrationRecord.Side
  {
    var finished: [Int: [CalibrationSample]] = [:]  // looked up by seed index; assembled in index order below
    var measured = 0
    await withTaskGroup(of: (Int, [CalibrationSample]).self) { group in
      var next = 0
      func launch() {
        let k = next, seed = runSeed(k), calibrator = self
        group.addTask { (k, calibrator.run(side, seed: seed)) }
        next += 1
      }
      for _ in 0 ..< parallelism { launch() }
      while let (k, samples) = await group.next() {
        finished[k] = samples
        measured += samples.filter(\.counts).count
        progress(k, measured, samples)
        let stalled = next >= 100 && measured == 0  // every draw discarded: stop rather than loop
        if measured < minimumCases && !stalled { launch() }
      }
    }
    var runs: [(seed: UInt64, samples: [CalibrationSample])] = []
    var total = 0
    for k in 0 ..< finished.count {
      guard let samples = finished[k], total < minimumCases || runs.isEmpty else { break }
      runs.append((runSeed(k), samples))
      total += samples.filter(\.counts).count
    }
    let examples = side == .claim ? claim.sampleExamples() : []
    return CalibrationRecord.Side(claim: claim, side: side, profile: profile, masterSeed: masterSeed, runs: runs, examples: examples)
  }
}

extension CalibrationRecord {
  /// A record of `claim` from its sides' calibrations.
  public init(claim: Claim, sides: [Side], note: String?, build: String, kernel: String) {
    self.claim = claim.id
    code = claim.code
    thresholds = claim.thresholds.map(ThresholdBounds.init)
    self.note = note
    self.build = build
    self.kernel = kernel
    self.sides = sides
  }

  /// The directory of the checked-in records, `Fixtures/calibration` beside this source tree.
  public static var directory: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/calibration").path
  }

  /// The record file of the claim with code `code` in `directory`.
  public static func path(code: String, in directory: String = CalibrationRecord.directory) -> String {
    directory + "/" + code + ".json"
  }

  /// The record stored for `code`, nil when there is none; an unreadable record is an error.
  public static func load(code: String, from directory: String = CalibrationRecord.directory) throws -> CalibrationRecord? {
    let path = path(code: code, in: directory)
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try JSONDecoder().decode(CalibrationRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// The record as stored: pretty-printed JSON with sorted keys and a final newline.
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self) + Data("\n".utf8)
  }

  /// Whether the record was measured against the claim as it is now: the same thresholds, the same
  /// decision rule (every instance, or the same SPRT design) and the same cases a run draws.
  public func isCurrent(for claim: Claim) -> Bool {
    thresholds == claim.thresholds.map(ThresholdBounds.init)
      && sides.allSatisfy { $0.decidedBy == claim.kind.description && $0.casesPerRun == claim.casesPerRun($0.side, profile: $0.profile) }
  }
}
