import LinearAlgebra

/// The size d of a fixed-size network (every factor d × d), as a type, so that the engine's loops
/// have constant trip counts and unroll when specialized.
protocol FixedDimension {
  /// A d × d matrix, column-major in the first d² lanes: the smallest SIMD vector that holds it, so
  /// that a 2 × 2 factor is one register and its products are a few shuffles.
  associatedtype Block: SIMD where Block.Scalar == Double
  /// d, at most 4.
  static var d: Int { get }
}

/// d = 1.
enum FixedDimension1: FixedDimension {
  typealias Block = SIMD2<Double>
  static var d: Int { 1 }
}
/// d = 2.
enum FixedDimension2: FixedDimension {
  typealias Block = SIMD4<Double>
  static var d: Int { 2 }
}
/// d = 3.
enum FixedDimension3: FixedDimension {
  typealias Block = SIMD16<Double>
  static var d: Int { 3 }
}
/// d = 4.
enum FixedDimension4: FixedDimension {
  typealias Block = SIMD16<Double>
  static var d: Int { 4 }
}

/// The gradient engine for networks whose factors are all d × d with d ≤ 4 (the Razin–Cohen 2×2
/// counterexample and its kin): the dense path's products with d fixed at compile time, so that
/// each is a handful of unrolled multiplies in registers, and no per-step dispatch.
///
/// The arithmetic is that of the scalar path (the same sums in the same order), so both give
/// bit-identical results. Factors are contiguous d × d blocks of the parameter vector, exactly the
/// general layout for this shape. Workspace: Prefix_1 … Prefix_{N−1}, Back_0 … Back_{N−2}, then G.
struct FixedSizeEngine<Size: FixedDimension>: GradientEvaluator, Sendable {
  let depth: Int
  /// Sensing goes through its objective; completion through the entries below, held inline (at
  /// most 16), so that a step touches no reference count.
  let sensing: Objective?
  let scratchCount: Int
  let entryCount: Int
  let indices: SIMD16<Int>
  let values: SIMD16<Double>
  let lossScale: Double
  let gradientScale: Double

  init(depth: Int, objective: Objective) {
    precondition(objective.target.rows == Size.d && objective.target.columns == Size.d)
    self.depth = depth
    sensing = if case .sensing = objective.observations { objective } else { nil }
    scratchCount = objective.scratchCount
    entryCount = objective.observedIndices.count
    var indices = SIMD16<Int>(repeating: 0), values = SIMD16<Double>(repeating: 0)
    for (e, index) in objective.observedIndices.enumerated() {
      indices[e] = index
      values[e] = objective.observedValues[e]
    }
    self.indices = indices
    self.values = values
    (lossScale, gradientScale) = objective.reduction.scales(observations: objective.observationCount)
  }

  /// Doubles of workspace: 2(N−1) blocks and G, then the objective's scratch.
  var workspaceSize: Int { (2 * depth - 1) * Size.d * Size.d + Swift.max(1, scratchCount) }

  // Specialised here for every size, so that callers in other files (the trainer's loops, which see
  // only the generic conformance when the module is compiled file by file, as in debug builds) reach
  // unrolled code instead of generic SIMD operations: 80× slower without it.
  @_specialize(where Size == FixedDimension1)
  @_specialize(where Size == FixedDimension2)
  @_specialize(where Size == FixedDimension3)
  @_specialize(where Size == FixedDimension4)
  @inline(__always)
  func evaluate(parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>) -> Double {
    let dd = Size.d * Size.d
    let n = depth
    let prefixes = workspace  // Prefix_f at (f − 1)·dd
    let backs = workspace + (n - 1) * dd  // Back_f at f·dd
    let g = workspace + (2 * n - 2) * dd
    if n == 1 { return loss(at: parameters, gradient: gradients, scratch: g + dd) }
    for f in 1 ..< n {
      Self.multiply(parameters + f * dd, false, f == 1 ? parameters : UnsafePointer(prefixes + (f - 2) * dd), false, into: prefixes + (f - 1) * dd)
    }
    let loss = loss(at: UnsafePointer(prefixes + (n - 2) * dd), gradient: g, scratch: g + dd)
    for f in stride(from: n - 2, through: 0, by: -1) {
      Self.multiply(parameters + (f + 1) * dd, true, f == n - 2 ? UnsafePointer(g) : UnsafePointer(backs + (f + 1) * dd), false, into: backs + f * dd)
    }
    gradients.update(from: backs, count: dd)
    for f in 1 ..< n {
      let back = f == n - 1 ? UnsafePointer(g) : UnsafePointer(backs + f * dd)
      Self.multiply(back, false, f == 1 ? parameters : UnsafePointer(prefixes + (f - 2) * dd), true, into: gradients + f * dd)
    }
    return loss
  }

