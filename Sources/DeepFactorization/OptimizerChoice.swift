/// The optimizers a problem file, a claim and `dmf` can name: one case per ``Optimizer`` type, each
/// holding its hyperparameters.
///
/// This is the one place the vocabulary is spelled. A problem file writes a choice as its
/// `optimizer` object, `{"kind": "adam", "learningRate": 0.01, …}` (``Kind`` gives the names); the
/// trainers dispatch on it with ``accept(_:)``, which hands the concrete type to a generic visitor so
/// that every step's update is specialised. Adding an optimizer is a file for its type and a case
/// here: every switch below, and nothing outside this file, must then handle it.
public enum OptimizerChoice: Sendable, Equatable {
  /// ``GradientDescent``.
  case gradientDescent(GradientDescent)
  /// ``Momentum``.
  case momentum(Momentum)
  /// ``Adam``.
  case adam(Adam)
  /// ``RMSprop``.
  case rmsprop(RMSprop)
  /// ``GroupRMSprop``.
  case groupRMSprop(GroupRMSprop)
  /// ``SignDescent``.
  case signDescent(SignDescent)
  /// ``SharedScalarAdam``.
  case sharedScalarAdam(SharedScalarAdam)
  /// ``WeightDecayDescent``.
  case weightDecay(WeightDecayDescent)

  /// An optimizer's name in problem files, reports and `dmf` output.
  public enum Kind: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// ``GradientDescent``.
    case gradientDescent = "gd"
    /// ``Momentum``.
    case momentum
    /// ``Adam``.
    case adam
    /// ``RMSprop``.
    case rmsprop
    /// ``GroupRMSprop``.
    case groupRMSprop = "group-rmsprop"
    /// ``SignDescent``.
    case signDescent = "sign-descent"
    /// ``SharedScalarAdam``.
    case sharedScalarAdam = "shared-scalar-adam"
    /// ``WeightDecayDescent``.
    case weightDecay = "gd-weight-decay"

    /// The file's name, `gd`, `adam`, …
    public var description: String { rawValue }

    /// The hyperparameters a problem file may give for this kind.
    public var fieldNames: [String] {
      switch self {
      case .gradientDescent: GradientDescent.fieldNames
      case .momentum: Momentum.fieldNames
      case .adam: Adam.fieldNames
      case .rmsprop: RMSprop.fieldNames
      case .groupRMSprop: GroupRMSprop.fieldNames
      case .signDescent: SignDescent.fieldNames
      case .sharedScalarAdam: SharedScalarAdam.fieldNames
      case .weightDecay: WeightDecayDescent.fieldNames
      }
    }
  }

  /// The optimizer of kind `kind` at learning rate η, every other hyperparameter its default.
  public init(_ kind: Kind, learningRate eta: Double) {
    switch kind {
    case .gradientDescent: self = .gradientDescent(.withDefaults(learningRate: eta))
    case .momentum: self = .momentum(.withDefaults(learningRate: eta))
    case .adam: self = .adam(.withDefaults(learningRate: eta))
    case .rmsprop: self = .rmsprop(.withDefaults(learningRate: eta))
    case .groupRMSprop: self = .groupRMSprop(.withDefaults(learningRate: eta))
    case .signDescent: self = .signDescent(.withDefaults(learningRate: eta))
    case .sharedScalarAdam: self = .sharedScalarAdam(.withDefaults(learningRate: eta))
    case .weightDecay: self = .weightDecay(.withDefaults(learningRate: eta))
    }
  }

  /// Which optimizer.
  public var kind: Kind {
    switch self {
    case .gradientDescent: .gradientDescent
    case .momentum: .momentum
    case .adam: .adam
    case .rmsprop: .rmsprop
    case .groupRMSprop: .groupRMSprop
    case .signDescent: .signDescent
    case .sharedScalarAdam: .sharedScalarAdam
    case .weightDecay: .weightDecay
    }
  }

  /// `gd`, `adam`, …
  public var name: String { kind.rawValue }

  /// Calls `visitor` with the concrete optimizer, so that what it runs is specialised for the type.
  public func accept<V: OptimizerVisitor>(_ visitor: inout V) -> V.Result {
    switch self {
    case .gradientDescent(let optimizer): visitor.visit(optimizer)
    case .momentum(let optimizer): visitor.visit(optimizer)
    case .adam(let optimizer): visitor.visit(optimizer)
    case .rmsprop(let optimizer): visitor.visit(optimizer)
    case .groupRMSprop(let optimizer): visitor.visit(optimizer)
    case .signDescent(let optimizer): visitor.visit(optimizer)
    case .sharedScalarAdam(let optimizer): visitor.visit(optimizer)
    case .weightDecay(let optimizer): visitor.visit(optimizer)
    }
  }

  /// The choice of kind `kind` read from `decoder` (the `optimizer` object, `kind` included).
  init(kind: Kind, from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(["kind"] + kind.fieldNames, kind: kind.rawValue)
    switch kind {
    case .gradientDescent: self = .gradientDescent(try GradientDescent(from: decoder))
    case .momentum: self = .momentum(try Momentum(from: decoder))
    case .adam: self = .adam(try Adam(from: decoder))
    case .rmsprop: self = .rmsprop(try RMSprop(from: decoder))
    case .groupRMSprop: self = .groupRMSprop(try GroupRMSprop(from: decoder))
    case .signDescent: self = .signDescent(try SignDescent(from: decoder))
    case .sharedScalarAdam: self = .sharedScalarAdam(try SharedScalarAdam(from: decoder))
    case .weightDecay: self = .weightDecay(try WeightDecayDescent(from: decoder))
    }
  }

  /// Writes the optimizer's hyperparameters (every one, defaults included) beside `kind`.
  func encodeFields(to encoder: any Encoder) throws {
    switch self {
    case .gradientDescent(let optimizer): try optimizer.encode(to: encoder)
    case .momentum(let optimizer): try optimizer.encode(to: encoder)
    case .adam(let optimizer): try optimizer.encode(to: encoder)
    case .rmsprop(let optimizer): try optimizer.encode(to: encoder)
    case .groupRMSprop(let optimizer): try optimizer.encode(to: encoder)
    case .signDescent(let optimizer): try optimizer.encode(to: encoder)
    case .sharedScalarAdam(let optimizer): try optimizer.encode(to: encoder)
    case .weightDecay(let optimizer): try optimizer.encode(to: encoder)
    }
  }

  /// Throws at the first hyperparameter out of its range.
  public func validate() throws(HyperparameterError) {
    var visitor = Validation()
    if let error = accept(&visitor) { throw error }
  }

  private struct Validation: OptimizerVisitor {
    mutating func visit<O: Optimizer>(_ optimizer: O) -> HyperparameterError? {
      do { try optimizer.validate() } catch { return error }
      return nil
    }
  }
}

extension OptimizerChoice: Codable {
  private enum CodingKeys: String, CodingKey { case kind }

  /// Reads `{"kind": …, <the kind's fields>}`; an unknown kind names the known ones.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try c.decodeKind(Kind.self, forKey: .kind)
    try self.init(kind: kind, from: decoder)
  }

  /// Writes `kind` and every hyperparameter.
  public func encode(to encoder: any Encoder) throws {
    try encodeFields(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(kind, forKey: .kind)
  }
}

/// Something run with a concrete ``Optimizer`` type (a training loop), through ``OptimizerChoice/accept(_:)``.
public protocol OptimizerVisitor {
  /// What the visit returns.
  associatedtype Result
  /// Runs with `optimizer`, specialised for its type.
  mutating func visit<O: Optimizer>(_ optimizer: O) -> Result
}
