/// Sign descent: W ← W − η sign(g), coordinate by coordinate (sign 0 = 0) — Adam's limit as β1, β2
/// → 0 and ε → 0, the coordinate-wise method in its purest form. File kind `sign-descent`.
public struct SignDescent: Optimizer {
  /// The step η each coordinate moves by.
  public var learningRate: Double

  /// Sign descent with step η > 0.
  public init(learningRate: Double) {
    self.learningRate = learningRate
  }

  /// W ← W − η sign(g).
  @inline(__always)
  public mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    let eta = learningRate
    for i in 0 ..< count {
      let g = gradients[i]
      parameters[i] -= g > 0 ? eta : g < 0 ? -eta : 0
    }
  }

  /// At learning rate η, every other hyperparameter at the initializer's default.
  public static func withDefaults(learningRate eta: Double) -> Self { SignDescent(learningRate: eta) }

  /// Decoded, encoded and checked in this order.
  public static var hyperparameters: [Hyperparameter<Self>] {
    [Hyperparameter("learningRate", \.learningRate, .positive)]
  }
}
