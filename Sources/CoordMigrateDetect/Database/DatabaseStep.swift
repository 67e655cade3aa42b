import CoordMigrateModel
import CoordMigrateScan
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The database phase, between the inventory and the facts: finds the database the
/// configuration declares (or `--database-url` names), measures it read-only, and
/// returns the inventory with the measurement for the phases that use it (message
/// system, event log, scale) and for the planner.
///
/// Any failure is a warning; the file-based analysis goes on. No password ever
/// reaches a warning: every message is scrubbed of the target's secrets. The
/// whole phase has one deadline (``DatabaseOptions/deadline``), kept by the
/// caller's thread whatever the server or the name lookup does: the measuring
/// runs on a thread of its own, and past the deadline its result is dropped.
package enum DatabaseStep {
    /// What the phase found, handed back to the detection context in one piece.
    struct Outcome: Sendable {
        var warnings: [ScanWarning] = []
        var evidence: [Evidence] = []
        var measurement: DatabaseMeasurement?
        /// Set when `--database-url` makes a system database-backed that no configuration declares.
        var declaredType: String?
    }

    /// The database phase: inventory → inventory with the measurement, and what it adds to the report.
    static func run(
        _ options: DatabaseOptions, inventory: WalkInventory, root: String, now: Date
    ) -> (inventory: WalkInventory, outcome: Outcome) {
        let resolved = DatabaseResolver.resolve(options, documents: inventory.configDocuments, root: root)
        var outcome = Outcome()
        var inventory = inventory
        switch resolved {
        case .none:
            break
        case let .unusable(warning):
            outcome.warnings.append(warning)
        case let .target(target, source, warningPath):
            if source == "--database-url" {
                let declared = inventory.configDocuments.contains {
                    AgentConfigSummary($0.document, isAgentsFile: false).declaresDatabase
                }
                if !declared {
                    outcome.declaredType = target.engine
                    outcome.evidence.append(Evidence(
                        subject: .messageSystem, kind: .database, path: target.display,
                        detail: "database given with --database-url (\(target.engine))"))
                }
            }
            let location = target.location(relativeTo: root)
            let measured = withDeadline(options.deadline) {
                measure(target, source: source, warningPath: warningPath, options: options, root: root, now: now)
            }
            if let measured {
                outcome.warnings += measured.warnings
                outcome.evidence += measured.evidence
                outcome.measurement = measured.measurement
            } else {
                outcome.warnings.append(ScanWarning(
                    path: warningPath,
                    message: DatabaseSecrets.scrub(
                        "database \(location) (\(target.engine)): not measured: no answer within \(Self.seconds(options.deadline)) (--database-timeout SECONDS sets this limit); the analysis goes on without it",
                        secrets: target.secrets)))
            }
        }
        inventory.database = outcome.measurement
        return (inventory, outcome)
    }

    static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// Runs `work` on a thread of its own and waits for it at most `limit` seconds;
    /// nil when it did not finish in time (the thread is left to end on its own,
    /// and whatever it returns later is dropped).
    static func withDeadline<T: Sendable>(_ limit: TimeInterval, _ work: @escaping @Sendable () -> T) -> T? {
        let box = DeadlineBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let value = work()
            box.lock.withLock { box.value = value }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        guard done.wait(timeout: .now() + max(0, limit)) == .success else { return nil }
        return box.lock.withLock { box.value }
    }

    static func measure(
        _ target: DatabaseTarget, source: String, warningPath: String, options: DatabaseOptions, root: String, now: Date
    ) -> Outcome {
        var outcome = Outcome()
        let location = target.location(relativeTo: root)
        func warn(_ message: String) {
            outcome.warnings.append(ScanWarning(
                path: warningPath,
                message: DatabaseSecrets.scrub("database \(location) (\(target.engine)): \(message)", secrets: target.secrets)))
        }
        let session: any DatabaseSession
        do {
            switch target {
            case let .sqlite(path, _, treeRoot):
                let sqlite = try SQLiteSession(
                    path: path, treeRoot: treeRoot, busyTimeout: options.connectTimeout,
                    statementTimeout: options.statementTimeout)
                for note in sqlite.notes { warn(note) }
                session = sqlite
            case let .postgresql(server):
                session = try PostgresSession(
                    target: server, connectTimeout: options.connectTimeout, statementTimeout: options.statementTimeout)
            }
        } catch {
            warn("\(error.message); the analysis goes on without it")
            return outcome
        }
        defer { session.close() }
        do {
            let (measurement, notes) = try DatabaseProbe.measure(
                session, engine: target.engine, location: location, source: source, now: now,
                budget: min(DatabaseProbe.budget, options.deadline))
            for note in notes { warn(note) }
            if measurement.tables.isEmpty {
                warn("no table that holds messages or events was found among \(plural(measurement.tablesExamined, "table"))")
            }
            outcome.measurement = measurement
            outcome.evidence += measurement.tables(.messages).map { table in
                Evidence(
                    subject: .messageSystem, kind: .database, path: measurement.location(of: table),
                    detail: "message table, \(table.rows.map { plural($0, "row") } ?? "rows not counted") (matched by \(table.matchedBy))")
            }
        } catch {
            warn("\(error.message); the analysis goes on without it")
        }
        return outcome
    }
}

/// The value a deadline-bound thread hands back, behind a lock.
private final class DeadlineBox<T>: @unchecked Sendable {
    let lock = NSLock()
    var value: T?
}

extension DatabaseTarget {
    /// The location written into the report: an SQLite file relative to the root when
    /// inside it, else as given; a PostgreSQL URL with its password masked.
    func location(relativeTo root: String) -> String {
        switch self {
        case let .sqlite(path, display, _):
            // A path built from an environment variable is shown as the tree wrote it, masked.
            if display.contains("***") { return display }
            let prefix = root.hasSuffix("/") ? root : root + "/"
            return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : display
        case let .postgresql(target):
            return target.display
        }
    }
}
