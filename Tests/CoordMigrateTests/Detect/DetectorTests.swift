@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// A small tree described as paths: a key ending in `/` is a folder, any other
/// key is a file holding the value.
typealias Layout = [String: String]

func build(_ layout: Layout, label: String = "detect") throws -> TempTree {
    let tree = try TempTree(label)
    for (path, contents) in layout {
        if path.hasSuffix("/") { try tree.dir(String(path.dropLast())) } else { try tree.file(path, contents) }
    }
    return tree
}

func detect(_ layout: Layout, scan: ScanOptions = ScanOptions(), discover: Bool = true) throws -> DetectionResult {
    let tree = try build(layout)
    return try analyze(tree.path, scan: scan, discover: discover).detection
}

extension DetectionResult {
    func finding(_ id: PatternID) -> PatternFinding { patterns.first { $0.id == id.rawValue }! }
    func has(_ id: PatternID) -> Bool { existingPatterns.contains(id) }
    func evidence(_ subject: String) -> [Evidence] { evidence.filter { $0.subject.rawValue == subject } }
}

let uuid = "550e8400-e29b-41d4-a716-446655440000"
let sha = "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"

struct LayoutCase: Sendable, CustomTestStringConvertible {
    var name: String
    var layout: Layout
    var testDescription: String { name }
}

@Suite("Detectors (DESIGN §3)")
struct DetectorTests {
    // MARK: Message system

    struct MessageSystemCase: Sendable, CustomTestStringConvertible {
        var name: String
        var layout: Layout
        var type: MessageSystemType
        var databaseType: String?
        var discover = true
        var testDescription: String { name }
    }

