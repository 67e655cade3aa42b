import CoordMigrate
public import Foundation

/// The recorded reports of the samples (samples/expected/<sample>/) and how a fresh
/// report is made comparable to them.
public enum Snapshot {
    /// Set RECORD_SNAPSHOTS to rewrite the expected files from the current output.
    public static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"].map { !$0.isEmpty } ?? false }

    /// The recorded report of `sample` in `format` (md, json).
    public static func expectedURL(_ sample: String, format: String) -> URL {
        packageRoot.appendingPathComponent("samples/expected/\(sample)/migration-plan.\(format)")
    }

    /// Replaces the run-specific parts of a report with placeholders: the absolute
    /// sample path with ${ROOT}, the tool's version with ${VERSION}.
    public static func normalize(_ text: String, root: String) -> String {
        text.replacingOccurrences(of: root, with: "${ROOT}")
            .replacingOccurrences(of: coordMigrateVersion, with: "${VERSION}")
    }
}
