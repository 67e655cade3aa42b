@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// The system map drawn from small trees: what each program's code is attached to,
/// where a line names its channel, and the rules' false friends.
@Suite("The system map")
struct SystemMapTests {
    func map(_ files: [String: String], folders: [String] = []) throws -> SystemMap {
        let tree = try TempTree("systemmap")
        for folder in folders { _ = try tree.dir(folder) }
        for (path, content) in files { _ = try tree.file(path, content) }
        return try #require(try analyze(tree.path, discover: false).detection.systemMap)
    }

    func facts(_ source: String, language: SourceLanguage, path: String = "x") -> [CodeFact] {
        CodeFactExtractor.facts(of: LexedSource(Array(source.utf8), language: language), path: path).facts
    }

    @Test("a send script's per-agent write and log append attach to the inbox folders and the log on disk")
    func attachesToDisk() throws {
        let map = try map([
            "send.sh": "#!/bin/sh\nto=$1\nid=$(uuidgen)\nprintf '%s' \"$2\" > \"inbox/$to/$id.msg\"\necho \"$id\" >> events.log\n",
            "read.sh": "#!/bin/sh\nls inbox/$1\n",
            "events.log": "x\n", "inbox/alice/a.msg": "hi", "inbox/bob/b.msg": "hi",
        ])
        #expect(map.nodes(.agent).map(\.label) == ["alice", "bob"])
        let inbox = try #require(map.node("channel:inbox/"))
        #expect(inbox.channelKind == .inbox && inbox.confidence == .high && inbox.messages == 2)
        #expect(map.edges(from: "channel:inbox/", .belongsTo).map(\.to) == ["agent:alice", "agent:bob"])
        let writes = map.edges(from: "program:send.sh", .writes)
        #expect(Set(writes.map(\.to)) == ["channel:inbox/", "channel:events.log"])
        #expect(writes.first { $0.to == "channel:events.log" }?.line == 5)
        #expect(map.edges(from: "program:read.sh", .reads).map(\.to) == ["channel:inbox/"])
        #expect(map.edges(from: "program:read.sh", .writes).isEmpty, "listing a per-agent folder reads it")
        #expect(map.node("program:send.sh")?.sites?.contains { $0.kind == .namesMessage && $0.line == 3 } == true)
    }

    @Test("a channel only code names is its own node, seen in code, at the line that names it")
    func codeOnlyChannel() throws {
        let map = try map(["bus.py": "import json\nMESSAGES = 'bus/messages.jsonl'\ndef send(m):\n    with open(MESSAGES, 'a') as f:\n        f.write(json.dumps(m))\n"])
        let channel = try #require(map.nodes(.channel).first)
        #expect(channel.confidence == .medium)
        #expect(channel.label.contains("messages.jsonl"))
        #expect(map.edges(to: channel.id, .writes).first?.from == "program:bus.py")
    }

    @Test("tables: inserts and selects connect programs to the message table the code creates; other tables are not channels")
    func tables() throws {
        let map = try map([
            "schema.sql": "CREATE TABLE messages (id TEXT, sender TEXT, recipient TEXT, body TEXT);\nCREATE TABLE users (id TEXT);\n",
            "app.py": "import sqlite3\ndb.execute(\"INSERT INTO messages (id, body) VALUES (?, ?)\", x)\nrows = db.execute(\"SELECT id, body FROM messages WHERE recipient = ?\", me)\ndb.execute(\"SELECT * FROM users\")\n",
        ])
        #expect(map.node("channel:table:messages") != nil)
        #expect(map.node("channel:table:users") == nil)
        #expect(map.edges(from: "program:app.py", .writes).map(\.to) == ["channel:table:messages"])
        #expect(map.edges(from: "program:app.py", .reads).map(\.to) == ["channel:table:messages"])
        #expect(map.edges(from: "program:app.py", .reads).first?.line == 3)
    }

