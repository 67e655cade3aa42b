@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import CSQLite
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds SQLite files for the tests through the C API, the way a real system
/// would have written them (rollback journal or WAL).
enum SQLiteFixture {
    /// Creates `path` and runs `sql` in it; the connection is closed afterwards
    /// (a WAL database then has no -wal file).
    static func create(_ path: String, _ sql: String, wal: Bool = false) throws {
        let db = try open(path)
        defer { sqlite3_close_v2(db) }
        if wal { try exec(db, "PRAGMA journal_mode = WAL") }
        try exec(db, sql)
    }

    /// A read-write connection, for writers kept open during a test.
    static func open(_ path: String) throws -> OpaquePointer {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
            throw TreeError("cannot create \(path)")
        }
        return db
    }

    static func exec(_ db: OpaquePointer, _ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "error"
            sqlite3_free(message)
            throw TreeError("sqlite: \(text)")
        }
    }

    static func scalar(_ path: String, _ sql: String) throws -> String? {
        let db = try open(path)
        defer { sqlite3_close_v2(db) }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw TreeError("prepare \(sql)") }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
        return sqlite3_column_text(statement, 0).map { String(cString: $0) }
    }

    /// `count` rows, one every `spacing` seconds back from `end`, as the SQL VALUES of
    /// (sender, recipient, body, created_at) with ISO 8601 times.
    static func messages(_ count: Int, end: Date, spacing: TimeInterval, agents: Int = 4) -> String {
        (1...count).map { i in
            let time = Timestamp.iso8601(end.addingTimeInterval(-Double(i) * spacing))
            return "('agent\(i % agents)', 'agent\((i + 1) % agents)', 'body \(i)', '\(time)')"
        }.joined(separator: ",\n")
    }

    /// A database like a real workflow's: messages with text times, events with
    /// Unix-second times, a table found by its columns, and one that holds neither.
    static let workflowSchema = """
        CREATE TABLE messages (id INTEGER PRIMARY KEY, sender TEXT, recipient TEXT, body TEXT, created_at TEXT);
        CREATE INDEX messages_recipient ON messages (recipient);
        CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT, occurred_at INTEGER);
        CREATE TABLE chat_log (id INTEGER PRIMARY KEY, from_agent TEXT, to_agent TEXT, said TEXT, ts REAL);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO settings VALUES ('mode', 'production');
        """

    static func workflow(_ path: String, wal: Bool = false) throws {
        let now = fixedNow.timeIntervalSince1970
        let events = (1...40).map { "('tick', \(Int(now) - $0 * 3600))" }.joined(separator: ", ")
        let chat = (1...10).map { "('bot\($0 % 2)', 'human', 'hi', \(now - Double($0) * 86_400 * 2))" }.joined(separator: ", ")
        try create(path, workflowSchema + """
            INSERT INTO messages (sender, recipient, body, created_at) VALUES
            \(messages(70, end: fixedNow.addingTimeInterval(-3600), spacing: 12 * 3600));
            INSERT INTO events (kind, occurred_at) VALUES \(events);
            INSERT INTO chat_log (from_agent, to_agent, said, ts) VALUES \(chat);
            """, wal: wal)
    }
}

/// Opens a session the way the analysis opens a file the tree names (its folder
/// taken as the tree), with the default timeouts.
func sqliteSession(_ path: String, statementTimeout: Int = 5) throws -> SQLiteSession {
    try SQLiteSession(
        path: path, treeRoot: (path as NSString).deletingLastPathComponent, busyTimeout: 5,
        statementTimeout: statementTimeout)
}

/// Analyses `tree` with the database options given (the clock fixed).
func analyze(_ tree: String, database: DatabaseOptions) throws -> MigrationReport {
    var options = AnalysisOptions(now: fixedNow, platform: "linux")
    options.database = database
    return try MigrationAssistant(path: tree, options: options).analyze()
}

