import CoordMigrateModel
import CoordMigrateScan
import Foundation

/// Why a database could not be read (the text is scrubbed of secrets before it is shown).
struct DatabaseError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A base table and its columns.
struct TableSchema {
    /// nil for SQLite; the schema in PostgreSQL.
    var schema: String?
    var name: String
    var columns: [ColumnSchema]

    /// `events`, or `audit.events` outside PostgreSQL's `public` schema.
    var displayName: String {
        if let schema, schema != "public" { "\(schema).\(name)" } else { name }
    }

    /// The table as SQL names it, every part double-quoted.
    var quoted: String {
        (schema.map { DatabaseProbe.quoteIdentifier($0) + "." } ?? "") + DatabaseProbe.quoteIdentifier(name)
    }
}

struct ColumnSchema {
    var name: String
    /// The declared type, lower-cased (`text`, `timestamp with time zone`, …).
    var type: String
}

/// A read-only session on one database. Every engine's session is opened
/// read-only before it is handed out and refuses to stay open otherwise.
protocol DatabaseSession: AnyObject {
    /// Rows as text (nil for NULL). `parameters` are bound as text.
    func rows(_ sql: String, _ parameters: [String]) throws(DatabaseError) -> [[String?]]
    /// Base tables with their columns, by name; at most `limit`, and how many there are.
    func tables(limit: Int) throws(DatabaseError) -> (tables: [TableSchema], total: Int)
    /// Bytes a table and its indexes occupy, if the engine can tell.
    func bytes(of table: TableSchema) -> Int?
    /// Bytes of the whole database, if the engine can tell.
    func databaseBytes() -> Int?
    /// An SQL expression giving the column's value as seconds since 1970 (a number),
    /// or nil when the column cannot hold a time.
    func epochSeconds(_ column: ColumnSchema) -> String?
    /// Whether the engine confirms that nothing can be written in this session.
    func isReadOnly() -> Bool
    /// Ends the read-only transaction and closes the connection.
    func close()
}

/// What the probe measures in any engine: which tables hold messages and events,
/// their rows and size, messages per day against the report time, distinct agents.
enum DatabaseProbe {
    /// Tables examined for names and columns.
    static let tableLimit = 500
    /// Tables measured (counted) at most.
    static let measuredLimit = 20
    /// The whole measurement stops starting new statements after this many seconds.
    static let budget: TimeInterval = 30
    static let recentWindow: TimeInterval = 7 * 24 * 60 * 60

    static let messageNames: Set<String> = [
        "messages", "message", "msgs", "msg", "inbox", "inboxes", "mailbox", "mailboxes", "outbox", "mail", "mails",
        "chat_messages", "agent_messages", "message_queue", "messagequeue", "outbox_messages", "inbox_messages",
    ]
    static let eventNames: Set<String> = [
        "events", "event", "event_log", "event_logs", "eventlog", "events_log", "event_store", "eventstore",
        "event_stream", "journal", "audit_log", "audit_events", "activity_log", "domain_events",
    ]
    static let senderColumns = [
        "sender", "from", "from_agent", "sender_id", "sender_agent", "sender_name", "source_agent", "author", "from_id",
    ]
    static let recipientColumns = [
        "recipient", "to", "to_agent", "recipient_id", "recipient_agent", "recipient_name", "target_agent", "receiver",
        "to_id", "destination",
    ]
    static let bodyColumns = ["body", "content", "payload", "text", "message", "subject"]
    static let eventColumns = ["event_type", "event_name", "event", "kind", "event_kind"]
    /// Timestamp columns, most telling first.
    static let timestampColumns = [
        "created_at", "sent_at", "occurred_at", "timestamp", "ts", "inserted_at", "received_at", "logged_at",
        "event_time", "created", "sent", "time", "date", "at", "updated_at",
    ]