    @Test("routes a message program serves are endpoints; a client's request to one writes into it")
    func endpoints() throws {
        let map = try map([
            "server.py": "from fastapi import FastAPI\napp = FastAPI()\n@app.post(\"/messages\")\ndef send(message):\n    inbox.append(message)\n@app.get(\"/health\")\ndef ok():\n    return 1\n",
            "client.py": "import requests\n# send a message\nrequests.post(\"http://localhost:8000/messages\", json=m)\n",
        ])
        #expect(map.node("channel:endpoint:/messages")?.channelKind == .endpoint)
        #expect(map.node("channel:endpoint:/health") == nil, "a health check carries no messages")
        #expect(map.edges(from: "program:server.py", .reads).map(\.to) == ["channel:endpoint:/messages"])
        #expect(map.edges(from: "program:client.py", .writes).map(\.to) == ["channel:endpoint:/messages"])
    }

    @Test("an MCP tool is named by the function under its decorator; a tool that carries no messages is no channel")
    func mcpTools() throws {
        let map = try map(["server.py": "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('bus')\nEVENTS = 'events.jsonl'\n@mcp.tool()\ndef send_message(to, body):\n    with open(EVENTS, 'a') as f:\n        f.write(body)\n@mcp.tool()\ndef version():\n    return 1\n"])
        #expect(map.node("channel:endpoint:send_message")?.line == 4)
        #expect(map.node("channel:endpoint:version") == nil)
    }

    @Test("tools and routes named on the next line or by a Go mux are endpoints; a header lookup is not")
    func registrations() {
        let ts = facts("// messaging tools\nserver.tool(\n  \"msg_send\",\n  \"Send a message\",\n", language: .javascript)
        #expect(ts.contains { $0.kind == .servesRoute("msg_send") && $0.line == 2 })
        let go = facts("mux.Handle(\"/api/messages\", wrap(svc.handleSendMessage))\nid := r.Header.Get(\"Last-Event-ID\")\n", language: .go)
        #expect(go.contains { $0.kind == .servesRoute("/api/messages") })
        #expect(!go.contains { $0.kind == .servesRoute("last-event-id") })
    }

    @Test("a path held in a variable: reads and writes through it touch what it names; a list append or a name like tail does not")
    func pathVariables() throws {
        let source = "import json\nEVENTS = BUS / 'events.jsonl'\ndef read_events():\n    with open(EVENTS) as f:\n        return f.readlines()\ndef emit(e):\n    with open(EVENTS, 'a') as f:\n        f.write(json.dumps(e))\nbits = []\nbits.append(EVENTS)\ntail = EVENTS\n"
        let found = facts(source, language: .python)
        let read = found.first { $0.kind == .readsLog }, append = found.first { $0.kind == .appendsThrough }
        #expect(read?.line == 4 && read?.name == "events.jsonl")
        #expect(append?.line == 7 && append?.name == "events.jsonl")
        #expect(!found.contains { $0.kind == .appendsThrough && $0.line == 10 })
        let map = try map(["bus.py": source, "events.jsonl": "{}\n"])
        #expect(Set(map.edges(from: "program:bus.py").map(\.to)) == ["channel:events.jsonl"])
        #expect(Set(map.edges(from: "program:bus.py").map(\.kind)) == [.reads, .writes])
    }

    @Test("a setting or a variable being assigned names no channel: a DSN's _journal_mode, VAR=…")
    func settingsAreNotNames() {
        let go = facts("db, err := sql.Open(\"sqlite\", path+\"?_journal_mode=WAL\")\n", language: .go)
        #expect(!go.contains { $0.kind == .readsLog }, "opening a database reads no log")
        let shell = facts("JRUN_MESSAGE_BUS=\"$root/MESSAGE-BUS.md\"\necho \"$1\" | tee -a \"$JRUN_MESSAGE_BUS\"\n", language: .shell)
        #expect(shell.first { $0.kind == .writesMessageStore }?.name != "jrun_message_bus")
    }

