import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Database-backed systems, end to end: the built binary against the committed
/// SQLite sample and against a real PostgreSQL server that the test starts on
/// loopback (initdb into a temporary folder, a free port, stopped afterwards).
///
/// What is proven: the numbers come from the data; nothing is written (row
/// counters and content checksums unchanged, every statement the tool sent is a
/// read, the session is read-only); no password reaches any format, stdout or
/// stderr; an unreachable or refusing server is a warning and the analysis goes on.
@Suite("Database-backed systems, end to end")
struct DatabaseEndToEndTests {
    static let sample = "enterprise-workflow-sqlite"

    // MARK: SQLite

    @Test("the SQLite sample is measured from its data, and the file is left as it was")
    func sqliteSample() throws {
        let folder = sampleURL(Self.sample).appendingPathComponent("data")
        let file = folder.appendingPathComponent("workflow.db")
        let before = try Data(contentsOf: file)
        let modified = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        let listing = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()

        let report = try CLI.report(sampleURL(Self.sample).path)
        let database = try #require(report.detection.database)
        #expect(database.engine == "sqlite")
        #expect(database.location == "data/workflow.db")
        #expect(database.source == "config.yaml")
        #expect(database.readOnly)
        #expect(database.messageRows == 252)
        #expect(database.eventRows == 503)
        #expect(database.messagesPerDay == 24, "168 messages in the last 7 days")
        #expect(database.agents == 15)
        #expect(database.tables.map(\.name) == ["events", "messages"])
        #expect(report.detection.estimatedMessagesPerDay == 24)
        #expect(report.detection.messageSystemType == .database)
        #expect(report.detection.databaseType == "sqlite")
        #expect(report.detection.evidence.contains { $0.subject.rawValue == "event-log" && $0.kind == .database && $0.path == "data/workflow.db#events" })
        #expect(report.plan.timeline.dataVolume?.rows == 755)
        #expect(report.plan.steps.first { $0.phase == .data }?.description.contains("755 rows") == true)
        #expect(report.detection.warnings.isEmpty, "\(report.detection.warnings)")

        #expect(try Data(contentsOf: file) == before, "the database file must not change")
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date == modified)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == listing,
                "no -wal, -shm or -journal file may appear beside it")
    }

    @Test("--no-database never opens the database and scores the tree as the files alone do")
    func noDatabase() throws {
        let path = sampleURL(Self.sample).path
        let measured = try CLI.report(path)
        let skipped = try CLI.report(path, extra: ["--no-database"])
        #expect(skipped.detection.database == nil)
        #expect(!skipped.detection.evidence.contains { $0.kind == .database })
        #expect(skipped.detection.estimatedMessagesPerDay == 0)
        #expect(skipped.plan.timeline.dataVolume == nil)
        // The SQLite sample is enterprise-workflow with another engine: without the
        // database the two score the same.
        let original = try CLI.report(sampleURL("enterprise-workflow").path, extra: ["--no-database"])
        #expect(skipped.complexity == original.complexity)
        #expect(measured.complexity.complexityLevel == original.complexity.complexityLevel)
    }

    @Test("--database-url sqlite:PATH (relative to the working folder) names the database of a tree without config")
    func databaseURLSQLite() throws {
        let scratch = try Scratch("dburl")
        let tree = try scratch.dir("tree")
        let work = try scratch.dir("work")
        try FileManager.default.copyItem(
            atPath: sampleURL(Self.sample).appendingPathComponent("data/workflow.db").path, toPath: work + "/copy.db")
        let result = try CLI.run(
            ["--path", tree, "--database-url", "sqlite:copy.db", "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"],
            in: URL(fileURLWithPath: work))
        #expect(result.status == 0, "\(result.stderr)")
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: result.stdout)
        #expect(report.detection.messageSystemType == .database)
        #expect(report.detection.databaseType == "sqlite")
        #expect(report.detection.database?.source == "--database-url")
        #expect(report.detection.database?.agents == 15)
        #expect(report.detection.estimatedAgents == 15, "no agents in the tree: the data's senders and recipients count")
        #expect(report.detection.evidence.contains { $0.subject.rawValue == "message-system" && $0.kind == .database })
    }

    @Test("a bad --database-url is a usage error that never repeats the password")
    func badURL() throws {
        let tree = try Scratch("badurl")
        let bad = try CLI.run(["--path", tree.path, "--database-url", "mysql://app:Hunter2-secret@db/x", "--output", "-"])
        #expect(bad.status == 2)
        #expect(bad.stderrLines.count == 1, "\(bad.stderr)")
        #expect(!bad.stderr.contains("Hunter2-secret"))
        let both = try CLI.run(["--path", tree.path, "--database-url", "sqlite:x.db", "--no-database", "--output", "-"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("--no-database"))
    }

    @Test("a refused PostgreSQL connection is a warning with the password masked; the analysis goes on")
    func refusedConnection() throws {
        let tree = try Scratch("refused")
        let port = try freeLoopbackPort()  // nothing listens there
        let url = "postgresql://coord:Refused-Passw0rd@127.0.0.1:\(port)/workflow"
        let result = try CLI.run(["--path", sampleURL("agent-bridge").path, "--database-url", url, "--format", "json",
                                  "--output", tree.path + "/r.json", "--now", fixedNowText])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: tree.path + "/r.json", encoding: .utf8)
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: Data(text.utf8))
        #expect(report.detection.database == nil)
        let warning = try #require(report.detection.warnings.first { $0.message.contains("postgresql") })
        #expect(warning.message.contains("postgresql://coord:***@127.0.0.1:\(port)/workflow"), "\(warning.message)")
        #expect(!text.contains("Refused-Passw0rd"))
        #expect(!result.stderr.contains("Refused-Passw0rd"))
        #expect(result.stderr.contains("***"), "the warning is shown on stderr, masked")
        // The files still decide the rest: agent-bridge keeps its inbox-based detection.
        #expect(report.detection.hasInboxStructure)
    }

    // MARK: PostgreSQL

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    @Test(
        "PostgreSQL: measured read-only, nothing written, no password in any output",
        .enabled(
            if: TemporaryPostgres.binDirectory != nil || DatabaseEndToEndTests.isCI,
            "skipped: the PostgreSQL server (initdb, postgres) is not installed; scripts/deps.sh test installs it"),
        .timeLimit(.minutes(3)))
    func postgresEndToEnd() throws {
        guard TemporaryPostgres.binDirectory != nil else {
            Issue.record("postgresql is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH): CI=true requires it; run scripts/deps.sh test")
            return
        }
        let server = try TemporaryPostgres()
        defer { server.stop() }
        let password = "p@ss-W0rd-e2e-secret"
        let encoded = "p%40ss-W0rd-e2e-secret"
        try server.psql("CREATE ROLE coord LOGIN PASSWORD '\(password)'")
        try server.psql("CREATE DATABASE workflow")
        try server.psql(Self.fixture, database: "workflow")
        let before = try server.fingerprint()
        let logStart = server.logText().count

        let scratch = try Scratch("pg")
        let tree = try scratch.dir("tree")
        try FileManager.default.copyItem(atPath: sampleURL("enterprise-workflow").path, toPath: tree + "/system")
        let system = tree + "/system"

        // 1. --database-url, all four formats, the terminal panels on stderr.
        let out = try scratch.dir("out")
        let url = "postgresql://coord:\(encoded)@127.0.0.1:\(server.port)/workflow"
        let run = try CLI.run(["--path", system, "--database-url", url, "--format", "md,html,junit,json",
                               "--output-dir", out, "--now", fixedNowText])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try MigrationReport.jsonDecoder().decode(
            MigrationReport.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/migration-plan.json")))
        let database = try #require(report.detection.database, "\(report.detection.warnings)")
        #expect(database.engine == "postgresql")
        #expect(database.location == "postgresql://coord:***@127.0.0.1:\(server.port)/workflow")
        #expect(database.readOnly)
        #expect(database.messageRows == 300)
        #expect(database.eventRows == 350, "300 in events + 50 in audit.event_log")
        #expect(database.messagesPerDay == 23, "167 messages in the 7 days before --now, divided by 7")
        #expect(database.agents == 6)
        #expect(Set(database.tables.map(\.name)) == ["messages", "events", "audit.event_log"])
        #expect(!database.tables.map(\.name).contains("settings"))
        #expect(database.tables.allSatisfy { ($0.bytes ?? 0) > 0 })
        #expect(database.tables.first { $0.name == "audit.event_log" }?.timestampColumn == "at", "epoch seconds in a bigint")
        #expect(report.detection.hasEventLog)
        #expect(report.detection.evidence.contains {
            $0.subject.rawValue == "event-log" && $0.kind == .database && $0.path.hasSuffix("/workflow#events")
        })
        #expect(report.detection.warnings.allSatisfy { !$0.message.contains("postgresql") }, "\(report.detection.warnings)")
        #expect(report.plan.timeline.dataVolume?.rows == 650)
        // The published schema describes the database object and its evidence kind.
        let validation = try JSONSchemaTests.validate(document: URL(fileURLWithPath: out + "/migration-plan.json"))
        #expect(validation.status == 0, "the PostgreSQL report does not match the schema:\n\(validation.output)")
        for file in ["migration-plan.md", "migration-plan.html", "migration-plan.xml", "migration-plan.json"] {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            #expect(!text.contains(password) && !text.contains(encoded), "\(file) holds the password")
            #expect(text.contains("127.0.0.1:\(server.port)/workflow"), "\(file) names the database")
        }
        #expect(!run.stderr.contains(password) && !run.stderr.contains(encoded))
        #expect(!run.stdoutText.contains(password) && !run.stdoutText.contains(encoded))

        // 2. The configuration's own settings, the password from ${COORD_E2E_PASSWORD}.
        try """
            database:
              type: postgresql
              host: 127.0.0.1
              port: \(server.port)
              dbname: workflow
              user: coord
              password: ${COORD_E2E_PASSWORD}
            agents: {intake: {}, triage: {}}
            """.write(toFile: system + "/config.yaml", atomically: true, encoding: .utf8)
        // Without --connect-database the tree's server is not contacted: a warning says how to allow it.
        let connectionsBefore = server.logText().components(separatedBy: "coord-migrate|").count
        let untrusted = try CLI.run(["--path", system, "--format", "json", "--output", "-", "--now", fixedNowText],
                                    environment: ["COORD_E2E_PASSWORD": password])
        #expect(untrusted.status == 0, "\(untrusted.stderr)")
        let untrustedReport = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: untrusted.stdout)
        #expect(untrustedReport.detection.database == nil)
        #expect(untrustedReport.detection.warnings.contains {
            $0.message.contains("pass --connect-database --allow-env COORD_E2E_PASSWORD")
        }, "\(untrustedReport.detection.warnings)")
        #expect(server.logText().components(separatedBy: "coord-migrate|").count == connectionsBefore,
                "a connection reached the server without --connect-database")

        let fromConfig = try CLI.run(["--path", system, "--format", "md", "--output", "-", "--now", fixedNowText,
                                      "--connect-database", "--allow-env", "COORD_E2E_PASSWORD"],
                                     environment: ["COORD_E2E_PASSWORD": password])
        #expect(fromConfig.status == 0, "\(fromConfig.stderr)")
        #expect(fromConfig.stdoutText.contains("`postgresql://coord:***@127.0.0.1:\(server.port)/workflow`"))
        #expect(fromConfig.stdoutText.contains("**Table `messages`** (messages, matched by name): 300 rows"))
        #expect(!fromConfig.stdoutText.contains(password) && !fromConfig.stderr.contains(password))

        // 3. A wrong password: a warning, masked, and the file-based analysis goes on.
        let wrong = "Wrong-Passw0rd-e2e"
        let refused = try CLI.run(["--path", system, "--format", "json", "--output", "-", "--now", fixedNowText,
                                   "--connect-database", "--allow-env", "COORD_E2E_PASSWORD"],
                                  environment: ["COORD_E2E_PASSWORD": wrong])
        #expect(refused.status == 0, "\(refused.stderr)")
        let refusedReport = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: refused.stdout)
        #expect(refusedReport.detection.database == nil)
        let warning = try #require(refusedReport.detection.warnings.first { $0.path == "config.yaml" })
        #expect(warning.message.contains("password authentication failed"), "\(warning.message)")
        #expect(!refused.stdoutText.contains(wrong) && !refused.stderr.contains(wrong))
        #expect(refusedReport.detection.hasEventLog, "event_log/ on disk still counts")

        // 4. libpq's own PGPASSWORD is not handed to a server the tree names unless --allow-env names it.
        try """
            database: {type: postgresql, host: 127.0.0.1, port: \(server.port), dbname: workflow, user: coord}
            agents: {intake: {}, triage: {}}
            """.write(toFile: system + "/config.yaml", atomically: true, encoding: .utf8)
        let hidden = try CLI.run(["--path", system, "--format", "json", "--output", "-", "--now", fixedNowText,
                                  "--connect-database"], environment: ["PGPASSWORD": password])
        let hiddenReport = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: hidden.stdout)
        #expect(hiddenReport.detection.database == nil, "PGPASSWORD reached the tree's server")
        #expect(hiddenReport.detection.warnings.contains { $0.message.contains("password") }, "\(hiddenReport.detection.warnings)")
        let allowed = try CLI.run(["--path", system, "--format", "json", "--output", "-", "--now", fixedNowText,
                                   "--connect-database", "--allow-env", "PGPASSWORD"], environment: ["PGPASSWORD": password])
        let allowedReport = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: allowed.stdout)
        #expect(allowedReport.detection.database?.messageRows == 300, "\(allowedReport.detection.warnings)")

        // Nothing was written: the counters and the contents are as they were.
        let after = try server.fingerprint()
        #expect(after == before, "a write reached the database: \(before) → \(after)")

        // Every statement the tool sent was a read, inside a read-only session.
        let log = String(server.logText().dropFirst(logStart))
        let statements = log.split(separator: "\n").compactMap { line -> Substring? in
            guard line.hasPrefix("coord-migrate|") else { return nil }
            for marker in ["statement: ", "execute <unnamed>: "] {
                if let range = line.range(of: marker) { return line[range.upperBound...] }
            }
            return nil
        }
        #expect(statements.count > 10, "log_statement=all shows the tool's statements:\n\(log.prefix(2000))")
        #expect(statements.contains("SET default_transaction_read_only = on"))
        #expect(statements.contains("BEGIN TRANSACTION READ ONLY"))
        #expect(statements.contains("SHOW transaction_read_only"))
        let reads = ["SELECT", "SET ", "BEGIN TRANSACTION READ ONLY", "SHOW ", "SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK"]
        for statement in statements {
            #expect(reads.contains { statement.hasPrefix($0) }, "not a read: \(statement)")
        }
        #expect(!log.contains(password) && !log.contains(wrong), "the server log holds a password")
    }

    @Test(
        "PostgreSQL with thousands of wide tables: the listings are bounded and the run says what it left out",
        .enabled(
            if: TemporaryPostgres.binDirectory != nil || DatabaseEndToEndTests.isCI,
            "skipped: the PostgreSQL server (initdb, postgres) is not installed; scripts/deps.sh test installs it"),
        .timeLimit(.minutes(3)))
    func postgresManyTables() throws {
        guard TemporaryPostgres.binDirectory != nil else {
            Issue.record("postgresql is not installed: CI=true requires it; run scripts/deps.sh test")
            return
        }
        let server = try TemporaryPostgres()
        defer { server.stop() }
        try server.psql("CREATE ROLE coord LOGIN PASSWORD 'many-tables-pw'")
        try server.psql("CREATE DATABASE wide")
        // 1,200 tables of 40 columns: 48,000 columns, more than the 20,000 read at most.
        try server.psql("""
            DO $$ BEGIN FOR t IN 1..1200 LOOP
              EXECUTE format('CREATE TABLE t%s (%s)', lpad(t::text, 4, '0'),
                (SELECT string_agg(format('c%s text', c), ', ') FROM generate_series(1, 40) c));
            END LOOP; END $$;
            CREATE TABLE messages (id serial, sender text, recipient text, body text);
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO coord;
            """, database: "wide")
        let scratch = try Scratch("wide")
        _ = try scratch.dir("tree")
        let run = try CLI.run(
            ["--path", scratch.absolute("tree"), "--database-url", "postgresql://coord:many-tables-pw@127.0.0.1:\(server.port)/wide",
             "--format", "json", "--output", "-", "--quiet", "--now", fixedNowText], timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: run.stdout)
        let database = try #require(report.detection.database, "\(report.detection.warnings)")
        #expect(database.tablesExamined == 500)
        #expect(report.detection.warnings.contains { $0.message.contains("1201 tables; only the first 500 by name were examined") },
                "\(report.detection.warnings)")
        #expect(database.tables.map(\.name).contains("messages"), "the message table is among the first 500 by name")
        // The column listing asked of the server is bounded: only the examined tables, at most 20,000 rows.
        let log = server.logText()
        #expect(log.contains("information_schema.columns c JOIN (SELECT table_schema, table_name FROM information_schema.tables"))
        #expect(log.contains("c.ordinal_position LIMIT 20000"), "the column listing has no limit")
    }

    /// 300 messages an hour apart back from half an hour before --now between six agents; an event per
    /// message; 50 events with epoch-second times in another schema; a settings table
    /// that holds neither.
    static let fixture = """
        CREATE TABLE messages (
            id bigserial PRIMARY KEY, sender text NOT NULL, recipient text NOT NULL,
            subject text NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL, read_at timestamptz);
        CREATE TABLE events (
            id bigserial PRIMARY KEY, occurred_at timestamptz NOT NULL, agent text NOT NULL,
            kind text NOT NULL, payload jsonb NOT NULL);
        CREATE TABLE settings (key text PRIMARY KEY, value text);
        CREATE SCHEMA audit;
        CREATE TABLE audit.event_log (id serial PRIMARY KEY, at bigint NOT NULL, kind text NOT NULL);
        INSERT INTO messages (sender, recipient, subject, body, created_at)
            SELECT 'agent' || (i % 6), 'agent' || ((i + 1) % 6), 'subject ' || i, repeat('body ', 20),
                   TIMESTAMPTZ '2026-11-25 08:00:00+00' - i * INTERVAL '1 hour' - INTERVAL '30 minutes'
            FROM generate_series(1, 300) AS i;
        INSERT INTO events (occurred_at, agent, kind, payload)
            SELECT created_at, sender, 'message.sent', jsonb_build_object('message', id) FROM messages;
        INSERT INTO settings VALUES ('mode', 'production');
        INSERT INTO audit.event_log (at, kind)
            SELECT 1795593600 - i * 86400, 'audit' FROM generate_series(1, 50) AS i;
        GRANT USAGE ON SCHEMA audit TO coord;
        GRANT SELECT ON ALL TABLES IN SCHEMA public, audit TO coord;
        """
}

