// swift-tools-version: 6.1
// Benchmarks for Transit Planner's GTFS loader, kept in their own package so that the main
// package (one folder up) never depends on ordo-one/benchmark. See README.md beside this file.
//
//     cd Benchmarks && swift package benchmark

import PackageDescription

let package = Package(
    name: "transit-planner-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "transit-planner", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "GTFSBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "GTFS", package: "transit-planner"),
                .product(name: "TransitNetwork", package: "transit-planner"),
                .product(name: "Planner", package: "transit-planner"),
                .product(name: "Timetable", package: "transit-planner"),
                .product(name: "Carbon", package: "transit-planner"),
                .product(name: "TransitSynthetic", package: "transit-planner"),
            ],
            path: "Benchmarks/GTFSBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
