import CoordMigrateModel
import Foundation

/// Progress of a running scan, for live displays; reported every few thousand entries.
public struct ScanProgress: Sendable {
    /// Entries seen so far.
    public var entries: Int
    /// The folder being listed, relative to the root.
    public var currentFolder: String
    /// Time since the walk started.
    public var elapsed: Duration
}
