// swift-tools-version: 6.1
import PackageDescription

// ImplicitBias: executable claims about implicit regularization in deep matrix factorization.
// Modules, in the one direction data flows (see README.md, "Layout"):
//   CLinearAlgebra, CKernels → LinearAlgebra → DeepFactorization (→ TensorFactorization), Baselines
//   SeededRandom (the project's own seeded generator, used by everything that draws)
//   PropertyTesting (no numeric dependency) → Problems → ClaimKit (claim infrastructure) → Properties (the papers' claims) → dmf, Tests

let package = Package(
  name: "ImplicitBias",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "dmf", targets: ["dmf"]),
    .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
    .library(name: "SeededRandom", targets: ["SeededRandom"]),
    .library(name: "PropertyTesting", targets: ["PropertyTesting"]),
    .library(name: "DeepFactorization", targets: ["DeepFactorization"]),
    .library(name: "Problems", targets: ["Problems"]),
    .library(name: "Baselines", targets: ["Baselines"]),
    .library(name: "TensorFactorization", targets: ["TensorFactorization"]),
    .library(name: "ClaimKit", targets: ["ClaimKit"]),
    .library(name: "Properties", targets: ["Properties"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // Elementary functions (exp, log, pow, logGamma, erfc) without a platform C library import.
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
  ],
  targets: [
    // MARK: - C binding
    // OpenBLAS (CBLAS) and LAPACKE from Debian's -dev packages. Headers and libraries sit on the
    // default search paths, so no pkg-config is needed; the module map carries the link lines.
    .systemLibrary(
      name: "CLinearAlgebra",
      path: "Sources/CLinearAlgebra",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),

    // The sparse completion kernels: C, so that one source compiles for AVX-512, AVX2 and SSE2 with
    // the same arithmetic (no FMA contraction), dispatched by CPU at run time.
    .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),

    // MARK: - Libraries
    .target(name: "SeededRandom", dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
    .target(name: "LinearAlgebra", dependencies: ["CLinearAlgebra", "CKernels", "SeededRandom", .product(name: "RealModule", package: "swift-numerics")]),
    .target(name: "DeepFactorization", dependencies: ["LinearAlgebra", "SeededRandom", .product(name: "RealModule", package: "swift-numerics")]),
    .target(name: "Baselines", dependencies: ["LinearAlgebra"]),
    // CP and hierarchical tensor factorization beside the matrix engine: their objectives, inits and
    // trainers, through the matrix engine's driver and optimizers (the hierarchical engine's products
    // through LinearAlgebra's BLAS).
    .target(name: "TensorFactorization", dependencies: ["DeepFactorization", "LinearAlgebra", "SeededRandom"]),
    .target(name: "PropertyTesting", dependencies: ["SeededRandom", .product(name: "RealModule", package: "swift-numerics")]),
    .target(name: "Problems", dependencies: ["PropertyTesting", "DeepFactorization", "TensorFactorization", "LinearAlgebra", "SeededRandom", .product(name: "RealModule", package: "swift-numerics")]),
    // The claim infrastructure: Claim, its settings, thresholds, calibration, the training helpers
    // claims call, trajectory files, the regression cases of dmf regress.
    .target(
      name: "ClaimKit",
      dependencies: ["Problems", "DeepFactorization", "TensorFactorization", "PropertyTesting", "LinearAlgebra", "SeededRandom"]),
    // The papers' claims, one file per paper, and the catalogue (top-level folder Properties/).
    .target(
      name: "Properties",
      dependencies: ["ClaimKit", "Problems", "Baselines", "DeepFactorization", "TensorFactorization", "PropertyTesting", "LinearAlgebra", "SeededRandom"],
      path: "Properties",
      exclude: ["README.md"]
    ),
    // Swift Testing glue for the test targets: properties and claims inside @Test functions.
    .target(name: "PropertyTestingGlue", dependencies: ["PropertyTesting"]),

    // MARK: - Command line
    .executableTarget(
      name: "dmf",
      dependencies: [
        "DeepFactorization", "TensorFactorization", "LinearAlgebra", "ClaimKit", "Properties", "PropertyTesting", "Problems", "Baselines",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: - Tests
    .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"]),
    .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "SeededRandom"]),
    .testTarget(name: "DeepFactorizationTests", dependencies: ["DeepFactorization", "LinearAlgebra", "SeededRandom"]),
    // dmf end to end: the built executable run as a user runs it (its output, files and exit codes).
    .testTarget(name: "CommandTests", dependencies: ["dmf", "Problems", "ClaimKit", "Properties", "PropertyTesting", "LinearAlgebra", "Baselines"]),
    .testTarget(name: "ProblemsTests", dependencies: ["Problems", "PropertyTesting", "DeepFactorization", "TensorFactorization", "LinearAlgebra", "SeededRandom"]),
    .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "LinearAlgebra", "SeededRandom"]),
    .testTarget(
      name: "TensorFactorizationTests",
      dependencies: ["TensorFactorization", "DeepFactorization", "LinearAlgebra", "SeededRandom", .product(name: "RealModule", package: "swift-numerics")]),
    .testTarget(name: "ClaimTests", dependencies: ["ClaimKit", "Properties", "PropertyTesting", "DeepFactorization", "TensorFactorization"]),
    .testTarget(name: "PropertyTestingTests", dependencies: ["PropertyTesting", "PropertyTestingGlue", "SeededRandom"]),
  ]
)

for target in package.targets where target.type != .system && target.name != "CKernels" {
  target.swiftSettings = (target.swiftSettings ?? []) + [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
  ]
}

// `swift test` is claim verification, and claims train networks for millions of steps: the modules
// that compute are compiled with -O in the debug configuration too, so that a plain `swift test` runs
// the engine at release speed (whole-module optimisation is not possible there: it conflicts with
// SwiftPM's per-file index store; the fixed-size engine's @_specialize attributes stand in for the
// cross-file specialisation it would do). Test targets and PropertyTestingGlue stay unoptimised for
// debugging; the C kernels get -O2 in debug for the same reason. Measured in the README's "What
// `swift test` costs".
let optimisedInDebug = [
  "SeededRandom", "LinearAlgebra", "DeepFactorization", "Baselines", "TensorFactorization",
  "PropertyTesting", "Problems", "ClaimKit", "Properties", "dmf",
]
for target in package.targets where optimisedInDebug.contains(target.name) {
  target.swiftSettings = (target.swiftSettings ?? []) + [
    .unsafeFlags(["-O"], .when(configuration: .debug))
  ]
}
