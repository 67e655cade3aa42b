/// What one program was seen doing, each with the line it does it on: the typed
/// facts detectors decide from. Extracted from code and string literals only —
/// comments and docstrings are gone before anything is looked for (``LexedSource``).
package struct CodeFact: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// Mentions messages, inboxes or mailboxes (in code or in a path).
        case mentionsMessages
        /// Builds a path from a folder and a name: `inbox/$to/`, `path.join("mailboxes", agent…`.
        case writesPerAgentPath
        /// Generates an id: a full UUID or SHA-256 digest, or one cut short (a fragment).
        case generatesID(IDKind)
        /// Appends to a file whose name is an event log's, on the same line.
        case appendsToLog
        /// Names an append-only log (`events.jsonl`, `journal`, `ledger.jsonl`).
        case namesLog
        /// Opens or writes a file for appending.
        case opensForAppend
        /// Writes a file.
        case writesFile
        /// Names a place file-based systems keep messages (a spool, `messages/`, `*.jsonl`).
        case namesMessageStore
        /// Writes or appends a file within a few lines of naming a message store.
        case writesMessageStore
        /// Registers an HTTP route or an MCP tool.
        case registersRoute
        /// A loop (`for`, `while`, `until`, `range(`).
        case loops
        /// Waits (`sleep`, `setTimeout(`, a backoff).
        case waits
        /// Names retries (`retry`, `backoff`, `max_attempts`).
        case retries
        /// A retry loop: a program that loops, with a retry name and a wait within a few lines.
        case retryLoop
        /// Moves or writes work into a lane folder (`defer`, `priority`).
        case movesToLane(Lane)
        /// Orders the intake by priority (`ORDER BY priority`, `sorted(… priority)`).
        case ordersByPriority
        /// Names a queue.
        case mentionsQueue
        /// Releases parked work: `releaseHeldStories`, `settleHeld`, `release_deferred`.
        case releasesHeldWork
        /// Compares a hold-until column with a time (`visible_at <= ?`, `deliver_at <= now()`):
        /// work parked until then and released by the query that reads it.
        case gatesByTime
        /// Builds the name of a JSON file per agent or session in a registry folder
        /// (`seats/$SEAT.json`, `join(REGISTRY_DIR, `${id}.json`)`).
        case namesRegistryEntry
        /// `CREATE TABLE name (…)`.
        case createsTable(String)
        /// `INSERT INTO name`.
        case insertsInto(String)
        /// Names a SQLite database file in a literal (`sqlite3.connect("mail.db")`, `DB = "data/bus.sqlite"`).
        case namesDatabaseFile(String)
        /// Names a path in the home folder in a literal (`"~/.amail/mail.db"`, `"$HOME/.bus/"`): live data outside the tree.
        case namesHomePath(String)
        /// Drives a database through its client library.
        case usesDriver(String)
        /// Lists or reads a folder or store where messages are kept (`ls inbox/$me`, `readdirSync(inboxDir)`).
        case readsMessages
        /// Reads an event log (`tail events.log`, `readFileSync("events.jsonl")`).
        case readsLog
        /// `SELECT … FROM name`, and what the query does with the rows.
        case selectsFrom(String, SelectUse)
        /// Registers a route or tool with this name (`app.post("/send")`, `server.tool("send_message")`).
        case servesRoute(String)
        /// Calls across a process or network boundary: an HTTP request, a socket, `curl`.
        case callsNetwork
        /// Writes or appends through a variable that holds a log's path (`open(EVENTS, "a")` after
        /// `EVENTS = "bus/events.jsonl"`). For the map only: detection counts appends that name the log.
        case appendsThrough
        /// Writes through a variable that holds a message folder's or store's path. For the map only.
        case writesThrough
    }

    package enum IDKind: String, Sendable, Hashable {
        /// A whole UUID, on a line that does not say it names a session, a request or a secret.
        case uuid
        case uuidFragment
        /// A UUID that names something other than a message: a session, a transport, a request, a token.
        case uuidOther
        /// A whole SHA-256 digest that names or locates something: it builds a path, or is assigned as
        /// the id of a message, artifact or blob.
        case digest
        /// A digest that links a record to its predecessor (`prev_hash = sha256(last)`): a hash chain.
        case digestChain
        /// A digest used otherwise: a checksum, a dedupe or cache key, a fingerprint.
        case digestOther
        case digestFragment, hmac
    }

    package enum Lane: String, Sendable, Hashable {
        case deferred = "defer", priority
    }

    package var kind: Kind
    package var line: Int
    /// The name a string literal on that line gives what the fact touches: the folder of a
    /// per-agent write (`inbox`), the log appended to (`events.log`), the store written
    /// (`messages.jsonl`), the path a request goes to (`/messages`). Lower-case; nil when the
    /// line names it only through a variable.
    package var name: String? = nil
    /// Whether the line itself does it: false when the fact is inferred from a name a few
    /// lines away, or the line is about a lock or pid file. The system map draws direct facts only.
    package var direct = true
}

