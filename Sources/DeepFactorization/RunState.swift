/// The state a ``Stepper`` advances: a run's parameter vector θ with its gradient and workspace
/// arenas, and how to record it. The matrix trainer's and the CP trainer's runs conform, so that
/// both are advanced by the same steppers.
package protocol RunState {
  /// θ.
  var parameters: [Double] { get set }
  /// ∇ℓ(θ): at the current θ whenever a stepper hands control back.
  var gradients: [Double] { get set }
  /// The evaluator's scratch space.
  var workspace: [Double] { get set }
  /// Records the current state at `step` (and flow `time`) with its `loss`.
  mutating func record(step: Int, time: Double?, loss: Double)
}

extension RunState {
  /// Runs `body` on the three arenas as mutable buffers. They are moved out of the state for the
  /// call (a protocol's properties cannot be borrowed side by side) and put back after; nothing is
  /// copied.
  @inline(__always)
  package mutating func withArenas<R>(
    _ body: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> R
  ) -> R {
    var p = [Double](), g = [Double](), w = [Double]()
    swap(&p, &parameters)
    swap(&g, &gradients)
    swap(&w, &workspace)
    defer {
      swap(&p, &parameters)
      swap(&g, &gradients)
      swap(&w, &workspace)
    }
    return p.withUnsafeMutableBufferPointer { p in
      g.withUnsafeMutableBufferPointer { g in
        w.withUnsafeMutableBufferPointer { w in body(p, g, w) }
      }
    }
  }
}
