// swift-tools-version: 6.1
import PackageDescription

// A separate package so that `swift build` and `swift test` at the root never compile the benchmark
// harness. Run with `cd Benchmarks && swift package benchmark` (see README.md here).
let package = Package(
  name: "ImplicitBiasBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "ImplicitBias", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // The bare C API, so benchmarks can time a plain cblas_dgemm next to the Swift wrapper.
    .systemLibrary(name: "CBenchmarkBLAS", path: "Sources/CBenchmarkBLAS"),
    .executableTarget(
      name: "LinearAlgebraBenchmarks",
      dependencies: [
        "CBenchmarkBLAS",
        .product(name: "LinearAlgebra", package: "ImplicitBias"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/LinearAlgebraBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "EngineBenchmarks",
      dependencies: [
        "CBenchmarkBLAS",
        .product(name: "DeepFactorization", package: "ImplicitBias"),
        .product(name: "LinearAlgebra", package: "ImplicitBias"),
        .product(name: "SeededRandom", package: "ImplicitBias"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/EngineBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "BaselinesBenchmarks",
      dependencies: [
        .product(name: "Baselines", package: "ImplicitBias"),
        .product(name: "DeepFactorization", package: "ImplicitBias"),
        .product(name: "Problems", package: "ImplicitBias"),
        .product(name: "LinearAlgebra", package: "ImplicitBias"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/BaselinesBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "TensorBenchmarks",
      dependencies: [
        .product(name: "TensorFactorization", package: "ImplicitBias"),
        .product(name: "DeepFactorization", package: "ImplicitBias"),
        .product(name: "SeededRandom", package: "ImplicitBias"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/TensorBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ]
)
