import Synchronization

/// What a property body can say about the case it is checking: labels, assumptions, requirements.
///
/// The calls find the running case through a task-local value, so they work from anywhere in the
/// body (including helpers it calls) and do nothing outside a property run.
public enum PropertyContext {
  @TaskLocal static var current: CaseRecorder?
  @TaskLocal static var perturbation: UInt64?

  /// While the harness re-runs a case for its ``SensitivityCheck``, the seed of the rounding-level
  /// perturbation the property should apply to its numerics (the same seed for the same case on
  /// every machine); `nil` on an ordinary run. A property that ignores it is never found fragile.
  public static var perturbationSeed: UInt64? { perturbation }

  /// Counts this case under `label` (labels are tabulated in the result, e.g. "rank 2", "tall").
  public static func label(_ label: String) {
    current?.addLabel(label)
  }

  /// Counts this case under `label` when `condition` holds.
  public static func classify(_ condition: Bool, _ label: String) {
    if condition { current?.addLabel(label) }
  }

  /// Records a measured quantity of this case; the result summarises each quantity over the
  /// counted cases (count, min, median, max, and every value in case order).
  ///
  /// A `primary` quantity — what the property is about, as opposed to a diagnostic recorded on the
  /// way — is listed before the others, so reports show it first.
  public static func measure(_ quantity: String, _ value: Double, primary: Bool = false) {
    current?.addMeasurement(quantity, value, primary: primary)
  }
}

/// Collects what one case reported; shared between the body's task and the runner.
final class CaseRecorder: Sendable {
  private let labels = Mutex<[String]>([])
  private let measurements = Mutex<[(String, Double)]>([])

  func addLabel(_ label: String) {
    labels.withLock { $0.append(label) }
  }

  private let primaries = Mutex(0)

  func addMeasurement(_ quantity: String, _ value: Double, primary: Bool = false) {
    guard primary else {
      measurements.withLock { $0.append((quantity, value)) }
      return
    }
    primaries.withLock { count in
      measurements.withLock { $0.insert((quantity, value), at: count) }
      count += 1
    }
  }

  var recordedLabels: [String] {
    labels.withLock { $0 }
  }

  var recordedMeasurements: [(String, Double)] {
    measurements.withLock { $0 }
  }
}

/// A property's requirement that failed: thrown by ``require(_:_:fileID:line:)``.
public struct PropertyFailure: Error, Sendable, CustomStringConvertible {
  /// What failed, in the property's words.
  public var message: String
  /// Where it failed: by default the source location that throws it.
  public var origin: FailureOrigin

  /// A failure with a message, whose origin is where it is thrown.
  public init(_ message: String, fileID: String = #fileID, line: Int = #line) {
    self.init(message, origin: .requirement(fileID: fileID, line: line))
  }

  /// A failure with a message and an origin.
  public init(_ message: String, origin: FailureOrigin) {
    self.message = message
    self.origin = origin
  }

  /// The message.
  public var description: String { message }
}

/// A case that does not meet the property's precondition: thrown by ``assume(_:_:)``; the case is
/// discarded, neither passed nor failed.
public struct AssumptionRejected: Error, Sendable {
  /// Why the case was discarded.
  public var reason: String
}

/// Fails the current case with `message` unless `condition` holds.
///
/// The failure's origin is this call's location, so shrinking keeps to the same requirement.
public func require(
  _ condition: Bool, _ message: @autoclosure () -> String = "requirement failed",
  fileID: String = #fileID, line: Int = #line
) throws(PropertyFailure) {
  if !condition { throw PropertyFailure(message(), origin: .requirement(fileID: fileID, line: line)) }
}

/// Discards the current case unless `condition` holds (a precondition of the property).
///
/// Properties whose cases are mostly discarded are reported as vacuous.
public func assume(_ condition: Bool, _ reason: @autoclosure () -> String = "assumption") throws(AssumptionRejected) {
  if !condition { throw AssumptionRejected(reason: reason()) }
}
