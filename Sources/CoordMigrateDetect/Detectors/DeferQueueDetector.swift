import CoordMigrateModel
import CoordMigrateScan
/// `defer-queue`: `inbox/defer/`, `defer/`, `defer-queue/` or `queue/defer/`.
final class DeferQueueDetector: LaneDetector, PatternDetector {
    static let pattern: PatternID = .deferQueue

    init() {
        super.init(
            pattern: .deferQueue, folders: ["inbox/defer", "defer", "defer-queue", "queue/defer"],
            names: ["defer", "deferred", "defer-queue"], signal: .deferLane, lane: "defer")
    }
}
