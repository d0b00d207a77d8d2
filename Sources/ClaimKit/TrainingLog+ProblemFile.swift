public import Foundation
public import Problems

extension TrainingLog.Entry {
  /// The run as the problem file `dmf train` reads (a matrix problem file, or a tensor one for CP and
  /// hierarchical models); an error names what a file cannot say (a perturbed start, sensing tensors,
  /// a recording schedule).
  public func problemFile() throws(ProblemFileError) -> Data {
    switch self {
    case .matrix(let problem): try ProblemFile(problem: problem).encoded()
    case .tensor(let problem): try TensorProblemFile(problem: problem).encoded()
    case .hierarchical(let problem): try TensorProblemFile(problem: problem).encoded()
    }
  }
}
