public import CoordMigrateModel
public import CoordMigrateScan
/// `priority-queue`: `inbox/priority/`, `queue/high/`, `queue/priority/` or `priority/`.
final class PriorityQueueDetector: LaneDetector, PatternDetector {
    static let pattern: PatternID = .priorityQueue

    init() {
        super.init(
            pattern: .priorityQueue, folders: ["inbox/priority", "queue/high", "queue/priority", "priority"],
            names: ["priority", "urgent", "high-priority"], signal: .priorityLane, lane: "priority")
    }

    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        let lane = decideLane(inventory, &output)
        return finding(present: lane.present, summary: lane.summary, kinds: lane.kinds)
    }
}
