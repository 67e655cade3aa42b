import CoordMigrateModel
import CoordMigrateScan

/// `content-addressed-dag`: message file names carry a SHA-256 digest (64 hex digits).
final class ContentAddressedDAGDetector: MessageNameDetector, PatternDetector {
    static let pattern: PatternID = .contentAddressedDAG

    init() {
        super.init(pattern: .contentAddressedDAG, what: "a SHA-256 digest", noun: "SHA-256 digest", signal: .digestNames) { $0.idMarks.sha256 }
    }
}