@Suite("Database targets: configuration, URLs, secrets")
struct DatabaseTargetTests {
    @Test("passwords in URLs and keyword strings are masked as ***", arguments: [
        ("postgresql://app:s3cret@db:5432/work", "postgresql://app:***@db:5432/work"),
        ("postgres://app:p@ss@db/work?sslmode=require", "postgres://app:***@db/work?sslmode=require"),
        ("postgresql://app@db/work", "postgresql://app@db/work"),
        ("postgresql://db/work?user=app&password=s3cret&sslmode=require", "postgresql://db/work?user=app&password=***&sslmode=require"),
        ("host=db password='it\\'s secret' user=app", "host=db password=*** user=app"),
        ("could not connect to postgresql://a:b@h/d: refused", "could not connect to postgresql://a:***@h/d: refused"),
        ("sqlite:data/workflow.db", "sqlite:data/workflow.db"),
    ])
    func masking(_ input: String, _ expected: String) {
        #expect(DatabaseSecrets.mask(input) == expected)
    }

    @Test("scrub removes the secret values themselves, decoded too")
    func scrub() {
        let target = PostgresTarget(url: "postgresql://app:p%40ss-word@db/work")
        #expect(target.secrets.contains("p%40ss-word") && target.secrets.contains("p@ss-word"))
        let message = DatabaseSecrets.scrub("server said: bad password p@ss-word for p%40ss-word", secrets: target.secrets)
        #expect(!message.contains("p@ss-word") && !message.contains("p%40ss-word"))
        #expect(target.display == "postgresql://app:***@db/work")
    }