    @Test("lines that only look like reads or writes draw nothing: a signature, a deletion, a heredoc write, a lock file, a store named lines away")
    func notDrawn() {
        let go = facts("func readInbox(dir string) error {\n\tentries, err := os.ReadDir(filepath.Join(dir, \"inbox\"))\n", language: .go)
        #expect(go.first { $0.kind == .readsMessages }?.line == 2, "the signature is not the read")
        let shell = facts("find inbox -name '*.msg' -mtime +30 -delete\ncat > \"inbox/$to/$id.msg\" <<EOF\nhi\nEOF\n", language: .shell)
        #expect(!shell.contains { $0.kind == .readsMessages }, "deleting and writing are not reading")
        let lock = facts("LOCK = 'inbox/.lock'\nwith open(LOCK, 'w') as f:\n    fcntl.flock(f, fcntl.LOCK_EX)\n", language: .python)
        #expect(lock.filter { $0.kind == .writesMessageStore }.allSatisfy { !$0.direct })
        let far = facts("import json\nSPOOL = 'spool'\nx = 1\nwith open(report, 'w') as f:\n    json.dump(x, f)\n", language: .python)
        let inferred = far.first { $0.kind == .writesMessageStore }
        #expect(inferred != nil && inferred?.direct == false, "a write near a store's name counts for detection, not for the map")
    }

    @Test("the literal on the line names the channel: a folder, a log, a request path")
    func literalNames() {
        let shell = facts("mkdir -p \"inbox/${to}\"\nprintf x > \"inbox/${to}/$id.msg\"\necho \"$line\" >> \"$root/events.log\"\n", language: .shell)
        #expect(shell.first { $0.kind == .writesPerAgentPath }?.name == "inbox/")
        #expect(shell.first { $0.kind == .appendsToLog }?.name == "events.log")
        // A variable names no folder; a folder after one does.
        let source = LexedSource(Array("cat \"$INBOX_DIR/new\" \"${INBOX}\" \"$root/inbox/x\"\n".utf8), language: .shell)
        let text = String(decoding: source.text, as: UTF8.self)
        let offsets = text.ranges(of: "inbox").map { text.utf8.distance(from: text.utf8.startIndex, to: $0.lowerBound) }
        #expect(offsets.count == 3)
        #expect(offsets.map { source.nameToken(around: $0, length: 5) } == [nil, nil, "inbox/x"])
        // Prose that mentions a folder names none; a command substitution after the path does not make it prose.
        let prose = LexedSource(Array("msg = \"check your inbox/ first\"\ndest=\"inbox/$to/$(date -u +%s).msg\"\n".utf8), language: .shell)
        let proseText = String(decoding: prose.text, as: UTF8.self)
        let hits = proseText.ranges(of: "inbox").map { proseText.utf8.distance(from: proseText.utf8.startIndex, to: $0.lowerBound) }
        #expect(hits.map { prose.nameToken(around: $0, length: 5) } == [nil, "inbox"])
        let ts = facts("await fetch(`${base}/api/messages?to=${to}`, {method: 'POST'})\nconst r = await fetch(\"https://example.test/v1/send\")\n", language: .javascript)
        #expect(ts.first { $0.kind == .callsNetwork }?.name == nil || ts.first { $0.kind == .callsNetwork }?.name == "/v1/send")
        let go = facts("resp, err := http.Post(\"http://bus:8080/messages\", \"application/json\", body)\n", language: .go)
        #expect(go.first { $0.kind == .callsNetwork }?.name == "/messages")
    }

    @Test("false friends: a shell comparison is not a write, a route in a program about nothing else is no endpoint")
    func falseFriends() throws {
        let test = facts("for f in inbox/*; do\n  [[ \"$due\" > \"$now\" ]] && continue\n  mv \"$f\" \"inbox/$to/\"\ndone\n", language: .shell)
        #expect(!test.contains { $0.kind == .writesFile }, "`>` inside [[ ]] compares")
        #expect(test.first { $0.kind == .writesPerAgentPath }?.line == 3)
        let map = try map(["health.py": "from fastapi import FastAPI\napp = FastAPI()\n@app.get(\"/health\")\ndef ok():\n    return {\"status\": \"ok\"}\n# retry later\n"])
        #expect(map.nodes(.channel).isEmpty)
    }