  /// The loss at w and ∇ℓ(w) in `gradient`.
  @inline(__always)
  func loss(at w: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) -> Double {
    if let sensing { return sensing.evaluate(w, gradient: gradient, scratch: scratch) }
    for i in 0 ..< Size.d * Size.d { gradient[i] = 0 }
    var sum = 0.0
    for e in 0 ..< entryCount {
      let index = indices[e]
      let residual = w[index] - values[e]
      sum += residual * residual
      gradient[index] = gradientScale * residual
    }
    return lossScale * sum
  }

  /// c = op(a) op(b) for d × d blocks in memory (``product(_:_:_:_:)`` on their values).
  @inline(__always)
  private static func multiply(
    _ a: UnsafePointer<Double>, _ transposingA: Bool, _ b: UnsafePointer<Double>, _ transposingB: Bool,
    into c: UnsafeMutablePointer<Double>
  ) {
    let dd = Size.d * Size.d
    var x = Size.Block(), y = Size.Block()
    for i in 0 ..< dd {
      x[i] = a[i]
      y[i] = b[i]
    }
    let z = product(x, transposingA, y, transposingB)
    for i in 0 ..< dd { c[i] = z[i] }
  }

  /// op(a) op(b) for d × d matrices in the first d² lanes, summing over p = 0 ..< d in order from 0
  /// (as the scalar path does).
  @inline(__always)
  static func product(_ a: Size.Block, _ transposingA: Bool, _ b: Size.Block, _ transposingB: Bool) -> Size.Block {
    if Size.Block.self == SIMD4<Double>.self {  // d = 2: whole-register shuffles instead of lane by lane
      let c = product2(unsafeBitCast(a, to: SIMD4<Double>.self), transposingA, unsafeBitCast(b, to: SIMD4<Double>.self), transposingB)
      return unsafeBitCast(c, to: Size.Block.self)
    }
    let d = Size.d
    var c = Size.Block()
    for col in 0 ..< d {
      for row in 0 ..< d {
        var sum = 0.0
        for p in 0 ..< d {
          sum += (transposingA ? a[p + row * d] : a[row + p * d]) * (transposingB ? b[col + p * d] : b[p + col * d])
        }
        c[row + col * d] = sum
      }
    }
    return c
  }
}

/// op(a) op(b) for 2 × 2 matrices in one register each: column col of the product is
/// (0 + op(a)[:, 0]·op(b)[0, col]) + op(a)[:, 1]·op(b)[1, col], the general loop's sum in its order,
/// formed for both columns at once from shuffled copies of a and b.
@inline(__always)
func product2(_ a: SIMD4<Double>, _ transposingA: Bool, _ b: SIMD4<Double>, _ transposingB: Bool) -> SIMD4<Double> {
  // Column-major: a = (a00, a10, a01, a11). The columns of op(a), each repeated for the two columns
  // of the product, and the rows of op(b), each element repeated down its column.
  let a0 = transposingA ? SIMD4(a[0], a[2], a[0], a[2]) : SIMD4(a[0], a[1], a[0], a[1])
  let a1 = transposingA ? SIMD4(a[1], a[3], a[1], a[3]) : SIMD4(a[2], a[3], a[2], a[3])
  let b0 = transposingB ? SIMD4(b[0], b[0], b[1], b[1]) : SIMD4(b[0], b[0], b[2], b[2])
  let b1 = transposingB ? SIMD4(b[2], b[2], b[3], b[3]) : SIMD4(b[1], b[1], b[3], b[3])
  return (SIMD4<Double>() + a0 * b0) + a1 * b1
}

/// A fixed-size engine of one of the four sizes.
enum FixedSizeEngines: Sendable {
  case one(FixedSizeEngine<FixedDimension1>)
  case two(FixedSizeEngine<FixedDimension2>)
  case three(FixedSizeEngine<FixedDimension3>)
  case four(FixedSizeEngine<FixedDimension4>)

  /// The engine for a network whose factors are all d × d with d ≤ 4, or nil.
  init?(shape: NetworkShape, objective: Objective) {
    let d = shape.rows
    guard shape.columns == d && (shape.depth == 1 || shape.width == d) else { return nil }
    switch d {
    case 1: self = .one(FixedSizeEngine(depth: shape.depth, objective: objective))
    case 2: self = .two(FixedSizeEngine(depth: shape.depth, objective: objective))
    case 3: self = .three(FixedSizeEngine(depth: shape.depth, objective: objective))
    case 4: self = .four(FixedSizeEngine(depth: shape.depth, objective: objective))
    default: return nil
    }
  }

