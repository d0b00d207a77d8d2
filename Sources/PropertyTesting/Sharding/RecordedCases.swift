/// The generated cases one shard ran for one property, in case-index order: what `dmf merge` needs
/// to replay the property's decision as if one process had run every case.
///
/// A shard runs its indices below the horizon (the case budget; for a deterministic property it
/// stops at its first failure, since no later case can matter) and continues past the horizon while
/// discards leave it short of its share of counted cases. Nothing is shrunk or decided in a shard.
package struct RecordedCases: Sendable, Codable, Equatable {
  /// The property's stable name.
  package var property: String
  /// Which slice.
  package var shard: Shard
  /// The case budget the slice was cut from.
  package var horizon: Int
  /// The cases, by increasing index.
  package var cases: [CaseRecord]

  /// Recorded cases of `property` from `shard`.
  package init(property: String, shard: Shard, horizon: Int, cases: [CaseRecord]) {
    self.property = property
    self.shard = shard
    self.horizon = horizon
    self.cases = cases
  }
}

/// One generated case as a shard saw it.
package struct CaseRecord: Sendable, Codable, Equatable {
  /// The case index (its seed is derived from the run seed, the property name and this index).
  package var index: Int
  /// How the case ended: passed, failed (with its message and origin) or discarded (with the reason).
  package var outcome: CaseOutcome
  /// The replay token of a failing case (its full tape).
  package var token: String?
  /// Labels the case carried.
  package var labels: [String]
  /// Quantities the case measured, in order.
  package var measurements: [MeasuredValue]
  /// Seconds the case took.
  package var seconds: Double
  /// How the case ended when re-run under a rounding-level perturbation (``SensitivityCheck``);
  /// absent when it was not.
  package var perturbedOutcome: CaseOutcome?

  /// A record (failures should carry their token).
  package init(
    index: Int, outcome: CaseOutcome, token: String? = nil, labels: [String], measurements: [MeasuredValue], seconds: Double,
    perturbedOutcome: CaseOutcome? = nil
  ) {
    self.index = index
    self.outcome = outcome
    self.token = token
    self.labels = labels
    self.measurements = measurements
    self.seconds = seconds
    self.perturbedOutcome = perturbedOutcome
  }

  /// `passed`, `failed` or `discarded`.
  package var status: Status { Status(outcome) }

  /// How a recorded case ended, without its message.
  package enum Status: String, Sendable, Codable {
    /// The property held.
    case passed
    /// The property failed.
    case failed
    /// The case was discarded.
    case discarded
  }

  /// A measured quantity and its value.
  package struct MeasuredValue: Sendable, Codable, Equatable {
    /// The quantity's name.
    package var quantity: String
    /// The value (may be NaN when training diverged).
    package var value: Double

    /// A measured value.
    package init(quantity: String, value: Double) {
      self.quantity = quantity
      self.value = value
    }

    package static func == (a: Self, b: Self) -> Bool {
      a.quantity == b.quantity && a.value.bitPattern == b.value.bitPattern
    }
  }
}

extension CaseRecord {
  /// The record of case `index` whose run was `run`; failures keep their token.
  init(index: Int, run: PropertyRunner.CaseRun, token: ReplayToken) {
    self.init(
      index: index, outcome: run.evaluation.outcome, token: run.evaluation.outcome.isFailure ? token.description : nil,
      labels: run.labels, measurements: run.measurements.map { MeasuredValue(quantity: $0.0, value: $0.1) }, seconds: run.seconds,
      perturbedOutcome: run.perturbedOutcome)
  }

  /// The case run the record stands for: a failure carries its tape (from the token); no record
  /// carries choice constraints, so a failing record is re-run before it is shrunk.
  var caseRun: PropertyRunner.CaseRun {
    PropertyRunner.CaseRun(
      evaluation: Evaluation(outcome: outcome, nodes: [], spans: []),
      labels: labels, measurements: measurements.map { ($0.quantity, $0.value) },
      seconds: seconds, valueDescription: "",
      recordedTape: token.flatMap { try? ReplayToken(parsing: $0) }?.tape, index: index,
      perturbedOutcome: perturbedOutcome)
  }
}

extension CaseRecord.Status {
  /// How `outcome` ended, without its message.
  init(_ outcome: CaseOutcome) {
    switch outcome {
    case .passed: self = .passed
    case .failed: self = .failed
    case .discarded: self = .discarded
    }
  }
}

extension CaseOutcome: Codable {
  private enum CodingKeys: String, CodingKey { case status, message, origin, reason }

  /// `{"status": "passed"}`, `{"status": "failed", "message": …, "origin": …}` or
  /// `{"status": "discarded", "reason": …}`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(CaseRecord.Status(self), forKey: .status)
    switch self {
    case .passed: break
    case .failed(let message, let origin):
      try container.encode(message, forKey: .message)
      try container.encode(origin, forKey: .origin)
    case .discarded(let reason): try container.encode(reason, forKey: .reason)
    }
  }

  /// Decodes the form ``encode(to:)`` writes.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    switch try container.decode(CaseRecord.Status.self, forKey: .status) {
    case .passed: self = .passed
    case .failed: self = .failed(message: try container.decode(String.self, forKey: .message), origin: try container.decode(FailureOrigin.self, forKey: .origin))
    case .discarded: self = .discarded(reason: try container.decode(String.self, forKey: .reason))
    }
  }
}
