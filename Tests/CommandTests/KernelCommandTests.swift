import Foundation
import PropertyTesting
import LinearAlgebra
import Testing

/// The OpenBLAS kernel choice: the decision table, and `dmf` re-executing itself under it.
struct KernelCommandTests {
  static let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq"]
  static let avx2: Set<String> = ["sse3", "avx", "avx2", "fma"]

  @Test(arguments: [
    ("Prescott", avx512, nil, nil, "SkylakeX", true),
    ("Prescott", avx2, nil, nil, "Haswell", true),
    ("Core2", avx2, nil, nil, "Haswell", true),
    ("Prescott", Set(["sse3"]), nil, nil, "Prescott", false),
    ("Cooperlake", avx512, nil, nil, "Cooperlake", false),
    ("Prescott", avx512, "Prescott", nil, "Prescott", false),
    ("Prescott", avx512, nil, "keep", "Prescott", false),
    ("Prescott", avx512, "Prescott", "auto", "SkylakeX", true),
  ] as [(String, Set<String>, String?, String?, String, Bool)])
  func decision(detected: String, flags: Set<String>, coreType: String?, setting: String?, kernel: String, restart: Bool) {
    let choice = KernelChoice.decide(detected: detected, cpuFlags: flags, coreType: coreType, setting: setting)
    #expect(choice.kernel == kernel && choice.needsRestart == restart, "\(choice)")
  }

  @Test func cpuFlagsAreReadFromCpuinfo() {
    let flags = KernelChoice.cpuFlags(cpuinfo: "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu sse3 avx2 fma avx512f\n")
    #expect(flags == ["fpu", "sse3", "avx2", "fma", "avx512f"])
  }

  @Test func theRunningKernelComputesProductsCorrectly() {
    #expect(KernelChoice.productCheck())
  }

  /// Runs `dmf` with the kernel variables of this process removed and `environment` set.
  static func dmf(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String, error: String) {
    var variables: [String: String?] = ["OPENBLAS_CORETYPE": nil, "DMF_KERNEL": nil, "DMF_KERNEL_REASON": nil, "DMF_KERNEL_DETECTED": nil]
    for (name, value) in environment { variables[name] = value }
    return try TrainCommandTests.run(arguments, environment: variables)
  }

