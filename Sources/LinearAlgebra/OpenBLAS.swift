internal import CLinearAlgebra


/// The threading policy and build facts of the OpenBLAS library behind ``Matrix``.
///
/// **Single-threaded by default.** Results of multi-threaded BLAS differ in their last bits from
/// single-threaded ones, and ImplicitBias promises bit-identical re-runs, so the first BLAS or LAPACK
/// call made through this module sets OpenBLAS to one thread unless the environment variable
/// `OPENBLAS_NUM_THREADS` names a count explicitly. Parallelism in the project comes from running
/// independent cases side by side instead. To use more BLAS threads in a process, call
/// ``setThreadCount(_:)`` once, early.
public enum OpenBLAS {
  /// Runs the default thread policy exactly once per process (a lazily initialised global).
  internal static let defaultPolicyApplied: Bool = {
    if getenv("OPENBLAS_NUM_THREADS") == nil {
      openblas_set_num_threads(1)
    }
    return true
  }()

  /// Applies the default policy if it has not run yet; called on every BLAS/LAPACK entry point.
  @inline(__always)
  internal static func ensureConfigured() {
    _ = defaultPolicyApplied
  }

  /// The number of threads OpenBLAS uses now.
  public static var threadCount: Int {
    ensureConfigured()
    return Int(openblas_get_num_threads())
  }

  /// Sets the number of threads OpenBLAS uses (capped by OpenBLAS at the number of cores).
  ///
  /// More than one thread makes results depend on the thread count in their last bits.
  public static func setThreadCount(_ count: Int) {
    precondition(count >= 1, "OpenBLAS needs at least one thread, got \(count)")
    ensureConfigured()
    openblas_set_num_threads(Int32(count))
  }

  /// The CPU kernel OpenBLAS selected (e.g. `Cooperlake`, `Haswell`); record it with every timing.
  public static var coreName: String {
    String(cString: openblas_get_corename())
  }

  /// OpenBLAS's build configuration string.
  public static var configuration: String {
    String(cString: openblas_get_config())
  }
}
