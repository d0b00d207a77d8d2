/// An update rule for the flat parameter vector of all factors, given its gradient.
///
/// The optimizers a problem file, a claim or `dmf` can name are the cases of ``OptimizerChoice``:
/// to add one, write its type in a file of its own and add a case there (the compiler then lists
/// every switch that must handle it). A type conforming here but not in ``OptimizerChoice`` can
/// still train a network through ``Trainer/train(_:using:observers:path:)`` (an experiment; it has no
/// file kind). `update` is called once per step with t counting from 1, must not allocate, and may
/// keep state (velocities, second moments) sized in ``prepare(layout:)``.
///
/// Its ``hyperparameters`` table gives decoding, encoding and validation: a problem file's
/// `optimizer` object must give `learningRate`, and every other field it leaves out keeps the value
/// ``withDefaults(learningRate:)`` gives it, the one place a default is written. The optimizer's
/// state is neither encoded nor decoded.
public protocol Optimizer: Sendable, Equatable, Codable {
  /// The optimizer at learning rate η with every other hyperparameter at its default.
  static func withDefaults(learningRate: Double) -> Self
  /// Every hyperparameter, `learningRate` first, in the order they are checked.
  static var hyperparameters: [Hyperparameter<Self>] { get }
  /// Sizes the optimizer's state for the parameter vector's blocks (a network's factors, a CP
  /// factorization's mode factors) and resets it to its initial values.
  mutating func prepare(layout: ParameterLayout)
  /// One update of `count` parameters from their gradients; `step` is t ≥ 1.
  mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int)
}

extension Optimizer {
  /// Nothing to size: the default for optimizers without state (gradient descent, sign descent).
  public mutating func prepare(layout: ParameterLayout) {}

  /// The hyperparameters' names as a problem file spells them (the decoder rejects any other field).
  public static var fieldNames: [String] { hyperparameters.map(\.name) }

  /// Throws at the first hyperparameter out of its range, naming it.
  public func validate() throws(HyperparameterError) {
    for hyperparameter in Self.hyperparameters { try hyperparameter.check(self) }
  }

  /// Reads `learningRate` and whichever other hyperparameters are present.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: AnyKey.self)
    self = Self.withDefaults(learningRate: try c.decode(Double.self, forKey: AnyKey(stringValue: "learningRate")))
    for hyperparameter in Self.hyperparameters.dropFirst() {
      try c.overwrite(&self[keyPath: hyperparameter.keyPath], ifPresent: AnyKey(stringValue: hyperparameter.name))
    }
  }

  /// Writes every hyperparameter.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: AnyKey.self)
    for hyperparameter in Self.hyperparameters {
      try c.encode(self[keyPath: hyperparameter.keyPath], forKey: AnyKey(stringValue: hyperparameter.name))
    }
  }
}