  @Test func aKernelTheUserNamedIsKept() throws {
    let run = try Self.dmf(["kernel", "--explain"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
    #expect(run.status == 0 && run.output.hasPrefix("kernel Prescott (OPENBLAS_CORETYPE=Prescott set by the user)"), "\(run)")
  }

  @Test func aGenericKernelIsReplacedByReExecution() throws {
    // DMF_KERNEL=auto treats the named Prescott as OpenBLAS's fallback: dmf starts again under the
    // CPU's fast kernel (where it has one) and says why.
    let flags = KernelChoice.cpuFlags(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")
    let expected = KernelChoice.decide(detected: "Prescott", cpuFlags: flags, coreType: nil, setting: nil)
    let run = try Self.dmf(["kernel", "--explain"], environment: ["OPENBLAS_CORETYPE": "Prescott", "DMF_KERNEL": "auto"])
    #expect(run.status == 0 && run.output.hasPrefix("kernel \(expected.kernel) ("), "\(run)")
    if expected.needsRestart { #expect(run.output.contains("fell back to its generic Prescott kernel")) }
  }

  @Test func aMalformedSettingExitsTwo() throws {
    let run = try Self.dmf(["kernel"], environment: ["DMF_KERNEL": "fast"])
    #expect(run.status == 2 && run.error == "dmf: DMF_KERNEL: \"fast\" is not auto or keep\n")
  }
}

/// `dmf list` and `dmf explain` as a new user runs them.
struct ListCommandTests {
  @Test func listShowsEveryClaimOnce() throws {
    let run = try TrainCommandTests.run(["list", "--json"])
    #expect(run.status == 0)
    let lines = run.output.split(separator: "\n")
    #expect(lines.count >= 26)
    #expect(lines.contains { $0.contains("\"code\":\"L2\"") && $0.contains("\"id\":\"li-luo-lyu.first-plateau-rank-1\"") })
  }

  /// The table ends with how many claims and papers it lists, papers told apart by arXiv id.
  @Test func theTableCountsClaimsAndPapers() throws {
    let all = try TrainCommandTests.run(["list"])
    let json = try TrainCommandTests.run(["list", "--json"])
    let claims = json.output.split(separator: "\n").count
    let last = all.output.split(separator: "\n").last.map(String.init) ?? ""
    #expect(last.hasPrefix("\(claims) claims from "), "\(last)")
    let papers = Int(last.split(separator: " ")[3]) ?? 0
    #expect(papers >= 16, "\(last)")
    let one = try TrainCommandTests.run(["list", "--claim", "BZ*"])
    #expect(one.output.hasSuffix("2 claims from 1 paper\n"), "\(one.output)")
  }

  @Test func explainByCodeShowsStatementThresholdAndCounterSetting() throws {
    let run = try TrainCommandTests.run(["explain", "L2"])
    #expect(run.status == 0)
    for part in ["statement:", "hypotheses:", "L2.plateau-gap: [-0.01, 0.01] — notes L2", "counter-setting", "budgets: quick 60 cases"] {
      #expect(run.output.contains(part), "\(part)")
    }
  }

  @Test func anUnknownClaimExitsTwoWithOneLine() throws {
    let run = try TrainCommandTests.run(["explain", "Z9"])
    #expect(run.status == 2 && run.error == "dmf: explain: no claim \"Z9\" matches an id, code or pattern (dmf list shows them)\n")
    let pattern = try TrainCommandTests.run(["verify", "--claim", "arora.original-*"])  // A8 runs only in full
    #expect(pattern.status == 2 && pattern.error.contains("no claim \"arora.original-*\""))
    let verify = try TrainCommandTests.run(["verify", "--claim", "Z9"])
    #expect(verify.status == 2 && verify.error.hasPrefix("dmf: --claim: no claim \"Z9\""))
  }
}

/// `dmf replay TOKEN --export FILE` and training the exported file, as a user follows a failure.
struct ReplayCommandTests {
  /// R1's counter-setting (gradient descent at depth 2, seed 0), whose det W crosses 0.
  static let token = "dmf1.431f6a43d2441cac.ae6411a6dcac67f0.AwAAAAAAAAAA"

  @Test func replayPrintsTheCaseAndItsExportTrainsTheSameRun() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-export-\(ProcessInfo.processInfo.processIdentifier).json").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let replay = try TrainCommandTests.run(["replay", Self.token, "--export", path])
    #expect(replay.status == 0, "a failing case whose export was written exits 0: \(replay.error)")
    #expect(replay.output.contains(": failed —"), "the case still fails: \(replay.output)")
    #expect(try TrainCommandTests.run(["replay", Self.token]).status == 1, "without --export, a failing case exits 1")
    for part in ["min det W(t) = -0.7089", "training run 1 of 1:", "target: 2×2", "observed: 3 of 4 entries", "(0, 1) (1, 0) (1, 1)", "initialization: balanced, scale 0.01, seed 0, det positive",
                 "observed per row: 1 2", "observed per column: 1 2",
                 "warning: row 0 has 1 observed entry, fewer than the target's rank 2", "warning: column 0 has 1 observed entry"] {
      #expect(replay.output.contains(part), "\(part)")
    }
    #expect(replay.output.contains("replayed case (") && !replay.output.contains("shrinks in 0 calls"))
    #expect(replay.output.contains("measured min det W(t) = -0.70889"), "the case's numbers")
    let train = try TrainCommandTests.run(["train", path])
    #expect(train.status == 0 && train.output.contains("det W: -0.708898"), "\(train)")
  }

  /// TF1's counter-setting (Adam on a 3×3×3 CP completion; its minimal case): three CP runs, the
  /// second of which is exported as a tensor problem file and trained by `dmf train`.
  static let tensorToken = "dmf2.4f35c215f3781bd7.88cafa2cff2c7ffb.AAYABgAGAAYABgAEAwAAAAAAAAAA.0fb0f953"

  @Test func aTensorCaseIsPrintedAndItsExportTrains() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmf-tensor-export-\(ProcessInfo.processInfo.processIdentifier).json").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let replay = try TrainCommandTests.run(["replay", Self.tensorToken, "--export", path, "--run", "2"])
    #expect(replay.status == 0, "\(replay.error)")
    for part in ["training run 2 of 3:", "CP model: 3×3×3, R = 2, mean loss, adam, stop at 20 steps", "observed: 13 of 27 entries", "(0, 0, 0) (1, 0, 0)", "wrote training run 2 to"] {
      #expect(replay.output.contains(part), "\(part)")
    }
    let file = try String(contentsOfFile: path, encoding: .utf8)
    #expect(file.contains("\"tensor\"") && file.contains("\"kind\" : \"factors\""), "the claim's flat start is written as factors")
    let train = try TrainCommandTests.run(["train", path])
    #expect(train.status == 0 && train.output.contains("after 20 adam steps"), "\(train)")
  }

  @Test func aTokenWhoseTapeIsAnotherClaimsSaysSo() throws {
    // TF1's counter case's tape under R2's name, with a valid check: R2's generator reads other choices.
    let foreign = try ReplayToken(parsing: Self.tensorToken)
    let spliced = ReplayToken(propertyName: "razin-cohen.norms-diverge", caseSeed: foreign.caseSeed, tape: foreign.tape).description
    let replay = try TrainCommandTests.run(["replay", spliced])
    #expect(replay.output.contains("the token's tape does not fit razin-cohen.norms-diverge's cases"), "\(replay.output)")
  }

  @Test func exportingARunTheCaseDidNotHaveExitsTwo() throws {
    let replay = try TrainCommandTests.run(["replay", Self.token, "--export", "/tmp/unused.json", "--run", "5"])
    #expect(replay.status == 2 && replay.error.contains("--run 5: the case ran 1 training problem"))
  }
}

/// Usage errors exit 2 with one message, like every other bad input.
struct UsageErrorTests {
  @Test(arguments: [
    (["verify", "--bogus"], "Unknown option '--bogus'"),
    (["merge"], "Missing expected argument"),
    (["verify", "--seed", "-1"], "'--seed <seed>': \"-1\" is not a 64-bit seed"),
    (["verify", "--claim"], "Missing value for '--claim"),
    (["train"], "Missing expected argument '<problem>'"),
    (["replay", "x", "--run", "0"], "--run must be at least 1"),
    (["verify", "--sensitivity", "most"], "'--sensitivity <sensitivity>': \"most\" is not off, all or a case count"),
    (["verify", "--counter", "--resume", "/tmp"], "--counter runs the counter-settings in one go"),
  ])
  func usageErrorsExitTwo(arguments: [String], message: String) throws {
    let run = try TrainCommandTests.run(arguments)
    #expect(run.status == 2 && run.error.contains(message), "\(run)")
  }

  @Test func helpExitsZero() throws {
    let run = try TrainCommandTests.run(["--help"])
    #expect(run.status == 0 && run.output.contains("SUBCOMMANDS"))
  }
}
