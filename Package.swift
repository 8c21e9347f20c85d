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
        .library(name: "TransitNetwork", targets: ["TransitNetwork"]),
        .library(name: "Solver", targets: ["Solver"]),
        .library(name: "Ridership", targets: ["Ridership"]),
        .library(name: "Planner", targets: ["Planner"]),
        .library(name: "Timetable", targets: ["Timetable"]),
        .library(name: "Carbon", targets: ["Carbon"]),
        .library(name: "CarbonService", targets: ["CarbonService"]),
        .library(name: "Charts", targets: ["Charts"]),
        .library(name: "Reports", targets: ["Reports"]),
        // Generated problems, cities and trip logs for tests and benchmarks: not the main API.
        .library(name: "TransitSynthetic", targets: ["TransitSynthetic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // The HTTP service (CarbonService): Hummingbird 2 on SwiftNIO, with swift-log,
        // swift-metrics + swift-prometheus and swift-service-lifecycle. Hummingbird's
        // swift-configuration support is not used (configuration comes from flags and
        // environment variables the CLI reads), so its default traits are off.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The shared ledger on PostgreSQL (Carbon's PostgresLedger).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
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

        // TransitNetwork (not "Network": that name is Apple's framework, which SwiftNIO and
        // Hummingbird test for with `canImport(Network)`): service days, route patterns, distances along shapes, the transit graph,
        // paths and the service summary, built on the GTFS model.
        .target(name: "TransitNetwork", dependencies: ["GTFS", "TransitSupport"], swiftSettings: swiftSettings),

        // GLPK's error hook needs setjmp/longjmp, which Swift cannot do: a few lines of C that
        // call GLPK under a guard so a GLPK error returns instead of aborting the process.
        .target(name: "GLPKGuard", dependencies: ["CGLPK"]),

        // Solver: a value-type linear/integer model, validated, solved with GLPK (the only
        // Swift module that imports the GLPK C module), written as LP or MPS.
        .target(name: "Solver", dependencies: ["CGLPK", "GLPKGuard", "TransitSupport"], swiftSettings: swiftSettings),

        // Ridership: GTFS-ride board_alight.txt and trip_capacity.txt (or a load table) to load
        // profiles, per-period demand, passenger-km and vehicle capacities. Shared by the
        // planner and the carbon module.
        .target(name: "Ridership", dependencies: ["GTFS", "TransitNetwork", "TransitSupport"], swiftSettings: swiftSettings),

        // Planner: limits, reference (Ceder) plans and the optimal headway plan from a
        // mixed-integer model, over the demand the Ridership module measures.
        .target(name: "Planner", dependencies: ["GTFS", "TransitNetwork", "Ridership", "Solver", "TransitSupport"], swiftSettings: swiftSettings),

        // Timetable: a headway plan (the planner's PlanDocument) to departures, vehicle blocks
        // (deficit-function minimum fleet) and an exported GTFS feed for the planned day.
        .target(name: "Timetable", dependencies: ["GTFS", "TransitNetwork", "Ridership", "Planner", "Solver", "ZipArchive", "TransitSupport"], swiftSettings: swiftSettings),
        // Carbon: green-travel carbon points. Emission factors and policy as versioned data
        // (Sources/Carbon/Data, embedded as Swift constants by scripts/embed-carbon-data),
        // trip-log readers, pricing with plausibility checks, the exactly-once GRDB ledger, and
        // swift-crypto for content hashes and rider pseudonyms.
        .target(
            name: "Carbon",
            dependencies: ["GTFS", "TransitNetwork", "Ridership", "TransitSupport", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            exclude: ["Data"],
            swiftSettings: swiftSettings
        ),

        // CarbonService: the carbon-credit platform over HTTP (`transit serve`): API keys and
        // roles, trips, balances, statements, redemptions, reversals, consent, the
        // methodology, health, Prometheus metrics and the OpenAPI document, on Hummingbird 2.
        // Every rule is the Carbon library's; this module only authenticates, decodes,
        // calls it and encodes.
        .target(
            name: "CarbonService",
            dependencies: ["Carbon", "TransitSupport",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                           .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["openapi.json"],
            swiftSettings: swiftSettings
        ),

        // Charts: a small SVG and HTML builder (scales, ticks, axes, bar/line/Gantt charts, maps
        // with Douglas–Peucker simplification, tables, self-contained pages). No dependencies,
        // and no other library module depends on it: only Reports draws with it.
        .target(name: "Charts", swiftSettings: swiftSettings),

        // Reports: the HTML reports people look at (plan, timetable, network, carbon, and the
        // validation report), built from the library's results and drawn with Charts. Only the
        // CLI depends on it.
        .target(name: "Reports", dependencies: ["Charts", "GTFS", "TransitNetwork", "Ridership", "Planner", "Timetable", "Carbon", "TransitSupport"],
                swiftSettings: swiftSettings),

        // Generators for tests, benchmarks and `transit plan --synthetic` / `transit carbon
        // generate-log`: a city-scale frequency problem, a city feed with its plan, trip logs.
        .target(name: "TransitSynthetic", dependencies: ["GTFS", "TransitNetwork", "Ridership", "Planner", "Timetable", "Carbon"],
                swiftSettings: swiftSettings),

        // The `transit` command-line tool: parses arguments, calls the library, prints.
        .executableTarget(
            name: "TransitCLI",
            dependencies: [
                "GTFS",
                "TransitNetwork",
                "Ridership",
                "Planner",
                "Solver",
                "Timetable",
                "ZipArchive",
                "Carbon",
                "CarbonService",
                "Reports",
                "TransitSupport",
                "TransitSynthetic",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Where tests find the sample feed, the shared real feeds and the built binary.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),

        .testTarget(name: "TransitSupportTests", dependencies: ["TransitSupport", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ZipArchiveTests", dependencies: ["ZipArchive", "TransitSupport", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "GTFSTests", dependencies: ["GTFS", "ZipArchive", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "NetworkTests", dependencies: ["TransitNetwork", "GTFS", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SolverTests", dependencies: ["Solver", "CGLPK", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "RidershipTests", dependencies: ["Ridership", "TransitNetwork", "GTFS", "TransitSynthetic", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "Ridership", "TransitNetwork", "GTFS", "Solver", "TransitSynthetic", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TimetableTests", dependencies: ["Timetable", "Planner", "Ridership", "TransitNetwork", "GTFS", "TransitSynthetic", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "GLPKSmokeTests", dependencies: ["CGLPK"], swiftSettings: swiftSettings),
        .testTarget(name: "CarbonTests", dependencies: ["Carbon", "Ridership", "TransitNetwork", "GTFS", "TransitSynthetic", "TestSupport", "TransitCLI",
                                                       .product(name: "Crypto", package: "swift-crypto"),
                                                       .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: swiftSettings),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Charts", "GTFS", "TransitNetwork", "Ridership", "Planner", "Timetable", "Carbon",
                                                       "TransitSynthetic", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CarbonServiceTests", dependencies: ["CarbonService", "Carbon", "TransitSynthetic", "TestSupport",
                                                              .product(name: "Hummingbird", package: "hummingbird"),
                                                              .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                              .product(name: "HTTPTypes", package: "swift-http-types"),
                                                              .product(name: "NIOCore", package: "swift-nio"),
                                                              .product(name: "Logging", package: "swift-log")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "TransitCLITests", dependencies: ["TransitCLI", "GTFS", "TransitNetwork", "Ridership", "Carbon", "TestSupport",
                                                      .product(name: "ArgumentParser", package: "swift-argument-parser")],
                    swiftSettings: swiftSettings),
    ]
)
