@testable import CoordMigrateAnalysis
@testable import CoordMigrateDetect
@testable import CoordMigrateEmit
@testable import CoordMigrateModel
@testable import CoordMigrateSettings
import CoordMigrateTestSupport
import Foundation
import Testing

/// The plan is written from the system model: each class of system gets commands that fit
/// where its messages are, and every store it keeps data in is backed up.
@Suite("The plan, from the system model")
struct SystemPlanTests {
    /// A Python mailbox whose messages are rows of a SQLite table with a `priority` column.
    static let mailbox = """
        import sqlite3

        DB = sqlite3.connect("data/mail.db")
        DB.executescript(\"\"\"
            CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, sender TEXT, recipient TEXT,
                body TEXT, priority INTEGER, created_at TEXT);
        \"\"\")

        def send(sender, recipient, body):
            DB.execute("INSERT INTO messages (sender, recipient, body) VALUES (?, ?, ?)", (sender, recipient, body))

        def pending():
            return DB.execute("SELECT count(*) FROM messages").fetchone()[0]

        def by_id(i):
            return DB.execute("SELECT body FROM messages WHERE id = ?", (i,)).fetchone()

        def next_for(agent):
            return DB.execute("SELECT id, body FROM messages WHERE recipient = ? ORDER BY created_at LIMIT 1", (agent,)).fetchone()

        """

    func mailboxTree() throws -> TempTree {
        let tree = try TempTree("sqlite-mailbox")
        try tree.file("mailbox.py", Self.mailbox)
        try tree.dir("data")
        try SQLiteFixture.create(tree.absolute("data/mail.db"), "CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT, priority INTEGER);")
        return tree
    }

