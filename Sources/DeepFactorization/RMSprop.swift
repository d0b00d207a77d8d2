/// RMSprop: v ← α v + (1−α) g²; W ← W − η g / (√v + ε). File kind `rmsprop`.
public struct RMSprop: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// The smoothing α (default 0.99).
  public var alpha: Double
  /// ε (default 1e-8).
  public var epsilon: Double
  private var meanSquare: [Double] = []

  /// RMSprop with the given hyperparameters.
  public init(learningRate: Double, alpha: Double = 0.99, epsilon: Double = 1e-8) {
    self.learningRate = learningRate
    self.alpha = alpha
    self.epsilon = epsilon
  }

  /// Zeroes the mean square.
  public mutating func prepare(layout: ParameterLayout) {
    meanSquare = [Double](repeating: 0, count: layout.count)
  }

  /// One RMSprop step.
  @inline(__always)
  public mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    let a = alpha, eps = epsilon, eta = learningRate
    meanSquare.withUnsafeMutableBufferPointer { v in
      for i in 0 ..< count {
        let g = gradients[i]
        v[i] = a * v[i] + (1 - a) * g * g
        parameters[i] -= eta * g / (v[i].squareRoot() + eps)
      }
    }
  }

  /// At learning rate η, every other hyperparameter at the initializer's default.
  public static func withDefaults(learningRate eta: Double) -> Self { RMSprop(learningRate: eta) }

  /// Decoded, encoded and checked in this order.
  public static var hyperparameters: [Hyperparameter<Self>] {
    [
      Hyperparameter("learningRate", \.learningRate, .positive), Hyperparameter("alpha", \.alpha, .fraction),
      Hyperparameter("epsilon", \.epsilon, .positive),
    ]
  }
}