  var workspaceSize: Int {
    switch self {
    case .one(let engine): engine.workspaceSize
    case .two(let engine): engine.workspaceSize
    case .three(let engine): engine.workspaceSize
    case .four(let engine): engine.workspaceSize
    }
  }

  /// One evaluation through the engine of this size (a dispatch per call: hot loops specialize on the
  /// case once, as the trainer does).
  func evaluate(parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>) -> Double {
    switch self {
    case .one(let engine): engine.evaluate(parameters: parameters, gradients: gradients, workspace: workspace)
    case .two(let engine): engine.evaluate(parameters: parameters, gradients: gradients, workspace: workspace)
    case .three(let engine): engine.evaluate(parameters: parameters, gradients: gradients, workspace: workspace)
    case .four(let engine): engine.evaluate(parameters: parameters, gradients: gradients, workspace: workspace)
    }
  }
}

/// The depth of a fixed-depth network, as a type (see ``FixedDepthEngine``).
protocol FixedDepth {
  /// N, 2 … 4.
  static var n: Int { get }
}

/// N = 2.
enum FixedDepth2: FixedDepth { static var n: Int { 2 } }
/// N = 3.
enum FixedDepth3: FixedDepth { static var n: Int { 3 } }
/// N = 4.
enum FixedDepth4: FixedDepth { static var n: Int { 4 } }

/// Up to four d × d matrices (column-major, d ≤ 4, in the first d² lanes), held as values so that a
/// fully unrolled step keeps them in registers.
struct FixedMatrices<Block: SIMD> where Block.Scalar == Double {
  var m0 = Block(), m1 = Block(), m2 = Block(), m3 = Block()

  @inline(__always)
  subscript(j: Int) -> Block {
    get {
      switch j {
      case 0: m0
      case 1: m1
      case 2: m2
      default: m3
      }
    }
    set {
      switch j {
      case 0: m0 = newValue
      case 1: m1 = newValue
      case 2: m2 = newValue
      default: m3 = newValue
      }
    }
  }
}

/// The fixed-size engine with the depth fixed too, for completion (sensing keeps the depth-generic
/// engine): factors, prefixes and backward products live in registers for the whole step instead
/// of going through the workspace. Same sums in the same order as ``FixedSizeEngine``, so the same
/// bits.
struct FixedDepthEngine<Size: FixedDimension, Depth: FixedDepth>: GradientEvaluator {
  let base: FixedSizeEngine<Size>
  /// The target's observed entries in their lanes (0 elsewhere) and which lanes are observed.
  let targets: Size.Block
  let observed: SIMDMask<Size.Block.MaskStorage>

  init(base: FixedSizeEngine<Size>) {
    self.base = base
    var targets = Size.Block(), observed = SIMDMask<Size.Block.MaskStorage>()
    for e in 0 ..< base.entryCount {  // in entry order, as the scalar path writes G
      targets[base.indices[e]] = base.values[e]
      observed[base.indices[e]] = true
    }
    self.targets = targets
    self.observed = observed
  }

  // Specialised for every size and depth, for the reason given at FixedSizeEngine.evaluate.
  @_specialize(where Size == FixedDimension1, Depth == FixedDepth2)
  @_specialize(where Size == FixedDimension1, Depth == FixedDepth3)
  @_specialize(where Size == FixedDimension1, Depth == FixedDepth4)
  @_specialize(where Size == FixedDimension2, Depth == FixedDepth2)
  @_specialize(where Size == FixedDimension2, Depth == FixedDepth3)
  @_specialize(where Size == FixedDimension2, Depth == FixedDepth4)
  @_specialize(where Size == FixedDimension3, Depth == FixedDepth2)
  @_specialize(where Size == FixedDimension3, Depth == FixedDepth3)
  @_specialize(where Size == FixedDimension3, Depth == FixedDepth4)
  @_specialize(where Size == FixedDimension4, Depth == FixedDepth2)
  @_specialize(where Size == FixedDimension4, Depth == FixedDepth3)
  @_specialize(where Size == FixedDimension4, Depth == FixedDepth4)
  @inline(__always)
  func evaluate(parameters: UnsafePointer<Double>, gradients: UnsafeMutablePointer<Double>, workspace: UnsafeMutablePointer<Double>) -> Double {
    let dd = Size.d * Size.d, n = Depth.n
    var factors = FixedMatrices<Size.Block>(), result = FixedMatrices<Size.Block>()
    for j in 0 ..< n {
      for i in 0 ..< dd { factors[j][i] = parameters[j * dd + i] }
    }
    let loss = evaluate(factors, gradients: &result, workspace: workspace)
    for j in 0 ..< n {
      for i in 0 ..< dd { gradients[j * dd + i] = result[j][i] }
    }
    return loss
  }

