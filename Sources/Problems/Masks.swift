public import DeepFactorization
import SeededRandom
import RealModule

/// Observation masks: uniform entries without replacement and Bernoulli masks, optionally with at
/// least k observations in every row and column — drawn without loops that can run forever.
///
/// Every cell (i, j) gets its own uniform key from the seed, independent of the matrix's shape. A
/// uniform mask of m entries is the m cells with the smallest keys (a uniformly random m-subset);
/// a Bernoulli(p) mask is the cells with key < p. So masks are *coupled* across shapes and counts:
/// one observation fewer removes exactly the last-chosen entry, and one row fewer removes that row
/// and keeps the keys of every other cell. This is what lets the shrinker remove rows and
/// observations without the failure jumping to an unrelated mask.
public enum Masks {
  /// The uniform key, in [0, 1), of the cell whose row and column have keys `rowKey`, `columnKey`.
  public static func key(seed: UInt64, rowKey: UInt64, columnKey: UInt64) -> Double {
    let bits = SeedDerivation.derive(SeedDerivation.derive(seed, index: rowKey), index: columnKey)
    return Double(bits >> 11) * 0x1.0p-53
  }

  /// Every cell's key, column-major; line keys default to the line indices.
  static func keys(rows: Int, columns: Int, seed: UInt64, rowKeys: [UInt64]?, columnKeys: [UInt64]?) -> [Double] {
    (0 ..< rows * columns).map { index in
      let i = index % rows, j = index / rows
      return key(seed: seed, rowKey: rowKeys?[i] ?? UInt64(i), columnKey: columnKeys?[j] ?? UInt64(j))
    }
  }

  /// Column-major cell indices ordered by key (ties broken by index).
  static func cellsByKey(_ keys: [Double]) -> [Int] {
    keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
  }

  /// `count` entries uniformly without replacement (Floyd's algorithm), with at least `minPerLine`
  /// per row and column.
  ///
  /// - Throws: ``InstanceError/infeasible(_:)`` when no mask can meet the constraint, and with the
  ///   rejection sampler ``InstanceError/constraintUnlikely(acceptance:advice:)`` when the estimated
  ///   acceptance probability is below 1 % — never an endless loop.
  public static func uniform(
    rows: Int, columns: Int, count: Int, minPerLine: Int = 0, sampler: MaskSampler = .rejection, seed: UInt64,
    rowKeys: [UInt64]? = nil, columnKeys: [UInt64]? = nil
  ) throws(InstanceError) -> [Observations.Entry] {
    let cells = rows * columns
    guard count >= 0 && count <= cells else { throw .infeasible("\(count) entries do not fit a \(rows)×\(columns) matrix") }
    try checkFeasible(rows: rows, columns: columns, minPerLine: minPerLine, maximumCount: count)
    // Attempt a uses the mask seed's child a (attempt 0: the seed itself), so the first acceptable
    // mask is reproducible and coupled across shapes like the unconstrained one.
    let draw = { (attempt: Int) -> [Observations.Entry] in
      let attemptSeed = attempt == 0 ? seed : SeedDerivation.derive(seed, index: UInt64(attempt))
      return cellsByKey(keys(rows: rows, columns: columns, seed: attemptSeed, rowKeys: rowKeys, columnKeys: columnKeys))
        .prefix(count).sorted().map { Observations.Entry($0 % rows, $0 / rows) }
    }
    let p = Double(count) / Double(cells)
    return try constrained(rows: rows, columns: columns, p: p, minPerLine: minPerLine, sampler: sampler, seed: seed, draw: draw) {
      (covering, taken) throws(InstanceError) in
      guard covering.count <= count else {
        throw .infeasible("covering every row and column \(minPerLine) times took \(covering.count) entries, more than \(count)")
      }
      let rest = cellsByKey(keys(rows: rows, columns: columns, seed: seed, rowKeys: rowKeys, columnKeys: columnKeys))
        .lazy.filter { !taken[$0] }.prefix(count - covering.count)
      return (covering + rest).sorted().map { Observations.Entry($0 % rows, $0 / rows) }
    }
  }