/// The facts of one program and the tables it declares.
struct CodeFile: Sendable {
    var path: String
    var language: SourceLanguage
    /// Each kind of fact once, at the first line it occurs on (see ``note(_:)``).
    private(set) var facts: [CodeFact] = []
    /// The tables `CREATE TABLE` declares, with their columns.
    var tables: [(schema: TableSchema, line: Int)] = []
    /// Every line (the first ``siteLimit``) that calls across a boundary or generates a message id,
    /// beyond the first of each that ``facts`` keeps: where a migration changes the program.
    var sites: [CodeFact] = []
    /// For each kind ``CodeFact/Kind/slot`` numbers, its index in ``facts`` (-1: none yet).
    private var slotted = [Int32](repeating: -1, count: CodeFact.Kind.slotCount)
    /// The same for the kinds that carry a name.
    private var namedIndex: [CodeFact.Kind: Int] = [:]

    /// The most lines of each kind ``sites`` keeps.
    static let siteLimit = 8

    init(path: String, language: SourceLanguage) {
        self.path = path
        self.language = language
    }

    private func index(of kind: CodeFact.Kind) -> Int? {
        if let slot = kind.slot {
            let index = slotted[slot]
            return index < 0 ? nil : Int(index)
        }
        return namedIndex[kind]
    }

    func first(_ kind: CodeFact.Kind) -> CodeFact? { index(of: kind).map { facts[$0] } }
    func has(_ kind: CodeFact.Kind) -> Bool { index(of: kind) != nil }

    /// Keeps the fact `make` builds if `kind` is new, or in place of an earlier one that was not
    /// direct when this one is: the first line that really does it is where the map points.
    /// `make` is called only when the fact is kept.
    mutating func note(_ kind: CodeFact.Kind, direct: Bool, _ make: () -> CodeFact) {
        if let index = index(of: kind) {
            if direct, !facts[index].direct { facts[index] = make() }
            return
        }
        if let slot = kind.slot { slotted[slot] = Int32(facts.count) } else { namedIndex[kind] = facts.count }
        facts.append(make())
    }

    /// Whether the program deals with messages: what it does then counts for messaging.
    var aboutMessages: Bool { has(.mentionsMessages) }
    /// Whether its ids can name messages: a program about messages, or one that writes an
    /// event log (an event bus's events are its messages).
    var namesMessages: Bool { aboutMessages || has(.namesLog) }
    /// Whether its ordering and holding is of an intake: a program about messages or a queue.
    var aboutIntake: Bool { aboutMessages || has(.mentionsQueue) }
}

/// Reads one program's text into ``CodeFile`` facts.
enum CodeFactExtractor {
    /// The phrase groups searched for. A phrase may belong to several groups.
    enum Group: Int, CaseIterable {
        case message, loop, wait, uuid, truncation, digest, hmac, logName, logAppend, logFile, appendCall
        case storeName, writeCall, route, deferLane, priorityLane, move, priorityWord, ordering, retry, folder
        case createTable, insert, driver, databaseFile, homePath
        case chainLink, idAssign, artifact, pathBuild, otherID
        case queue, holdColumn, comparison, registryFolder, jsonName, releaseHeld
        case readCall, network, select, prune, lockFile, toolName, connect, shellRead, rawOpen, writeMode
    }