    static let messageSystemCases: [MessageSystemCase] = [
        .init(name: "nothing → none", layout: ["notes.txt": "x"], type: .none),
        .init(name: "inbox/ → file-based", layout: ["inbox/": ""], type: .fileBased),
        .init(name: "messages/ → file-based", layout: ["messages/": ""], type: .fileBased),
        .init(name: "database mapping in config.yaml", layout: ["config.yaml": "database:\n  type: sqlite\n"],
              type: .database, databaseType: "sqlite"),
        .init(name: "database in config.json", layout: ["config.json": #"{"database": {"type": "postgresql", "port": 5432}}"#],
              type: .database, databaseType: "postgresql"),
        .init(name: "database as a scalar in agents.yml", layout: ["agents.yml": "database: mysql\nagents: {a: {}}\n"],
              type: .database, databaseType: "mysql"),
        .init(name: "database without a type", layout: ["config.yaml": "database:\n  host: db.example\n"],
              type: .database, databaseType: "unspecified"),
        .init(name: "api/ → api", layout: ["api/": ""], type: .api),
        .init(name: "server.py → api", layout: ["server.py": "print('hi')\n"], type: .api),
        .init(name: "database wins over api", layout: ["config.yaml": "database: {type: sqlite}\n", "api/": ""],
              type: .database, databaseType: "sqlite"),
        .init(name: "inbox wins over api", layout: ["inbox/": "", "server.py": ""], type: .fileBased),
        .init(name: "an inbox file is not a folder", layout: ["inbox": "x"], type: .none),
        .init(name: "markers below the root do not count (without discovery)",
              layout: ["sub/inbox/": "", "sub/api/": "", "sub/server.py": ""], type: .none, discover: false),
        .init(name: "server.py as a folder does not count", layout: ["server.py/": ""], type: .none),
    ]

    @Test("message system, first rule that holds", arguments: messageSystemCases)
    func messageSystem(_ row: MessageSystemCase) throws {
        let detection = try detect(row.layout, discover: row.discover)
        #expect(detection.messageSystemType == row.type)
        #expect(detection.hasMessageSystem == (row.type != .none))
        if row.type == .database {
            #expect(detection.databaseType == row.databaseType)
            #expect(detection.evidence("message-system").contains { $0.kind == .config })
        }
        if row.type == .fileBased || row.type == .api {
            #expect(detection.evidence("message-system").allSatisfy { $0.kind == .disk })
            #expect(!detection.evidence("message-system").isEmpty)
        }
    }

    @Test("database type is only reported for a database-backed system")
    func databaseTypeOnlyForDatabase() throws {
        let detection = try detect(["inbox/a/": "", "config.yaml": "database: {type: sqlite}\n"])
        #expect(detection.messageSystemType == .fileBased)
        #expect(detection.databaseType == nil)
    }

    // MARK: Event log and inbox

    @Test("event log variants", arguments: ["events.log", "events.jsonl", "event_log/", "events/"])
    func eventLog(_ marker: String) throws {
        let detection = try detect([marker: "2026-01-01\tstarted\n"])
        #expect(detection.hasEventLog)
        #expect(detection.has(.eventSourcing))
        #expect(detection.evidence("event-log").map(\.path) == [marker])
    }

    @Test("not an event log", arguments: [
        LayoutCase(name: "events.log as a folder", layout: ["events.log/": ""]),
        LayoutCase(name: "events.log below the root", layout: ["logs/events.log": "x"]),
        LayoutCase(name: "other names", layout: ["event.log": "x", "events.txt": "x", "eventlog/": ""]),
    ])
    func notEventLog(_ row: LayoutCase) throws {
        let detection = try detect(row.layout)
        #expect(!detection.hasEventLog)
        #expect(!detection.has(.eventSourcing))
        #expect(detection.gaps.contains(.eventSourcing))
    }

    @Test("inbox structure needs a folder inside inbox/")
    func inboxStructure() throws {
        let flat = try detect(["inbox/note.msg": "x"])
        #expect(flat.messageSystemType == .fileBased)
        #expect(!flat.hasInboxStructure)
        let nested = try detect(["inbox/code/": "", "inbox/chat/": ""])
        #expect(nested.hasInboxStructure)
        #expect(Set(nested.evidence("inbox-structure").map(\.path)) == ["inbox/code/", "inbox/chat/"])
    }

    // MARK: Agent configuration

    static let configFiles: [(String, String)] = [
        ("config.yaml", "agents:\n  a: {authority_domains: [x]}\n  b: {}\n  c: {}\n"),
        ("config.yml", "agents:\n  - name: a\n    authority_domains: [x]\n  - name: b\n  - name: c\n"),
        ("config.json", #"{"agents": {"a": {"authority_domains": ["x"]}, "b": {}, "c": {}}}"#),
        ("agents.yaml", "agents:\n  a:\n    authority_domains: [x]\n  b: {}\n  c: {}\n"),
        ("agents.yml", "- id: a\n  authority_domains: [x]\n- id: b\n- id: c\n"),
        ("agents.json", #"{"a": {"authority_domains": ["x"]}, "b": {}, "c": {}}"#),
    ]

    @Test("every agent configuration file name is read", arguments: configFiles)
    func agentConfigNames(_ name: String, _ contents: String) throws {
        let detection = try detect([name: contents])
        #expect(detection.hasAgentConfig)
        #expect(detection.warnings.isEmpty)
        #expect(detection.estimatedAgents == 3, "agents come from the config when there is no inbox")
        #expect(detection.has(.authorityDomains))
        #expect(detection.evidence("agent-config").map(\.path) == [name])
        #expect(detection.evidence(PatternID.authorityDomains.rawValue).first?.detail.hasSuffix(" for a") == true)
    }

    @Test("files that are not agent configuration", arguments: [
        LayoutCase(name: "config.yaml deeper than a part of the system", layout: ["a/b/c/config.yaml": "agents: {a: {authority_domains: [x]}}"]),
        LayoutCase(name: "settings below the root without agents", layout: ["chat/config.toml": "[server]\nport = 1\n", "web/config.json": #"{"agents": 3}"#]),
        LayoutCase(name: "other names", layout: ["settings.yaml": "agents: {a: {}}", "config.toml": "x", "agent.json": "{}"]),
        LayoutCase(name: "config.yaml as a folder", layout: ["config.yaml/": ""]),
    ])
    func notAgentConfig(_ row: LayoutCase) throws {
        let detection = try detect(row.layout)
        #expect(!detection.hasAgentConfig)
        #expect(!detection.has(.authorityDomains))
        #expect(detection.finding(.authorityDomains).summary.contains("no agent configuration"))
    }

    @Test("a part of the system declares its agents in its own settings file, in YAML, JSON or TOML", arguments: [
        ("chat/config.toml", "[server]\nport = 8300\n\n[agents.claude]\ncommand = \"claude\"\n\n[agents.codex]\ncommand = \"codex\"\n"),
        ("bridge/config.yaml", "agents:\n  claude: {command: claude}\n  codex: {command: codex}\n"),
        ("svc/settings.json", #"{"agents": [{"name": "claude"}, {"name": "codex"}]}"#),
    ])
    func nestedSettings(_ path: String, _ contents: String) throws {
        let detection = try detect([path: contents])
        #expect(detection.hasAgentConfig)
        #expect(detection.estimatedAgents == 2)
        #expect(detection.evidence("agent-config").map(\.path) == [path])
    }

    @Test("a settings file at the root named for the agents it configures is agent configuration")
    func namedForAgents() throws {
        let detection = try detect(["agent-orchestrator.yaml": "defaults:\n  agent: claude-code\n"])
        #expect(detection.hasAgentConfig)
        #expect(detection.evidence("agent-config").map(\.path) == ["agent-orchestrator.yaml"])
    }

    @Test("agents as a mapping and as a list")
    func agentsMappingAndList() throws {
        let mapping = try detect(["config.yaml": "agents:\n" + (1...6).map { "  agent\($0):\n    role: r\n" }.joined()])
        #expect(mapping.estimatedAgents == 6)
        #expect(mapping.estimatedUsers == 2)
        #expect(mapping.estimatedScale == .team)
        #expect(!mapping.has(.authorityDomains))
        #expect(mapping.finding(.authorityDomains).summary.contains("no authority_domains"))

        let list = try detect(["agents.yaml": "agents:\n" + (1...9).map { "  - name: agent\($0)\n" }.joined()])
        #expect(list.estimatedAgents == 9)
        #expect(list.estimatedUsers == 3)

        let unnamed = try detect(["config.yaml": "agents:\n  - role: a\n  - role: b\n    authority_domains: [x]\n"])
        #expect(unnamed.estimatedAgents == 2)
        #expect(unnamed.has(.authorityDomains))
    }

    @Test("every configuration file is read and agents are counted once")
    func severalConfigFiles() throws {
        let detection = try detect([
            "config.yaml": "agents:\n  a: {}\n  b: {}\n",
            "agents.json": #"{"agents": [{"name": "b"}, {"name": "c", "authority_domains": ["ops"]}]}"#,
        ])
        #expect(detection.estimatedAgents == 3)
        #expect(detection.has(.authorityDomains), "authority_domains in the second file counts")
        #expect(detection.evidence(PatternID.authorityDomains.rawValue).map(\.path) == ["agents.json"])
        #expect(Set(detection.evidence("agent-config").map(\.path)) == ["config.yaml", "agents.json"])
    }

    // MARK: Malformed configuration

    @Test("malformed YAML: a warning with the file and the line, and the config still counts")
    func malformedYAML() throws {
        let text = "agents:\n  code:\n\trole: tabs are not indentation\n  chat: {}\n"
        let detection = try detect(["config.yaml": text])
        #expect(detection.hasAgentConfig)
        let warning = try #require(detection.warnings.first { $0.path == "config.yaml" })
        #expect(warning.message.contains("YAML"))
        #expect(warning.line == 3, "the tab is on line 3")
        #expect(warning.description.hasPrefix("config.yaml:3: "))
        #expect(detection.evidence("agent-config").first?.detail.contains("not readable") == true)
        // The rest of the analysis goes on.
        #expect(detection.patterns.count == 8)
    }

    @Test("an unclosed flow sequence is reported at a line inside the file")
    func malformedYAMLUnclosed() throws {
        let text = "# comment\nagents:\n  code: [one, two\n  chat: {}\n"
        let detection = try detect(["config.yaml": text])
        let warning = try #require(detection.warnings.first { $0.path == "config.yaml" })
        let line = try #require(warning.line)
        #expect((3...5).contains(line))
        #expect(detection.hasAgentConfig)
    }

    @Test("malformed JSON gives a warning with the line, and the config still counts", arguments: [
        ("{\n  \"agents\": [\n    1,\n  }\n", 4),
        ("{\n\"a\": 1\n}\n\n  garbage\n", 5),
    ])
    func malformedJSON(_ text: String, _ line: Int) throws {
        let detection = try detect(["config.json": text])
        #expect(detection.hasAgentConfig)
        let warning = try #require(detection.warnings.first { $0.path == "config.json" })
        #expect(warning.message.contains("JSON"))
        #expect(warning.line == line)
    }

    @Test("truncated JSON gives a warning")
    func truncatedJSON() throws {
        let detection = try detect(["agents.json": "[1, 2"])
        #expect(detection.hasAgentConfig)
        #expect(detection.warnings.contains { $0.path == "agents.json" && $0.message.contains("JSON") })
    }

    @Test("YAML aliases and merge keys are followed when looking for authority_domains")
    func yamlAliasesAndMergeKeys() throws {
        let alias = try detect(["config.yaml": "defaults: &d\n  authority_domains: [x]\nagents:\n  a: *d\n"])
        #expect(alias.has(.authorityDomains))
        // PyYAML, which the original tool used, applies `<<` merge keys.
        let merge = try detect(["config.yaml": "defaults: &d\n  authority_domains: [x]\nagents:\n  a:\n    <<: *d\n    role: r\n"])
        #expect(merge.estimatedAgents == 1)
        #expect(merge.has(.authorityDomains))
    }

    @Test("binary, empty and non-UTF-8 configuration files give warnings", arguments: [
        ("config.yaml", [0x61, 0x00, 0x62, 0xFF] as [UInt8], "binary"),
        ("agents.json", [], "empty"),
        ("config.yml", Array(" \n\t\n".utf8), "empty"),
        ("agents.yaml", [0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A], "UTF-8"),
    ])
    func unreadableConfig(_ name: String, _ bytes: [UInt8], _ word: String) throws {
        let tree = try TempTree("config")
        try tree.bytes(name, bytes)
        let detection = try analyze(tree.path).detection
        #expect(detection.hasAgentConfig)
        let warning = try #require(detection.warnings.first { $0.path == name })
        #expect(warning.message.contains(word))
    }

    @Test("FIFOs where a config, a script or an event log is expected are never opened")
    func fifosInPlaceOfFiles() throws {
        let tree = try TempTree("fifos")
        let pipes = [
            try tree.fifo("config.yaml"), try tree.fifo("scripts/run.sh"), try tree.fifo("events.log"),
            try tree.fifo("inbox/a/x-\(uuid).msg"), try tree.fifo("spec.tla"), try tree.fifo("run.sh"),
        ]
        let root = tree.path
        let box = DetectionBox()
        let finished = finishes(within: 60, unblock: { pipes.forEach(releaseReaders(of:)) }) {
            box.result = try? analyze(root).detection
        }
        #expect(finished, "the analysis blocked on a FIFO")
        let detection = try #require(box.result)
        // Markers count by name without being opened; content-based findings need a regular file.
        #expect(detection.hasAgentConfig)
        #expect(detection.warnings.contains { $0.path == "config.yaml" && $0.message.contains("not a regular file") })
        #expect(detection.hasEventLog)
        #expect(detection.evidence("event-log").first?.detail.contains("not read") == true)
        #expect(!detection.has(.faultTolerantWrappers))
        #expect(!detection.has(.collisionFreeMessaging))
        #expect(!detection.has(.tlaVerification))
        #expect(detection.messageFiles == 0)
    }

    @Test("symlinked markers count by name and are never followed")
    func symlinkMarkers() throws {
        let tree = try TempTree("links")
        let elsewhere = try TempTree("elsewhere")
        try elsewhere.file("agent/x-\(uuid).msg", "x")
        try elsewhere.file("events.log", "x")
        try elsewhere.file("Spec.tla", "x")
        try elsewhere.file("retry.sh", "retry\n")
        try tree.symlink("inbox", to: elsewhere.path)
        try tree.symlink("events.log", to: elsewhere.absolute("events.log"))
        try tree.symlink("priority", to: elsewhere.path)
        try tree.symlink("Spec.tla", to: elsewhere.absolute("Spec.tla"))
        try tree.symlink("scripts", to: elsewhere.path)
        let detection = try analyze(tree.path).detection
        #expect(detection.messageSystemType == .fileBased)
        #expect(detection.evidence("message-system").first?.detail.contains("symlink") == true)
        #expect(detection.hasEventLog)
        #expect(detection.has(.priorityQueue))
        #expect(!detection.hasInboxStructure, "the link is not followed, so no agent folders are seen")
        #expect(!detection.has(.collisionFreeMessaging))
        #expect(!detection.has(.faultTolerantWrappers))
        #expect(detection.messageFiles == 0)
    }

    // MARK: Scale

    @Test("agents come from inbox/ folders, not the config, when inbox/ exists")
    func inboxAgentsWin() throws {
        var layout: Layout = ["config.yaml": "agents:\n" + (1...30).map { "  a\($0): {}\n" }.joined()]
        for name in ["a", "b", "c", "d", "e", "f"] { layout["inbox/\(name)/"] = "" }
        let detection = try detect(layout)
        #expect(detection.estimatedAgents == 6)
        #expect(detection.estimatedUsers == 2)
        #expect(detection.estimatedScale == .team)

        layout = layout.filter { !$0.key.hasPrefix("inbox/") }
        let fromConfig = try detect(layout)
        #expect(fromConfig.estimatedAgents == 30)
        #expect(fromConfig.estimatedUsers == 10)
        #expect(fromConfig.estimatedScale == .organization)
    }

    @Test("users = max(1, agents / 3) and the user thresholds", arguments: [
        (0, 1, Scale.individual), (2, 1, .individual), (5, 1, .individual), (6, 2, .team), (29, 9, .team),
        (30, 10, .organization), (299, 99, .organization), (300, 100, .enterprise),
    ])
    func usersFromAgents(_ agents: Int, _ users: Int, _ scale: Scale) throws {
        let tree = try TempTree("users")
        try tree.dir("inbox")
        for index in 0..<agents { try tree.dir("inbox/agent\(index)") }
        let detection = try analyze(tree.path).detection
        #expect(detection.estimatedAgents == agents)
        #expect(detection.estimatedUsers == users)
        #expect(detection.estimatedScale == scale)
    }

    @Test("messages per day: recent files / 7 when any is recent, else all / 30")
    func messagesPerDay() throws {
        let tree = try TempTree("messages")
        for index in 0..<14 { try tree.file("inbox/a/r\(index).msg", "x", modified: fixedNow - 1 * day) }
        for index in 0..<5 { try tree.file("inbox/a/o\(index).msg", "x", modified: fixedNow - 30 * day) }
        let recent = try analyze(tree.path).detection
        #expect(recent.messageFiles == 19)
        #expect(recent.recentMessageFiles == 14)
        #expect(recent.estimatedMessagesPerDay == 2)

        let old = try TempTree("old")
        for index in 0..<65 { try old.file("inbox/a/o\(index).json", "{}", modified: fixedNow - 10 * day) }
        let stale = try analyze(old.path).detection
        #expect(stale.messageFiles == 65)
        #expect(stale.recentMessageFiles == 0)
        #expect(stale.estimatedMessagesPerDay == 2)
    }

    @Test("a file exactly seven days old is recent; one second more is not")
    func recentWindowBoundary() throws {
        let edge = try TempTree("edge")
        for index in 0..<7 { try edge.file("inbox/a/m\(index).msg", "x", modified: fixedNow - 7 * day) }
        let atEdge = try analyze(edge.path).detection
        #expect(atEdge.recentMessageFiles == 7)
        #expect(atEdge.estimatedMessagesPerDay == 1)

        let past = try TempTree("past")
        for index in 0..<7 { try past.file("inbox/a/m\(index).msg", "x", modified: fixedNow - 7 * day - 1) }
        let pastEdge = try analyze(past.path).detection
        #expect(pastEdge.recentMessageFiles == 0)
        #expect(pastEdge.estimatedMessagesPerDay == 0)
    }

    @Test("files dated after the report time are not recent: counted apart, with a warning", arguments: ["inbox/a", "mailboxes/a/new"])
    func futureDated(_ folder: String) throws {
        let tree = try TempTree("future")
        let year2400 = Date(timeIntervalSince1970: 13_569_465_600)
        // 700 future files alone would read as 100 a day, a team; as old files they are 700 / 30 = 23.
        for index in 0..<700 { try tree.file("\(folder)/m\(index).msg", "x", modified: year2400) }
        try tree.file("\(folder)/now.msg", "x", modified: fixedNow)
        if folder.hasPrefix("mailboxes") { try tree.dir("mailboxes/b/new") }
        let detection = try analyze(tree.path).detection
        #expect(detection.messageFiles == 701)
        #expect(detection.recentMessageFiles == 1)
        #expect(detection.estimatedMessagesPerDay == 0, "1 recent file / 7")
        #expect(detection.warnings.contains { $0.message.hasPrefix("700 message files are dated after the report time") },
                "\(detection.warnings)")
    }

    @Test("100 messages a day makes a team even with one user", arguments: [(699, 99, Scale.individual), (700, 100, .team)])
    func volumeThreshold(_ files: Int, _ perDay: Int, _ scale: Scale) throws {
        let tree = try TempTree("volume")
        for index in 0..<files { try tree.file("inbox/a/m\(index).msg", "", modified: fixedNow - day) }
        let detection = try analyze(tree.path).detection
        #expect(detection.estimatedUsers == 1)
        #expect(detection.estimatedMessagesPerDay == perDay)
        #expect(detection.estimatedScale == scale)
    }

    @Test("scale thresholds on users and messages per day", arguments: [
        (1, 0, Scale.individual), (1, 99, .individual), (2, 0, .team), (1, 100, .team), (9, 999, .team),
        (10, 0, .organization), (1, 1_000, .organization), (99, 99_999, .organization),
        (100, 0, .enterprise), (1, 100_000, .enterprise),
    ])
    func scaleThresholds(_ users: Int, _ perDay: Int, _ scale: Scale) {
        #expect(ScaleDetector.scale(users: users, messagesPerDay: perDay) == scale)
    }

    @Test("which files count as messages")
    func messageFileRules() throws {
        let tree = try TempTree("names")
        let counted = ["a.msg", "b.json", "c.md", "d.eml", "e.yaml", "f.yml", "g.txt", "H.MSG", "sub/deep.msg"]
        let ignored = ["x.log", "y.tmp", ".hidden.msg", "_draft.msg", "README.md", "README", "noext"]
        for name in counted + ignored { try tree.file("inbox/a/\(name)", "x", modified: fixedNow) }
        try tree.file("messages/outside.msg", "x", modified: fixedNow)  // not under inbox/
        try tree.symlink("inbox/a/link.msg", to: "a.msg")
        let detection = try analyze(tree.path).detection
        #expect(detection.messageFiles == counted.count)
        #expect(detection.recentMessageFiles == counted.count)
    }

    // MARK: Message naming patterns

    struct NameCase: Sendable, CustomTestStringConvertible {
        var path: String
        var uuid: Bool
        var sha: Bool
        var testDescription: String { path }
    }

    static let nameCases: [NameCase] = [
        .init(path: "inbox/a/2025-10-30T12:34:56-0600-code-\(uuid).msg", uuid: true, sha: false),
        .init(path: "inbox/a/\(uuid.uppercased()).msg", uuid: true, sha: false),
        .init(path: "inbox/a/550e8400-E29B-41d4-A716-446655440000.json", uuid: true, sha: false),
        .init(path: "inbox/a/550e8400e29b41d4a716446655440000.msg", uuid: false, sha: false),
        .init(path: "inbox/a/550e8400-e29b-41d4-a716-44665544000.msg", uuid: false, sha: false),
        .init(path: "inbox/a/550e8400_e29b_41d4_a716_446655440000.msg", uuid: false, sha: false),
        .init(path: "inbox/a/550g8400-e29b-41d4-a716-446655440000.msg", uuid: false, sha: false),
        .init(path: "inbox/a/\(uuid).log", uuid: false, sha: false),
        .init(path: "notes/\(uuid).msg", uuid: true, sha: false),
        .init(path: "notes/\(uuid).json", uuid: false, sha: false),
        .init(path: "messages/\(uuid).txt", uuid: true, sha: false),
        .init(path: "inbox/a/\(sha).msg", uuid: false, sha: true),
        .init(path: "inbox/a/reply-\(sha.uppercased()).md", uuid: false, sha: true),
        .init(path: "inbox/a/\(sha.dropLast()).msg", uuid: false, sha: false),
        .init(path: "inbox/a/\(sha.prefix(32))-\(sha.suffix(32)).msg", uuid: false, sha: false),
        .init(path: "inbox/a/.\(sha).msg", uuid: false, sha: false),
    ]

    @Test("UUID and SHA-256 in message file names", arguments: nameCases)
    func messageNames(_ row: NameCase) throws {
        let detection = try detect([row.path: "x"])
        #expect(detection.has(.collisionFreeMessaging) == row.uuid)
        #expect(detection.has(.contentAddressedDAG) == row.sha)
        if row.uuid {
            #expect(detection.evidence(PatternID.collisionFreeMessaging.rawValue).map(\.path) == [row.path])
        }
        if row.sha {
            #expect(detection.evidence(PatternID.contentAddressedDAG.rawValue).map(\.path) == [row.path])
        }
    }

    @Test("the UUID share covers every message file")
    func uuidShare() throws {
        let detection = try detect([
            "inbox/a/one-\(uuid).msg": "", "inbox/a/two-\(uuid.uppercased()).msg": "", "inbox/a/three.msg": "",
        ])
        #expect(detection.finding(.collisionFreeMessaging).summary.contains("2 of 3"))
        #expect(detection.evidence(PatternID.collisionFreeMessaging.rawValue).count == 2)
    }

    @Test("name matching", arguments: [
        (uuid, true), (uuid.uppercased(), true), ("x\(uuid)y", true), (String(uuid.dropLast()), false), ("", false),
        ("550e8400-e29b-41d4-a716-4466554400zz", false), ("550e8400-e29b-41d4a716-446655440000", false),
    ])
    func uuidMatching(_ name: String, _ expected: Bool) {
        #expect(NameMatching.containsUUID(name) == expected)
    }

    // MARK: Lanes

    @Test("priority lanes", arguments: ["inbox/priority/", "queue/high/", "queue/priority/", "priority/"])
    func priorityLanes(_ folder: String) throws {
        let detection = try detect([folder: ""])
        #expect(detection.has(.priorityQueue))
        #expect(!detection.has(.deferQueue))
        #expect(detection.evidence(PatternID.priorityQueue.rawValue).map(\.path) == [folder])
    }

    @Test("defer lanes", arguments: ["inbox/defer/", "defer/", "defer-queue/", "queue/defer/"])
    func deferLanes(_ folder: String) throws {
        let detection = try detect([folder: ""])
        #expect(detection.has(.deferQueue))
        #expect(!detection.has(.priorityQueue))
        #expect(detection.evidence(PatternID.deferQueue.rawValue).map(\.path) == [folder])
    }

    @Test("not lanes", arguments: [
        LayoutCase(name: "lanes below folders that hold no messages", layout: ["sub/priority/": "", "src/defer/": "", "x/queue/high/": ""]),
        LayoutCase(name: "lane names as files", layout: ["priority": "x", "defer": "x", "inbox/priority": "x"]),
        LayoutCase(name: "near names", layout: ["priorities/": "", "deferral/": "", "inbox/a/later/": ""]),
    ])
    func notLanes(_ row: LayoutCase) throws {
        let detection = try detect(row.layout)
        #expect(!detection.has(.priorityQueue))
        #expect(!detection.has(.deferQueue))
    }

    // MARK: Fault-tolerant wrappers

    struct ScriptCase: Sendable, CustomTestStringConvertible {
        var path: String
        var text: String
        var line: Int?
        var testDescription: String { "\(path) → \(line.map(String.init) ?? "absent")" }
    }

    static let scriptCases: [ScriptCase] = [
        .init(path: "run.sh", text: "#!/bin/sh\necho start\nfor i in 1 2; do RETRY=1; done\n", line: 3),
        .init(path: "scripts/deploy.sh", text: "set -e\nsleep \"$BACKOFF\"\n", line: 2),
        .init(path: "bin/tool.sh", text: "Attempt one\n", line: 1),
        .init(path: "scripts/sub/nested.sh", text: "a\nb\nc\nmax_attempts=3\n", line: 4),
        .init(path: "scripts/job.py", text: "import time\n\ndef retry(f):\n    pass\n", line: 3),
        .init(path: "other/run.sh", text: "retry\n", line: nil),
        .init(path: "src/client.py", text: "import time\nfor n in range(5):\n    backoff = 2 ** n\n    time.sleep(backoff)\n", line: 3),
        .init(path: "README.md", text: "We retry with backoff.\n", line: nil),
        .init(path: "scripts/notes.txt", text: "retry\n", line: nil),
        .init(path: "run.sh", text: "echo nothing to see\n", line: nil),
        .init(path: "docs/guide.sh", text: "retry\n", line: nil),
    ]

    @Test("fault-tolerant wrappers: retry, attempt or backoff in a script, with file:line", arguments: scriptCases)
    func faultTolerantWrappers(_ row: ScriptCase) throws {
        let detection = try detect([row.path: row.text])
        let evidence = detection.evidence(PatternID.faultTolerantWrappers.rawValue)
        if let line = row.line {
            #expect(detection.has(.faultTolerantWrappers))
            #expect(evidence.count == 1)
            #expect(evidence.first?.kind == .code)
            #expect(evidence.first?.path == row.path)
            #expect(evidence.first?.line == line)
            #expect(evidence.first?.location == "\(row.path):\(line)")
            #expect(detection.finding(.faultTolerantWrappers).evidenceKinds == [.code])
        } else {
            #expect(!detection.has(.faultTolerantWrappers))
            #expect(evidence.isEmpty)
        }
    }

    @Test("scripts with CRLF line ends report the right line")
    func crlfLines() throws {
        let detection = try detect(["scripts/crlf.sh": "a\r\nb\r\nretry\r\n"])
        #expect(detection.has(.faultTolerantWrappers))
        let evidence = detection.evidence(PatternID.faultTolerantWrappers.rawValue).first
        #expect(evidence?.line == 3)
    }

    // MARK: TLA+

    @Test("a *.tla file anywhere in the tree")
    func tla() throws {
        let detection = try detect(["a/b/c/d/Spec.tla": "---- MODULE Spec ----\n===="])
        #expect(detection.has(.tlaVerification))
        #expect(detection.evidence(PatternID.tlaVerification.rawValue).map(\.path) == ["a/b/c/d/Spec.tla"])

        let near = try detect(["Spec.tla.bak": "x", "spec.tlaplus": "x", "tla/": ""])
        #expect(!near.has(.tlaVerification))
    }

    @Test("excluded folders hide their markers")
    func excludedMarkers() throws {
        let layout: Layout = ["node_modules/pkg/Spec.tla": "---- MODULE Spec ----\n====", ".git/scripts/x.sh": "retry"]
        let hidden = try detect(layout)
        #expect(!hidden.has(.tlaVerification))
        let shown = try detect(layout, scan: ScanOptions(excludes: []))
        #expect(shown.has(.tlaVerification))
    }

    // MARK: The whole detection

    @Test("gaps are the missing patterns in catalog order; patterns are listed in catalog order")
    func gapsInCatalogOrder() throws {
        let detection = try detect(["events.log": "", "specs/x.tla": "---- MODULE x ----\n====", "defer/": ""])
        #expect(detection.patterns.map(\.id) == PatternID.allCases.map(\.rawValue))
        #expect(detection.existingPatterns == [.eventSourcing, .deferQueue, .tlaVerification])
        #expect(detection.gaps == [
            .collisionFreeMessaging, .contentAddressedDAG, .authorityDomains, .priorityQueue, .faultTolerantWrappers,
        ])
        #expect(detection.patterns.allSatisfy { $0.present == detection.existingPatterns.map(\.rawValue).contains($0.id) })
        #expect(detection.patterns.filter { !$0.present }.allSatisfy { !$0.remediation.isEmpty })
    }

    @Test("the same tree and time give the same report")
    func deterministic() throws {
        var layout: Layout = ["events.log": "x", "config.yaml": "agents: {a: {authority_domains: [x]}}\n"]
        for index in 0..<40 { layout["inbox/agent\(index % 7)/m\(index)-\(uuid).msg"] = "x" }
        let tree = try build(layout)
        let first = try analyze(tree.path)
        let second = try analyze(tree.path)
        #expect(first == second)
        #expect(first.generatedAt == "2026-11-25T08:00:00Z")
        #expect(first.scan.elapsedMs == 0, "measured durations are 0 when the clock is fixed")
    }

    @Test("the sample agent-bridge matches the seed's first worked example")
    func agentBridgeSample() throws {
        let detection = try sampleReport("agent-bridge").detection
        #expect(detection.messageSystemType == .fileBased)
        #expect(detection.hasEventLog && detection.hasInboxStructure && detection.hasAgentConfig)
        #expect(detection.estimatedScale == .team)
        #expect(detection.existingPatterns.count == 6)
        #expect(detection.gaps == [.priorityQueue, .deferQueue])
    }
}

private final class DetectionBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: DetectionResult?
    var result: DetectionResult? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// How agent configuration YAML reads null, quoted text and merge keys. The
/// parser decides null and `<<` itself (style and tag), not with Yams' regex
/// resolver; these pin the answers the YAML 1.1 resolver gives.
@Suite("Config YAML: null, quoted text and merge keys")
struct ConfigYAMLTests {
    @Test("plain null, ~, Null, NULL, an empty value and !!null read as null", arguments: [
        "key: null\n", "key: ~\n", "key:\n", "key: Null\n", "key: NULL\n", "key: !!null foo\n", "{key: }\n",
    ])
    func plainNull(_ text: String) throws {
        #expect(try ConfigParser.parseYAML(text) == .mapping([(key: "key", value: .null)]))
    }

    @Test("null list items")
    func nullListItems() throws {
        #expect(try ConfigParser.parseYAML("- ~\n- null\n-\n- x\n") == .list([.null, .null, .null, .scalar("x")]))
    }

    @Test("quoted, block, tagged and look-alike scalars stay text", arguments: [
        ("key: \"null\"\n", "null"),
        ("key: 'NULL'\n", "NULL"),
        ("key: ''\n", ""),
        ("key: \"~\"\n", "~"),
        ("key: |-\n  null\n", "null"),
        ("key: >-\n  Null\n", "Null"),
        ("key: !!str null\n", "null"),
        ("key: nULL\n", "nULL"),
        ("key: None\n", "None"),
        ("key: null x\n", "null x"),
        ("key: <<\n", "<<"),
    ])
    func quotedNull(_ text: String, _ expected: String) throws {
        #expect(try ConfigParser.parseYAML(text) == .mapping([(key: "key", value: .scalar(expected))]))
    }

    @Test("null-looking keys are keys with their text")
    func nullLookingKeys() throws {
        #expect(try ConfigParser.parseYAML("~: a\nnull: b\n") == .mapping([(key: "~", value: .scalar("a")), (key: "null", value: .scalar("b"))]))
    }

    @Test("<<: *alias lends the alias' keys; the mapping's own keys win")
    func mergeSingle() throws {
        let document = try ConfigParser.parseYAML("base: &b {a: 1, b: 2}\nitem:\n  <<: *b\n  b: 3\n")
        #expect(document["item"] == .mapping([(key: "b", value: .scalar("3")), (key: "a", value: .scalar("1"))]))
    }

    @Test("<<: [*x, *y] lends the keys of each; the first one listed wins")
    func mergeList() throws {
        let document = try ConfigParser.parseYAML("x: &x {a: 1}\ny: &y {a: 2, c: 3}\nitem:\n  <<: [*x, *y]\n  d: 4\n")
        #expect(document["item"] == .mapping([
            (key: "d", value: .scalar("4")), (key: "a", value: .scalar("1")), (key: "c", value: .scalar("3")),
        ]))
    }