    @Test("--database-url: sqlite:PATH relative to the working folder, sqlite:///absolute, postgresql://")
    func parseURL() throws {
        #expect(try DatabaseTarget.parse(url: "sqlite:data/w.db", relativeTo: "/work")
                == .sqlite(path: "/work/data/w.db", display: "data/w.db", treeRoot: nil))
        #expect(try DatabaseTarget.parse(url: "sqlite:///srv/w.db", relativeTo: "/work")
                == .sqlite(path: "/srv/w.db", display: "/srv/w.db", treeRoot: nil))
        guard case let .postgresql(target) = try DatabaseTarget.parse(url: "postgres://u:pw-123@h:5433/d", relativeTo: "/") else {
            Issue.record("not postgresql")
            return
        }
        #expect(target.display == "postgres://u:***@h:5433/d")
        #expect(target.parameters.first?.key == "dbname", "libpq expands the URI itself")
    }

    @Test("an unsupported URL is refused without repeating its password", arguments: [
        "mysql://root:Tr0ub4dor-secret@db/x", "Tr0ub4dor-secret", "sqlite:",
    ])
    func badURL(_ url: String) {
        #expect(throws: DatabaseURLError.self) { try DatabaseOptions.validate(url: url) }
        do {
            try DatabaseOptions.validate(url: url)
        } catch {
            #expect(!error.description.contains("Tr0ub4dor"), "\(error.description)")
        }
    }

    @Test("${NAME} and ${NAME:-default} come from the environment; unset names are reported")
    func environment() {
        let env = ["HOST": "db.local", "EMPTY": ""]
        #expect(Environment.expand("${HOST}:${PORT:-5432}", in: env) == ("db.local:5432", []))
        #expect(Environment.expand("x${MISSING}y${EMPTY}", in: env) == ("xy", ["MISSING", "EMPTY"]))
        #expect(Environment.expand("no refs ${unclosed", in: env) == ("no refs ${unclosed", []))
    }

    /// Resolves `yaml`'s database as the analysis would. By default the user allowed
    /// the connection and every variable `env` holds (as `--connect-database
    /// --allow-env …` would); `connect` and `allow` narrow that.
    func resolve(
        _ yaml: String, env: [String: String] = [:], url: String? = nil, enabled: Bool = true, connect: Bool = true,
        allow: Set<String>? = nil
    ) throws -> DatabaseResolver.Outcome {
        let document = ConfigDocument(path: "config.yaml", document: try ConfigParser.parseYAML(yaml))
        let options = DatabaseOptions(
            enabled: enabled, url: url, allowTreeConnection: connect, expandableVariables: allow ?? Set(env.keys),
            environment: env, workingDirectory: "/cwd")
        return DatabaseResolver.resolve(options, documents: [document], root: "/root")
    }

    @Test("the configuration's database: sqlite path relative to the root; postgresql settings with ${ENV}")
    func fromConfig() throws {
        #expect(try resolve("database: {type: sqlite, path: data/workflow.db}")
                == .target(.sqlite(path: "/root/data/workflow.db", display: "data/workflow.db", treeRoot: "/root"),
                           source: "config.yaml", warningPath: "config.yaml"))
        let outcome = try resolve("""
            database:
              type: postgresql
              host: ${DB_HOST}
              port: 5432
              dbname: workflow
              user: app
              password: ${DB_PASSWORD}
            """, env: ["DB_HOST": "127.0.0.1", "DB_PASSWORD": "expanded-secret"])
        guard case let .target(.postgresql(target), source, _) = outcome else {
            Issue.record("expected a PostgreSQL target, got \(outcome)")
            return
        }
        #expect(source == "config.yaml")
        // Whatever came from the environment is masked, the host too.
        #expect(target.display == "postgresql://app:***@***:5432/workflow")
        #expect(target.parameters.contains(.init(key: "password", value: "expanded-secret")))
        #expect(target.parameters.contains(.init(key: "host", value: "127.0.0.1")))
        #expect(Set(target.secrets) == ["expanded-secret", "127.0.0.1"])
        #expect(target.fromTree && !target.expandDBName)
        guard case .target(.postgresql, _, _) = try resolve("database: {type: postgres, url: 'postgresql://a:${PW}@h/d'}", env: ["PW": "x"]) else {
            Issue.record("a url setting is a PostgreSQL target")
            return
        }
    }

    @Test("an unset variable is a warning naming it, not a connection with half a password")
    func unsetVariable() throws {
        let outcome = try resolve(
            "database: {type: postgresql, host: db.internal.example, user: app, password: '${WORKFLOW_DB_PASSWORD}'}",
            allow: ["WORKFLOW_DB_PASSWORD"])
        guard case let .unusable(warning) = outcome else {
            Issue.record("expected a warning, got \(outcome)")
            return
        }
        #expect(warning.path == "config.yaml")
        #expect(warning.message.contains("${WORKFLOW_DB_PASSWORD}"))
        #expect(warning.message.contains("--no-database"))
    }

    @Test("nothing to open: a type alone, no path or host, --no-database", arguments: [
        "database: sqlite", "database: {type: sqlite}", "database: {type: postgresql, port: 5432}",
        "database:\n  host: db.example\n", "database: mysql", "agents: {a: {}}",
    ])
    func nothingToOpen(_ yaml: String) throws {
        #expect(try resolve(yaml) == .none)
        #expect(try resolve("database: {type: sqlite, path: x.db}", enabled: false) == .none)
    }

    @Test("an engine that is not measured is a warning when it says where it lives")
    func unsupportedEngine() throws {
        guard case let .unusable(warning) = try resolve("database: {type: mysql, host: db, password: hunter2-secret}") else {
            Issue.record("expected a warning")
            return
        }
        #expect(warning.message.contains("mysql databases are not measured"))
        #expect(!warning.message.contains("hunter2"))
    }

    @Test("--database-url wins over the configuration")
    func urlWins() throws {
        #expect(try resolve("database: {type: sqlite, path: data/workflow.db}", url: "sqlite:other.db")
                == .target(.sqlite(path: "/cwd/other.db", display: "other.db", treeRoot: nil),
                           source: "--database-url", warningPath: "."))
    }

    @Test("byte counts read as people read them")
    func bytes() {
        #expect(ByteCount.describe(512) == "512 bytes")
        #expect(ByteCount.describe(98_304) == "98,304 bytes (96 KiB)")
        #expect(ByteCount.describe(1_572_864) == "1,572,864 bytes (1.5 MiB)")
        #expect(ByteCount.grouped(1_234_567) == "1,234,567")
    }
}

