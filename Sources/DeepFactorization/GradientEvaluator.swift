/// What computes the loss and the factor gradients for the trainer's hot loop.
package protocol GradientEvaluator {
  /// ℓ(W), with every factor's gradient written into `gradients`; allocates nothing.
  func evaluate(parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>) -> Double

  /// Gradient descent with learning rate η by the evaluator's own loop, or nil (nothing done) when it
  /// has none: steps from `step` until `end`, or until `limits` stop it. `gradients` holds the
  /// gradient at `parameters` on entry and at the result on return. Returns the last loss and why the
  /// loop stopped early, if it did.
  func descend(
    learningRate: Double, parameters: UnsafeMutablePointer<Double>, gradients: UnsafeMutablePointer<Double>,
    workspace: UnsafeMutablePointer<Double>, step: inout Int, until end: Int, limits: StepLimits
  ) -> (loss: Double, status: TrainingStatus?)?
}

extension GradientEvaluator {
  /// No loop of its own: the trainer's general loop runs.
  @inline(__always)
  package func descend(
    learningRate: Double, parameters: UnsafeMutablePointer<Double>, gradients: UnsafeMutablePointer<Double>,
    workspace: UnsafeMutablePointer<Double>, step: inout Int, until end: Int, limits: StepLimits
  ) -> (loss: Double, status: TrainingStatus?)? { nil }
}

extension GradientEngine: GradientEvaluator {}

/// Work to run with the gradient evaluator that suits the engine, specialized for it (the trainer's
/// descent and flow loops).
protocol GradientEvaluatorVisitor {
  associatedtype Result
  /// Runs with `evaluator`.
  mutating func visit<E: GradientEvaluator>(_ evaluator: E) -> Result
}

extension GradientEngine {
  /// Calls `visitor` with the most specialized evaluator for this engine: the fixed-depth engine for
  /// small d × d completion networks of depth 2 … 4, the fixed-size engine for other small d × d
  /// networks, the engine itself otherwise. The choice is made once, outside any hot loop.
  func withSpecializedEvaluator<V: GradientEvaluatorVisitor>(_ visitor: inout V) -> V.Result {
    switch fixedSize {
    case .one(let engine): Self.specialize(engine, &visitor)
    case .two(let engine): Self.specialize(engine, &visitor)
    case .three(let engine): Self.specialize(engine, &visitor)
    case .four(let engine): Self.specialize(engine, &visitor)
    case nil: visitor.visit(self)
    }
  }

  private static func specialize<S: FixedDimension, V: GradientEvaluatorVisitor>(_ engine: FixedSizeEngine<S>, _ visitor: inout V) -> V.Result {
    guard engine.sensing == nil else { return visitor.visit(engine) }
    switch engine.depth {
    case 2: return visitor.visit(FixedDepthEngine<S, FixedDepth2>(base: engine))
    case 3: return visitor.visit(FixedDepthEngine<S, FixedDepth3>(base: engine))
    case 4: return visitor.visit(FixedDepthEngine<S, FixedDepth4>(base: engine))
    default: return visitor.visit(engine)
    }
  }
}