    /// The phrases, lower-case, and their groups.
    static let vocabulary: [(String, [Group])] = {
        var table: [String: [Group]] = [:]
        func add(_ group: Group, _ phrases: [String]) {
            for phrase in phrases {
                // The facts find a hit's line by moving forward (``facts(of:path:)``): a phrase is one line.
                assert(!phrase.contains("\n"), "a phrase holds a newline: \(phrase)")
                table[phrase, default: []].append(group)
            }
        }
        add(.message, ["inbox", "mailbox", "message", ".msg"])
        add(.loop, ["for ", "while ", "until ", "range(", "for(", "while(", "loop {", "loop{"])
        // Calls that wait; a `backoff` or `retry_delay` setting is a name, not a wait.
        add(.wait, [
            "sleep", "settimeout(", "time.after(", "asyncio.wait_for", "await delay(", "time.newtimer(", "time.tick(", ".wait(timeout",
        ])
        add(.uuid, ["uuidgen", "uuid4(", "randomuuid(", "uuid_generate", "uuidv4(", "kernel/random/uuid", "uuid.new", "uuidv7(", "uuid7(", "uuid.generate", "newv7(", "uuid.must(",
            // The generator passed as a value: `mintId: deps.mintId ?? randomUUID`.
            "?? randomuuid", "|| randomuuid", "= randomuuid;", ": randomuuid,",
        ])
        add(.truncation, [
            "[0:", ".slice(0", ".substring(0", ".substr(0", "split(\"-\")[0]", "split('-')[0]", "cut -c", "head -c", ".prefix(", "[:",
        ])
        add(.digest, [
            "sha256sum", "hashlib.sha256", "createhash('sha256')", "createhash(\"sha256\")", "shasum -a 256", "sha256(", "sha256hash",
            "sha256.sum256(", "sha256.new(",
        ])
        add(.hmac, ["hmac"])
        add(.databaseFile, [".db\"", ".db'", ".db`", ".sqlite\"", ".sqlite'", ".sqlite3\"", ".sqlite3'", ".sqlite`", ".sqlite3`"])
        add(.homePath, ["\"~/", "'~/", "`~/", "$home/", "${home}/"])
        add(.logName, ["events.log", "events.jsonl", "events.ndjson", "event_log", "eventlog", "journal"])
        add(.logAppend, [
            ">>", "'a'", "\"a\"", "'ab'", "\"ab\"", "appendfile", "o_append", "append(", "tee -a", "mode=\"a\"", "mode='a'",
            "flag: 'a'", "flags: 'a'", "flag: \"a\"",
        ])
        add(.logFile, [
            "events.log", "events.jsonl", "events.ndjson", "event_log", "eventlog", "journal", "ledger.jsonl", "audit.jsonl",
            "audit_log", "log.jsonl", "events_log",
        ])
        add(.appendCall, [
            "appendfilesync(", "appendfile(", "o_append", ", 'a')", ", \"a\")", "'ab'", "\"ab\"", "'a+b'", "\"a+b\"", "mode=\"a\"",
            "mode='a'", "flag: 'a'", "flags: 'a'", "flag: \"a\"", "tee -a", ">> \"$", ">>\"$", "os.o_append",
        ])
        add(.storeName, [".jsonl", "msg/", "messages/", "messages_dir", "message-bus", "message_bus", "spool", "inbox/", "mailbox"])
        add(.writeCall, [
            "writefilesync(", "writefile(", "write_text(", "os.writefile(", "ioutil.writefile(", ", 'w')", ", \"w\")", "> \"$", ">\"$",
            "json.dump(",
        ])
        add(.route, [
            "@app.post(", "@app.get(", "@router.post(", "@router.get(", "app.post(", "router.post(", "http.handlefunc(",
            "mux.handlefunc(", "server.tool(", "@mcp.tool", "mcp.addtool(", ".registertool(", "@server.call_tool",
        ])
        add(.deferLane, ["defer/", "\"defer\"", "'defer'", "deferred/", "\"deferred\"", "'deferred'"])
        add(.priorityLane, ["priority/", "\"priority\"", "'priority'", "urgent/", "\"urgent\"", "'urgent'"])
        add(.move, ["mv ", "rename", "move(", "shutil.move", "os.replace", "cp ", "copyfile", "writefile", "write_text", "open("])
        add(.priorityWord, ["priority", "urgent"])
        add(.ordering, ["order by", "sort_by(", "sorted(", ".sort(", "sort.slice(", "orderby(", "heapq.heappush", "heapq.heappop", "heappush(", "priority_order", "priorityqueue"])
        add(.retry, ["retry", "retries", "backoff", "max_attempts", "maxattempts"])
        add(.folder, ["inbox", "mailboxes", "mailbox", "queue"])
        add(.logFile, [
            "append_event", "emit_event", "record_event", "write_event", "appendevent", "emitevent", "recordevent", "writeevent",
            "event_type", "eventtype",
        ])
        add(.chainLink, [
            "prev_hash", "previous_hash", "parent_hash", "prev_digest", "parent_digest", "prevhash", "previoushash", "parenthash",
            "prev_sha", "prevsha",
        ])
        add(.idAssign, ["id =", "id:", "id\":", "id':", "id\"]", "id']", "id :=", "id=", "name =", "name:"])
        add(.artifact, ["message", "msg", "artifact", "blob", "object", "envelope", "payload", "content"])
        add(.pathBuild, ["join(", "/{", "/${", "/\" +", "/' +", "writefile", "write_text", "os.create(", "path("])
        add(.queue, ["queue"])
        add(.holdColumn, holdColumns)
        add(.comparison, ["<=", ">=", " < ", " > "])
        add(.releaseHeld, [
            "releaseheld", "release_held", "settleheld", "settle_held", "resumeheld", "resume_held", "release_deferred",
            "releasedeferred", "requeue_deferred", "requeuedeferred", "release_parked", "releaseparked",
        ])
        add(.registryFolder, ["registry", "sessions", "seats", "agents", "peers", "members", "workers"])
        add(.jsonName, [".json"])
        // What else UUIDs name: sessions, transports, requests, secrets, process instances, temporary files.
        add(.otherID, [
            "session", "transport", "trace", "request", "nonce", "token", "csrf", "cookie", "secret", "password", "salt", "instance",
            ".tmp", "tmp_", "_tmp", "temp", "mkstemp",
        ])
        // Calls that list or read a folder or a file.
        add(.readCall, [
            "listdir(", "readdir(", "readdirsync(", "scandir(", "glob(", "iterdir(", "os.readdir(", "readfile(", "readfilesync(",
            "read_text(", "ioutil.readfile(", "readlines(", "createreadstream(", "watch(", "open(", "readline(", "filepath.glob(",
            "filepath.walkdir(", "os.walk(",
        ])
        // Commands that read, which are commands only in shell (in other languages `tail` is a name).
        add(.shellRead, ["ls ", "cat ", "tail ", "find ", "inotifywait", "head ", "grep "])
        // Modes and flags that open a file for writing.
        add(.writeMode, [
            "\"a\"", "'a'", "\"ab\"", "'ab'", "\"a+\"", "'a+'", "\"w\"", "'w'", "\"wb\"", "'wb'", "\"w+\"", "'w+'", "\"x\"", "'x'",
            "o_append", "o_wronly", "o_rdwr", "o_creat", "flag: 'a'", "flags: 'a'", "flag: \"a\"",
        ])
        // Opens whose mode is in a flags value: reading or writing is not known from the line.
        add(.rawOpen, ["os.open(", "fs.open(", "os.openfile(", "fs.opensync(", "syscall.open("])
        // Calls that cross a process or network boundary.
        add(.network, [
            "fetch(", "requests.post(", "requests.get(", "requests.put(", "requests.request(", "httpx.", "aiohttp.", "axios.", "axios(",
            "http.post(", "http.get(", "http.newrequest(", "urllib.request", "urlopen(", "curl ", "wget ", "net.dial(", "grpc.dial(",
            "new websocket(", "websockets.connect(", "http.request(", "https.request(", "got.post(", "ky.post(",
        ])
        add(.select, ["select "])
        // Deleting is neither reading nor writing a message.
        add(.prune, [
            "-delete", " rm ", "\trm ", "rm -f", "rm -r", "rm \"$", "unlink(", "unlinksync(", "os.remove(", "fs.rm(", "fs.rmsync(", "shutil.rmtree(", "rmtree(", "os.removeall(",
        ])
        // Files that coordinate access, not messages.
        add(.lockFile, [
            ".lock", ".pid", "flock", "lockfile", "filelock", "fcntl.", "proper-lockfile", "lock_file", "lock_path", "lockpath", "lock.json",
            "-lock.", "_lock.",
        ])
        // Where a route or tool is named other than by the registrations the message-system facts use.
        add(.toolName, [
            "mcp.newtool(", "pathname ===", "pathname==", "req.url ===", "url.path ==", "mux.handle(", "http.handle(", "r.handle(",
            "router.handle(", "app.route(", "@app.route(", "@router.api_route(",
        ])
        // Opening a database connection reads no file of messages.
        add(.connect, ["sql.open(", "sqlite3.connect(", "sqlx.open(", "gorm.open(", "new database(", "pgxpool.new(", "aiosqlite.connect("])
        add(.createTable, ["create table"])
        add(.insert, ["insert "])
        add(.driver, drivers.map(\.0))
        return table.keys.sorted().map { ($0, table[$0]!) }
    }()

