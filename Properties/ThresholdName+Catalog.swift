public import ClaimKit
/// The names of the catalogue's thresholds. A measurement names the threshold it is held to with one
/// of these (`threshold: .relativeError`), so a misspelt name does not compile; a claim of your own
/// adds its names in an extension (`extension ThresholdName { static let myBound = ThresholdName("my-bound") }`).
extension ThresholdName {
  /// Held by A11, L1.
  public static let alignment = ThresholdName("alignment")
  /// Held by R2, R5.
  public static let boundViolations = ThresholdName("bound-violations")
  /// Held by R8.
  public static let cpRank = ThresholdName("cp-rank")
  /// Held by R4.
  public static let det = ThresholdName("det")
  /// Held by J2.
  public static let displacementSlope = ThresholdName("displacement-slope")
  /// Held by J1.
  public static let distance = ThresholdName("distance")
  /// Held by A3, H1, TF1.
  public static let driftOrder = ThresholdName("drift-order")
  /// Held by Q4.
  public static let durationRatio = ThresholdName("duration-ratio")
  /// Held by A8, R10, R3.
  public static let effectiveRank = ThresholdName("effective-rank")
  /// Held by Q3.
  public static let eigenvalueRatio = ThresholdName("eigenvalue-ratio")
  /// Held by A5, A8, AG1.
  public static let erankDifference = ThresholdName("erank-difference")
  /// Held by AG2, C2.
  public static let erankGap = ThresholdName("erank-gap")
  /// Held by A10, A6, A8, R8, SS2, TF4.
  public static let error = ThresholdName("error")
  /// Held by R11, R8.
  public static let errorOverMemoriser = ThresholdName("error-over-memoriser")
  /// Held by A5, A7, A8, TF4.
  public static let errorRatio = ThresholdName("error-ratio")
  /// Held by D2.
  public static let factorGap = ThresholdName("factor-gap")
  /// Held by TF3.
  public static let finalError = ThresholdName("final-error")
  /// Held by E1.
  public static let flowDeviation = ThresholdName("flow-deviation")
  /// Held by A3, H1, TF1.
  public static let flowDrift = ThresholdName("flow-drift")
  /// Held by S1.
  public static let lagRatio = ThresholdName("lag-ratio")
  /// Held by H3, TF4.
  public static let learnedComponents = ThresholdName("learned-components")
  /// Held by D1.
  public static let mapGap = ThresholdName("map-gap")
  /// Held by R1, R10.
  public static let minDet = ThresholdName("min-det")
  /// Held by R7.
  public static let minDetSign = ThresholdName("min-det-sign")
  /// Held by R3.
  public static let normGrowth = ThresholdName("norm-growth")
  /// Held by A5, A8, BZ1.
  public static let nuclearExcess = ThresholdName("nuclear-excess")
  /// Held by A8.
  public static let nuclearNorm = ThresholdName("nuclear-norm")
  /// Held by A10.
  public static let nuclearNormGap = ThresholdName("nuclear-norm-gap")
  /// Held by TF4.
  public static let oneAtATime = ThresholdName("one-at-a-time")
  /// Held by TF3.
  public static let otherAtFirst = ThresholdName("other-at-first")
  /// Held by Q1.
  public static let plateauDeviation = ThresholdName("plateau-deviation")
  /// Held by L2.
  public static let plateauGap = ThresholdName("plateau-gap")
  /// Held by A1, A2, H1, HZ1, TF2.
  public static let relativeError = ThresholdName("relative-error")
  /// Held by C1, HZ2.
  public static let relativeGap = ThresholdName("relative-gap")
  /// Held by R10.
  public static let roundingSpread = ThresholdName("rounding-spread")
  /// Held by E4.
  public static let shiftedDeviation = ThresholdName("shifted-deviation")
  /// Held by R3.
  public static let sigmaRatio = ThresholdName("sigma-ratio")
  /// Held by E3.
  public static let slopeGap = ThresholdName("slope-gap")
  /// Held by Q2.
  public static let stageExcess = ThresholdName("stage-excess")
  /// Held by BZ2, G1.
  public static let relativeDistance = ThresholdName("relative-distance")
  /// Held by A11, A9, Q1.
  public static let stages = ThresholdName("stages")
  /// Held by D3.
  public static let staircaseGap = ThresholdName("staircase-gap")
  /// Held by E2.
  public static let stepDeviation = ThresholdName("step-deviation")
  /// Held by A4.
  public static let unobservedMove = ThresholdName("unobserved-move")
  /// Held by R6.
  public static let w11Epsilon = ThresholdName("w11-epsilon")
  /// Held by R10.
  public static let w11Rate = ThresholdName("w11-rate")
  /// Held by R2, R4, R5.
  public static let w11Scaled = ThresholdName("w11-scaled")
}

extension ThresholdName {
  /// Held by H2.
  public static let firstStageRank = ThresholdName("first-stage-rank")
  /// Held by H2.
  public static let hierarchicalRankGap = ThresholdName("hierarchical-rank-gap")
  /// Held by H3.
  public static let largestJump = ThresholdName("largest-jump")
}

extension ThresholdName {
  /// Held by HS1.
  public static let angleScaled = ThresholdName("angle-scaled")
  /// Held by NT1.
  public static let errorGrowth = ThresholdName("error-growth")
  /// Held by NT2.
  public static let proximalGap = ThresholdName("proximal-gap")
}

extension ThresholdName {
  /// Held by EO2.
  public static let onsetGap = ThresholdName("onset-gap")
  /// Held by EO1.
  public static let orbitAmplitude = ThresholdName("orbit-amplitude")
  /// Held by EO1.
  public static let orbitResidual = ThresholdName("orbit-residual")
}

extension ThresholdName {
  /// Held by WD2.
  public static let fixedPointGap = ThresholdName("fixed-point-gap")
  /// Held by WD3.
  public static let survivingFraction = ThresholdName("surviving-fraction")
  /// Held by WD4.
  public static let modeGrowth = ThresholdName("mode-growth")
}

extension ThresholdName {
  /// Held by SS1.
  public static let alignmentSine = ThresholdName("alignment-sine")
}