    @Test("a system whose messages are rows counts rows, never files in an inbox, and backs its database up with SQLite")
    func databasePlan() throws {
        let tree = try mailboxTree()
        let report = try analyze(tree.path, database: DatabaseOptions(enabled: false, environment: [:]))
        #expect(report.detection.messageSystemType == .database)
        let commands = report.plan.steps.flatMap(\.commands)
        #expect(!commands.contains { $0.contains("find inbox") || $0.contains("find messages") }, "\(commands)")
        let data = try #require(report.plan.steps.first { $0.phase == .data })
        #expect(data.commands.contains("sqlite3 -readonly data/mail.db 'SELECT count(*) FROM \"messages\"'"), "\(data.commands)")
        let backup = try #require(report.plan.steps.first)
        #expect(backup.commands.contains { $0.hasPrefix("sqlite3 -readonly") && $0.contains("data/mail.db") && $0.contains(".backup '$backup/store-1-mail.db'") },
                "\(backup.commands)")
        let restore = report.plan.rollbackStrategy.stages.flatMap(\.commands)
        #expect(restore.contains { $0.contains("store-1-mail.db") }, "the rollback puts the copy back: \(restore)")
    }

    @Test("a PostgreSQL system not measured is counted and altered through psql, never sqlite3")
    func postgresCommands() throws {
        let report = try sampleReport("enterprise-workflow")
        #expect(report.detection.database == nil, "its password is not in the environment")
        let commands = report.plan.steps.flatMap(\.commands) + report.plan.testingStrategy.unit.commands
        #expect(!commands.contains { $0.hasPrefix("sqlite3") || $0.hasPrefix("time sqlite3") }, "\(commands)")
        #expect(commands.contains("psql \"$DATABASE_URL\" -c 'SELECT count(*) FROM \"messages\"'   # $DATABASE_URL: the database the system connects to"))
    }

    @Test("a priority column is used, not a priority folder: the step changes the ORDER BY of the query that takes the next message")
    func priorityColumn() throws {
        let tree = try mailboxTree()
        let report = try analyze(tree.path, database: DatabaseOptions(enabled: false, environment: [:]))
        let step = try #require(report.plan.steps.first { $0.pattern == .priorityQueue })
        #expect(step.description.contains("already has a `priority` column"), "\(step.description)")
        #expect(step.description.contains("ORDER BY priority DESC"))
        #expect(!step.commands.contains { $0.contains("mkdir") }, "\(step.commands)")
        #expect(!step.commands.contains { $0.contains("ALTER TABLE") }, "the column is there already")
        // The query with ORDER BY … LIMIT is where the next message is taken: the map keeps it as
        // the program's read of the table, not the read by id, and the count (which moves nothing) is no touch point.
        let points = try #require(step.touchPoints)
        #expect(points.first?.location == "mailbox.py:19", "\(points.map(\.location))")
        #expect(!points.map(\.location).contains("mailbox.py:13"), "\(points.map(\.location))")
    }

    @Test("a table without a priority column gets one added: the table the next message is taken from")
    func priorityColumnAdded() throws {
        let tree = try TempTree("sqlite-nopriority")
        // A second message table that sorts first by name: the one the next message is taken from is changed.
        try tree.file("mailbox.py", Self.mailbox.replacingOccurrences(of: "priority INTEGER, ", with: "")
            + "DB.execute(\"CREATE TABLE IF NOT EXISTS message_reactions (id INTEGER, message_id INTEGER, emoji TEXT)\")\n")
        let report = try analyze(tree.path, database: DatabaseOptions(enabled: false, environment: [:]))
        let step = try #require(report.plan.steps.first { $0.pattern == .priorityQueue })
        #expect(step.commands.contains("sqlite3 \"$DB\" 'ALTER TABLE \"messages\" ADD COLUMN priority INTEGER NOT NULL DEFAULT 0'"),
                "\(step.commands)")
    }

    @Test("live data outside the tree is printed in the backup, copied by path, never read")
    func storeOutsideTheTree() throws {
        let tree = try TempTree("home-store")
        try tree.file("bus.py", """
            import os, json, uuid
            INBOX = os.path.expanduser("~/.agentbus/inbox")

            def send_message(to, body):
                path = os.path.join(INBOX, to, f"{uuid.uuid4()}.json")
                with open(path, "w") as f:
                    json.dump({"to": to, "body": body}, f)

            def read_messages(me):
                folder = os.path.join(INBOX, me)
                return [json.load(open(os.path.join(folder, name))) for name in os.listdir(folder)]

            """)
        let report = try analyze(tree.path)
        let stores = try #require(report.detection.systemMap?.stores)
        #expect(stores.contains { !$0.inside && $0.location.hasPrefix("~/.agentbus") }, "\(stores)")
        let backup = try #require(report.plan.steps.first)
        #expect(backup.description.contains("outside the analysed folder"))
        #expect(backup.commands.contains("tar -czf \"$backup/store-1-inbox.tar.gz\" \"$HOME\"/.agentbus/inbox"), "\(backup.commands)")
        // The folder a path held in a variable names is the channel, and it carries the messages.
        #expect(report.detection.messageSystemType == .fileBased)
        let map = try #require(report.detection.systemMap)
        #expect(map.edges(to: "channel:code:~/.agentbus/inbox", .writes).map(\.location) == ["bus.py:6"])
        #expect(map.edges(to: "channel:code:~/.agentbus/inbox", .reads).map(\.location) == ["bus.py:11"])
    }

    @Test("one shared folder of per-agent inboxes is one channel, however many programs write it")
    func oneChannelPerFolder() throws {
        let tree = try TempTree("shared-folder")
        for name in ["alpha", "beta", "gamma", "delta"] {
            try tree.file("\(name).py", """
                import os, json
                from settings import INBOX

                def deliver(agent, msg):
                    with open(os.path.join(INBOX, agent, msg["id"] + ".json"), "w") as f:
                        json.dump(msg, f)

                """)
        }
        let report = try analyze(tree.path, discover: false)
        let map = try #require(report.detection.systemMap)
        let inboxes = map.nodes(.channel).filter { $0.channelKind == .inbox }
        #expect(inboxes.count == 1, "\(inboxes.map(\.id))")
        let writers = Set(map.edges.filter { $0.kind == .writes && $0.to == inboxes.first?.id }.map(\.path))
        #expect(writers == ["alpha.py", "beta.py", "delta.py", "gamma.py"])
        #expect(map.edges.filter { $0.kind == .writes }.allSatisfy { $0.line == 5 })
    }

    @Test("telemetry and state files are not message channels: no step moves them or names their writes")
    func rolesKeepTelemetryOut() throws {
        let tree = try TempTree("roles")
        try tree.file("bus.py", """
            import json, uuid
            TELEMETRY = "bus/telemetry.jsonl"

            def send_message(to, body):
                with open(f"inbox/{to}/{uuid.uuid4()}.json", "w") as f:
                    json.dump({"to": to, "body": body}, f)
                with open(TELEMETRY, "a") as t:
                    t.write(json.dumps({"sent": to}) + "\\n")

            """)
        try tree.file("inbox/alice/m.json", "{}")
        let report = try analyze(tree.path)
        let map = try #require(report.detection.systemMap)
        let telemetry = try #require(map.nodes(.channel).first { $0.label.contains("telemetry") })
        #expect(telemetry.role == .telemetry)
        #expect(!map.messageChannels.contains { $0.id == telemetry.id })
        let points = report.plan.steps.flatMap { $0.touchPoints ?? [] }
        #expect(!points.contains { $0.location == "bus.py:7" }, "\(points.map(\.location))")
        #expect(points.contains { $0.location == "bus.py:5" })
    }

    @Test("the four formats show one effort, the steps added up")
    func oneEffortEverywhere() throws {
        let tree = try mailboxTree()
        let report = try analyze(tree.path, database: DatabaseOptions(enabled: false, environment: [:]))
        let sum = HoursRange.sum(report.plan.steps.map { $0.durationHours ?? .zero })
        #expect(report.plan.timeline.effort == sum)
        let phases = HoursRange.sum(report.plan.timeline.phases.map(\.range))
        #expect(phases == sum, "the phase split is the steps' sums")
        let words = try #require(report.plan.timeline.effortEstimate)
        let markdown = String(decoding: try MarkdownEmitter().emit(report), as: UTF8.self)
        let html = String(decoding: try HTMLEmitter().emit(report), as: UTF8.self)
        let junit = String(decoding: try JUnitEmitter().emit(report), as: UTF8.self)
        let json = try #require(try JSONSerialization.jsonObject(with: try JSONEmitter().emit(report)) as? [String: Any])
        #expect(markdown.contains(words))
        #expect(html.contains(words.replacingOccurrences(of: "'", with: "&#39;")))
        #expect(junit.contains("name=\"effort_estimate\" value=\"\(words)\""))
        let plan = try #require(json["plan"] as? [String: Any])
        let timeline = try #require(plan["timeline"] as? [String: Any])
        #expect(timeline["effort_estimate"] as? String == words)
    }
}
