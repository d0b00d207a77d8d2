/// Which nodes of one level of a hierarchical tensor factorization's mode tree are pooled together
/// (the `pool_pattern` of Razin, Maman & Cohen's `ht_tensor_factorization.py`). The level's nodes are
/// put in the pattern's order and then pooled in consecutive windows of the pool size; a last window
/// that is short pools what is left.
public enum HTPoolPattern: String, Sendable, Codable, CaseIterable {
  /// Neighbouring nodes first: (0, 1), (2, 3), … (the code's default, `checkerboard`).
  case checkerboard
  /// Node i with node i + ⌈n/2⌉ of the n nodes (the code's `half`: opposite modes first), the middle
  /// node of an odd level last.
  case half

  /// The order the level's `count` nodes are pooled in.
  public func permutation(count: Int) -> [Int] {
    switch self {
    case .checkerboard:
      return Array(0 ..< count)
    case .half:
      // The code's __half_pool_permutation: first half at even places, second half at odd places,
      // the middle node last when count is odd.
      let half = count / 2
      var order = [Int](repeating: 0, count: count)
      let second = count % 2 == 0 ? half : half + 1
      for i in 0 ..< half {
        order[2 * i] = i
        order[2 * i + 1] = second + i
      }
      if count % 2 == 1 { order[count - 1] = half }
      return order
    }
  }
}
