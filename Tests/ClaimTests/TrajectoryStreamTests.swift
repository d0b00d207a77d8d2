import Foundation
@testable import ClaimKit
import Testing

/// Paper-scale runs stream their trajectories as they train; a write that fails (a full disk) must
/// leave whole lines and end that stream, not the run.
@Suite(.serialized) struct TrajectoryStreamTests {
  @Test func aWriteThatFailsEndsTheStreamAndTheOtherStreamsKeepWholeLines() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-trajectories-\(ProcessInfo.processInfo.processIdentifier)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    TrajectoryStream.directory = directory
    defer { TrajectoryStream.directory = nil }
    // A file on a full disk: /dev/full takes the open and fails every write with ENOSPC.
    try FileManager.default.createSymbolicLink(atPath: directory + "/full.jsonl", withDestinationPath: "/dev/full")
    let full = try #require(TrajectoryStream(name: "full")), fine = try #require(TrajectoryStream(name: "fine"))
    let problem = TrainingProblem(
      target: Matrix([[1, 0], [0, 2]]), observations: .all, depth: 2, initialization: .gaussian(scale: 0.1, seed: 1), loss: .halfSum,
      method: .descent(.gradientDescent(GradientDescent(learningRate: 0.05))), stop: StopRule(maxSteps: 100), recording: .everySteps(10))
    let result = try Trainer.train(problem, observers: [full, fine])
    #expect(full.stopped && !fine.stopped)
    let lines = try String(contentsOfFile: directory + "/fine.jsonl", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.last == "" && lines.count == result.trajectory.count + 1, "one whole line a record point")
    #expect(lines.dropLast().allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
  }
}
