import DeepFactorization
import Foundation
import LinearAlgebra

/// The papers' named instances, defined here and committed under `Fixtures/problems/` as problem
/// files (the committed files are tested against these definitions).
public enum PaperFixtures {
  /// Razin & Cohen's 2×2 completion (? 1; 1 0): W₁₂ = W₂₁ = 1, W₂₂ = 0 observed, W₁₁ not. Every
  /// solution has det = −1.
  public static let razinCohen2x2 = ProblemInstance(
    target: Matrix([[0, 1], [1, 0]]), observations: .entries([.init(0, 1), .init(1, 0), .init(1, 1)]))

  /// The d×d generalisation in the authors' code: W₁₂ = W₂₁ = 1, Wᵢᵢ = 1 for i ≥ 3, 0 elsewhere,
  /// everything observed but W₁₁; every solution is (? 1; 1 0) ⊕ I_{d−2}.
  public static func razinCohen(dimension d: Int) -> ProblemInstance {
    precondition(d >= 2, "the generalisation needs d ≥ 2, got \(d)")
    var target = Matrix.zeros(d, d)
    target[0, 1] = 1
    target[1, 0] = 1
    for i in 2 ..< d { target[i, i] = 1 }
    var entries: [Observations.Entry] = []
    for j in 0 ..< d {
      for i in 0 ..< d where !(i == 0 && j == 0) { entries.append(.init(i, j)) }
    }
    return ProblemInstance(target: target, observations: .entries(entries))
  }

  /// The perturbed family (? −2; 0.5 ε): solutions have det = 1 + ε·W₁₁, the rank-1 one W₁₁ = −1/ε.
  public static func perturbed(epsilon: Double) -> ProblemInstance {
    ProblemInstance(target: Matrix([[0, -2], [0.5, epsilon]]), observations: .entries([.init(0, 1), .init(1, 0), .init(1, 1)]))
  }

  /// The ε values of the authors' perturbed data files.
  public static let perturbedEpsilons: [Double] = [0.5, 0.1, 0.05, 0.01, 0]

  /// Every named fixture with its file name (without `.json`).
  public static var all: [(name: String, instance: ProblemInstance)] {
    [("razin-cohen-2x2", razinCohen2x2), ("razin-cohen-3x3", razinCohen(dimension: 3)), ("razin-cohen-4x4", razinCohen(dimension: 4))]
      + perturbedEpsilons.map { ("razin-cohen-perturbed-eps-\($0)", perturbed(epsilon: $0)) }
  }

  /// Reads `directory/name.json` as an instance with its training settings.
  public static func load(_ name: String, from directory: String) throws -> (instance: ProblemInstance, settings: TrainingSettings) {
    let path = directory + "/" + name + ".json"
    guard let data = FileManager.default.contents(atPath: path) else { throw ProblemFileError("", "\(path): cannot read the file") }
    let file = try ProblemFile.decode(data)
    return (try ProblemInstance(file: file), file.settings)
  }
}
