import DeepFactorization
import SeededRandom

extension Tensor {
  /// A random tensor of hierarchical rank at most `shape.widths` (per layer), scaled to Frobenius norm
  /// `norm`: the end tensor of an HT factorization with standard Gaussian weights, the code's HT target
  /// (`create_ht_target` in `tensor_sensing_data_generator.py`: std 1, then `normalize(target_fro_norm)`,
  /// which rescales the weights so that the tensor has that norm).
  public static func randomHierarchical(shape: HTShape, norm: Double, seed: UInt64) -> Tensor {
    let parameters = HTInitialization.gaussian(std: 1, seed: seed).parameters(for: shape)
    let placeholder = Tensor(dimensions: shape.dimensions, entries: [Double](repeating: 0, count: shape.entryCount))
    var tensor = HTEngine(shape: shape, objective: TensorObjective(target: placeholder, observed: [0], reduction: .halfSum)).tensor(at: parameters)
    let scale = norm / tensor.frobeniusNorm
    for i in tensor.entries.indices { tensor.entries[i] *= scale }
    return tensor
  }
}