/// A free TCP port on 127.0.0.1 (bound, read, released).
func freeLoopbackPort() throws -> Int {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw ServerError("bind: \(String(cString: strerror(errno)))") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw ServerError("getsockname: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: address.sin_port))
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A PostgreSQL cluster of its own, in a temporary folder, on loopback only.
///
/// initdb and the server refuse to run as root, so as root they run as the
/// `postgres` user (or `nobody`) through setpriv, which execs in place. The server
/// runs in the foreground as this process's child (pg_ctl would daemonize it, and a
/// daemon holding the child's descriptors keeps Foundation's Process waiting); it
/// is stopped with SIGINT (fast shutdown). The superuser reaches it through a Unix
/// socket in the folder (trust); others over TCP with scram-sha-256. Every
/// statement is logged (`log_statement = all`) after the application name, so a
/// test can read back what a client sent.
final class TemporaryPostgres {
    /// The folder with initdb and postgres: the newest /usr/lib/postgresql/N/bin, else PATH.
    static let binDirectory: String? = {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = "/usr/lib/postgresql/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: bin + "/initdb") { return bin }
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            if FileManager.default.isExecutableFile(atPath: "\(folder)/initdb"),
                FileManager.default.isExecutableFile(atPath: "\(folder)/postgres")
            {
                return String(folder)
            }
        }
        return nil
    }()

    let base: String
    let port: Int
    var data: String { base + "/data" }
    var socket: String { base + "/sock" }
    var log: String { base + "/server.log" }
    private var server: Process?

    init() throws {
        guard let bin = Self.binDirectory else { throw ServerError("postgresql is not installed") }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("coord-migrate-pg-\(UUID().uuidString.prefix(8))").path
        let data = base + "/data", socket = base + "/sock", log = base + "/server.log"
        self.base = base
        try FileManager.default.createDirectory(atPath: socket, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let owner = Self.unprivilegedUser
        if let owner {
            try Self.execute("/bin/chown", ["-R", "\(owner.user):\(owner.group)", base])
        }
        try Self.execute(bin + "/initdb", ["-D", data, "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync",
                                           "--auth-local=trust", "--auth-host=scram-sha-256"], as: owner)
        port = try freeLoopbackPort()
        // The last line of postgresql.conf wins.
        let settings = """

            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(socket)'
            log_statement = 'all'
            log_line_prefix = '%a|'
            fsync = off
            shared_buffers = 16MB
            max_connections = 20
            # One transaction creates 1,200 tables (each with its TOAST table and index): the
            # lock table (this × connections) has to hold them all, else the setup itself fails.
            max_locks_per_transaction = 512

            """
        let conf = try FileHandle(forWritingTo: URL(fileURLWithPath: data + "/postgresql.conf"))
        try conf.seekToEnd()
        try conf.write(contentsOf: Data(settings.utf8))
        try conf.close()

        let process = Self.process(bin + "/postgres", ["-D", data], as: owner)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try logHandle.close()
        server = process
        // Ready when pg_isready says so (30 s at most).
        let deadline = Date().addingTimeInterval(30)
        while true {
            if (try? Self.execute(bin + "/pg_isready", ["-q", "-h", socket, "-p", "\(port)", "-U", "postgres"])) != nil { break }
            guard process.isRunning, Date() < deadline else {
                stop()
                throw ServerError("the server did not start: \(logText())")
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    deinit { stop() }

    func stop() {
        guard let server else { return }
        self.server = nil
        if server.isRunning {
            kill(server.processIdentifier, SIGINT)  // fast shutdown
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: base)
    }

    /// Runs SQL as the superuser through the socket; returns the unaligned output.
    @discardableResult
    func psql(_ sql: String, database: String = "postgres") throws -> String {
        let psql = FileManager.default.isExecutableFile(atPath: (Self.binDirectory ?? "") + "/psql")
            ? Self.binDirectory! + "/psql" : "/usr/bin/psql"
        return try Self.execute(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socket, "-p", "\(port)",
                                       "-U", "postgres", "-d", database, "-c", sql])
    }

    /// The fingerprint once two readings a moment apart agree: a session's counters
    /// reach the shared statistics only as it exits.
    func fingerprint() throws -> String {
        var last = try reading()
        for _ in 0..<20 {
            Thread.sleep(forTimeInterval: 0.3)
            let next = try reading()
            if next == last { return next }
            last = next
        }
        return last
    }

    /// Rows written to the fixture's tables so far, and a checksum of their contents.
    private func reading() throws -> String {
        let counters = try psql("""
            SELECT string_agg(relname || ':' || n_tup_ins || '/' || n_tup_upd || '/' || n_tup_del || '/' || n_tup_hot_upd, ' ' ORDER BY relname)
            FROM pg_stat_all_tables WHERE schemaname IN ('public', 'audit')
            """, database: "workflow")
        let contents = try psql("""
            SELECT md5((SELECT string_agg(m::text, ',' ORDER BY id) FROM messages m)
                    || (SELECT string_agg(e::text, ',' ORDER BY id) FROM events e)
                    || (SELECT string_agg(a::text, ',' ORDER BY id) FROM audit.event_log a)
                    || (SELECT string_agg(s::text, ',' ORDER BY key) FROM settings s))
            """, database: "workflow")
        return counters.trimmingCharacters(in: .whitespacesAndNewlines) + " " + contents.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func logText() -> String {
        (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    }

    /// Who the server runs as when the tests run as root.
    static var unprivilegedUser: (user: String, group: String)? {
        guard getuid() == 0 else { return nil }
        return getpwnam("postgres") != nil ? ("postgres", "postgres") : ("nobody", "nogroup")
    }

    /// The command line for `program`, run as `user` (through setpriv, which execs in place) when given.
    static func command(_ program: String, _ arguments: [String], as user: (user: String, group: String)?) -> (URL, [String]) {
        guard let user else { return (URL(fileURLWithPath: program), arguments) }
        return (URL(fileURLWithPath: "/usr/bin/setpriv"),
                ["--reuid=\(user.user)", "--regid=\(user.group)", "--clear-groups", "--", program] + arguments)
    }

    static let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PGTZ": "UTC", "TZ": "UTC"]

    /// A process for `program`, run as `user` when given, from /.
    static func process(_ program: String, _ arguments: [String], as user: (user: String, group: String)? = nil) -> Process {
        let process = Process()
        let (executable, words) = command(program, arguments, as: user)
        process.executableURL = executable
        process.arguments = words
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        return process
    }

    /// Runs a program to its end from /, output to files; throws with its output on failure.
    @discardableResult
    static func execute(_ program: String, _ arguments: [String], as user: (user: String, group: String)? = nil) throws -> String {
        let (executable, words) = command(program, arguments, as: user)
        let result = try runProcess(executable, words, environment: environment, in: URL(fileURLWithPath: "/"))
        guard result.status == 0 else {
            throw ServerError("\((program as NSString).lastPathComponent) exited \(result.status): \(result.stderr)\(result.stdoutText)")
        }
        return result.stdoutText
    }
}
