/// Plain gradient descent: W ← W − η g. File kind `gd`.
public struct GradientDescent: Optimizer {
  /// The learning rate η.
  public var learningRate: Double

  /// Gradient descent with learning rate η > 0.
  public init(learningRate: Double) {
    self.learningRate = learningRate
  }

  /// W ← W − η g.
  @inline(__always)
  public mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    let eta = learningRate
    for i in 0 ..< count { parameters[i] -= eta * gradients[i] }
  }

  /// At learning rate η, every other hyperparameter at the initializer's default.
  public static func withDefaults(learningRate eta: Double) -> Self { GradientDescent(learningRate: eta) }

  /// Decoded, encoded and checked in this order.
  public static var hyperparameters: [Hyperparameter<Self>] {
    [Hyperparameter("learningRate", \.learningRate, .positive)]
  }
}
