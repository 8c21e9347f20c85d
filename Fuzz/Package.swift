// swift-tools-version: 6.1
// libFuzzer targets for transit-planner: a package of its own, so the main package and its CI
// build do not change. Build and run them with `scripts/fuzz` (see Fuzz/README.md); the flags
// must be exactly those (`--sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc
// -parse-as-library`), or nothing is instrumented or the link fails.

import PackageDescription

/// The main package's identity is the name of its folder (a path dependency), which is not
/// always "main" (CI checks the repository out under another name): read it from this file's path.
let mainPackage: String = {
    let parts = "\(#filePath)".split(separator: "/")
    return parts.count >= 3 ? String(parts[parts.count - 3]) : "main"
}()

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

/// One fuzz target: an executable whose folder is Sources/NAME, with the libFuzzer entry point.
func fuzzTarget(_ name: String, _ products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + extra + products.map { .product(name: $0, package: mainPackage) },
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "transit-fuzz",
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: swiftSettings),
        // The sample pricer shared by the trip-log and service-body targets.
        .target(name: "FuzzPricing",
                dependencies: ["FuzzSupport"] + ["Carbon", "GTFS", "TransitNetwork"].map { .product(name: $0, package: mainPackage) },
                swiftSettings: swiftSettings),
        fuzzTarget("FuzzZip", ["ZipArchive"]),
        fuzzTarget("FuzzTable", ["GTFS"]),
        fuzzTarget("FuzzFeed", ["GTFS"]),
        fuzzTarget("FuzzFeedLarge", ["GTFS"]),
        fuzzTarget("FuzzTripLog", ["Carbon", "GTFS", "TransitNetwork", "Ridership"], extra: ["FuzzPricing"]),
        fuzzTarget("FuzzPlan", ["Timetable"]),
        fuzzTarget("FuzzRidership", ["Ridership", "GTFS", "TransitNetwork"]),
        fuzzTarget("FuzzModel", ["Solver"]),
        fuzzTarget("FuzzServiceBodies", ["CarbonService", "Carbon", "GTFS", "TransitNetwork"], extra: ["FuzzPricing"]),
    ]
)
