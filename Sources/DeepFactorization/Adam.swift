import RealModule

/// Adam with bias correction: m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²;
/// W ← W − η (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε). File kind `adam`.
public struct Adam: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// β1 (default 0.9).
  public var beta1: Double
  /// β2 (default 0.999).
  public var beta2: Double
  /// ε (default 1e-8).
  public var epsilon: Double
  private var firstMoment: [Double] = []
  private var secondMoment: [Double] = []

  /// Adam with the given hyperparameters.
  public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  /// Zeroes both moments.
  public mutating func prepare(layout: ParameterLayout) {
    firstMoment = [Double](repeating: 0, count: layout.count)
    secondMoment = [Double](repeating: 0, count: layout.count)
  }

  /// One Adam step.
  @inline(__always)
  public mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    let b1 = beta1, b2 = beta2, eps = epsilon, eta = learningRate
    let correction1 = 1 - Double.pow(b1, Double(step)), correction2 = 1 - Double.pow(b2, Double(step))
    firstMoment.withUnsafeMutableBufferPointer { m in
      secondMoment.withUnsafeMutableBufferPointer { v in
        for i in 0 ..< count {
          let g = gradients[i]
          m[i] = b1 * m[i] + (1 - b1) * g
          v[i] = b2 * v[i] + (1 - b2) * g * g
          parameters[i] -= eta * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + eps)
        }
      }
    }
  }

  /// At learning rate η, every other hyperparameter at the initializer's default.
  public static func withDefaults(learningRate eta: Double) -> Self { Adam(learningRate: eta) }

  /// Decoded, encoded and checked in this order.
  public static var hyperparameters: [Hyperparameter<Self>] {
    [
      Hyperparameter("learningRate", \.learningRate, .positive), Hyperparameter("beta1", \.beta1, .fraction),
      Hyperparameter("beta2", \.beta2, .fraction), Hyperparameter("epsilon", \.epsilon, .positive),
    ]
  }
}