    /// How far apart, in lines, a write and the message store it writes into may be named.
    static let storeWindow = 25

    /// How far apart, in lines, a retry loop's wait and retry name may be.
    static let retryWindow = 50

    /// Columns that hold work until a time.
    static let holdColumns = [
        "visible_at", "deliver_at", "deliver_after", "not_before", "available_at", "scheduled_for", "run_at", "release_at",
        "defer_until", "deferred_until", "snooze_until", "hold_until", "wake_at", "visibleat", "deliverat", "notbefore",
    ]

    /// Client libraries and the engine each drives.
    static let drivers: [(String, String)] = [
        ("better-sqlite3", "sqlite"), ("node:sqlite", "sqlite"), ("mattn/go-sqlite3", "sqlite"), ("modernc.org/sqlite", "sqlite"),
        ("import sqlite3", "sqlite"), ("sqlite3 ", "sqlite"), ("aiosqlite", "sqlite"), ("bun:sqlite", "sqlite"),
        ("psycopg", "postgresql"), ("asyncpg", "postgresql"), ("jackc/pgx", "postgresql"), ("lib/pq", "postgresql"),
        ("from 'pg'", "postgresql"), ("from \"pg\"", "postgresql"), ("require('pg')", "postgresql"),
        ("gorm.io/driver/postgres", "postgresql"), ("gorm.io/driver/sqlite", "sqlite"),
    ]
    static let driverEngine: [String: String] = Dictionary(drivers, uniquingKeysWith: { first, _ in first })