@Suite("SQLite, read-only")
struct SQLiteProbeTests {
    @Test("messages, events and a table found by its columns are measured against the report time")
    func measures() throws {
        let tree = try TempTree("sqlite")
        let path = tree.absolute("w.db")
        try SQLiteFixture.workflow(path)
        let session = try sqliteSession(path)
        defer { session.close() }
        let (m, notes) = try DatabaseProbe.measure(session, engine: "sqlite", location: "w.db", source: "config.yaml", now: fixedNow)
        #expect(notes.isEmpty, "\(notes)")
        #expect(m.readOnly)
        #expect(m.tablesExamined == 4)
        #expect(m.tables.map(\.name) == ["events", "chat_log", "messages"], "events first, then by name; settings holds neither")
        #expect(m.tables.first { $0.name == "chat_log" }?.matchedBy == "columns from_agent, to_agent")
        #expect(m.messageRows == 80)
        #expect(m.eventRows == 40)
        // Messages every 12 h from 1 h before now: 13 in the 7 days before it (13 h … 157 h), and chat_log's
        // ts every 2 days: 3 (2, 4, 6 days). 16 / 7 = 2.
        #expect(m.tables.first { $0.name == "messages" }?.recentRows == 13)
        #expect(m.tables.first { $0.name == "chat_log" }?.recentRows == 3)
        #expect(m.messagesPerDay == 2)
        #expect(m.messagesPerDayBasis == "16 messages in the 7 days before 2026-11-25T08:00:00Z, divided by 7")
        #expect(m.tables.first { $0.name == "events" }?.timestampColumn == "occurred_at", "Unix seconds in an integer")
        #expect(m.agents == 7, "agent0…agent3, bot0, bot1, human")
        #expect(m.lastTimestamp == "2026-11-25T07:00:00Z")
        #expect(m.tables.allSatisfy { ($0.bytes ?? 0) > 0 })
        #expect(m.dataBytes == m.tables.compactMap(\.bytes).reduce(0, +))
        #expect(m.databaseBytes == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
    }

    @Test("with nothing in the last 7 days, messages per day spread over the days they span")
    func wholeRange() throws {
        let tree = try TempTree("range")
        let path = tree.absolute("old.db")
        // 60 messages, one every 12 hours, ending 100 days before now: they span 29.5 days → 30.
        try SQLiteFixture.create(path, """
            CREATE TABLE inbox (id INTEGER PRIMARY KEY, sender TEXT, recipient TEXT, body TEXT, sent_at TEXT);
            INSERT INTO inbox (sender, recipient, body, sent_at) VALUES
            \(SQLiteFixture.messages(60, end: fixedNow.addingTimeInterval(-100 * day), spacing: 12 * 3600));
            """)
        let session = try sqliteSession(path)
        defer { session.close() }
        let (m, _) = try DatabaseProbe.measure(session, engine: "sqlite", location: "old.db", source: "config.yaml", now: fixedNow)
        #expect(m.messagesPerDay == 2)
        #expect(m.messagesPerDayBasis.hasPrefix("none in the 7 days before 2026-11-25T08:00:00Z: 60 messages over the 30 days"))
    }

    @Test("without a timestamp column, messages per day stay unknown")
    func noTimestamp() throws {
        let tree = try TempTree("nots")
        let path = tree.absolute("n.db")
        try SQLiteFixture.create(path, "CREATE TABLE messages (sender TEXT, recipient TEXT); INSERT INTO messages VALUES ('a', 'b');")
        let session = try sqliteSession(path)
        defer { session.close() }
        let (m, _) = try DatabaseProbe.measure(session, engine: "sqlite", location: "n.db", source: "x", now: fixedNow)
        #expect(m.messagesPerDay == nil)
        #expect(m.agents == 2)
        #expect(m.messageRows == 1)
    }

    @Test("hostile table and column names are quoted, never executed")
    func hostileNames() throws {
        let tree = try TempTree("hostile")
        let path = tree.absolute("h.db")
        try SQLiteFixture.create(path, """
            CREATE TABLE "events""; DROP TABLE x; --" ("created_at" TEXT, "kind" TEXT);
            INSERT INTO "events""; DROP TABLE x; --" VALUES ('2026-11-24T00:00:00Z', 'a');
            CREATE TABLE x (y);
            """)
        let session = try sqliteSession(path)
        defer { session.close() }
        let (m, notes) = try DatabaseProbe.measure(session, engine: "sqlite", location: "h.db", source: "x", now: fixedNow)
        #expect(notes.isEmpty, "\(notes)")
        #expect(m.tables.map(\.name) == ["events\"; DROP TABLE x; --"])
        #expect(m.eventRows == 1)
        #expect(try SQLiteFixture.scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'x'") == "1")
    }

