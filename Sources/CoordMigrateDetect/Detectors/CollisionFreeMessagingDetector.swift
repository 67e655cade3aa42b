import CoordMigrateModel
import CoordMigrateScan

/// `collision-free-messaging`: message file names carry a UUID.
final class CollisionFreeMessagingDetector: MessageNameDetector, PatternDetector {
    static let pattern: PatternID = .collisionFreeMessaging

    init() {
        super.init(pattern: .collisionFreeMessaging, what: "a UUID", noun: "UUID", signal: .uuidNames) { $0.idMarks.uuid }
    }
}