    /// The groups at least one of which every signal needs: a program with none of their
    /// phrases, in any case, anywhere (comments included), has no fact that matters and is not lexed.
    static let anchors: [Group] = [
        .message, .uuid, .digest, .logName, .logFile, .storeName, .route, .deferLane, .priorityLane, .priorityWord, .retry,
        .folder, .createTable, .insert, .driver, .chainLink, .queue, .holdColumn, .registryFolder, .releaseHeld,
    ]
    static let anchorMatcher = KeywordMatcher(vocabulary.filter { phrase in
        phrase.1.contains { anchors.contains($0) }
    }.map(\.0))

    /// Whether a program's raw bytes could yield a fact that matters (see ``anchors``). An
    /// anchor on a line that starts a comment (`#`, `//`, `*`, `--`) does not count: such a
    /// line is blanked by the lexer anyway, and product code says "retry later" in comments a lot.
    static func worthLexing(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { text in
            anchorMatcher.containsAny(in: bytes) { offset in !startsWithComment(text, lineOf: offset) }
        }
    }

    private static func startsWithComment(_ text: UnsafeBufferPointer<UInt8>, lineOf offset: Int) -> Bool {
        var start = offset
        while start > 0, text[start - 1] != 0x0A { start -= 1 }
        while start < offset, text[start] == 0x20 || text[start] == 0x09 { start += 1 }
        guard start < offset else { return false }
        let first = text[start], second = start + 1 < text.count ? text[start + 1] : 0
        return first == UInt8(ascii: "#") && second != UInt8(ascii: "!") || first == UInt8(ascii: "*")
            || (first == UInt8(ascii: "/") && second == UInt8(ascii: "/")) || (first == UInt8(ascii: "-") && second == UInt8(ascii: "-"))
    }

    static let groupsOfKeyword: [UInt64] = vocabulary.map { $0.1.reduce(0) { $0 | (1 << UInt64($1.rawValue)) } }
    static let matcher = KeywordMatcher(vocabulary.map(\.0))

    /// Whether a name from a literal is a SQLite file's: ends in `.db`, `.sqlite` or `.sqlite3`.
    static func isDatabaseFile(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return [".db", ".sqlite", ".sqlite3"].contains(where: lowered.hasSuffix) && lowered.count > 3 && !lowered.hasPrefix("*.")
    }

