extension TrainingMethod {
  /// A method without its hyperparameters: which optimizer, or gradient flow. Two runs of one
  /// family share the code a change to that optimizer touches (`dmf regress` names the claims
  /// whose cases train with a drifted family).
  public enum Family: Hashable, Sendable, CustomStringConvertible {
    /// Discrete steps of this optimizer.
    case descent(OptimizerChoice.Kind)
    /// Gradient flow (the RK45 integrator).
    case gradientFlow

    /// `adam`, `gradient-flow`: the name a problem file's `optimizer.kind` gives it.
    public var description: String {
      switch self {
      case .descent(let kind): kind.rawValue
      case .gradientFlow: TrainingMethod.gradientFlowKind
      }
    }
  }

  /// The method's family.
  public var family: Family {
    switch self {
    case .descent(let optimizer): .descent(optimizer.kind)
    case .gradientFlow: .gradientFlow
    }
  }
}