  /// Every entry independently with probability p, with at least `minPerLine` per row and column.
  ///
  /// The constructive sampler covers the lines first, then adds each remaining entry with probability p.
  public static func bernoulli(
    rows: Int, columns: Int, probability p: Double, minPerLine: Int = 0, sampler: MaskSampler = .rejection, seed: UInt64,
    rowKeys: [UInt64]? = nil, columnKeys: [UInt64]? = nil
  ) throws(InstanceError) -> [Observations.Entry] {
    guard p >= 0 && p <= 1 else { throw .invalid("probability \(p) outside [0, 1]") }
    try checkFeasible(rows: rows, columns: columns, minPerLine: minPerLine, maximumCount: rows * columns)
    let draw = { (attempt: Int) -> [Observations.Entry] in
      let attemptSeed = attempt == 0 ? seed : SeedDerivation.derive(seed, index: UInt64(attempt))
      let cellKeys = keys(rows: rows, columns: columns, seed: attemptSeed, rowKeys: rowKeys, columnKeys: columnKeys)
      return cellKeys.indices.filter { cellKeys[$0] < p }.map { Observations.Entry($0 % rows, $0 / rows) }
    }
    return try constrained(rows: rows, columns: columns, p: p, minPerLine: minPerLine, sampler: sampler, seed: seed, draw: draw) {
      (_, covered) throws(InstanceError) in
      var taken = covered
      let cellKeys = keys(rows: rows, columns: columns, seed: seed, rowKeys: rowKeys, columnKeys: columnKeys)
      for index in 0 ..< rows * columns where !taken[index] && cellKeys[index] < p { taken[index] = true }
      return (0 ..< rows * columns).filter { taken[$0] }.map { Observations.Entry($0 % rows, $0 / rows) }
    }
  }

  /// A mask with at least `minPerLine` entries in every row and column: `draw(0)` when that asks for
  /// nothing; otherwise the first acceptable draw (the rejection sampler), or, for the constructive
  /// sampler, `complete` applied to the cells that cover every line (drawn from `seed`) and the
  /// cell-by-cell marks of those cells.
  static func constrained(
    rows: Int, columns: Int, p: Double, minPerLine: Int, sampler: MaskSampler, seed: UInt64, draw: (Int) -> [Observations.Entry],
    complete: (_ covering: [Int], _ taken: [Bool]) throws(InstanceError) -> [Observations.Entry]
  ) throws(InstanceError) -> [Observations.Entry] {
    guard minPerLine > 0 else { return draw(0) }
    switch sampler {
    case .rejection:
      return try rejectionSample(rows: rows, columns: columns, p: p, minPerLine: minPerLine, draw: draw)
    case .constructive:
      var generator = Xoshiro256StarStar(seed: seed)
      let covering = try cover(rows: rows, columns: columns, minPerLine: minPerLine, generator: &generator)
      var taken = [Bool](repeating: false, count: rows * columns)
      for index in covering { taken[index] = true }
      return try complete(covering, taken)
    }
  }

  /// The first of `draw(0)`, `draw(1)`, … that meets the constraint, within the rejection budget.
  static func rejectionSample(
    rows: Int, columns: Int, p: Double, minPerLine: Int, draw: (Int) -> [Observations.Entry]
  ) throws(InstanceError) -> [Observations.Entry] {
    let attempts = try rejectionBudget(rows: rows, columns: columns, p: p, minPerLine: minPerLine)
    for attempt in 0 ..< attempts {
      let entries = draw(attempt)
      if meets(entries, rows: rows, columns: columns, minPerLine: minPerLine) { return entries }
    }
    throw .constraintUnlikely(
      acceptance: acceptanceEstimate(rows: rows, columns: columns, p: p, minPerLine: minPerLine), advice: "no acceptable mask in \(attempts) draws")
  }

  /// Whether every row and column of the mask has at least `minPerLine` entries.
  public static func meets(_ entries: [Observations.Entry], rows: Int, columns: Int, minPerLine: Int) -> Bool {
    var rowCounts = [Int](repeating: 0, count: rows), columnCounts = [Int](repeating: 0, count: columns)
    for entry in entries {
      rowCounts[entry.row] += 1
      columnCounts[entry.column] += 1
    }
    return rowCounts.allSatisfy { $0 >= minPerLine } && columnCounts.allSatisfy { $0 >= minPerLine }
  }

