import CoordMigrateModel
import CoordMigrateScan
/// Finds the event log: `events.log` or `events.jsonl` files, `event_log/` or `events/` folders, at the root,
/// or an event table in the system's database (see ``DatabaseStep``).
final class EventLogDetector: BuiltInDetector {
    private var found: [Evidence] = []

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        // At the root, or in a hidden folder at the root such as `.agency/`.
        guard entry.depth == 1 || (entry.depth == 2 && entry.path.hasPrefix(".")) else { return }
        if entry.depth == 2, entry.isDirectoryLike, entry.name == "journal" {
            found.append(Evidence(subject: .eventLog, kind: .disk, path: entry.path + "/", detail: "journal folder" + entry.kindNote))
        } else if entry.depth == 2, entry.isFileLike, ["events.log", "events.jsonl", "events.ndjson"].contains(entry.name) {
            found.append(Evidence(subject: .eventLog, kind: .disk, path: entry.path, detail: "event log file" + entry.kindNote))
        }
        guard entry.depth == 1 else { return }
        if entry.isDirectoryLike, entry.name == "journal" {
            found.append(Evidence(subject: .eventLog, kind: .disk, path: entry.path + "/", detail: "journal folder" + entry.kindNote))
        } else if entry.isFileLike, entry.name == "events.ndjson" {
            found.append(Evidence(subject: .eventLog, kind: .disk, path: entry.path, detail: "event log file" + entry.kindNote))
        } else if entry.isFileLike, entry.name == "events.log" || entry.name == "events.jsonl" {
            found.append(Evidence(subject: .eventLog, kind: .disk, path: entry.path, detail: "event log file" + entry.kindNote))
        } else if entry.isDirectoryLike, entry.name == "event_log" || entry.name == "events" {
            found.append(Evidence(subject: .eventLog, kind: .disk, path: entry.path + "/", detail: "event log folder" + entry.kindNote))
        }
    }

    func decide(_ inventory: WalkInventory, _ facts: inout SystemFacts, _ output: inout PhaseOutput) {
        // An event table in the system's database is the event log too.
        let tables = inventory.database.map { database in
            database.tables(.events).map { table in
                Evidence(
                    subject: .eventLog, kind: .database, path: database.location(of: table),
                    detail: "event table, \(table.rows.map { plural($0, "row") } ?? "rows not counted") (matched by \(table.matchedBy))")
            }
        } ?? []
        if found.isEmpty && tables.isEmpty {
            // No log on disk: an event table the code creates and inserts into, or a
            // program that appends to a log file, is evidence of it. A table only declared is not.
            found = inventory.declaredSchema.eventTables.compactMap { table in
                table.insert.map {
                    Evidence(subject: .eventLog, kind: .code, path: $0.path, line: $0.line,
                             detail: "inserts into event table \(table.name) (created at \(table.evidence.location))")
                }
            }
            if found.isEmpty { found = inventory.codeEvidence(.eventAppend, as: .eventLog) }
        }
        found += tables
        facts.hasEventLog = !found.isEmpty
        facts.eventLogEvidence = found
        output.add(found)
    }
}
