/// Gradient descent with weight decay: W ← (1 − ηλ) W − η g, which is plain gradient descent on the
/// loss plus (λ/2) Σ_j ‖W_j‖_F² over every factor. File kind `gd-weight-decay`.
///
/// The loss a run reports is the data loss alone, without the penalty. At depth 2 the penalty's
/// minimum over the factorizations of a product W is λ‖W‖_* (the variational form of the nuclear
/// norm), so the regularized problem is nuclear-norm regularization of W; at depth L it is a
/// Schatten-2/L quasi-norm (Neyshabur, Tomioka & Srebro 2015; Wang & Jacot 2024).
public struct WeightDecayDescent: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// The weight decay λ (the penalty's coefficient, not multiplied by η).
  public var weightDecay: Double

  /// Gradient descent with learning rate η > 0 and weight decay λ > 0.
  public init(learningRate: Double, weightDecay: Double) {
    self.learningRate = learningRate
    self.weightDecay = weightDecay
  }

  /// W ← (1 − ηλ) W − η g.
  @inline(__always)
  public mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    let eta = learningRate, shrink = 1 - learningRate * weightDecay
    for i in 0 ..< count { parameters[i] = shrink * parameters[i] - eta * gradients[i] }
  }

  /// At learning rate η and weight decay 1e-4 (a problem file should give its own `weightDecay`).
  public static func withDefaults(learningRate eta: Double) -> Self { WeightDecayDescent(learningRate: eta, weightDecay: 1e-4) }

  /// Decoded, encoded and checked in this order.
  public static var hyperparameters: [Hyperparameter<Self>] {
    [Hyperparameter("learningRate", \.learningRate, .positive), Hyperparameter("weightDecay", \.weightDecay, .positive)]
  }
}
