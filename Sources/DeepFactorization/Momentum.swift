/// Heavy-ball momentum: v ← μ v + g; W ← W − η v (v starts at 0). File kind `momentum`.
public struct Momentum: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// The momentum μ.
  public var momentum: Double
  private var velocity: [Double] = []

  /// Momentum with learning rate η and coefficient μ (default 0.9).
  public init(learningRate: Double, momentum: Double = 0.9) {
    self.learningRate = learningRate
    self.momentum = momentum
  }

  /// Zeroes the velocity.
  public mutating func prepare(layout: ParameterLayout) {
    velocity = [Double](repeating: 0, count: layout.count)
  }

  /// v ← μ v + g; W ← W − η v.
  @inline(__always)
  public mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    let eta = learningRate, mu = momentum
    velocity.withUnsafeMutableBufferPointer { v in
      for i in 0 ..< count {
        v[i] = mu * v[i] + gradients[i]
        parameters[i] -= eta * v[i]
      }
    }
  }

  /// At learning rate η, every other hyperparameter at the initializer's default.
  public static func withDefaults(learningRate eta: Double) -> Self { Momentum(learningRate: eta) }

  /// Decoded, encoded and checked in this order.
  public static var hyperparameters: [Hyperparameter<Self>] {
    [Hyperparameter("learningRate", \.learningRate, .positive), Hyperparameter("momentum", \.momentum, .fraction)]
  }
}