    /// The role a table plays, and why; nil for tables that hold neither.
    static func classify(_ table: TableSchema) -> (role: DatabaseTable.Role, matchedBy: String)? {
        let name = table.name.lowercased()
        if eventNames.contains(name) { return (.events, "name") }
        if messageNames.contains(name) { return (.messages, "name") }
        let columns = Set(table.columns.map { $0.name.lowercased() })
        let sender = senderColumns.first { columns.contains($0) }
        let recipient = recipientColumns.first { columns.contains($0) }
        let body = bodyColumns.first { columns.contains($0) }
        if let sender, let recipient { return (.messages, "columns \(sender), \(recipient)") }
        if let party = sender ?? recipient, let body { return (.messages, "columns \(party), \(body)") }
        if name.contains("event") { return (.events, "name") }
        if name.contains("message") || name.contains("inbox") || name.contains("mailbox") { return (.messages, "name") }
        if let event = eventColumns.first(where: { columns.contains($0) }),
            let time = timestampColumns.first(where: { columns.contains($0) })
        {
            return (.events, "columns \(event), \(time)")
        }
        return nil
    }

    /// The rows of `tables` added up; nil when any of them was not counted (a count
    /// that timed out is unknown, not zero).
    static func total(_ tables: [DatabaseTable]) -> Int? {
        var sum = 0
        for table in tables {
            guard let rows = table.rows else { return nil }
            sum += rows
        }
        return sum
    }

    static func timestampColumn(of table: TableSchema) -> ColumnSchema? {
        for name in timestampColumns {
            if let column = table.columns.first(where: { $0.name.lowercased() == name }) { return column }
        }
        return nil
    }

    static func quoteIdentifier(_ name: String) -> String { SQLText.quoteIdentifier(name) }

    /// A number as an SQL literal (never a parameter: SQLite compares text and numbers by type).
    static func literal(_ value: Double) -> String {
        String(format: "%.3f", value)
    }