    @Test("a quoted \"<<\" key is an ordinary key, not a merge", arguments: ["\"<<\"", "'<<'"])
    func quotedMergeKey(_ key: String) throws {
        let document = try ConfigParser.parseYAML("base: &b {a: 1}\nitem:\n  \(key): *b\n  k: v\n")
        #expect(document["item"] == .mapping([
            (key: "<<", value: .mapping([(key: "a", value: .scalar("1"))])), (key: "k", value: .scalar("v")),
        ]))
    }

    // Composing with `.basic` resolves every plain key to `!!str`, so Yams'
    // duplicate-key check sees `1` and `"1"` as the same key; the parser then
    // composes again with the default resolver, which tells them apart.
    @Test("a plain key and the same text quoted are two keys", arguments: [
        ("1: x\n\"1\": y\n", "1", "x", "y"),
        ("on: x\n'on': y\n", "on", "x", "y"),
        ("true: a\n\"true\": b\n", "true", "a", "b"),
        ("null: a\n\"null\": b\n", "null", "a", "b"),
    ])
    func plainAndQuotedKeys(_ text: String, _ key: String, _ first: String, _ second: String) throws {
        #expect(try ConfigParser.parseYAML(text) == .mapping([
            (key: key, value: .scalar(first)), (key: key, value: .scalar(second)),
        ]))
    }

    @Test("a key given twice is still a duplicated-keys error with its line")
    func duplicatedKeys() {
        #expect(throws: ConfigError(line: 1, message: "malformed YAML: duplicated keys a")) {
            try ConfigParser.parseYAML("a: 1\na: 2\n")
        }
        #expect(throws: ConfigError(line: 3, message: "malformed YAML: duplicated keys b")) {
            try ConfigParser.parseYAML("x: 1\nitem:\n  b: 1\n  b: 2\n")
        }
        // `1` and `"1"` are two keys, so only `b` is reported, at its own line.
        #expect(throws: ConfigError(line: 3, message: "malformed YAML: duplicated keys b")) {
            try ConfigParser.parseYAML("1: x\n\"1\": y\nb: 1\nb: 2\n")
        }
    }

    @Test("merge keys and nulls read the same in a document composed with the default resolver")
    func mergeAndNullAfterFallback() throws {
        let document = try ConfigParser.parseYAML("""
            1: x
            "1": y
            base: &b {a: 1, n: null}
            item:
              <<: *b
              t: ~
              e:
              q: "null"
            list: [~, null, x]
            """)
        #expect(document == .mapping([
            (key: "1", value: .scalar("x")),
            (key: "1", value: .scalar("y")),
            (key: "base", value: .mapping([(key: "a", value: .scalar("1")), (key: "n", value: .null)])),
            (key: "item", value: .mapping([
                (key: "t", value: .null), (key: "e", value: .null), (key: "q", value: .scalar("null")),
                (key: "a", value: .scalar("1")), (key: "n", value: .null),
            ])),
            (key: "list", value: .list([.null, .null, .scalar("x")])),
        ]))
    }
}
