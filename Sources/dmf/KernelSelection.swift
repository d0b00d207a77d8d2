import Foundation
import LinearAlgebra

/// Starts `dmf` again under a faster OpenBLAS kernel when OpenBLAS fell back to a generic one on
/// a CPU that has a faster one (``KernelChoice``), and remembers why for the header line.
///
/// The re-executed process carries `DMF_KERNEL_REASON`; it checks a product against a plain loop
/// and, should the chosen kernel fail it, starts once more under the detected kernel. Nothing
/// happens when `OPENBLAS_CORETYPE` is set (by the user, or by an earlier re-execution) unless
/// `DMF_KERNEL=auto`, or when `DMF_KERNEL=keep`.
enum KernelSelection {
  /// The kernel running now and why (for header lines).
  nonisolated(unsafe) static var current = KernelChoice(kernel: "", reason: "", needsRestart: false)

  static func apply() {
    let environment = ProcessInfo.processInfo.environment
    if let reason = environment["DMF_KERNEL_REASON"] {
      // A re-executed process: check the chosen kernel before trusting it.
      if !KernelChoice.productCheck(), let fallback = environment["DMF_KERNEL_DETECTED"], fallback != OpenBLAS.coreName {
        setenv("DMF_KERNEL_REASON", "\(OpenBLAS.coreName) failed the product check, back to \(fallback)", 1)
        restart(coreType: fallback)
      }
      current = KernelChoice(kernel: OpenBLAS.coreName, reason: reason, needsRestart: false)
      return
    }
    if let setting = environment["DMF_KERNEL"], setting != "auto" && setting != "keep" {
      FileHandleOutput.writeToStandardError("dmf: DMF_KERNEL: \"\(setting)\" is not auto or keep\n")
      exit(2)
    }
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let choice = KernelChoice.decide(
      detected: OpenBLAS.coreName, cpuFlags: KernelChoice.cpuFlags(cpuinfo: cpuinfo),
      coreType: environment["OPENBLAS_CORETYPE"], setting: environment["DMF_KERNEL"])
    current = choice
    if choice.needsRestart {
      setenv("DMF_KERNEL_REASON", choice.reason, 1)
      setenv("DMF_KERNEL_DETECTED", OpenBLAS.coreName, 1)
      restart(coreType: choice.kernel)
    }
  }

  /// Replaces this process with itself under `OPENBLAS_CORETYPE=coreType`; returns only if exec fails.
  private static func restart(coreType: String) {
    setenv("OPENBLAS_CORETYPE", coreType, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    // exec failed (no /proc): carry on under the detected kernel.
    current = KernelChoice(kernel: OpenBLAS.coreName, reason: "OpenBLAS's own detection (re-executing under \(coreType) failed)", needsRestart: false)
  }

  /// `kernel Cooperlake (OpenBLAS's own detection)`.
  static var headerLine: String {
    "kernel \(current.kernel) (\(current.reason)), \(OpenBLAS.threadCount) BLAS thread\(OpenBLAS.threadCount == 1 ? "" : "s")"
  }
}