    @Test("hostile names stay data: a program named like markup is a label, escaped in every rendering")
    func hostileNames() throws {
        let name = "<svg onload=alert(1)>.sh"
        let map = try map([name: "#!/bin/sh\necho x >> events.log\n", "events.log": "x\n"])
        let program = try #require(map.nodes(.program).first)
        #expect(program.label == name)
        #expect(!SystemMapText.mermaid(map).contains("<svg"))
        #expect(!SystemMapSVG.render(map).contains("<svg onload"))
        #expect(SystemMapText.dot(map).contains("\"<svg onload=alert(1)>.sh\""))
        #expect(!SystemMapText.markdownTable(map).contains("<svg onload=alert(1)>.sh |"))
        // The whole HTML report: the name is text in the diagram and the table, never markup.
        let tree = try TempTree("systemmap-hostile")
        _ = try tree.file(name, "#!/bin/sh\necho x >> events.log\n")
        _ = try tree.file("events.log", "x\n")
        let html = String(decoding: try HTMLEmitter().emit(try analyze(tree.path, discover: false)), as: UTF8.self)
        #expect(html.contains("&lt;svg onload=alert(1)&gt;.sh"))
        #expect(!html.contains("<svg onload"))
    }

    @Test("the map is bounded: nodes and edges beyond the limits are counted, not kept")
    func bounded() {
        let agents = (0..<300).map { SystemMap.Node(id: "agent:a\($0)", kind: .agent, label: "a\($0)", path: "inbox/a\($0)/", detail: "", confidence: .high) }
        let inbox = SystemMap.Node(id: "channel:inbox/", kind: .channel, channelKind: .inbox, label: "inbox/", path: "inbox/", detail: "", confidence: .high)
        let edges = agents.map { SystemMap.Edge(from: "channel:inbox/", to: $0.id, kind: .belongsTo, path: $0.path, detail: "", confidence: .high) }
        let map = SystemMap(nodes: agents + [inbox], edges: edges)
        #expect(map.nodes.count == SystemMap.nodeLimit)
        #expect(map.omittedNodes == 301 - SystemMap.nodeLimit)
        #expect(map.edges.allSatisfy { map.node($0.from) != nil && map.node($0.to) != nil })
        #expect(map.edges.count + map.omittedEdges == 300)
        #expect(map.countLine.contains("left out"))
    }

    @Test("the same tree gives the same map, whatever order its files are read in")
    func deterministic() throws {
        var files: [String: String] = ["events.log": "x\n"]
        for index in 0..<40 { files["scripts/s\(index).sh"] = "#!/bin/sh\nls inbox/$1\necho x >> events.log\n" }
        for agent in ["a", "b", "c"] { files["inbox/\(agent)/m.msg"] = "m" }
        let first = try map(files), second = try map(files)
        #expect(first == second)
        #expect(first.nodes(.program).count == 40)
    }

    @Test("touch points: the priority step names the inbox readers, the retry step the calls that never retry")
    func touchPoints() throws {
        let map = try map([
            "send.sh": "#!/bin/sh\nprintf x > \"inbox/$1/$(uuidgen).msg\"\ncurl -X POST http://hub/notify\n",
            "work.sh": "#!/bin/sh\nfor f in $(ls inbox/$ME); do cat \"$f\"; done\n",
            "inbox/alice/m.msg": "m",
        ])
        let priority = TouchPoints.of(.priorityQueue, in: map).points
        #expect(priority.map(\.location) == ["work.sh:2"])
        let retries = TouchPoints.of(.faultTolerantWrappers, in: map).points
        #expect(retries.contains { $0.location == "send.sh:3" && $0.why.contains("never retries") })
        let names = TouchPoints.of(.collisionFreeMessaging, in: map).points
        #expect(names.contains { $0.location == "send.sh:2" })
    }

    @Test("every boundary call and every id a program makes is a site, a few of each: each unretried call is a touch point")
    func everyCall() throws {
        var lines = ["#!/bin/sh", "printf x > \"inbox/$1/$(uuidgen).msg\""]
        for index in 0..<12 { lines.append("curl -X POST http://hub/notify/\(index)") }
        lines.append("echo \"$(uuidgen)\" >> events.log")
        let map = try map(["send.sh": lines.joined(separator: "\n") + "\n", "inbox/alice/m.msg": "m", "events.log": "x\n"])
        let sites = try #require(map.node("program:send.sh")?.sites)
        #expect(sites.filter { $0.kind == .crossesBoundary }.map(\.line) == Array(3...10), "the first eight calls, each at its line")
        #expect(sites.filter { $0.kind == .namesMessage }.map(\.line) == [2, 15])
        let retries = TouchPoints.of(.faultTolerantWrappers, in: map)
        // Eight calls and the two writes, none retried: the calls across the boundary first, then the writes.
        #expect(retries.points.compactMap(\.line) == Array(3...10) + [2, 15])
        #expect(retries.omitted == 0)
    }

