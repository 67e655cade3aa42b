public import Foundation

/// The root of the package, found from this file's location.
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // CoordMigrateTestSupport
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// A bundled sample system, e.g. `agent-bridge`.
public func sampleURL(_ name: String) -> URL {
    packageRoot.appendingPathComponent("samples").appendingPathComponent(name)
}
