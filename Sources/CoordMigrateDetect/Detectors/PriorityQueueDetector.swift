import CoordMigrateModel
import CoordMigrateScan
/// `priority-queue`: `inbox/priority/`, `queue/high/`, `queue/priority/` or `priority/`.
final class PriorityQueueDetector: LaneDetector, PatternDetector {
    static let pattern: PatternID = .priorityQueue

    init() {
        super.init(
            pattern: .priorityQueue, folders: ["inbox/priority", "queue/high", "queue/priority", "priority"],
            names: ["priority", "urgent", "high-priority"], signal: .priorityLane, lane: "priority")
    }
}
