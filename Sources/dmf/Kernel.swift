import ArgumentParser
import LinearAlgebra

/// `dmf kernel`: the OpenBLAS kernel dmf runs on this machine, and why.
struct Kernel: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the OpenBLAS kernel dmf runs here (for OPENBLAS_CORETYPE in a bare swift test).",
    discussion: "When OpenBLAS falls back to a generic kernel (Prescott, Core2, …) on a CPU with AVX-512 or AVX2+FMA, dmf re-executes itself with OPENBLAS_CORETYPE=SkylakeX or Haswell after checking a product against a plain loop. OPENBLAS_CORETYPE set by the user is always kept; DMF_KERNEL=keep keeps OpenBLAS's own choice. `export OPENBLAS_CORETYPE=$(swift run -c release dmf kernel)` gives swift test the same kernel.")

  @Flag(help: "Also print why, and the thread count.")
  var explain = false

  func run() {
    print(explain ? KernelSelection.headerLine : KernelSelection.current.kernel)
  }
}
