/// Which OpenBLAS kernel a process should run, when OpenBLAS's own detection falls back to a
/// generic one.
///
/// Debian's OpenBLAS 0.3.21 does not recognise some recent CPUs (for example a 2-core Intel Xeon
/// with AVX-512 whose model name is the generic "Intel(R) Xeon(R) Processor") and falls back to
/// its SSE3 `Prescott` kernel, 3–5× slower at dgemm than `SkylakeX` on the same CPU. The kernel is
/// chosen when the library loads, so a better one takes a new process started with
/// `OPENBLAS_CORETYPE` set: `dmf` re-executes itself once (see `KernelSelection` in dmf).
public struct KernelChoice: Sendable, Equatable {
  /// The kernel to run (`SkylakeX`, `Haswell`, or the detected one).
  public var kernel: String
  /// Why, in words for the header line.
  public var reason: String
  /// Whether the process must start again with `OPENBLAS_CORETYPE=kernel`.
  public var needsRestart: Bool

  /// A choice.
  public init(kernel: String, reason: String, needsRestart: Bool) {
    self.kernel = kernel
    self.reason = reason
    self.needsRestart = needsRestart
  }

  /// OpenBLAS's generic x86-64 kernels, which it falls back to on a CPU it does not recognise.
  public static let genericKernels: Set<String> = ["Prescott", "Core2", "Katmai", "Coppermine", "Northwood", "Banias", "Penryn", "Dunnington", "Atom", "Nehalem"]

  /// The choice for a process whose OpenBLAS detected `detected`, on a CPU with `cpuFlags`
  /// (`/proc/cpuinfo`'s flags), given `OPENBLAS_CORETYPE` and `DMF_KERNEL`: unset, a kernel the
  /// user named is kept and a generic fallback is replaced; `keep` keeps OpenBLAS's choice; `auto`
  /// replaces a generic kernel even when `OPENBLAS_CORETYPE` named it.
  public static func decide(detected: String, cpuFlags: Set<String>, coreType: String?, setting: String?) -> KernelChoice {
    if let coreType, setting != "auto" {
      // OpenBLAS ignores a name it does not know (or a kernel this CPU cannot run) and detects its own.
      guard coreType.lowercased() == detected.lowercased() else {
        return KernelChoice(
          kernel: detected, reason: "OPENBLAS_CORETYPE=\(coreType) is not used: OpenBLAS does not know it or this CPU cannot run it, so it detected its own",
          needsRestart: false)
      }
      return KernelChoice(kernel: detected, reason: "OPENBLAS_CORETYPE=\(coreType) set by the user", needsRestart: false)
    }
    if setting == "keep" {
      return KernelChoice(kernel: detected, reason: "OpenBLAS's own detection (DMF_KERNEL=keep)", needsRestart: false)
    }
    guard genericKernels.contains(detected) else {
      return KernelChoice(kernel: detected, reason: "OpenBLAS's own detection", needsRestart: false)
    }
    if ["avx512f", "avx512vl", "avx512bw", "avx512dq"].allSatisfy(cpuFlags.contains) {
      return KernelChoice(kernel: "SkylakeX", reason: "OpenBLAS fell back to its generic \(detected) kernel on a CPU with AVX-512 (f, vl, bw, dq); DMF_KERNEL=keep keeps \(detected)", needsRestart: true)
    }
    if ["avx2", "fma"].allSatisfy(cpuFlags.contains) {
      return KernelChoice(kernel: "Haswell", reason: "OpenBLAS fell back to its generic \(detected) kernel on a CPU with AVX2 and FMA; DMF_KERNEL=keep keeps \(detected)", needsRestart: true)
    }
    return KernelChoice(kernel: detected, reason: "OpenBLAS's own detection (a generic kernel; the CPU has neither AVX-512 nor AVX2+FMA)", needsRestart: false)
  }

  /// The CPU's feature flags from `/proc/cpuinfo` (empty where there is none).
  public static func cpuFlags(cpuinfo: String) -> Set<String> {
    for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
    return []
  }

  /// Whether the running kernel computes a 67×53 by 53×71 product as a plain triple loop does
  /// (relative Frobenius difference below 1e-13): the guard against a kernel that does not run
  /// correctly on this CPU.
  public static func productCheck() -> Bool {
    let a = Matrix.gaussian(rows: 67, columns: 53, seed: 1), b = Matrix.gaussian(rows: 53, columns: 71, seed: 2)
    let c = a * b
    var difference = 0.0, norm = 0.0
    for j in 0 ..< 71 {
      for i in 0 ..< 67 {
        var sum = 0.0
        for k in 0 ..< 53 { sum += a[i, k] * b[k, j] }
        difference += (c[i, j] - sum) * (c[i, j] - sum)
        norm += sum * sum
      }
    }
    return difference.isFinite && difference <= 1e-26 * norm
  }
}
