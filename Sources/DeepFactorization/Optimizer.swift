import RealModule

/// An update rule for the flat parameter vector of all factors, given its gradient.
///
/// Conform to add an optimizer; every claim can then be re-run against it. `update` is called once
/// per step with t counting from 1, must not allocate, and may keep state (velocities, second
/// moments) sized in ``prepare(parameterCount:)``.
public protocol Optimizer: Sendable {
  /// A short name for reports (`gd`, `adam`, …).
  var name: String { get }
  /// Sizes the optimizer's state and resets it to its initial values.
  mutating func prepare(parameterCount: Int)
  /// One update of `count` parameters from their gradients; `step` is t ≥ 1.
  mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int)
}

/// Plain gradient descent: W ← W − η g.
public struct GradientDescent: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// `gd`.
  public var name: String { "gd" }

  /// Gradient descent with learning rate η > 0.
  public init(learningRate: Double) {
    self.learningRate = learningRate
  }

  /// Nothing to size.
  public mutating func prepare(parameterCount: Int) {}

  /// W ← W − η g.
  @inline(__always)
  public mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    let eta = learningRate
    for i in 0 ..< count { parameters[i] -= eta * gradients[i] }
  }
}

/// Heavy-ball momentum: v ← μ v + g; W ← W − η v (v starts at 0).
public struct Momentum: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// The momentum μ.
  public var momentum: Double
  private var velocity: [Double] = []
  /// `momentum`.
  public var name: String { "momentum" }

  /// Momentum with learning rate η and coefficient μ (default 0.9).
  public init(learningRate: Double, momentum: Double = 0.9) {
    self.learningRate = learningRate
    self.momentum = momentum
  }

  /// Zeroes the velocity.
  public mutating func prepare(parameterCount: Int) {
    velocity = [Double](repeating: 0, count: parameterCount)
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
}

/// Adam with bias correction: m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²;
/// W ← W − η (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε).
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
  /// `adam`.
  public var name: String { "adam" }

  /// Adam with the given hyperparameters.
  public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  /// Zeroes both moments.
  public mutating func prepare(parameterCount: Int) {
    firstMoment = [Double](repeating: 0, count: parameterCount)
    secondMoment = [Double](repeating: 0, count: parameterCount)
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
}

/// RMSprop: v ← α v + (1−α) g²; W ← W − η g / (√v + ε).
public struct RMSprop: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// The smoothing α (default 0.99).
  public var alpha: Double
  /// ε (default 1e-8).
  public var epsilon: Double
  private var meanSquare: [Double] = []
  /// `rmsprop`.
  public var name: String { "rmsprop" }

  /// RMSprop with the given hyperparameters.
  public init(learningRate: Double, alpha: Double = 0.99, epsilon: Double = 1e-8) {
    self.learningRate = learningRate
    self.alpha = alpha
    self.epsilon = epsilon
  }

  /// Zeroes the mean square.
  public mutating func prepare(parameterCount: Int) {
    meanSquare = [Double](repeating: 0, count: parameterCount)
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
}

/// Arora et al.'s GroupRMSprop: one scalar second moment for all factors,
/// v ← β v + (1−β) Σ_j ‖g_j‖²_F; W ← W − η g / (√(v/(1−βᵗ)) + ε) — gradient descent normalised by
/// the running gradient norm.
public struct GroupRMSprop: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// β (default 0.99).
  public var beta: Double
  /// ε (default 1e-4, as in the authors' code).
  public var epsilon: Double
  private var meanSquare = 0.0
  /// `group-rmsprop`.
  public var name: String { "group-rmsprop" }

  /// GroupRMSprop with the given hyperparameters.
  public init(learningRate: Double, beta: Double = 0.99, epsilon: Double = 1e-4) {
    self.learningRate = learningRate
    self.beta = beta
    self.epsilon = epsilon
  }

  /// Zeroes the second moment.
  public mutating func prepare(parameterCount: Int) {
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