    /// Measures the open session. Problems that leave a number unknown are returned as notes.
    static func measure(
        _ session: any DatabaseSession, engine: String, location: String, source: String, now: Date,
        budget: TimeInterval = DatabaseProbe.budget
    ) throws(DatabaseError) -> (measurement: DatabaseMeasurement, notes: [String]) {
        let deadline = Date().addingTimeInterval(budget)
        var notes: [String] = []
        let (all, total) = try session.tables(limit: tableLimit)
        if total > all.count { notes.append("\(total) tables; only the first \(all.count) by name were examined") }
        var candidates = all.compactMap { table in classify(table).map { (table, $0.role, $0.matchedBy) } }
        if candidates.count > measuredLimit {
            notes.append("\(candidates.count) message and event tables; only the first \(measuredLimit) by name were measured")
            candidates = Array(candidates.prefix(measuredLimit))
        }

        let nowSeconds = now.timeIntervalSince1970
        let windowStart = nowSeconds - recentWindow
        var tables: [DatabaseTable] = []
        var first: Double?
        var last: Double?
        var timedMessages = 0
        var recentMessages = 0
        var spanFirst: Double?
        var spanLast: Double?
        var participants: [String] = []

        for (schema, role, matchedBy) in candidates {
            var table = DatabaseTable(
                name: schema.displayName, role: role, matchedBy: matchedBy, rows: nil, bytes: nil,
                timestampColumn: nil, recentRows: nil)
            defer { tables.append(table) }
            guard Date() < deadline else {
                notes.append("table \(schema.displayName) not measured: the \(DatabaseStep.seconds(budget)) budget was spent")
                continue
            }
            table.bytes = session.bytes(of: schema)
            do {
                let counted = try session.rows("SELECT count(*) FROM \(schema.quoted)", [])
                table.rows = counted.first?.first.flatMap { $0.flatMap { Int($0) } }
            } catch {
                notes.append("rows of table \(schema.displayName) not counted: \(error.message)")
            }
            if let column = timestampColumn(of: schema), let expression = session.epochSeconds(column) {
                let sql = """
                    SELECT count(e), min(e), max(e), \
                    sum(CASE WHEN e > \(literal(windowStart)) AND e <= \(literal(nowSeconds)) THEN 1 ELSE 0 END) \
                    FROM (SELECT \(expression) AS e FROM \(schema.quoted)) AS timed
                    """
                do {
                    let row = try session.rows(sql, []).first ?? []
                    let value = { (index: Int) in index < row.count ? row[index] : nil }
                    let timed = value(0).flatMap { Int($0) } ?? 0
                    if timed > 0 {
                        table.timestampColumn = column.name
                        table.recentRows = value(3).flatMap { Double($0) }.map { Int($0) } ?? 0
                        let low = value(1).flatMap(Double.init), high = value(2).flatMap(Double.init)
                        if let low { first = min(first ?? low, low) }
                        if let high { last = max(last ?? high, high) }
                        if role == .messages {
                            timedMessages += timed
                            recentMessages += table.recentRows ?? 0
                            if let low { spanFirst = min(spanFirst ?? low, low) }
                            if let high { spanLast = max(spanLast ?? high, high) }
                        }
                    } else if table.rows ?? 0 > 0 {
                        notes.append("table \(schema.displayName): column \(column.name) holds no readable times")
                    }
                } catch {
                    notes.append("times of table \(schema.displayName) not read: \(error.message)")
                }
            }
            if role == .messages {
                let columns = schema.columns.filter {
                    senderColumns.contains($0.name.lowercased()) || recipientColumns.contains($0.name.lowercased())
                }
                participants += columns.map { "SELECT CAST(\(quoteIdentifier($0.name)) AS TEXT) AS agent FROM \(schema.quoted)" }
            }
        }

        var agents: Int?
        if !participants.isEmpty, Date() < deadline {
            let sql = "SELECT count(*) FROM (\(participants.joined(separator: " UNION "))) AS participants WHERE agent IS NOT NULL AND agent <> ''"
            do {
                agents = try session.rows(sql, []).first?.first.flatMap { $0.flatMap { Int($0) } }
            } catch {
                notes.append("agents not counted: \(error.message)")
            }
        }

        let messageTables = tables.filter { $0.role == .messages }
        let cutoff = Timestamp.iso8601(now)
        let perDay: Int?
        let basis: String
        if messageTables.isEmpty {
            perDay = nil
            basis = "no message table found"
        } else if recentMessages > 0 {
            perDay = recentMessages / 7
            basis = "\(plural(recentMessages, "message")) in the 7 days before \(cutoff), divided by 7"
        } else if timedMessages > 0, let low = spanFirst, let high = spanLast {
            let days = max(1, Int(((high - low) / 86_400).rounded(.up)))
            perDay = timedMessages / days
            basis = "none in the 7 days before \(cutoff): \(plural(timedMessages, "message")) over the \(plural(days, "day")) they span"
        } else {
            perDay = nil
            basis = "no message table has a readable timestamp column"
        }
        let sizes = tables.map(\.bytes)
        let measurement = DatabaseMeasurement(
            engine: engine, location: location, source: source, readOnly: session.isReadOnly(),
            tablesExamined: all.count,
            tables: tables.sorted { ($0.role.rawValue, $0.name) < ($1.role.rawValue, $1.name) },
            messageRows: Self.total(messageTables),
            eventRows: Self.total(tables.filter { $0.role == .events }),
            messagesPerDay: perDay, messagesPerDayBasis: basis, agents: agents,
            // Engines compute times in floating point (SQLite through Julian days): to the nearest second.
            firstTimestamp: first.map { Timestamp.iso8601(Date(timeIntervalSince1970: $0.rounded())) },
            lastTimestamp: last.map { Timestamp.iso8601(Date(timeIntervalSince1970: $0.rounded())) },
            dataBytes: sizes.isEmpty || sizes.contains(nil) ? nil : sizes.compactMap { $0 }.reduce(0, +),
            databaseBytes: Date() < deadline ? session.databaseBytes() : nil)
        return (measurement, notes)
    }
}