    @Test("the session cannot write: SQLite itself refuses, and the file is unchanged")
    func cannotWrite() throws {
        let tree = try TempTree("ro")
        let path = tree.absolute("w.db")
        try SQLiteFixture.workflow(path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let session = try sqliteSession(path)
        #expect(session.isReadOnly())
        // Past the session's own check (it lets PRAGMAs through): the engine says no.
        #expect(throws: DatabaseError.self) { try session.rows("PRAGMA user_version = 7", []) }
        #expect(throws: DatabaseError.self) { try session.rows("DELETE FROM messages", []) }
        session.close()
        #expect(try SQLiteFixture.scalar(path, "PRAGMA user_version") == "0")
        #expect(try SQLiteFixture.scalar(path, "SELECT count(*) FROM messages") == "70")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("nothing is created beside the file: rollback journal, WAL without -wal, WAL with a live writer", arguments: [0, 1, 2])
    func nothingCreated(_ mode: Int) throws {
        let tree = try TempTree("files")
        let path = tree.absolute("data/w.db")
        try tree.dir("data")
        try SQLiteFixture.workflow(path, wal: mode > 0)
        var writer: OpaquePointer?
        if mode == 2 {
            // A running system: a writer holds the database open, so -wal and -shm exist.
            let db = try SQLiteFixture.open(path)
            try SQLiteFixture.exec(db, "INSERT INTO settings VALUES ('live', 'yes')")
            writer = db
        }
        defer { if let writer { sqlite3_close_v2(writer) } }
        let listing = tree.listing()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let session = try sqliteSession(path)
        // A file the tree names is read as it is on disk; a WAL database whose -wal holds data, from a private copy.
        #expect(session.immutable == (mode != 2), "mode \(mode)")
        let (m, _) = try DatabaseProbe.measure(session, engine: "sqlite", location: "w.db", source: "x", now: fixedNow)
        session.close()
        #expect(m.messageRows == 80)
        #expect(tree.listing() == listing, "mode \(mode): files appeared or vanished")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a missing file is never created; other files are refused without hanging", arguments: ["missing", "text", "fifo", "link", "folder"])
    func refused(_ kind: String) throws {
        let tree = try TempTree("refuse")
        let path = tree.absolute("w.db")
        switch kind {
        case "text": try tree.file("w.db", "not a database\n")
        case "fifo": try tree.fifo("w.db")
        case "link":
            try SQLiteFixture.workflow(tree.absolute("real.db"))
            try tree.symlink("w.db", to: "real.db")
        case "folder": try tree.dir("w.db")
        default: break
        }
        #expect(throws: DatabaseError.self) { try sqliteSession(path) }
        if kind == "missing" { #expect(!FileManager.default.fileExists(atPath: path)) }
    }

    @Test("a statement that runs too long is stopped at the statement timeout")
    func statementTimeout() throws {
        let tree = try TempTree("slow")
        let path = tree.absolute("s.db")
        try SQLiteFixture.create(path, "CREATE TABLE t (x);")
        let session = try sqliteSession(path, statementTimeout: 1)
        defer { session.close() }
        let start = Date()
        do {
            _ = try session.rows("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", [])
            Issue.record("an endless query returned")
        } catch {
            #expect(error.message.contains("longer than 1 s"))
        }
        #expect(Date().timeIntervalSince(start) < 5)
        // The session is still usable afterwards.
        #expect(try session.rows("SELECT count(*) FROM t", []) == [["0"]])
    }
}

@Suite("Database measurements in the analysis")
struct DatabaseAnalysisTests {
    /// A tree whose configuration points at an SQLite file and declares no agents.
    func databaseTree(agents: Bool = false) throws -> TempTree {
        let tree = try TempTree("dbtree")
        try tree.file("config.yaml", "database: {type: sqlite, path: data/w.db}\n" + (agents ? "agents: {a: {}, b: {}}\n" : ""))
        try tree.dir("data")
        try SQLiteFixture.workflow(tree.absolute("data/w.db"))
        return tree
    }

    @Test("the event log found as a table, messages per day and agents from the data, the volume in the plan")
    func feedsTheAnalysis() throws {
        let tree = try databaseTree()
        let report = try analyze(tree.path, database: DatabaseOptions(environment: [:]))
        let d = report.detection
        let database = try #require(d.database)
        #expect(d.messageSystemType == .database)
        #expect(d.hasEventLog, "the events table is the event log")
        let log = d.evidence.filter { $0.subject.rawValue == "event-log" }
        #expect(log.map(\.kind) == [.database])
        #expect(log.first?.path == "data/w.db#events")
        #expect(d.existingPatterns.contains(.eventSourcing))
        #expect(d.patterns.first { $0.id == "event-sourcing" }?.evidenceKinds == [.database])
        #expect(d.evidence.contains { $0.subject.rawValue == "message-system" && $0.kind == .database && $0.path == "data/w.db#messages" })
        #expect(d.estimatedMessagesPerDay == database.messagesPerDay)
        #expect(d.estimatedAgents == 7, "the config declares none: distinct senders and recipients")
        #expect(d.evidence.contains { $0.subject.rawValue == "scale" && $0.kind == .database })
        #expect(d.warnings.isEmpty, "\(d.warnings)")

        let step = try #require(report.plan.steps.first { $0.phase == .data })
        #expect(step.description.contains("120 rows"))
        #expect(step.description.contains(ByteCount.describe(database.dataBytes!)))
        #expect(step.commands.contains("sqlite3 -readonly data/w.db 'SELECT count(*) FROM \"messages\"'"))
        let volume = try #require(report.plan.timeline.dataVolume)
        #expect(volume.rows == 120)
        #expect(volume.bytes == database.dataBytes)
        #expect(volume.tables == ["events", "chat_log", "messages"])
        #expect(report.plan.testingStrategy.performance.checks.first?.contains("measured in the database") == true)

        let markdown = String(decoding: try MarkdownEmitter().emit(report), as: UTF8.self)
        #expect(markdown.contains("### Database"))
        #expect(markdown.contains("**Data to move:** 120 rows"))
        let junit = String(decoding: try JUnitEmitter().emit(report), as: UTF8.self)
        #expect(junit.contains("name=\"database_rows\" value=\"120\""))
        let html = String(decoding: try HTMLEmitter().emit(report), as: UTF8.self)
        #expect(html.contains("<h3>Database</h3>"))
    }

    @Test("agents declared in the tree win over the data's")
    func treeAgentsWin() throws {
        let tree = try databaseTree(agents: true)
        let report = try analyze(tree.path, database: DatabaseOptions(environment: [:]))
        #expect(report.detection.estimatedAgents == 2)
        #expect(report.detection.database?.agents == 7)
    }

    @Test("message files in the tree win over the data's messages per day")
    func treeMessagesWin() throws {
        let tree = try databaseTree()
        try tree.file("inbox/a/one.msg", "x", modified: fixedNow.addingTimeInterval(-day))
        let report = try analyze(tree.path, database: DatabaseOptions(environment: [:]))
        #expect(report.detection.messageSystemType == .fileBased)
        #expect(report.detection.estimatedMessagesPerDay == 0, "1 recent file / 7")
        #expect(report.detection.database != nil)
        #expect(!report.detection.messageVolumeFromDatabase)
    }

    @Test("--no-database: the same report as a tree whose database was never there")
    func disabled() throws {
        let tree = try databaseTree()
        let off = try analyze(tree.path, database: DatabaseOptions(enabled: false, environment: [:]))
        #expect(off.detection.database == nil)
        #expect(!off.detection.hasEventLog)
        #expect(off.detection.warnings.isEmpty)
        #expect(!off.detection.evidence.contains { $0.kind == .database })
        #expect(off.plan.timeline.dataVolume == nil)
        // The file is still live data of the system: the map names it as a store (its 16-byte header
        // read as a file, never opened as a database) and the backup copies it; nothing else differs.
        #expect(off.detection.systemMap?.stores.map(\.location) == ["data/w.db"])
        #expect(off.plan.steps.first?.commands.contains { $0.contains("data/w.db") && $0.contains(".backup") } == true)
        try FileManager.default.removeItem(atPath: tree.absolute("data/w.db"))
        let absent = try analyze(tree.path, database: DatabaseOptions(enabled: false, environment: [:]))
        var withoutStore = off.detection
        withoutStore.systemMap?.stores = []
        #expect(withoutStore == absent.detection)
        #expect(off.complexity == absent.complexity)
        #expect(off.plan.steps.map(\.title) == absent.plan.steps.map(\.title))
        // Its row counts name the file when it is there, and ask for it when it is not.
        let counts = off.plan.steps.first { $0.phase == .data }?.commands ?? []
        let asked = absent.plan.steps.first { $0.phase == .data }?.commands ?? []
        #expect(counts.contains { $0.hasPrefix("sqlite3 -readonly data/w.db .tables") }, "\(counts)")
        #expect(!asked.contains { $0.contains("data/w.db") }, "\(asked)")
    }

    @Test("a declared file that is missing is a warning, and the analysis goes on")
    func missingFile() throws {
        let tree = try TempTree("missingdb")
        try tree.file("config.yaml", "database: {type: sqlite, path: data/none.db}\n")
        try tree.dir("events")
        let report = try analyze(tree.path, database: DatabaseOptions(environment: [:]))
        #expect(report.detection.warnings.map(\.path) == ["config.yaml"])
        #expect(report.detection.warnings.first?.message.contains("no such file") == true)
        #expect(report.detection.hasEventLog)
        #expect(!FileManager.default.fileExists(atPath: tree.absolute("data/none.db")))
        #expect(!FileManager.default.fileExists(atPath: tree.absolute("data")), "nothing is created in the tree")
    }

    @Test("--database-url on a tree without configuration makes it database-backed")
    func urlOnly() throws {
        let tree = try TempTree("urlonly")
        let outside = try TempTree("urldb")
        try SQLiteFixture.workflow(outside.absolute("w.db"))
        let report = try analyze(tree.path, database: DatabaseOptions(url: "sqlite:w.db", environment: [:], workingDirectory: outside.path))
        #expect(report.detection.messageSystemType == .database)
        #expect(report.detection.databaseType == "sqlite")
        #expect(report.detection.database?.source == "--database-url")
        #expect(report.detection.database?.location == "w.db")
        #expect(report.detection.evidence.contains { $0.subject.rawValue == "message-system" && $0.detail.contains("--database-url") })
    }

    @Test("a refused PostgreSQL connection is a masked warning; an unanswered one times out")
    func postgresUnreachable() throws {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let tree = try TempTree("pgdown")
        try tree.dir("inbox/a")
        let url = "postgresql://coord:Unit-Secret-42@127.0.0.1:1/workflow"
        let refused = try analyze(tree.path, database: DatabaseOptions(url: url, environment: [:]))
        let warning = try #require(refused.detection.warnings.first)
        #expect(warning.message.contains("postgresql://coord:***@127.0.0.1:1/workflow"))
        #expect(warning.message.contains("could not connect"))
        #expect(!warning.message.contains("Unit-Secret-42"))
        #expect(refused.detection.hasInboxStructure, "the file-based analysis goes on")
        let json = String(decoding: try refused.jsonData(), as: UTF8.self)
        #expect(!json.contains("Unit-Secret-42"))

        // A listener that never answers: connect_timeout ends the wait.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        #expect(listen(listener, 4) == 0)
        let port = UInt16(bigEndian: address.sin_port)
        var options = DatabaseOptions(url: "postgresql://coord:Unit-Secret-42@127.0.0.1:\(port)/workflow", environment: [:])
        options.connectTimeout = 2
        let start = Date()
        let silent = try analyze(tree.path, database: options)
        #expect(Date().timeIntervalSince(start) < 15)
        #expect(silent.detection.warnings.first?.message.contains("could not connect") == true)
        #expect(silent.detection.database == nil)
    }

    @Test("trees without a database score exactly as with databases switched off", arguments: [
        "agent-bridge", "my-scripts", "enterprise-workflow", "queue-lanes", "maildir-agents",
    ])
    func samplesUnchanged(_ sample: String) throws {
        let on = try analyze(sampleURL(sample).path, database: DatabaseOptions(environment: [:]))
        let off = try analyze(sampleURL(sample).path, database: DatabaseOptions(enabled: false, environment: [:]))
        #expect(on.complexity == off.complexity)
        #expect(on.plan == off.plan)
        #expect(on.detection.database == nil)
        var a = on.detection, b = off.detection
        a.warnings = []
        b.warnings = []
        #expect(a == b)
        // Only enterprise-workflow declares a database, whose password variable is unset.
        #expect(on.detection.warnings.count == off.detection.warnings.count + (sample == "enterprise-workflow" ? 1 : 0))
    }
}