    /// The facts of one lexed program.
    static func facts(of source: LexedSource, path: String) -> CodeFile {
        let hits = matcher.hits(in: source.text)
        var file = CodeFile(path: path, language: source.language)
        var networkSites = 0, idSites = 0
        // The name is read only for the line a fact is kept at: reading it costs a scan of the literal.
        func note(_ kind: CodeFact.Kind, _ line: Int, name: @autoclosure () -> String? = nil, direct: Bool = true) {
            file.note(kind, direct: direct) { CodeFact(kind: kind, line: line, name: name(), direct: direct) }
        }
        // Kinds that carry a name (tables, routes) are kept a few per program.
        var named = 0
        func noteNamed(_ kind: CodeFact.Kind, _ line: Int) {
            guard named < 32, !file.has(kind) else { return }
            named += 1
            note(kind, line)
        }
        // Hits come in order of their last byte; group them by line.
        var cursor = 0
        var tablesSeen = Set<String>()
        let prose = source.language == .sql
        let shell = source.language == .shell
        let writeBit: UInt64 = 1 << UInt64(Group.writeCall.rawValue)
        // Where loops, waits and retry names are, to find the three together.
        var loopLines: [Int] = [], waitLines: [Int] = [], retryLines: [Int] = []
        var storeLines: [Int] = [], writeLines: [Int] = []
        var storeNames: [Int: String] = [:]
        // Variables assigned a path that names a log, a store or a message folder, with the name it gives.
        var pathVariables: [(variable: String, name: String, isLog: Bool)] = []
        // Constants that hold a message store's path (`EVENTS = BUS / "events.jsonl"`), by name.
        var storeVariables: [String] = []
        var storeVariableNames: [String: String] = [:]
        // Digests kept in a variable, by name: one later used in a path names what it stores.
        var digestVariables: [String] = []
        // Hits come in order of their end and no phrase holds a newline, so their lines never go
        // back: the line is found by moving forward from the last one, not searched for each time.
        var lineCursor = 1
        while cursor < hits.count {
            let offset = hits[cursor].offset
            while lineCursor < source.lineStarts.count, source.lineStarts[lineCursor] <= offset { lineCursor += 1 }
            let line = lineCursor
            let lineEnd = line < source.lineStarts.count ? source.lineStarts[line] : Int.max
            var anyGroups: UInt64 = 0
            var codeGroups: UInt64 = 0
            let firstHit = cursor
            while cursor < hits.count, hits[cursor].offset < lineEnd {
                let hit = hits[cursor]
                var groups = groupsOfKeyword[hit.keyword]
                // In shell, `>` inside `[[ … ]]` compares strings; it does not write a file.
                if shell, groups & writeBit != 0, source.insideShellTest(hit.offset, lineStart: line >= 1 ? source.lineStarts[line - 1] : 0) {
                    groups &= ~writeBit
                }
                anyGroups |= groups
                if source.inString[hit.offset] == 0 { codeGroups |= groups }
                cursor += 1
            }
            // Constants from here on: the helpers below capture them, and a captured `var` would be
            // checked for exclusive access at every one of the dozens of questions asked of a line.
            let any = anyGroups, code = codeGroups, lineHits = hits[firstHit..<cursor]
            func has(_ group: Group) -> Bool { any & (1 << UInt64(group.rawValue)) != 0 }
            func inCode(_ group: Group) -> Bool { code & (1 << UInt64(group.rawValue)) != 0 }
            // The name the first string literal holding a phrase of `group` gives.
            func literal(_ group: Group, suffix: String = "") -> String? {
                for hit in lineHits where groupsOfKeyword[hit.keyword] & (1 << UInt64(group.rawValue)) != 0 {
                    if let token = source.nameToken(around: hit.offset, length: matcher.keywords[hit.keyword].count) { return token + suffix }
                }
                return nil
            }
            let text = SourceLine(lexed: source.lineText(line))
            let aboutLock = has(.lockFile)

            if has(.createTable) {
                for hit in lineHits where matcher.keywords[hit.keyword] == Array("create table".utf8) {
                    if let table = SchemaReader.table(in: source.text, at: hit.offset), tablesSeen.insert(table.name).inserted {
                        file.tables.append((table, line))
                        note(.createsTable(table.name), line)
                    }
                }
            }
            if has(.insert) {
                for hit in lineHits where matcher.keywords[hit.keyword] == Array("insert ".utf8) {
                    if let name = SchemaReader.insertedTable(in: source.text, at: hit.offset) { noteNamed(.insertsInto(name), line) }
                }
            }
            if has(.select), prose || source.inString[lineHits.first { groupsOfKeyword[$0.keyword] & (1 << UInt64(Group.select.rawValue)) != 0 }?.offset ?? 0] != 0 {
                for hit in lineHits where matcher.keywords[hit.keyword] == Array("select ".utf8) {
                    if let name = SchemaReader.selectedTable(in: source.text, at: hit.offset) {
                        noteNamed(.selectsFrom(name, SchemaReader.selectUse(in: source.text, at: hit.offset)), line)
                    }
                }
            }
            if has(.databaseFile), let name = literal(.databaseFile), Self.isDatabaseFile(name) {
                noteNamed(.namesDatabaseFile(name), line)
            }
            if has(.homePath) {
                for hit in lineHits where groupsOfKeyword[hit.keyword] & (1 << UInt64(Group.homePath.rawValue)) != 0 {
                    if let path = source.homePath(at: hit.offset, length: matcher.keywords[hit.keyword].count) { noteNamed(.namesHomePath(path), line) }
                }
            }
            if has(.driver) {
                for hit in lineHits where groupsOfKeyword[hit.keyword] & (1 << UInt64(Group.driver.rawValue)) != 0 {
                    if let engine = driverEngine[String(decoding: matcher.keywords[hit.keyword], as: UTF8.self)] {
                        note(.usesDriver(engine), line)
                    }
                }
            }
            // SQL files declare tables; what programs do is read from programs.
            if prose { continue }
            if has(.message) { note(.mentionsMessages, line) }
            if inCode(.loop) {
                note(.loops, line)
                if loopLines.count < 512 { loopLines.append(line) }
            }
            if has(.wait) {
                note(.waits, line)
                if waitLines.count < 512 { waitLines.append(line) }
            }
            if has(.retry), retryLines.count < 512 { retryLines.append(line) }
            if has(.folder), text.writesPerAgentFolder() { note(.writesPerAgentPath, line, name: literal(.folder, suffix: "/"), direct: !aboutLock) }
            // Whether an id on the line is cut short: asked only of lines that make one.
            var cut: Bool { has(.truncation) && text.truncates() }
            if has(.uuid) {
                let kind: CodeFact.IDKind = cut ? .uuidFragment : has(.otherID) ? .uuidOther : .uuid
                note(.generatesID(kind), line)
                if kind != .uuidOther, idSites < CodeFile.siteLimit {
                    idSites += 1
                    file.sites.append(CodeFact(kind: .generatesID(kind), line: line))
                }
            }
            if has(.digest) {
                let use: CodeFact.IDKind =
                    if has(.hmac) { .hmac } else if cut { .digestFragment } else if has(.chainLink) { .digestChain }
                    else if has(.pathBuild) || (has(.idAssign) && has(.artifact)) { .digest } else { .digestOther }
                note(.generatesID(use), line)
                if use == .digestOther, digestVariables.count < 16, let name = text.assignedName() { digestVariables.append(name) }
            } else if !digestVariables.isEmpty, has(.pathBuild) || has(.move) || has(.writeCall),
                digestVariables.contains(where: text.hasWord)
            {
                note(.generatesID(.digest), line)
            }
            if has(.logName), has(.logAppend) { note(.appendsToLog, line, name: literal(.logName), direct: !aboutLock) }
            if has(.logFile) { note(.namesLog, line) }
            if has(.appendCall) { note(.opensForAppend, line) }
            if has(.storeName) {
                note(.namesMessageStore, line)
                if storeLines.count < 512 {
                    storeLines.append(line)
                    if storeNames.count < 64 { storeNames[line] = literal(.storeName) }
                }
                // A constant holding a lock file's path names no store.
                if storeVariables.count < 16, !aboutLock, let name = text.assignedName() {
                    storeVariables.append(name)
                    storeVariableNames[name] = storeNames[line]
                }
            }
            if has(.writeCall) { note(.writesFile, line) }
            if has(.writeCall) || has(.appendCall) {
                if writeLines.count < 512 { writeLines.append(line) }
                // A write into a path a constant named earlier: the store, however far up it was named.
                if let variable = storeVariables.first(where: text.hasWord) {
                    note(.writesMessageStore, line, name: storeVariableNames[variable], direct: !aboutLock)
                }
            }
            // Reading what others wrote: a listing or read of a message folder or store, or of an event log.
            // A read: a read call in code (a reading command, in shell), not an open whose flags decide.
            let readsHere = (inCode(.readCall) || (shell && inCode(.shellRead))) && !has(.rawOpen) && !has(.writeMode)
            // A path held in a variable: the lines that read or write through it touch what it names.
            // A literal names the path; a word like `INBOX` alone is a variable, which may hold one.
            // Looked up only when a branch below needs it: most lines name no path.
            let mentionsPath = has(.logFile) || has(.storeName) || has(.folder)
            func namedPath() -> String? {
                mentionsPath ? literal(.logFile) ?? literal(.storeName) ?? literal(.folder, suffix: "/") : nil
            }
            if mentionsPath, pathVariables.count < 32, !aboutLock, let variable = text.assignedName(), let name = namedPath() {
                pathVariables.append((variable, name, has(.logFile)))
            } else if !pathVariables.isEmpty, !aboutLock,
                readsHere || has(.writeCall) || has(.appendCall) || has(.writeMode) || (shell && has(.logAppend)),
                let held = pathVariables.first(where: { text.hasWord($0.variable) }), namedPath() == nil
            {
                // Only calls that write files: `append(` and `>>` say nothing without a log's name on the line.
                let writesHere = has(.writeCall) || has(.appendCall) || has(.writeMode) || (shell && source.shellRedirects(onLine: line))
                if writesHere {
                    note(held.isLog ? .appendsThrough : .writesThrough, line, name: held.name)
                } else if readsHere, !has(.prune), !has(.connect), source.definedName(onLine: line) == nil {
                    note(held.isLog ? .readsLog : .readsMessages, line, name: held.name)
                }
            } else if !pathVariables.isEmpty, pathVariables.count < 32, !aboutLock, text.has("="),
                let held = pathVariables.first(where: { text.hasWord($0.variable) }), let variable = text.assignedName(),
                variable != held.variable, !pathVariables.contains(where: { $0.variable == variable }), namedPath() == nil
            {
                // `path = os.path.join(INBOX, to, name)`: the new variable holds a path in the same place.
                pathVariables.append((variable, held.name, held.isLog))
            }
            // A function's signature names what it works on; the reading is in its body.
            if readsHere, !has(.writeCall), !has(.appendCall), !has(.logAppend), !has(.prune), !aboutLock, !has(.connect),
                has(.folder) || has(.storeName) || has(.logFile),
                !(shell && source.shellRedirects(onLine: line)), source.definedName(onLine: line) == nil
            {
                if has(.folder) || has(.storeName) { note(.readsMessages, line, name: literal(.folder, suffix: "/") ?? literal(.storeName)) }
                if has(.logFile) { note(.readsLog, line, name: literal(.logFile)) }
            }
            if inCode(.network) {
                note(.callsNetwork, line, name: source.urlPath(onLine: line))
                if networkSites < CodeFile.siteLimit {
                    networkSites += 1
                    file.sites.append(CodeFact(kind: .callsNetwork, line: line, name: source.urlPath(onLine: line)))
                }
            }
            if inCode(.route) || inCode(.toolName) {
                let registration: UInt64 = 1 << UInt64(Group.route.rawValue) | 1 << UInt64(Group.toolName.rawValue)
                let hit = lineHits.first(where: { groupsOfKeyword[$0.keyword] & registration != 0 })
                let after = hit?.offset ?? 0
                // `@mcp.tool()` names its tool by the function defined on the next line.
                // `server.tool(` with its name on the next line, as formatters lay out long calls.
                if let name = source.firstLiteral(onLine: line, after: after) ?? source.leadingLiteral(onLine: line + 1)
                    ?? source.definedName(onLine: line + 1)
                {
                    noteNamed(.servesRoute(name), line)
                }
            }
            if inCode(.route) { note(.registersRoute, line) }
            if has(.deferLane), text.movesWork(into: ["defer", "deferred"]) { note(.movesToLane(.deferred), line, name: literal(.deferLane)) }
            if has(.priorityLane), text.movesWork(into: ["priority", "urgent"]) { note(.movesToLane(.priority), line, name: literal(.priorityLane)) }
            if has(.priorityWord), has(.ordering) { note(.ordersByPriority, line) }
            if has(.queue) { note(.mentionsQueue, line) }
            if inCode(.releaseHeld) { note(.releasesHeldWork, line) }
            // The column itself (`visible_at`), not a name that ends like one (`retry_not_before`).
            if has(.holdColumn), has(.comparison), holdColumns.contains(where: text.hasWord) { note(.gatesByTime, line) }
            if has(.registryFolder), has(.jsonName), text.interpolatesName(before: ".json") { note(.namesRegistryEntry, line) }
            if has(.retry) { note(.retries, line) }
        }
        // Writing into a message store: the write within ``storeWindow`` lines of the store's name.
        if let write = writeLines.first(where: { line in storeLines.contains { abs($0 - line) <= storeWindow } }) {
            let store = storeLines.filter { abs($0 - write) <= storeWindow }.min { abs($0 - write) < abs($1 - write) }
            // The store is named on another line: the write may be of anything. Detection counts it; the map does not draw it.
            note(.writesMessageStore, write, name: store.flatMap { storeNames[$0] }, direct: store == write)
        }
        // A program that loops and waits between tries: a retry name with a wait within
        // ``retryWindow`` lines. A retry setting far from any wait is a setting.
        if !loopLines.isEmpty, let retry = retryLines.first(where: { line in waitLines.contains { abs($0 - line) <= retryWindow } }) {
            note(.retryLoop, retry)
        }
        return file
    }
}

