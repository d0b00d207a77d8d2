import RealModule

/// Adam with one second-moment scalar per block (per factor of a network, per mode factor of a CP
/// factorization): for block j with n_j parameters,
/// m_j ← β1 m_j + (1−β1) g_j (a vector), v_j ← β2 v_j + (1−β2) ‖g_j‖²/n_j (a scalar),
/// W_j ← W_j − η (m_j/(1−β1ᵗ)) / (√(v_j/(1−β2ᵗ)) + ε). File kind `shared-scalar-adam`.
///
/// A block's update is its own bias-corrected momentum divided by one number that ‖g_j‖ decides, so
/// it commutes with any orthogonal change of basis inside a block: training from
/// (W_2 Q, Qᵀ W_1) follows (W_2 Q, Qᵀ W_1) of the run from (W_2, W_1), with the same end-to-end
/// product — the factorization's gauge, which coordinate-wise Adam breaks ("The Loss Does Not See
/// the Basis, but Adam Does", arXiv 2608.05136). With one block of one parameter it is Adam.
public struct SharedScalarAdam: Optimizer {
  /// The learning rate η.
  public var learningRate: Double
  /// β1 (default 0.9).
  public var beta1: Double
  /// β2 (default 0.999).
  public var beta2: Double
  /// ε (default 1e-8).
  public var epsilon: Double
  private var firstMoment: [Double] = []
  private var secondMoments: [Double] = []
  private var blockSizes: [Int] = []

  /// Shared-scalar Adam with the given hyperparameters (Adam's defaults).
  public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  /// Zeroes the first moment and one second moment per block.
  public mutating func prepare(layout: ParameterLayout) {
    firstMoment = [Double](repeating: 0, count: layout.count)
    blockSizes = layout.blockSizes
    secondMoments = [Double](repeating: 0, count: layout.blockSizes.count)
  }

  /// One step, block by block.
  @inline(__always)
  public mutating func update(parameters: UnsafeMutablePointer<Double>, gradients: UnsafePointer<Double>, count: Int, step: Int) {
    let b1 = beta1, b2 = beta2, eps = epsilon, eta = learningRate
    let correction1 = 1 - Double.pow(b1, Double(step)), correction2 = 1 - Double.pow(b2, Double(step))
    let sizes = blockSizes
    firstMoment.withUnsafeMutableBufferPointer { m in
      secondMoments.withUnsafeMutableBufferPointer { v in
        var start = 0
        for (j, size) in sizes.enumerated() where size > 0 {
          let meanSquare = GroupRMSprop.squaredNorm(gradients + start, count: size) / Double(size)
          v[j] = b2 * v[j] + (1 - b2) * meanSquare
          let denominator = (v[j] / correction2).squareRoot() + eps
          for i in start ..< start + size {
            m[i] = b1 * m[i] + (1 - b1) * gradients[i]
            parameters[i] -= eta * (m[i] / correction1) / denominator
          }
          start += size
        }
      }
    }
  }

  /// At learning rate η, every other hyperparameter at the initializer's default.
  public static func withDefaults(learningRate eta: Double) -> Self { SharedScalarAdam(learningRate: eta) }

  /// Decoded, encoded and checked in this order.
  public static var hyperparameters: [Hyperparameter<Self>] {
    [
      Hyperparameter("learningRate", \.learningRate, .positive), Hyperparameter("beta1", \.beta1, .fraction),
      Hyperparameter("beta2", \.beta2, .fraction), Hyperparameter("epsilon", \.epsilon, .positive),
    ]
  }
}
