import ArgumentParser
import Foundation

/// `dmf`: train deep linear networks and verify the papers' claims.
@main
struct DMF: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dmf",
    abstract: "Deep matrix factorization: train networks and check claims about their implicit regularization.",
    subcommands: [Verify.self, Calibrate.self, Limit.self, Frontier.self, List.self, Explain.self, Merge.self, Replay.self, Regress.self, Train.self, BaselineCommand.self, Kernel.self]
  )

  /// Chooses the OpenBLAS kernel (re-executing under a faster one if OpenBLAS fell back to a
  /// generic kernel), then runs the command.
  ///
  /// Usage errors (an unknown flag, a missing value, a failed validation) exit 2 with ArgumentParser's
  /// message and usage, as every other bad input does; `--help` and the commands' own exit codes stay.
  static func main() async {
    KernelSelection.apply()
    do {
      var command = try parseAsRoot(nil)
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if exitCode(for: error) == .validationFailure {
        FileHandleOutput.writeToStandardError(fullMessage(for: error) + "\n")
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}

/// Bad input: one message on standard error, exit code 2.
struct InputError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

extension ParsableCommand {
  /// Prints `message` to standard error and exits with code 2.
  static func failInput(_ message: String) -> ExitCode {
    var standardError = StandardError()
    print("dmf: \(message)", to: &standardError)
    return ExitCode(2)
  }
}

/// Standard error as a text stream.
struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    FileHandleOutput.writeToStandardError(string)
  }
}
