/// Evaluates cases on up to `width` tasks at once but hands results to `consume` strictly in index
/// order, stopping at the first index for which `consume` returns false.
///
/// Whatever the scheduling, `consume` sees the same results in the same order, so verdicts,
/// shrink starting points and sequential-test decisions depend only on the seeds. Results computed
/// past the stopping index are dropped.
func evaluateInOrder<Result: Sendable>(
  _ indices: Range<Int>, width: Int,
  evaluate: @escaping @Sendable (Int) async -> Result,
  consume: (Int, Result) -> Bool
) async {
  guard !indices.isEmpty else { return }
  await withTaskGroup(of: (Int, Result).self) { group in
    var next = indices.lowerBound
    var expected = indices.lowerBound
    var pending: [Int: Result] = [:]  // looked up by index only; its order never matters
    func launch() {
      let index = next
      group.addTask { (index, await evaluate(index)) }
      next += 1
    }
    while next < indices.upperBound && next - indices.lowerBound < Swift.max(1, width) { launch() }
    while let (index, result) = await group.next() {
      pending[index] = result
      while let ready = pending.removeValue(forKey: expected) {
        if !consume(expected, ready) {
          group.cancelAll()
          return
        }
        expected += 1
      }
      if next < indices.upperBound { launch() }
    }
  }
}
