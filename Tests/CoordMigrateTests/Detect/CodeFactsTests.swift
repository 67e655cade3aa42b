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

/// What the code of a system says about it, where no runtime folder or database
/// file is in the checkout: each rule with a tree that has it and a false friend.
@Suite("Facts read from code")
struct CodeFactsTests {
    func detection(_ files: [String: String]) throws -> DetectionResult {
        let tree = try TempTree("codefacts")
        for (path, content) in files { try tree.file(path, content) }
        return try analyze(tree.path, discover: false).detection
    }

    @Test("a message table the code creates makes the system database-backed, the driver naming the engine", arguments: [
        ("schema.sql", "CREATE TABLE IF NOT EXISTS messages (\n  id INTEGER PRIMARY KEY,\n  body TEXT\n);\n"),
        ("src/db.ts", "import Database from 'better-sqlite3';\nconst db = new Database(path);\ndb.exec(`CREATE TABLE mail (id TEXT, sender TEXT, recipient TEXT, body TEXT)`);\n"),
        ("internal/store.go", "import _ \"modernc.org/sqlite\"\nconst schema = `create table \"envelopes\" (\"from\" text, \"to\" text, payload text)`\n"),
    ])
    func messageTable(_ path: String, _ content: String) throws {
        let found = try detection([path: content])
        #expect(found.messageSystemType == .database)
        #expect(found.evidence.contains { $0.subject == .messageSystem && $0.kind == .code && $0.path == path })
        if content.contains("sqlite") { #expect(found.databaseType == "sqlite") }
    }

    @Test("tables that hold no messages do not make a database system")
    func otherTables() throws {
        let found = try detection(["schema.sql": "CREATE TABLE users (id INTEGER, email TEXT);\nCREATE TABLE settings (key TEXT, value TEXT);\n"])
        #expect(found.messageSystemType == MessageSystemType.none)
    }

    @Test("an event table is the event log only when code inserts into it")
    func eventTable() throws {
        let declared = "CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT, created_at TEXT);\n"
        let written = try detection(["schema.sql": declared, "src/log.py": "cur.execute(\"INSERT INTO events (kind, created_at) VALUES (?, ?)\", row)\n"])
        #expect(written.hasEventLog)
        #expect(written.existingPatterns.contains(.eventSourcing))
        #expect(written.evidence.contains { $0.subject == .eventLog && $0.path == "src/log.py" && $0.line == 1 })
        let onlyDeclared = try detection(["schema.sql": declared])
        #expect(!onlyDeclared.hasEventLog)
    }

    @Test("an agents table the code keeps is agent configuration")
    func agentTable() throws {
        let found = try detection(["migrations/001.sql": "CREATE TABLE agents (name TEXT PRIMARY KEY, role TEXT, capabilities TEXT);\n"])
        #expect(found.hasAgentConfig)
    }

    @Test("agent definitions with YAML front matter under .claude/agents/ are agent configuration; prose is not")
    func frontMatter() throws {
        let defined = try detection([".claude/agents/reviewer.md": "---\nname: reviewer\ndescription: Reviews changes\ntools: Read, Grep\n---\nYou review.\n"])
        #expect(defined.hasAgentConfig)
        #expect(defined.evidence.contains { $0.subject == .agentConfig && $0.path == ".claude/agents/reviewer.md" })
        let prose = try detection([".claude/agents/README.md": "# Agents\nname: not front matter\n", "docs/agents.md": "---\nname: x\n---\n"])
        #expect(!prose.hasAgentConfig)
    }

    @Test("a UUID or digest cut short is a fragment, not an id or a content address", arguments: [
        ("id = str(uuid.uuid4())[:8]  # message id", false),
        ("const id = randomUUID().split(\"-\")[0]; // message id", false),
        ("message_id = str(uuid.uuid4())", true),
        ("id=$(uuidgen | tr '[:upper:]' '[:lower:]')  # message", true),
    ])
    func uuidFragments(_ code: String, _ counts: Bool) throws {
        let found = try detection(["scripts/send.py": "import uuid\n\(code)\nopen(f'inbox/{to}/{id}.msg', 'w')\n"])
        #expect(found.existingPatterns.contains(.collisionFreeMessaging) == counts, "\(code)")
    }

    @Test("SHA-256 cut short or used for an HMAC is not content addressing")
    func digestFriends() throws {
        let slug = try detection(["src/paths.ts": "const slug = createHash('sha256').update(root).digest('hex').slice(0, 10); // message spool\n"])
        #expect(!slug.existingPatterns.contains(.contentAddressedDAG))
        let hmac = try detection(["src/sign.ts": "const sig = createHmac('sha256', key).update(message).digest('hex');\n"])
        #expect(!hmac.existingPatterns.contains(.contentAddressedDAG))
        let stored = try detection(["scripts/store.sh": "digest=$(sha256sum < message.msg | awk '{print $1}')\ncp message.msg \"objects/$digest.msg\"\n"])
        #expect(stored.existingPatterns.contains(.contentAddressedDAG))
    }

    @Test("a journal appended by code is the event log, the name and the append on different lines", arguments: [
        ("bin/agent-bus", "#!/usr/bin/env bash\nLEDGER=\"$HOME/.bus/ledger.jsonl\"\npost() {\n  printf '%s\\n' \"$1\" >> \"$LEDGER\"\n}\n", 4),
        ("src/log.py", "EVENTS = root / 'events.jsonl'\n\ndef emit(event):\n    with open(EVENTS, 'a') as f:\n        f.write(json.dumps(event))\n", 4),
    ])
    func journalAppend(_ path: String, _ content: String, _ line: Int) throws {
        let found = try detection([path: content])
        #expect(found.hasEventLog)
        #expect(found.evidence.contains { $0.subject == .eventLog && $0.kind == .code && $0.path == path && $0.line == line })
    }

    @Test("a program that appends to a log but names no journal is not an event log")
    func appendWithoutJournal() throws {
        let found = try detection(["src/debug.py": "with open('debug.txt', 'a') as f:\n    f.write('x')\n"])
        #expect(!found.hasEventLog)
    }

    @Test("an extensionless program with a shebang in bin/ is read as code; one without is not")
    func shebang() throws {
        let script = "appends\nprintf '%s\\n' \"$event\" >> \"$HOME/events.jsonl\"\n"
        #expect(try detection(["bin/bus": "#!/bin/sh\n" + script]).hasEventLog)
        #expect(try !detection(["bin/bus": "not a script\n" + script]).hasEventLog)
    }

    @Test("a program that writes messages into a store of files makes the system file-based, even behind a server.py")
    func fileStore() throws {
        let spool = "import { appendFileSync } from 'node:fs';\nconst spool = join(home, 'inbox', `${slug}.jsonl`);\nexport function send(message) { appendFileSync(spool, JSON.stringify(message)); }\n"
        let found = try detection(["src/spool.ts": spool, "server.py": "app = FastAPI()\n"])
        #expect(found.messageSystemType == .fileBased)
        #expect(found.evidence.contains { $0.subject == .messageSystem && $0.kind == .code && $0.path == "src/spool.ts" })
        // Writing files that are no message store, in a program that handles messages, is not one.
        let report = try detection(["src/report.py": "def summary(messages):\n    with open('summary.txt', 'w') as f:\n        f.write(str(len(messages)))\n"])
        #expect(report.messageSystemType == MessageSystemType.none)
    }

    @Test("routes or MCP tools that send and fetch messages make an api system; routes about anything else do not")
    func routes() throws {
        let relay = "from fastapi import APIRouter\nrouter = APIRouter()\nqueues = {}\n@router.post('/send')\ndef send(message: Message):\n    queues[message.to].append(message)\n"
        let found = try detection(["src/relay/router.py": relay])
        #expect(found.messageSystemType == .api)
        let health = try detection(["src/app.py": "@app.get('/health')\ndef health():\n    return {'ok': True}\n"])
        #expect(health.messageSystemType == MessageSystemType.none)
    }

    @Test("intake ordered by priority is a priority queue; a priority only stored is not")
    func priorityOrder() throws {
        let ordered = try detection(["src/repo.ts": "const pending = db.prepare(`SELECT * FROM messages ORDER BY CASE priority WHEN 'high' THEN 0 ELSE 1 END, created_at`);\n"])
        #expect(ordered.existingPatterns.contains(.priorityQueue))
        let stored = try detection(["src/repo.ts": "db.run(`INSERT INTO messages (priority, body) VALUES (?, ?)`);\nconst next = db.prepare(`SELECT * FROM messages ORDER BY created_at`);\n"])
        #expect(!stored.existingPatterns.contains(.priorityQueue))
    }

    @Test("Go programs are read: a retry loop that sleeps, UUID message ids")
    func goSources() throws {
        let retry = "package bus\n\nfunc deliver(m Message) error {\n\tfor attempt := 0; attempt < maxRetries; attempt++ {\n\t\tif err := post(m); err == nil {\n\t\t\treturn nil\n\t\t}\n\t\ttime.Sleep(backoff(attempt))\n\t}\n\treturn errRetries\n}\n"
        #expect(try detection(["internal/bus/deliver.go": retry]).existingPatterns.contains(.faultTolerantWrappers))
        let ids = "package bus\n\nfunc newMessage(body string) Message {\n\treturn Message{ID: uuid.NewString(), Body: body}\n}\n"
        #expect(try detection(["internal/bus/message.go": ids]).existingPatterns.contains(.collisionFreeMessaging))
    }

    @Test("in a database system, inbox/<agent> in code is a route, not a per-agent folder")
    func routesAreNotInboxes() throws {
        let found = try detection([
            "schema.sql": "CREATE TABLE messages (id TEXT, sender TEXT, recipient TEXT, body TEXT);\n",
            "src/routes.py": "@app.get(f\"/inbox/{agent}\")\ndef inbox(agent): return fetch(agent)\n",
        ])
        #expect(found.messageSystemType == .database)
        #expect(!found.hasInboxStructure)
    }

    @Test("what comments, docstrings and log strings say is never evidence")
    func prose() throws {
        let commented = try detection([
            "scripts/send.py": "\"\"\"Writes each message to events.jsonl with a uuid4() id.\"\"\"\nimport sys  # retry with backoff\nprint(sys.argv)\n",
            "src/db.ts": "// CREATE TABLE messages (id TEXT, sender TEXT, recipient TEXT)\nexport const x = 1;\n",
            "bin/loop.sh": "for i in 1 2 3; do\n  echo \"retry later\"; run\n  sleep 1\ndone\n",
        ])
        #expect(!commented.hasEventLog)
        #expect(commented.messageSystemType != .database)
        #expect(!commented.existingPatterns.contains(.collisionFreeMessaging))
        // A word in a log string still counts for a retry loop: `echo "retrying"` beside a loop that sleeps.
        #expect(commented.existingPatterns.contains(.faultTolerantWrappers))
    }

    @Test("a SHA-256 digest counts when it names, locates or chains what is stored, not as a checksum or cache key", arguments: [
        ("store.py", "def put(message):\n    digest = hashlib.sha256(message).hexdigest()\n    (root / 'objects' / digest).write_text(message)\n", true),
        ("log.py", "def append(event, last):\n    event['prev_hash'] = hashlib.sha256(last).hexdigest()\n", true),
        ("cache.py", "def get(message):\n    key = hashlib.sha256(message).hexdigest()\n    return cache.get(key)\n", false),
        ("check.go", "func verify(message []byte, want string) bool {\n\tsum := sha256.Sum256(message)\n\treturn hex.EncodeToString(sum[:]) == want\n}\n", false),
    ])
    func digestUses(_ path: String, _ code: String, _ counts: Bool) throws {
        let found = try detection(["src/" + path: code])
        #expect(found.existingPatterns.contains(.contentAddressedDAG) == counts, "\(path)")
    }

    @Test("a UUID that names a session, a transport or a token is not a message id")
    func uuidOtherThings() throws {
        let session = try detection(["src/http.ts": "// message server\nconst transport = new Transport({ sessionIdGenerator: () => randomUUID() });\nexport function inbox() {}\n"])
        #expect(!session.existingPatterns.contains(.collisionFreeMessaging))
        let message = try detection(["src/send.ts": "export function send(inbox: string) {\n  const message = { id: randomUUID(), to: inbox };\n}\n"])
        #expect(message.existingPatterns.contains(.collisionFreeMessaging))
    }

    @Test("an append-only JSONL file that a program writes its events to is the event log")
    func eventAppends() throws {
        let found = try detection(["bus/log.py": "def append_event(event, path):\n    with open(path, 'a+b') as f:\n        f.write(json.dumps(event).encode())\n"])
        #expect(found.hasEventLog)
        #expect(found.evidence.contains { $0.subject == .eventLog && $0.path == "bus/log.py" && $0.line == 2 })
    }

    @Test("every program is read, however many files the tree has")
    func noFileCap() throws {
        var files: [String: String] = [:]
        for index in 0..<2500 { files[String(format: "src/a%04d.py", index)] = "x = \(index)\n" }
        files["src/z.py"] = "def emit(event):\n    with open('events.jsonl', 'a') as f:\n        f.write(event)\n"
        let found = try detection(files)
        #expect(found.hasEventLog)
    }

    @Test("a column that holds work until a time, compared by the intake, is a defer queue; a name ending like one is not")
    func timeGatedDefer() throws {
        let held = try detection(["internal/lease.go": "const claim = `SELECT id FROM deliveries WHERE state = 'queued' AND visible_at <= ?` // message queue\n"])
        #expect(held.existingPatterns.contains(.deferQueue))
        #expect(held.evidence.contains { $0.subject == .pattern(.deferQueue) && $0.path == "internal/lease.go" && $0.line == 1 })
        let backoff = try detection(["src/publish.py": "def publish(message):\n    if time.time() < self.retry_not_before:\n        return\n"])
        #expect(!backoff.existingPatterns.contains(.deferQueue))
    }

    @Test("ordering by priority is an intake only in a program about messages or a queue")
    func priorityListing() throws {
        let listing = try detection(["store/journeys.go": "query += \" ORDER BY priority ASC, updated_at DESC\"\n"])
        #expect(!listing.existingPatterns.contains(.priorityQueue))
        let intake = try detection(["store/queue.go": "// the work queue\nconst next = `SELECT id FROM queue ORDER BY priority DESC LIMIT 1`\n"])
        #expect(intake.existingPatterns.contains(.priorityQueue))
    }

    @Test("a program that writes a JSON record per agent or session into a registry folder keeps an agent registry")
    func registryWrites() throws {
        let found = try detection([
            "bin/bus": "#!/usr/bin/env bash\ntouch_seat() {\n  local f=\"$BUS/seats/$SEAT.json\"\n  jq -n --arg s \"$SEAT\" '{seat: $s}' > \"$f\"\n}\n",
        ])
        #expect(found.hasAgentConfig)
        #expect(found.evidence.contains { $0.subject == .agentConfig && $0.kind == .code && $0.path == "bin/bus" && $0.line == 3 })
        let reads = try detection(["src/keys.py": "KEYS = root / 'agents' / f'{name}.json'\nprint(KEYS.read_text())\n"])
        #expect(!reads.hasAgentConfig)
    }

    @Test("tests and fixtures are not the system: what they write is never evidence")
    func testsAreNotTheSystem() throws {
        let found = try detection([
            "tests/test_bus.py": "def test_send(tmp_path):\n    message_id = str(uuid.uuid4())\n    with open(tmp_path / 'events.jsonl', 'a') as f:\n        f.write(message_id)\n",
            "src/bus.test.ts": "const message = { id: randomUUID() };\nappendFileSync('events.jsonl', JSON.stringify(message));\n",
            "internal/store_test.go": "func TestSend(t *testing.T) { id := uuid.New() // message\n }\n",
        ])
        #expect(!found.hasEventLog)
        #expect(!found.existingPatterns.contains(.collisionFreeMessaging))
    }

    @Test("a test is known by its folder (as written) or by its name (in any case)")
    func testNames() throws {
        let expected: [String: Bool] = [
            "tests/bus.py": true, "pkg/__tests__/a.ts": true, "a/b/fixtures/c.go": true, "examples/x.sh": true, "spec/x.rb": true,
            "Tests/bus.py": false, "testing/bus.py": false, "latest/bus.py": false, "src/tests.d/x.sh": false,
            "src/test_bus.py": true, "src/TEST_Bus.py": true, "src/test-bus.py": false, "src/contest.py": false,
            "src/store_test.go": true, "src/Store_TEST.go": true, "src/bus.test.ts": true, "src/bus.Spec.js": true,
            "src/bus.spec": false, "src/protest.py": false, "bin/my_test": true, "src/déjà_test.py": true,
            "src/conftest.py": true, "src/CONFTEST.PY": true, "src/conftest.pyc": false, "src/latest.py": false,
        ]
        let tree = try TempTree("testnames")
        for path in expected.keys { try tree.file(path, "x\n") }
        var seen: [String: Bool] = [:]
        _ = try Scanner().walk(root: tree.path) { entry in
            if entry.kind == .file { seen[entry.path] = CodeReader.isTest(entry) }
        }
        #expect(seen == expected)
    }

    @Test("capabilities that are tokens a program can check are authority domains; free-text descriptions are not")
    func scopeTokens() throws {
        let tokens = try detection(["registry/agents/triage.json": "{\"name\": \"triage\", \"capabilities\": [\"classify\", \"repo:write\"]}\n"])
        #expect(tokens.existingPatterns.contains(.authorityDomains))
        let prose = try detection(["registry/agents/pm.json": "{\"name\": \"pm\", \"capabilities\": [\"Plans the work and routes it\", \"タスク分割・分配\"]}\n"])
        #expect(prose.hasAgentConfig)
        #expect(!prose.existingPatterns.contains(.authorityDomains))
    }

    @Test("a retry loop has its wait near the retry; a retry setting far from any wait is a setting")
    func retryNearWait() throws {
        let setting = "type RetryConfig struct {\n\tMaxRetries int\n\tBackoffMultiplier float64\n}\n" + String(repeating: "// filler\nvar _ = 1\n", count: 60)
            + "func poll() {\n\tfor {\n\t\ttime.Sleep(time.Second)\n\t}\n}\n"
        let declared = try detection(["pkg/config/config.go": setting])
        #expect(!declared.existingPatterns.contains(.faultTolerantWrappers))
        let loop = "func send() error {\n\tfor attempt := 0; attempt < maxRetries; attempt++ {\n\t\tif err := post(); err == nil {\n\t\t\treturn nil\n\t\t}\n\t\ttime.Sleep(time.Duration(attempt) * time.Second)\n\t}\n\treturn errFailed\n}\n"
        let retrying = try detection(["pkg/client/send.go": loop])
        #expect(retrying.existingPatterns.contains(.faultTolerantWrappers))
    }

    @Test("a program that releases the work it held back, in a system about messages or a queue, is a defer queue")
    func releaseHeld() throws {
        let found = try detection(["src/channel.ts": "// message channel\nexport function settleHeld(inbox: string) {\n  for (const id of held) deliver(id);\n}\n"])
        #expect(found.existingPatterns.contains(.deferQueue))
        #expect(found.evidence.contains { $0.subject == .pattern(.deferQueue) && $0.path == "src/channel.ts" && $0.line == 2 })
    }

    @Test("merging sorted streams is not a priority queue; a heap the intake pops is", arguments: [
        ("for entry in heapq.merge(*streams, key=lambda e: (e.tick, e._priority)):  # message replay\n    yield entry\n", false),
        ("import heapq\n# message intake\nheapq.heappush(queue, (priority, message))\n", true),
    ])
    func heaps(_ code: String, _ counts: Bool) throws {
        let found = try detection(["src/intake.py": code])
        #expect(found.existingPatterns.contains(.priorityQueue) == counts)
    }

    @Test("findings combined from several parts of the tree say which parts; one system in one place says nothing")
    func parts() throws {
        let combined = try detection([
            "chat/config.toml": "[agents.claude]\ncommand = \"claude\"\n\n[agents.codex]\ncommand = \"codex\"\n",
            "scripts/post.py": "def append_event(event):\n    with open('events.jsonl', 'a') as f:\n        f.write(event)\n",
        ])
        let parts = try #require(combined.parts)
        #expect(parts.map(\.path) == ["./", "chat/"])
        #expect(parts.first { $0.path == "chat/" }?.findings == ["agent-config"])
        #expect(parts.first { $0.path == "./" }?.findings.contains("event-log") == true)
        // Data folders and the system's own program folders are the system at the root.
        let single = try detection([
            "config.yaml": "agents:\n  a: {}\n",
            "scripts/post.py": "def append_event(event):\n    with open('events.jsonl', 'a') as f:\n        f.write(event)\n",
            "inbox/a/1.msg": "hi\n",
        ])
        #expect(single.parts == nil)
    }

    @Test("a write counts as writing a message store when it names the store, nearby or through a constant; not anywhere in a long program")
    func storeWrites() throws {
        let filler = String(repeating: "x = 1\n", count: 80)
        let far = try detection(["src/dash.ts": "const status = { systemMessage: 'ok' };\nimport { readLastJsonlEntry } from './jsonl';\n" + filler
            + "writeFileSync(reportPath, JSON.stringify(status));\n"])
        #expect(far.messageSystemType == .none)
        let constant = try detection(["bin/bus.py": "import os\nEVENTS = os.path.join(BUS, 'events.jsonl')\n" + filler.replacingOccurrences(of: "x = 1", with: "y = 2")
            + "def post(message):\n    with open(EVENTS, 'a') as f:\n        f.write(message)\n"])
        #expect(constant.messageSystemType == .fileBased)
        #expect(constant.evidence.contains { $0.subject == .messageSystem && $0.path == "bin/bus.py" && $0.line == 84 })
    }

    @Test("the benchmark's like-for-like yardstick searches exactly the phrases every program is searched for")
    func benchmarkPhrases() throws {
        // scripts/benchmark.py times `rg -i -F -f scripts/benchmark-anchors.txt` beside the
        // monorepo run: the search the prefilter does over every program, done by rg.
        let file = packageRoot.appendingPathComponent("scripts/benchmark-anchors.txt")
        let listed = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let searched = CodeFactExtractor.anchorMatcher.keywords.map { String(decoding: $0, as: UTF8.self) }
        #expect(listed == searched.sorted(), "regenerate the file from CodeFactExtractor.anchorMatcher: \(Set(listed).symmetricDifference(searched).sorted())")
    }
}
