import RealModule

/// Arora et al.'s GroupRMSprop: one scalar second moment for all factors,
/// v ← β v + (1−β) Σ_j ‖g_j‖²_F; W ← W − η g / (√(v/(1−βᵗ)) + ε) — gradient descent normalised by
/// the running gradient norm. File kind `group-rmsprop`.
public struct GroupRMSprop: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// β (default 0.99).
  public var beta: Double
  /// ε (default 1e-4, as in the authors' code).
  public var epsilon: Double
  private var meanSquare = 0.0

  /// GroupRMSprop with the given hyperparameters.
  public init(learningRate: Double, beta: Double = 0.99, epsilon: Double = 1e-4) {
    self.learningRate = learningRate
    self.beta = beta
    self.epsilon = epsilon
  }

  /// Zeroes the second moment.
  public mutating func prepare(layout: ParameterLayout) {
    meanSquare = 0
  }

  /// One GroupRMSprop step.
  @inline(__always)
  public mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    let squaredNorm = Self.squaredNorm(gradients, count: count)
    meanSquare = beta * meanSquare + (1 - beta) * squaredNorm
    let scale = learningRate / ((meanSquare / (1 - Double.pow(beta, Double(step)))).squareRoot() + epsilon)
    for i in 0 ..< count { parameters[i] -= scale * gradients[i] }
  }

  /// At learning rate η, every other hyperparameter at the initializer's default.
  public static func withDefaults(learningRate eta: Double) -> Self { GroupRMSprop(learningRate: eta) }

  /// Decoded, encoded and checked in this order.
  public static var hyperparameters: [Hyperparameter<Self>] {
    [
      Hyperparameter("learningRate", \.learningRate, .positive), Hyperparameter("beta", \.beta, .fraction),
      Hyperparameter("epsilon", \.epsilon, .positive),
    ]
  }

  /// Σ g_i² in one fixed order on every CPU: eight interleaved partial sums (partial j takes the
  /// i ≡ j mod 8 below count − count mod 8, in order), reduced as a tree, then the rest in order. One
  /// chain of dependent adds would take about 3 cycles an element (30 µs a step at 3·10⁴ parameters).
  @inline(__always)
  static func squaredNorm(_ g: UnsafePointer<Double>, count: Int) -> Double {
    let raw = UnsafeRawPointer(g)
    var partial = SIMD8<Double>()
    var i = 0
    while i + 8 <= count {
      let x = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<Double>.stride, as: SIMD8<Double>.self)
      partial = partial + x * x
      i += 8
    }
    var sum = ((partial[0] + partial[4]) + (partial[2] + partial[6])) + ((partial[1] + partial[5]) + (partial[3] + partial[7]))
    while i < count {
      sum += g[i] * g[i]
      i += 1
    }
    return sum
  }
}
