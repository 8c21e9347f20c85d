// swift-tools-version: 6.1
// Transit Planner: GTFS reading and validation, transit network analysis, frequency planning
// with GLPK, and carbon credits for green travel. See README.md.
//
// The flow, each module built on those before it (dependencies point one way):
//
//   GTFS ──▶ Network ──▶ Ridership ──▶ Planner ──▶ Timetable
//   (feeds)  (service,   (counts →     (+ Solver:  (departures, blocks,
//             distances,  demand)       GLPK)       GTFS export)
//             summary)        └──────▶ Carbon (methodology, trip logs, ledger)
//
// TransitSupport (files, clock, threads) and ZipArchive serve them all; TransitSynthetic
// generates test and benchmark data; TransitCLI only parses, calls the library and prints.

import PackageDescription

/// One settings list shared by every Swift target: Swift 6 language mode with strict
/// concurrency, plus the upcoming features the best Swift codebases turn on.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "transit-planner",
    products: [
        .executable(name: "transit", targets: ["TransitCLI"]),
        .library(name: "GTFS", targets: ["GTFS"]),
        .library(name: "ZipArchive", targets: ["ZipArchive"]),
        .library(name: "Network", targets: ["Network"]),
        .library(name: "Solver", targets: ["Solver"]),
        .library(name: "Ridership", targets: ["Ridership"]),
        .library(name: "Planner", targets: ["Planner"]),
        .library(name: "Timetable", targets: ["Timetable"]),
        .library(name: "Carbon", targets: ["Carbon"]),
        // Generated problems, cities and trip logs for tests and benchmarks: not the main API.
        .library(name: "TransitSynthetic", targets: ["TransitSynthetic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // C libraries from Debian (scripts/setup installs the -dev packages).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),

        // TransitSupport: the package's internal support code, shared with `package` access and
        // in no product: standard-error output, the clock and TRANSIT_TRACE timings, whole-file
        // and line reads, atomic writes and folder helpers (one FileSystemError), and the one
        // threading model (pthreads, Mutex/Atomic, a condition to wait on). No Foundation.
        .target(name: "TransitSupport", swiftSettings: swiftSettings),

        // Zip container: reading (zlib inflate, CRC-checked) and atomic writing.
        .target(name: "ZipArchive", dependencies: ["CZlib", "TransitSupport"], swiftSettings: swiftSettings),

        // GTFS: schema, byte-level CSV scanner, typed columnar model, reader, validator, writer.
        .target(name: "GTFS", dependencies: ["ZipArchive", "TransitSupport"], swiftSettings: swiftSettings),

        // Network: service days, route patterns, distances along shapes, the transit graph,
        // paths and the service summary, built on the GTFS model.
        .target(name: "Network", dependencies: ["GTFS", "TransitSupport"], swiftSettings: swiftSettings),

        // GLPK's error hook needs setjmp/longjmp, which Swift cannot do: a few lines of C that
        // call GLPK under a guard so a GLPK error returns instead of aborting the process.
        .target(name: "GLPKGuard", dependencies: ["CGLPK"]),

        // Solver: a value-type linear/integer model, validated, solved with GLPK (the only
        // Swift module that imports the GLPK C module), written as LP or MPS.
        .target(name: "Solver", dependencies: ["CGLPK", "GLPKGuard", "TransitSupport"], swiftSettings: swiftSettings),

        // Ridership: GTFS-ride board_alight.txt and trip_capacity.txt (or a load table) to load
        // profiles, per-period demand, passenger-km and vehicle capacities. Shared by the
        // planner and the carbon module.
        .target(name: "Ridership", dependencies: ["GTFS", "Network", "TransitSupport"], swiftSettings: swiftSettings),

        // Planner: limits, reference (Ceder) plans and the optimal headway plan from a
        // mixed-integer model, over the demand the Ridership module measures.
        .target(name: "Planner", dependencies: ["GTFS", "Network", "Ridership", "Solver", "TransitSupport"], swiftSettings: swiftSettings),

        // Timetable: a headway plan (the planner's PlanDocument) to departures, vehicle blocks
        // (deficit-function minimum fleet) and an exported GTFS feed for the planned day.
        .target(name: "Timetable", dependencies: ["GTFS", "Network", "Ridership", "Planner", "Solver", "ZipArchive", "TransitSupport"], swiftSettings: swiftSettings),
        // Carbon: green-travel carbon points. Emission factors and policy as versioned data
        // (Sources/Carbon/Data, embedded as Swift constants by scripts/embed-carbon-data),
        // trip-log readers, pricing with plausibility checks, the exactly-once GRDB ledger, and
        // swift-crypto for content hashes and rider pseudonyms.
        .target(
            name: "Carbon",
            dependencies: ["GTFS", "Network", "Ridership", "TransitSupport", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Data"],
            swiftSettings: swiftSettings
        ),

        // Generators for tests, benchmarks and `transit plan --synthetic` / `transit carbon
        // generate-log`: a city-scale frequency problem, a city feed with its plan, trip logs.
        .target(name: "TransitSynthetic", dependencies: ["GTFS", "Network", "Planner", "Timetable", "Carbon"],
                swiftSettings: swiftSettings),

        // The `transit` command-line tool: parses arguments, calls the library, prints.
        .executableTarget(
            name: "TransitCLI",
            dependencies: [
                "GTFS",
                "Network",
                "Ridership",
                "Planner",
                "Solver",
                "Timetable",
                "ZipArchive",
                "Carbon",
                "TransitSupport",
                "TransitSynthetic",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Where tests find the sample feed, the shared real feeds and the built binary.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),

        .testTarget(name: "TransitSupportTests", dependencies: ["TransitSupport", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ZipArchiveTests", dependencies: ["ZipArchive", "TransitSupport", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "GTFSTests", dependencies: ["GTFS", "ZipArchive", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "NetworkTests", dependencies: ["Network", "GTFS", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SolverTests", dependencies: ["Solver", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "RidershipTests", dependencies: ["Ridership", "Network", "GTFS", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "Ridership", "Network", "GTFS", "Solver", "TransitSynthetic", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TimetableTests", dependencies: ["Timetable", "Planner", "Ridership", "Network", "GTFS", "TransitSynthetic", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "GLPKSmokeTests", dependencies: ["CGLPK"], swiftSettings: swiftSettings),
        .testTarget(name: "CarbonTests", dependencies: ["Carbon", "Ridership", "Network", "GTFS", "TransitSynthetic", "TestSupport", "TransitCLI",
                                                       .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(name: "TransitCLITests", dependencies: ["TransitCLI", "GTFS", "Network", "Carbon", "TestSupport",
                                                      .product(name: "ArgumentParser", package: "swift-argument-parser")],
                    swiftSettings: swiftSettings),
    ]
)
