import DeepFactorization
import Foundation
import LinearAlgebra

/// How far a trained product is from the problem's target, as `dmf train` prints it: so that a claim's
/// measurement of the error can be recomputed from an exported case.
struct TargetError: Encodable, Equatable {
  /// ‖W − T‖_F.
  var frobenius: Double
  /// ‖W − T‖_F / ‖T‖_F (NaN for a zero target).
  var relative: Double
  /// For completion: ‖W − T‖_F over the entries the loss does not see (nil when every entry is seen
  /// or the problem is sensing).
  var unobservedFrobenius: Double?
  /// How many entries the loss does not see (completion only).
  var unobservedCount: Int?

  init(product: Matrix, target: Matrix, observations: Observations) {
    var total = 0.0, unobserved = 0.0
    var seen = [Bool](repeating: false, count: target.rows * target.columns)
    if case .entries(let entries) = observations {
      for entry in entries { seen[entry.row + entry.column * target.rows] = true }
    }
    for column in 0 ..< target.columns {
      for row in 0 ..< target.rows {
        let residual = product[row, column] - target[row, column]
        total += residual * residual
        if !seen[row + column * target.rows] { unobserved += residual * residual }
      }
    }
    frobenius = total.squareRoot()
    relative = frobenius / target.frobeniusNorm
    let unseen = seen.count { !$0 }
    if case .entries = observations, unseen > 0 {
      unobservedFrobenius = unobserved.squareRoot()
      unobservedCount = unseen
    }
  }

  /// The lines `dmf train` (`symbol` W) and `dmf baseline` (X) print.
  func lines(_ symbol: String = "W") -> [String] {
    var lines = ["error against the target: ‖\(symbol) − T‖_F = \(String(format: "%.6g", frobenius)), relative \(String(format: "%.6g", relative))"]
    if let unobservedFrobenius, let unobservedCount {
      lines.append("on the \(unobservedCount) unobserved entr\(unobservedCount == 1 ? "y" : "ies"): ‖\(symbol) − T‖_F = \(String(format: "%.6g", unobservedFrobenius))")
    }
    return lines
  }
}
