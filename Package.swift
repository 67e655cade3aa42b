// swift-tools-version:6.0
import PackageDescription

let strictImports: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "coord-migrate",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "CoordMigrate", targets: ["CoordMigrate"]),
        .executable(name: "coord-migrate", targets: ["coord-migrate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Database-backed systems are measured read-only through the system's own
        // client libraries: no Swift dependency (and no SwiftNIO build) is added.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Only libpq's header is compiled in; the library itself is opened with
        // dlopen when a PostgreSQL database is measured (Database/LibPQ.swift), so no
        // pkg-config entry: that would link it (and its 23 dependencies) into every run.
        .systemLibrary(
            name: "CLibPQ",
            providers: [.apt(["libpq-dev"])]
        ),
        // The pipeline, one target per stage, each depending only on those before it:
        // Model ← Scan ← Detect ← Analysis;  Model ← Emit;  Settings reads the tool's own
        // files into Detect and Analysis types;  CoordMigrate is the façade users import.
        // A backwards edge fails to compile; scripts/check-architecture.py checks the order.
        .target(
            name: "CoordMigrateModel",
            swiftSettings: strictImports
        ),
        .target(
            name: "CoordMigrateScan",
            dependencies: ["CoordMigrateModel"],
            swiftSettings: strictImports
        ),
        .target(
            name: "CoordMigrateDetect",
            dependencies: [
                "CoordMigrateModel", "CoordMigrateScan", "CSQLite", "CLibPQ",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictImports
        ),
        .target(
            name: "CoordMigrateAnalysis",
            dependencies: ["CoordMigrateModel"],
            swiftSettings: strictImports
        ),
        .target(
            name: "CoordMigrateEmit",
            dependencies: [
                "CoordMigrateModel", "CCmark", "CLibXML2",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [
                // The editable defaults live in the top-level templates/ folder
                // (this is a symlink to it); they are compiled into the binary so
                // it works when copied alone.
                .embedInCode("templates/report.md.mustache"),
                .embedInCode("templates/report.html.mustache"),
                .embedInCode("templates/report.css"),
            ],
            swiftSettings: strictImports
        ),
        .target(
            name: "CoordMigrateSettings",
            dependencies: [
                "CoordMigrateModel", "CoordMigrateDetect", "CoordMigrateAnalysis",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictImports
        ),
        .target(
            name: "CoordMigrate",
            dependencies: [
                "CoordMigrateModel", "CoordMigrateScan", "CoordMigrateDetect", "CoordMigrateAnalysis",
                "CoordMigrateEmit", "CoordMigrateSettings",
            ],
            swiftSettings: strictImports
        ),
        .executableTarget(
            name: "coord-migrate",
            dependencies: [
                "CoordMigrate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictImports
        ),
        // Helpers both test targets share (temporary trees, running programs and the
        // built tool, the package's paths, the fixed clock); no product depends on it.
        .target(
            name: "CoordMigrateTestSupport",
            dependencies: ["CoordMigrate"],
            path: "Tests/CoordMigrateTestSupport",
            swiftSettings: strictImports
        ),
        .testTarget(
            name: "CoordMigrateTests",
            dependencies: [
                "CoordMigrateTestSupport",
                "CoordMigrate", "CoordMigrateModel", "CoordMigrateScan", "CoordMigrateDetect", "CoordMigrateAnalysis",
                "CoordMigrateEmit", "CoordMigrateSettings", "CCmark", "CLibXML2", "CSQLite",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictImports
        ),
        .testTarget(
            name: "CoordMigrateCLITests",
            dependencies: ["CoordMigrateTestSupport", "CoordMigrate", "CoordMigrateModel", "CoordMigrateEmit"],
            exclude: ["Fixtures"],
            swiftSettings: strictImports
        ),
    ]
)
