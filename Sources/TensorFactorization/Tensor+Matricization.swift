public import LinearAlgebra

extension Tensor {
  /// The matricization whose rows are indexed by the modes `rows` (in the order given, the first
  /// fastest) and whose columns by the other modes (in increasing order, the first fastest).
  public func matricization(rows: [Int]) -> Matrix {
    precondition(rows.allSatisfy { dimensions.indices.contains($0) } && Set(rows).count == rows.count, "matricization modes must be distinct modes of the tensor")
    let columns = dimensions.indices.filter { !rows.contains($0) }
    let rowCount = rows.reduce(1) { $0 * dimensions[$1] }, columnCount = columns.reduce(1) { $0 * dimensions[$1] }
    var storage = [Double](repeating: 0, count: entries.count)
    let shape = CPShape(dimensions: dimensions, components: 1)
    for linear in entries.indices {
      let index = shape.multiIndex(linear)
      var row = 0, column = 0
      for n in rows.reversed() { row = row * dimensions[n] + index[n] }
      for n in columns.reversed() { column = column * dimensions[n] + index[n] }
      storage[column * rowCount + row] = entries[linear]
    }
    return Matrix(rows: rowCount, columns: columnCount, columnMajor: storage)
  }
}
