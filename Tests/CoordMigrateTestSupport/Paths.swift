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

/// Every sample folder in samples/ (all but expected/, the recorded reports, and hidden names), sorted.
public func sampleNames() -> [String] {
    let samples = packageRoot.appendingPathComponent("samples")
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
    return entries.filter { name in
        var isDirectory: ObjCBool = false
        return name != "expected" && !name.hasPrefix(".")
            && FileManager.default.fileExists(atPath: samples.appendingPathComponent(name).path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }.sorted()
}
