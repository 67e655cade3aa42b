import Foundation

/// Runs between the walk and the detectors' `finish`: finds the database the
/// configuration declares (or `--database-url` names), measures it read-only,
/// and leaves the measurement in the context for the detectors that use it
/// (message system, event log, scale) and for the planner.
///
/// Any failure is a warning; the file-based analysis goes on. No password ever
/// reaches a warning: every message is scrubbed of the target's secrets.
enum DatabaseStep {
    static func run(_ options: DatabaseOptions, context: DetectionContext) {
        switch DatabaseResolver.resolve(options, documents: context.configDocuments, root: context.root) {
        case .none:
            return
        case let .unusable(warning):
            context.addWarning(warning)
        case let .target(target, source, warningPath):
            if source == "--database-url" {
                declareFromURL(engine: target.engine, display: target.display, context: context)
            }
            measure(target, source: source, warningPath: warningPath, options: options, context: context)
        }
    }

    /// `--database-url` says the system is database-backed even when no configuration declares it.
    private static func declareFromURL(engine: String, display: String, context: DetectionContext) {
        let declared = context.configDocuments.contains {
            AgentConfigSummary($0.document, isAgentsFile: false).declaresDatabase
        }
        guard !declared else { return }
        context.databaseType = engine
        context.addEvidence(Evidence(
            subject: "message-system", kind: .database, path: display, detail: "database given with --database-url (\(engine))"))
    }

    static func measure(
        _ target: DatabaseTarget, source: String, warningPath: String, options: DatabaseOptions, context: DetectionContext
    ) {
        let location = target.location(relativeTo: context.root)
        func warn(_ message: String) {
            context.addWarning(ScanWarning(
                path: warningPath,
                message: DatabaseSecrets.scrub("database \(location) (\(target.engine)): \(message)", secrets: target.secrets)))
        }
        let session: any DatabaseSession
        do {
            switch target {
            case let .sqlite(path, _, followSymlinks):
                session = try SQLiteSession(
                    path: path, followSymlinks: followSymlinks, busyTimeout: options.connectTimeout,
                    statementTimeout: options.statementTimeout)
            case let .postgresql(server):
                session = try PostgresSession(
                    target: server, connectTimeout: options.connectTimeout, statementTimeout: options.statementTimeout)
            }
        } catch {
            warn("\(error.message); the analysis goes on without it")
            return
        }
        defer { session.close() }
        do {
            let (measurement, notes) = try DatabaseProbe.measure(
                session, engine: target.engine, location: location, source: source, now: context.now)
            for note in notes { warn(note) }
            if measurement.tables.isEmpty {
                warn("no table that holds messages or events was found among \(plural(measurement.tablesExamined, "table"))")
            }
            context.database = measurement
            context.addEvidence(measurement.tables(.messages).map { table in
                Evidence(
                    subject: "message-system", kind: .database, path: measurement.location(of: table),
                    detail: "message table, \(table.rows.map { plural($0, "row") } ?? "rows not counted") (matched by \(table.matchedBy))")
            })
        } catch {
            warn("\(error.message); the analysis goes on without it")
        }
    }
}

extension DatabaseTarget {
    /// The location written into the report: an SQLite file relative to the root when
    /// inside it, else as given; a PostgreSQL URL with its password masked.
    func location(relativeTo root: String) -> String {
        switch self {
        case let .sqlite(path, display, _):
            let prefix = root.hasSuffix("/") ? root : root + "/"
            return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : display
        case let .postgresql(target):
            return target.display
        }
    }
}