extension CodeFact.Kind {
    /// How many kinds ``slot`` numbers.
    static let slotCount = 33

    /// The kinds that carry no name, numbered from 0 (each id kind and lane its own): a program's
    /// facts are noted and looked up by this number instead of hashing or comparing the enum, which
    /// was asked dozens of times a line. Nil for kinds that carry a table's, file's or route's name.
    var slot: Int? {
        switch self {
        case .mentionsMessages: 0
        case .writesPerAgentPath: 1
        case .appendsToLog: 2
        case .namesLog: 3
        case .opensForAppend: 4
        case .writesFile: 5
        case .namesMessageStore: 6
        case .writesMessageStore: 7
        case .registersRoute: 8
        case .loops: 9
        case .waits: 10
        case .retries: 11
        case .retryLoop: 12
        case .ordersByPriority: 13
        case .mentionsQueue: 14
        case .releasesHeldWork: 15
        case .gatesByTime: 16
        case .namesRegistryEntry: 17
        case .readsMessages: 18
        case .readsLog: 19
        case .callsNetwork: 20
        case .appendsThrough: 21
        case .writesThrough: 22
        case .generatesID(let id):
            switch id {
            case .uuid: 23
            case .uuidFragment: 24
            case .uuidOther: 25
            case .digest: 26
            case .digestChain: 27
            case .digestOther: 28
            case .digestFragment: 29
            case .hmac: 30
            }
        case .movesToLane(let lane):
            switch lane {
            case .deferred: 31
            case .priority: 32
            }
        case .createsTable, .insertsInto, .namesDatabaseFile, .namesHomePath, .usesDriver, .selectsFrom, .servesRoute: nil
        }
    }
}
