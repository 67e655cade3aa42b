/// What was measured, read-only, in the database a database-backed system keeps
/// its messages and events in: the volume the data migration has to move.
///
/// Present in ``DetectionResult/database`` only when a database was read; a
/// tree without a database (or a run with `--no-database`) has none, and its
/// report is the same as before databases were measured.
public struct DatabaseMeasurement: Codable, Sendable, Hashable {
    /// The engine: `sqlite` or `postgresql`.
    public var engine: String
    /// Where the data was read: the SQLite file (relative to the analysed root when
    /// inside it) or the PostgreSQL URL with any password replaced by `***`.
    public var location: String
    /// Where the connection came from: the agent configuration file that declares
    /// it (`config.yaml`), or `--database-url`.
    public var source: String
    /// True when the session was checked to be read-only (SQLite opened read-only,
    /// PostgreSQL `transaction_read_only = on`). It is never false in a report: a
    /// session that cannot be made read-only is closed unread.
    public var readOnly: Bool
    /// Base tables seen (at most ``DatabaseProbe/tableLimit`` are examined).
    public var tablesExamined: Int
    /// The tables that hold messages or events, by name.
    public var tables: [DatabaseTable]
    /// Rows in the message tables; absent when a table's rows could not be counted
    /// (a count that timed out is unknown, not zero; a warning says which).
    public var messageRows: Int?
    /// Rows in the event tables; absent likewise.
    public var eventRows: Int?
    /// Messages per day: the messages of the last 7 days before the report time
    /// divided by 7; when none is that recent, all messages divided by the days
    /// they span. Absent when no message table has a timestamp column.
    public var messagesPerDay: Int?
    /// How ``messagesPerDay`` was computed, in a sentence.
    public var messagesPerDayBasis: String
    /// Distinct senders and recipients in the message tables; absent when they
    /// have no sender or recipient column.
    public var agents: Int?
    /// The oldest and newest timestamps in the message and event tables (ISO 8601, UTC).
    public var firstTimestamp: String?
    /// The newest of them; absent when no timestamp was read.
    public var lastTimestamp: String?
    /// Bytes the message and event tables (with their indexes) occupy; absent
    /// when the engine cannot tell.
    public var dataBytes: Int?
    /// Bytes of the whole database (the SQLite file, or `pg_database_size`).
    public var databaseBytes: Int?

    /// Creates a measurement; each value means what the property of the same name says.
    package init(
        engine: String, location: String, source: String, readOnly: Bool, tablesExamined: Int, tables: [DatabaseTable],
        messageRows: Int?, eventRows: Int?, messagesPerDay: Int?, messagesPerDayBasis: String, agents: Int?,
        firstTimestamp: String? = nil, lastTimestamp: String? = nil, dataBytes: Int?, databaseBytes: Int?
    ) {
        self.engine = engine
        self.location = location
        self.source = source
        self.readOnly = readOnly
        self.tablesExamined = tablesExamined
        self.tables = tables
        self.messageRows = messageRows
        self.eventRows = eventRows
        self.messagesPerDay = messagesPerDay
        self.messagesPerDayBasis = messagesPerDayBasis
        self.agents = agents
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.dataBytes = dataBytes
        self.databaseBytes = databaseBytes
    }

    /// Rows to move: messages and events; nil when a table was not counted.
    package var rowsToMove: Int? {
        guard let messageRows, let eventRows else { return nil }
        return messageRows + eventRows
    }

    /// The message and event tables, by role.
    package func tables(_ role: DatabaseTable.Role) -> [DatabaseTable] { tables.filter { $0.role == role } }

    /// `data/workflow.db#messages`: a table inside the database, as evidence paths name it.
    package func location(of table: DatabaseTable) -> String { "\(location)#\(table.name)" }

    /// "612 rows, 98,304 bytes (96 KiB)", the volume the data migration moves.
    public var volumeSummary: String {
        let uncounted = tables.filter { $0.rows == nil }.count
        let rows = rowsToMove.map { plural($0, "row") }
            ?? "rows unknown (\(uncounted) of \(plural(tables.count, "table")) could not be counted)"
        guard let bytes = dataBytes else { return rows }
        return "\(rows), \(ByteCount.describe(bytes))"
    }
}

/// A table that holds messages or events.
public struct DatabaseTable: Codable, Sendable, Hashable {
    /// What a table holds.
    public enum Role: String, Codable, Sendable, CaseIterable {
        /// Messages between agents.
        case messages
        /// Entries of an event log.
        case events
    }

    /// The table's name (`schema.table` outside PostgreSQL's `public` schema).
    public var name: String
    /// Whether the table holds messages or events.
    public var role: Role
    /// Why the table was taken for messages or events: `name`, or the columns that gave it away.
    public var matchedBy: String
    /// Rows in the table; absent when counting failed (a warning says why).
    public var rows: Int?
    /// Bytes the table and its indexes occupy; absent when the engine cannot tell.
    public var bytes: Int?
    /// The column the time of each row was read from, if one was found.
    public var timestampColumn: String?
    /// Rows whose time falls in the 7 days before the report time.
    public var recentRows: Int?

    /// Creates a table description; each value means what the property of the same name says.
    package init(
        name: String, role: Role, matchedBy: String, rows: Int?, bytes: Int?, timestampColumn: String?, recentRows: Int?
    ) {
        self.name = name
        self.role = role
        self.matchedBy = matchedBy
        self.rows = rows
        self.bytes = bytes
        self.timestampColumn = timestampColumn
        self.recentRows = recentRows
    }
}

/// Byte counts as people read them.
package enum ByteCount {
    /// 98304 → "98,304 bytes (96 KiB)"; 512 → "512 bytes".
    package static func describe(_ bytes: Int) -> String {
        let exact = "\(grouped(bytes)) bytes"
        guard bytes >= 1024 else { return exact }
        return "\(exact) (\(binary(bytes)))"
    }

    /// 98304 → "96 KiB", 1_572_864 → "1.5 MiB".
    package static func binary(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        let text = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
        return "\(text) \(units[unit])"
    }

    /// 1234567 → "1,234,567".
    package static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }
}
