// A claim file imports ClaimKit alone (plus Foundation or Baselines when it needs them): these are the
// modules every claim is written in, re-exported.
@_exported public import DeepFactorization
@_exported public import LinearAlgebra
@_exported public import Problems
@_exported public import PropertyTesting
@_exported public import SeededRandom
@_exported public import TensorFactorization
