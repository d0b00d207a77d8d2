/// A hyperparameter of an optimizer or integrator out of its range. A problem file reports it at
/// `optimizer.<field>`.
public enum HyperparameterError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A learning rate, ε or tolerance that is not positive and finite.
  case notPositive(field: String, value: Double)
  /// A decay or momentum outside [0, 1).
  case notAFraction(field: String, value: Double)
  /// Gradient flow's relative tolerance outside [1e-14, 1).
  case toleranceOutOfReach(Double)

  /// The field's name as a problem file spells it (`learningRate`, `beta1`, …).
  public var field: String {
    switch self {
    case .notPositive(let field, _), .notAFraction(let field, _): field
    case .toleranceOutOfReach: "relativeTolerance"
    }
  }

  /// What is wrong, with the value (`must be positive and finite, got -1.0`).
  public var message: String {
    switch self {
    case .notPositive(_, let value): "must be positive and finite, got \(value)"
    case .notAFraction(_, let value): "must lie in [0, 1), got \(value)"
    case .toleranceOutOfReach(let value):
      "must lie in [1e-14, 1), got \(value): below 1e-14 the integrator cannot make progress in double precision"
    }
  }

  /// `field: message`.
  public var description: String { "\(field): \(message)" }
}

/// One hyperparameter of an ``Optimizer``: its name in a problem file, where the optimizer keeps it,
/// and the range it must lie in.
public struct Hyperparameter<Owner> {
  /// The range a hyperparameter must lie in.
  public enum Range: Sendable {
    /// Positive and finite (learning rates, ε).
    case positive
    /// In [0, 1) (decays, momenta).
    case fraction
  }

  /// The name a problem file gives it (`learningRate`, `beta1`, …).
  public let name: String
  /// Where the optimizer keeps it.
  public let keyPath: WritableKeyPath<Owner, Double>
  /// Its range.
  public let range: Range

  /// A hyperparameter named `name`, kept at `keyPath`, in `range`.
  public init(_ name: String, _ keyPath: WritableKeyPath<Owner, Double>, _ range: Range) {
    self.name = name
    self.keyPath = keyPath
    self.range = range
  }

  /// Throws unless `owner`'s value lies in the range.
  func check(_ owner: Owner) throws(HyperparameterError) {
    let value = owner[keyPath: keyPath]
    switch range {
    case .positive: guard value > 0 && value.isFinite else { throw .notPositive(field: name, value: value) }
    case .fraction: guard value >= 0 && value < 1 else { throw .notAFraction(field: name, value: value) }
    }
  }
}
