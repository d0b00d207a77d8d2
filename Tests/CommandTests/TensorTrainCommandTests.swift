import Foundation
import Testing

/// `dmf train` on tensor problem files: the run against an independent implementation of the same
/// update, written here from the formulas, and refusals of malformed files.
struct TensorTrainCommandTests {
  /// A fixed, hand-written order-3 problem: 3×2×4 target, 10 observed entries, R = 3, explicit factors.
  static let dimensions = [3, 2, 4]
  static let components = 3
  static let target: [Double] = (0 ..< 24).map { Double(($0 * 7) % 11) / 10 - 0.4 }
  static let observed: [[Int]] = [[0, 0, 0], [1, 0, 0], [2, 1, 0], [0, 1, 1], [1, 1, 2], [2, 0, 3], [0, 0, 3], [1, 1, 1], [2, 1, 2], [0, 1, 3]]
  static let factors: [[[Double]]] = dimensions.enumerated().map { n, d in
    (0 ..< d).map { i in (0 ..< components).map { r in 0.3 * sin(Double(1 + n * 13 + i * 5 + r * 3)) } }
  }

  static func file(optimizer: String, loss: String, steps: Int) -> String {
    func json(_ value: Any) -> String { String(decoding: try! JSONSerialization.data(withJSONObject: value), as: UTF8.self) }
    return """
      {"tensor": {"dimensions": \(json(dimensions)), "entries": \(json(target))},
       "observations": {"kind": "entries", "entries": \(json(observed))},
       "model": {"components": \(components)},
       "initialization": {"kind": "factors", "factors": \(json(factors))},
       "loss": "\(loss)", "optimizer": \(optimizer), "stop": {"maxSteps": \(steps)}, "record": {"every": \(steps)}}
      """
  }

  /// `steps` updates of the factors from the formulas: W_i = Σ_r Π_n Aⁿ[iₙ][r], residual r_i on the
  /// observed entries, ∂ℓ/∂Aⁿ[iₙ][r] = c·r_i·Π_{m≠n} Aᵐ[i_m][r] (c = 1 for half-sum, 2/|Ω| for mean),
  /// then `update(A, g, t)`.
  static func independent(loss: String, steps: Int, update: (inout [Double], [Double], Int) -> Void) -> [[[Double]]] {
    var a = factors
    let c = loss == "half-sum" ? 1.0 : 2.0 / Double(observed.count)
    for t in 1 ... steps {
      var g = a.map { $0.map { $0.map { _ in 0.0 } } }
      for index in observed {
        var linear = 0
        for n in (0 ..< 3).reversed() { linear = linear * dimensions[n] + index[n] }
        var value = 0.0
        for r in 0 ..< components { value += a[0][index[0]][r] * a[1][index[1]][r] * a[2][index[2]][r] }
        let residual = value - target[linear]
        for n in 0 ..< 3 {
          for r in 0 ..< components {
            var others = 1.0
            for m in 0 ..< 3 where m != n { others *= a[m][index[m]][r] }
            g[n][index[n]][r] += c * residual * others
          }
        }
      }
      var flatA = a.flatMap { $0.flatMap { $0 } }
      update(&flatA, g.flatMap { $0.flatMap { $0 } }, t)
      var k = 0
      for n in 0 ..< 3 { for i in 0 ..< dimensions[n] { for r in 0 ..< components { a[n][i][r] = flatA[k]; k += 1 } } }
    }
    return a
  }

  static func trained(_ text: String) throws -> [[[Double]]] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-tensor-\(UUID().uuidString).json").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = try TrainCommandTests.run(["train", path, "--json"])
    try #require(run.status == 0, "dmf train: \(run.error)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    return try #require(object["factors"] as? [[[Double]]])
  }

  static func largestRelativeDifference(_ a: [[[Double]]], _ b: [[[Double]]]) -> Double {
    let x = a.flatMap { $0.flatMap { $0 } }, y = b.flatMap { $0.flatMap { $0 } }
    let scale = y.map(abs).max() ?? 1
    return zip(x, y).map { abs($0 - $1) }.max().map { $0 / scale } ?? .infinity
  }

  @Test(arguments: ["half-sum", "mean"])
  func gradientDescentAgreesWithTheFormulas(loss: String) throws {
    let dmf = try Self.trained(Self.file(optimizer: #"{"kind": "gd", "learningRate": 0.05}"#, loss: loss, steps: 200))
    let reference = Self.independent(loss: loss, steps: 200) { a, g, _ in for k in a.indices { a[k] -= 0.05 * g[k] } }
    #expect(Self.largestRelativeDifference(dmf, reference) <= 1e-9)
  }

  @Test func groupRMSpropAgreesWithTheFormulas() throws {
    // v ← βv + (1 − β)‖g‖², A ← A − η g / (√(v/(1 − βᵗ)) + ε), one scalar v for all factors.
    let dmf = try Self.trained(Self.file(optimizer: #"{"kind": "group-rmsprop", "learningRate": 0.01, "epsilon": 1e-6}"#, loss: "mean", steps: 300))
    var v = 0.0
    let reference = Self.independent(loss: "mean", steps: 300) { a, g, t in
      v = 0.99 * v + 0.01 * g.reduce(0) { $0 + $1 * $1 }
      let scale = 0.01 / ((v / (1 - pow(0.99, Double(t)))).squareRoot() + 1e-6)
      for k in a.indices { a[k] -= scale * g[k] }
    }
    #expect(Self.largestRelativeDifference(dmf, reference) <= 1e-9)
  }

  @Test(arguments: [
    (#""model": {"components": 3}"#, #""model": {"components": 3, "depth": 2}"#, "model.depth: unknown field (the fields here are components)"),
    (#""entries": [[0,0,0],[1,0,0]"#, #""entries": [[0,0,0],[0,0,0]"#, "observations.entries[1]: [0, 0, 0] is listed twice"),
    (#""entries": [[0,0,0],[1,0,0]"#, #""entries": [[0,0],[1,0,0]"#, "observations.entries[0]: [0, 0] is not an index of the 3×2×4 tensor"),
    (#""stop": {"maxSteps": 10}"#, #""stop": {"maxSteps": 10, "maxTime": 2}"#, "stop.maxTime: only gradient flow has a clock; use maxSteps"),
    (#""record": {"every": 10}"#, #""record": {"every": 2.5}"#, "record.every: must be a whole number of steps in 1…10⁹, got 2.5"),
    (#""dimensions": [3,2,4]"#, #""dimensions": [3,2,5]"#, "tensor.entries: has 24 entries, the dimensions [3, 2, 5] need 30"),
  ])
  func aMalformedFileIsRefusedWithOneMessage(original: String, replacement: String, message: String) throws {
    let text = Self.file(optimizer: #"{"kind": "gd", "learningRate": 0.05}"#, loss: "mean", steps: 10)
    let broken = text.replacingOccurrences(of: original, with: replacement)
    try #require(broken != text, "the edit applies")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-tensor-\(UUID().uuidString).json").path
    try broken.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = try TrainCommandTests.run(["train", path])
    #expect(run.status == 2)
    #expect(run.error.contains(message), "\(run.error)")
    #expect(run.error.split(separator: "\n").count == 1)
  }
}