  /// ℓ(W) at `factors`, every factor's gradient in `gradients`; the workspace holds only W, read in
  /// entry order for the loss.
  @inline(__always)
  func evaluate(_ factors: FixedMatrices<Size.Block>, gradients: inout FixedMatrices<Size.Block>, workspace: UnsafeMutablePointer<Double>) -> Double {
    let dd = Size.d * Size.d, n = Depth.n
    var prefixes = FixedMatrices<Size.Block>(), backs = FixedMatrices<Size.Block>()
    // Prefix_f = F_f Prefix_{f−1} (Prefix_0 = F_0).
    prefixes[0] = factors[0]
    for f in 1 ..< n { prefixes[f] = FixedSizeEngine<Size>.product(factors[f], false, prefixes[f - 1], false) }
    // G = scale · (W − T) on the observed lanes, 0 elsewhere (the scalar path's values); the loss sums
    // the squared residuals in entry order, so W goes through the workspace, whose lanes the entries
    // index at run time.
    let w = prefixes[n - 1]
    let gradient = Size.Block().replacing(with: base.gradientScale * (w - targets), where: observed)
    for i in 0 ..< dd { workspace[i] = w[i] }
    var sum = 0.0
    for e in 0 ..< base.entryCount {
      let r = workspace[base.indices[e]] - base.values[e]
      sum += r * r
    }
    // Back_{N−1} = G, Back_f = F_{f+1}ᵀ Back_{f+1}; F_0's gradient is Back_0, F_f's Back_f Prefix_{f−1}ᵀ.
    backs[n - 1] = gradient
    for f in stride(from: n - 2, through: 0, by: -1) { backs[f] = FixedSizeEngine<Size>.product(factors[f + 1], true, backs[f + 1], false) }
    gradients[0] = backs[0]
    for f in 1 ..< n { gradients[f] = FixedSizeEngine<Size>.product(backs[f], false, prefixes[f - 1], true) }
    return base.lossScale * sum
  }

  /// Gradient descent with the factors and their gradients held in registers between steps: the
  /// same update (p − η·g, lane by lane) and evaluation as the general loop, so the same bits.
  @_specialize(where Size == FixedDimension1, Depth == FixedDepth2)
  @_specialize(where Size == FixedDimension1, Depth == FixedDepth3)
  @_specialize(where Size == FixedDimension1, Depth == FixedDepth4)
  @_specialize(where Size == FixedDimension2, Depth == FixedDepth2)
  @_specialize(where Size == FixedDimension2, Depth == FixedDepth3)
  @_specialize(where Size == FixedDimension2, Depth == FixedDepth4)
  @_specialize(where Size == FixedDimension3, Depth == FixedDepth2)
  @_specialize(where Size == FixedDimension3, Depth == FixedDepth3)
  @_specialize(where Size == FixedDimension3, Depth == FixedDepth4)
  @_specialize(where Size == FixedDimension4, Depth == FixedDepth2)
  @_specialize(where Size == FixedDimension4, Depth == FixedDepth3)
  @_specialize(where Size == FixedDimension4, Depth == FixedDepth4)
  @inline(__always)
  func descend(
    learningRate eta: Double, parameters: UnsafeMutablePointer<Double>, gradients: UnsafeMutablePointer<Double>,
    workspace: UnsafeMutablePointer<Double>, step: inout Int, until end: Int, limits: StepLimits
  ) -> (loss: Double, status: TrainingStatus?)? {
    guard step < end else { return nil }  // no step to take: the caller's loss stands
    let dd = Size.d * Size.d, n = Depth.n
    var factors = FixedMatrices<Size.Block>(), g = FixedMatrices<Size.Block>()
    for j in 0 ..< n {
      for i in 0 ..< dd {
        factors[j][i] = parameters[j * dd + i]
        g[j][i] = gradients[j * dd + i]
      }
    }
    var loss = Double.nan, status: TrainingStatus?
    var t = step
    while t < end {
      t += 1
      for j in 0 ..< n { factors[j] = factors[j] - eta * g[j] }
      loss = evaluate(factors, gradients: &g, workspace: workspace)
      status = limits.status(after: loss)
      if status != nil { break }
    }
    step = t
    for j in 0 ..< n {
      for i in 0 ..< dd {
        parameters[j * dd + i] = factors[j][i]
        gradients[j * dd + i] = g[j][i]
      }
    }
    return (loss, status)
  }
}