  /// The probability that a Bernoulli(p) mask has ≥ k entries in every row and column, treating
  /// lines as independent: Π_rows P(Bin(columns, p) ≥ k) · Π_columns P(Bin(rows, p) ≥ k)
  /// (the notes' P_acc for k = 1; close to simulation for moderate p).
  public static func acceptanceEstimate(rows: Int, columns: Int, p: Double, minPerLine k: Int) -> Double {
    let rowTerm = binomialAtLeast(k, trials: columns, p: p), columnTerm = binomialAtLeast(k, trials: rows, p: p)
    return Double.exp(Double(rows) * Double.log(rowTerm) + Double(columns) * Double.log(columnTerm))
  }

  static func binomialAtLeast(_ k: Int, trials n: Int, p: Double) -> Double {
    guard k > 0 else { return 1 }
    guard k <= n else { return 0 }
    if p <= 0 { return 0 }
    if p >= 1 { return 1 }
    var below = 0.0
    for j in 0 ..< k {
      below += Double.exp(Double.logGamma(Double(n + 1)) - Double.logGamma(Double(j + 1)) - Double.logGamma(Double(n - j + 1)) + Double(j) * Double.log(p) + Double(n - j) * Double.log(onePlus: -p))
    }
    return Swift.max(0, 1 - below)
  }

  static func checkFeasible(rows: Int, columns: Int, minPerLine k: Int, maximumCount: Int) throws(InstanceError) {
    guard k > 0 else { return }
    guard k <= rows && k <= columns else {
      throw .infeasible("\(k) observations per line do not fit a \(rows)×\(columns) matrix")
    }
    guard maximumCount >= k * Swift.max(rows, columns) else {
      throw .infeasible("\(k) per row and column needs at least \(k * Swift.max(rows, columns)) entries, only \(maximumCount) allowed")
    }
  }

  /// Enough rejection draws to fail with probability below 1e-9, refused below 1 % acceptance.
  static func rejectionBudget(rows: Int, columns: Int, p: Double, minPerLine k: Int) throws(InstanceError) -> Int {
    let acceptance = acceptanceEstimate(rows: rows, columns: columns, p: p, minPerLine: k)
    guard acceptance >= 0.01 else {
      throw .constraintUnlikely(acceptance: acceptance, advice: "observe more entries, change the shape, or use the constructive sampler")
    }
    return acceptance >= 1 ? 1 : Swift.min(10_000, Int((Double.log(1e-9) / Double.log(onePlus: -acceptance)).rounded(.up)))
  }

  /// Linear indices covering every row and column at least k times, about k·max(rows, columns) of them.
  static func cover(rows: Int, columns: Int, minPerLine k: Int, generator: inout Xoshiro256StarStar) throws(InstanceError) -> [Int] {
    var taken = [Bool](repeating: false, count: rows * columns)
    var rowCounts = [Int](repeating: 0, count: rows), columnCounts = [Int](repeating: 0, count: columns)
    var chosen: [Int] = []
    func take(_ i: Int, _ j: Int) {
      taken[i + j * rows] = true
      rowCounts[i] += 1
      columnCounts[j] += 1
      chosen.append(i + j * rows)
    }
    // Pair deficient rows with deficient columns (each pairing serves both), in random order.
    while true {
      let needyRows = (0 ..< rows).filter { rowCounts[$0] < k }
      let needyColumns = (0 ..< columns).filter { columnCounts[$0] < k }
      if needyRows.isEmpty && needyColumns.isEmpty { break }
      if let i = needyRows.isEmpty ? nil : needyRows[generator.nextInt(below: needyRows.count)] {
        let preferred = needyColumns.filter { !taken[i + $0 * rows] }
        let candidates = preferred.isEmpty ? (0 ..< columns).filter { !taken[i + $0 * rows] } : preferred
        guard !candidates.isEmpty else { throw .infeasible("row \(i) cannot get \(k) entries") }
        take(i, candidates[generator.nextInt(below: candidates.count)])
      } else {
        let j = needyColumns[generator.nextInt(below: needyColumns.count)]
        let candidates = (0 ..< rows).filter { !taken[$0 + j * rows] }
        guard !candidates.isEmpty else { throw .infeasible("column \(j) cannot get \(k) entries") }
        take(candidates[generator.nextInt(below: candidates.count)], j)
      }
    }
    return chosen
  }
}
