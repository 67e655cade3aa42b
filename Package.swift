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
        .target(
            name: "CoordMigrate",
            dependencies: [
                "CCmark",
                "CLibXML2",
                "CSQLite",
                "CLibPQ",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: [],
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
        .executableTarget(
            name: "coord-migrate",
            dependencies: [
                "CoordMigrate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictImports
        ),
        .testTarget(
            name: "CoordMigrateTests",
            dependencies: ["CoordMigrate", "CCmark", "CLibXML2", "CSQLite", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictImports
        ),
        .testTarget(
            name: "CoordMigrateCLITests",
            dependencies: ["CoordMigrate"],
            swiftSettings: strictImports
        ),
    ]
)