    @Test("each kind keeps its share: two hundred inbox folders do not crowd out the programs and channels")
    func quotas() throws {
        var files: [String: String] = ["send.sh": "#!/bin/sh\nprintf x > \"inbox/$1/$(uuidgen).msg\"\n"]
        for index in 0..<205 { files["inbox/a\(index)/m.msg"] = "m" }
        let map = try map(files)
        #expect(map.nodes.count == SystemMap.nodeLimit)
        #expect(map.node("program:send.sh") != nil && map.node("channel:inbox/") != nil)
        #expect(map.edges(from: "program:send.sh", .writes).map(\.to) == ["channel:inbox/"])
        #expect(map.omittedNodes == 207 - SystemMap.nodeLimit)
    }

    @Test("a map read back is put through the same bounds: a node given twice, an edge to nowhere")
    func decodedMapIsBounded() throws {
        let node = SystemMap.Node(id: "agent:alice", kind: .agent, label: "alice", path: "inbox/alice/", detail: "", confidence: .high)
        let edge = SystemMap.Edge(from: "channel:gone", to: "agent:alice", kind: .belongsTo, path: "x", detail: "", confidence: .high)
        let json = """
            {"nodes": [\(try String(decoding: MigrationReport.jsonEncoder().encode(node), as: UTF8.self)), \(try String(decoding: MigrationReport.jsonEncoder().encode(node), as: UTF8.self))],
             "edges": [\(try String(decoding: MigrationReport.jsonEncoder().encode(edge), as: UTF8.self))], "omitted_nodes": 0, "omitted_edges": 0}
            """
        let map = try MigrationReport.jsonDecoder().decode(SystemMap.self, from: Data(json.utf8))
        #expect(map.nodes.count == 1 && map.edges.isEmpty && map.omittedEdges == 1)
        #expect(SystemMapText.mermaid(map).contains("n0([\"alice\"])"))
    }

    @Test("an agent without a name is not a node; its configuration's other agents are")
    func namelessAgent() throws {
        let map = try map(["agents.yaml": "agents:\n  \"\":\n    role: x\n  alice:\n    role: y\n"])
        #expect(map.nodes(.agent).map(\.label) == ["alice"])
    }

    @Test("a request reaches a route by whole segments only")
    func routeSegments() {
        #expect(SystemMapBuilder.Drawing.sameRoute("/messages", "/api/messages"))
        #expect(SystemMapBuilder.Drawing.sameRoute("/messages/{id}", "/messages/42"))
        #expect(SystemMapBuilder.Drawing.sameRoute("post /api/v1/messages", "/api/v1/messages"))
        #expect(!SystemMapBuilder.Drawing.sameRoute("send", "/v1/resend"))
        #expect(!SystemMapBuilder.Drawing.sameRoute("/mcp", "/mcp-health"))
    }

    @Test("diff: a channel first seen in code and then on disk is the same channel; a bounded map says the changes may be partial")
    func mapChangesByName() {
        let code = SystemMap.Node(id: "channel:code:inbox", kind: .channel, channelKind: .inbox, label: "inbox/<agent>/", path: "send.sh", line: 2, detail: "", confidence: .medium)
        let disk = SystemMap.Node(id: "channel:inbox/", kind: .channel, channelKind: .inbox, label: "inbox/<agent>/", path: "inbox/", detail: "", confidence: .high)
        let changes = ReportDiff.MapChanges(old: SystemMap(nodes: [code], edges: []), new: SystemMap(nodes: [disk], edges: []))
        #expect(changes.isEmpty && !changes.partial)
        let cut = SystemMap(nodes: [disk], edges: [], omittedNodes: 3)
        #expect(ReportDiff.MapChanges(old: cut, new: SystemMap(nodes: [disk], edges: [])).partial)
    }
}
