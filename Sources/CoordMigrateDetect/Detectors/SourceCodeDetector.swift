import CoordMigrateModel
import CoordMigrateScan
/// What a program does, as read from its source: the **code** kind of evidence.
///
/// In a checkout the runtime folders (inboxes, event logs) are often absent —
/// gitignored — while the scripts that create them are there. This detector reads
/// shell, Python and JavaScript/TypeScript sources (bounded: at most
/// ``fileLimit`` files, ``readLimit`` bytes each) and records, line by line, what
/// they do. Prose (READMEs, docs) is never read: docs describe things that may not exist.
package final class SourceCodeDetector: InventoryCollector {
    /// One thing a program was seen doing.
    package enum Signal: String, CaseIterable, Sendable {
        /// Writes into a per-agent folder: `inbox/$to/…`, `mailboxes/{agent}/…`.
        case perAgentWrite
        /// Puts a UUID in message names: `uuidgen`, `uuid4()`, `randomUUID()`.
        case uuidNames
        /// Puts a SHA-256 digest in message names.
        case digestNames
        /// Appends to an event log or journal.
        case eventAppend
        /// Moves or writes work into a defer lane.
        case deferLane
        /// Moves or writes work into a priority lane.
        case priorityLane
        /// Wraps a command in a retry loop with backoff.
        case retryLoop
        /// Keeps messages in files: writes or appends them to a message store (a spool,
        /// `msg/<id>.md`, `<agent>.json`, a message-bus file).
        case messageStore
        /// Serves messages over HTTP, JSON-RPC or MCP: registers routes or tools that send and fetch them.
        case messageRoutes
    }

    static func isSource(_ ext: Substring) -> Bool {
        switch ext {
        case "sh", "bash", "zsh", "py", "js", "mjs", "cjs", "ts", "tsx", "go", "rb": true
        default: false
        }
    }
    /// Folders where programs without an extension live (`bin/agent-bus`).
    static let programFolders: Set<Substring> = ["bin", "scripts", "tools", "hooks", "libexec"]

    /// An extensionless executable with a shebang (`#!/usr/bin/env bash`, `#!/usr/bin/env python3`)
    /// at the root or in a programs folder: a script like any `*.sh`.
    static func isScript(_ entry: ScanEntry) -> Bool {
        guard entry.fileExtension.isEmpty, !entry.name.hasPrefix("."),
            entry.depth == 1 || programFolders.contains(entry.parentPath.split(separator: "/").last ?? "")
        else { return false }
        guard let head = entry.contentPrefix(limit: 2), head == [0x23, 0x21] else { return false }
        return true
    }

    static let fileLimit = 2000
    static let readLimit = 128 * 1024

    private var filesRead = 0
    private var samples: [Signal: EvidenceSample] = [:]

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.kind == .file, filesRead < Self.fileLimit, Self.isSource(entry.fileExtension) || Self.isScript(entry)
        else { return }
        filesRead += 1
        guard let bytes = entry.contentPrefix(limit: Self.readLimit) else { return }
        for (signal, line, detail) in Self.signals(in: bytes) {
            samples[signal, default: EvidenceSample(limit: 3)].offer(
                Evidence(subject: .custom(signal.rawValue), kind: .code, path: entry.path, line: line, detail: detail))
        }
    }

    func collect(into inventory: inout WalkInventory) {
        for (signal, sample) in samples {
            inventory.codeSignals[signal] = sample.items
        }
    }

    /// The signals in one source file: the first line of each, with a short account.
    static func signals(in bytes: [UInt8]) -> [(Signal, Int, String)] {
        var found: [Signal: (Int, String)] = [:]
        var mentionsMessages = false
        var hasLoop = false
        var sleeps = false
        var namesLog = false
        var appendLine: Int?
        var namesStore = false
        var storeWrite: Int?
        var route: Int?
        var number = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let line = SourceLine(raw)
            // Comments say what a program might do; only code says what it does.
            if line.isComment { continue }
            if line.has("inbox") || line.has("mailbox") || line.has("message") || line.has(".msg") {
                mentionsMessages = true
            }
            if line.has("for ") || line.has("while ") || line.has("until ") || line.has("range(") {
                hasLoop = true
            }
            if line.has("sleep") || line.has("settimeout(") || line.has("backoff") { sleeps = true }
            func note(_ signal: Signal, _ detail: String) {
                if found[signal] == nil { found[signal] = (number, detail) }
            }
            if writesPerAgentFolder(line) { note(.perAgentWrite, "writes into a per-agent folder") }
            // A UUID or digest cut short on the same line (`uuid4().hex[:8]`,
            // `randomUUID().split("-")[0]`, `sha256sum | cut -c1-16`) no longer names
            // anything uniquely: that is a fragment, not a collision-free id or a content address.
            if line.hasAny(["uuidgen", "uuid4(", "randomuuid(", "uuid_generate", "uuidv4(", "kernel/random/uuid", "uuid.new"]),
                !Self.truncates(line)
            {
                note(.uuidNames, "generates UUIDs")
            }
            if line.hasAny([
                "sha256sum", "hashlib.sha256", "createhash('sha256')", "createhash(\"sha256\")", "shasum -a 256", "sha256(",
                "sha256hash",
            ]), !Self.truncates(line), !line.hasAny(["hmac"]) {
                note(.digestNames, "computes SHA-256 digests")
            }
            if appendsToEventLog(line) { note(.eventAppend, "appends to an event log") }
            // The log's name and the append are often on different lines (a constant, then
            // `open(path, "a")` or `printf … >> "$LEDGER"`): both in one program count too.
            if line.hasAny(Self.logNames) { namesLog = true }
            if appendLine == nil, line.hasAny(Self.appendCalls) { appendLine = number }
            if line.hasAny(Self.storeNames) { namesStore = true }
            if storeWrite == nil, line.hasAny(Self.appendCalls) || line.hasAny(Self.writeCalls) { storeWrite = number }
            if route == nil, line.hasAny(Self.routeCalls) { route = number }
            if movesWork(line, into: ["defer", "deferred"]) { note(.deferLane, "moves work into a defer lane") }
            if movesWork(line, into: ["priority", "urgent"]) { note(.priorityLane, "moves work into a priority lane") }
            // Ordering the intake by priority is a priority queue without folders.
            if line.hasAny(["priority", "urgent"]), line.hasAny(Self.orderings) {
                note(.priorityLane, "orders the intake by priority")
            }
            if line.hasAny(["retry", "backoff", "max_attempts", "maxattempts"]) {
                note(.retryLoop, "retries with backoff")
            }
        }
        // A retry loop is a loop that waits between tries, not a word in a comment.
        if !(hasLoop && sleeps) { found[.retryLoop] = nil }
        if found[.eventAppend] == nil, namesLog, let appendLine {
            found[.eventAppend] = (appendLine, "appends to an event log")
        }
        // A program about messages that writes files into a message store keeps its messages in files;
        // one that registers routes or tools about messages serves them.
        if mentionsMessages, namesStore, let storeWrite { found[.messageStore] = (storeWrite, "writes messages into files") }
        if mentionsMessages, let route { found[.messageRoutes] = (route, "serves messages over HTTP or MCP") }
        // UUIDs and digests count only in programs that deal with messages.
        if !mentionsMessages {
            found[.uuidNames] = nil
            found[.digestNames] = nil
        }
        return Signal.allCases.compactMap { signal in found[signal].map { (signal, $0.0, $0.1) } }
    }

    /// Whether the line cuts a value short: a slice, a prefix, the first part of a split, `cut -c`, `head -c`.
    static func truncates(_ line: SourceLine) -> Bool {
        if line.hasAny([
            "[0:", ".slice(0", ".substring(0", ".substr(0", "split(\"-\")[0]", "split('-')[0]", "cut -c", "head -c", ".prefix(",
        ]) {
            return true
        }
        // A Python slice `[:8]` (a digit after `[:`), not a character class such as `[:upper:]`.
        var from = 0
        while let end = line.end(of: "[:", from: from) {
            if line.byte(at: end).map({ (0x30...0x39).contains($0) }) == true { return true }
            from = end
        }
        return false
    }

    /// `inbox/$to/`, `inbox/${agent}`, `"inbox/" + agent`, `f"inbox/{agent}"`,
    /// `` `inbox/${to}` ``, `path.join("inbox", agent…`, and the same for mailboxes and queues.
    static func writesPerAgentFolder(_ line: SourceLine) -> Bool {
        for folder in ["inbox", "mailboxes", "mailbox", "queue"] {
            var from = 0
            while let end = line.end(of: folder, from: from) {
                let after = line.text(from: end)
                let trimmed = after.drop { $0 == "\"" || $0 == "'" || $0 == "`" || $0 == " " || $0 == ")" }
                if after.hasPrefix("/$") || after.hasPrefix("/{") || after.hasPrefix("/\" +") || after.hasPrefix("/' +")
                    || after.hasPrefix("/\"+") || after.hasPrefix("/%s") || after.hasPrefix("/\" .")
                    || trimmed.hasPrefix(", ") && (after.hasPrefix("\"") || after.hasPrefix("'"))
                        && (line.has("join(") || line.has("path("))
                {
                    return true
                }
                from = end
            }
        }
        return false
    }

    /// Names of append-only logs: event logs, journals, ledgers.
    static let logNames = [
        "events.log", "events.jsonl", "events.ndjson", "event_log", "eventlog", "journal", "ledger.jsonl", "audit.jsonl",
        "audit_log", "log.jsonl", "events_log",
    ]
    /// Opening or writing a file for appending, in the languages read here (a shell
    /// `>>` only into a variable's path, never a shift).
    static let appendCalls = [
        "appendfilesync(", "appendfile(", "o_append", ", 'a')", ", \"a\")", "'ab'", "\"ab\"", "'a+b'", "\"a+b\"", "mode=\"a\"", "mode='a'",
        "flag: 'a'", "flags: 'a'", "flag: \"a\"", "tee -a", ">> \"$", ">>\"$", "os.o_append",
    ]

    /// Sorting or ordering constructs: SQL, jq, Python, JavaScript, Go, a heap.
    static let orderings = [
        "order by", "sort_by(", "sorted(", ".sort(", "sort.slice(", "orderby(", "heapq.", "priority_order", "priorityqueue",
    ]

    /// Where file-based systems keep messages.
    static let storeNames = [
        ".jsonl", "msg/", "messages/", "messages_dir", "message-bus", "message_bus", "spool", "inbox/", "mailbox",
    ]
    /// Writing a file, in the languages read here.
    static let writeCalls = [
        "writefilesync(", "writefile(", "write_text(", "os.writefile(", "ioutil.writefile(", ", 'w')", ", \"w\")",
        "> \"$", ">\"$", "json.dump(",
    ]
    /// Registering a route or an MCP tool.
    static let routeCalls = [
        "@app.post(", "@app.get(", "@router.post(", "@router.get(", "app.post(", "router.post(", "http.handlefunc(",
        "mux.handlefunc(", "server.tool(", "@mcp.tool", "mcp.addtool(", ".registertool(", "@server.call_tool",
    ]

    static func appendsToEventLog(_ line: SourceLine) -> Bool {
        guard line.hasAny(["events.log", "events.jsonl", "events.ndjson", "event_log", "eventlog", "journal"]) else {
            return false
        }
        return line.hasAny([
            ">>", "'a'", "\"a\"", "'ab'", "\"ab\"", "appendfile", "o_append", "append(", "tee -a", "mode=\"a\"",
            "mode='a'", "flag: 'a'", "flags: 'a'", "flag: \"a\"",
        ])
    }

    static func movesWork(_ line: SourceLine, into lanes: [String]) -> Bool {
        let mentions = { (from: Int) in
            lanes.contains {
                line.end(of: $0 + "/", from: from) != nil || line.end(of: "\"" + $0 + "\"", from: from) != nil
                    || line.end(of: "'" + $0 + "'", from: from) != nil
            }
        }
        guard mentions(0) else { return false }
        if line.hasAny(["mv ", "rename", "move(", "shutil.move", "os.replace", "cp ", "copyfile", "writefile", "write_text", "open("]) {
            return true
        }
        // A shell redirect counts only when the lane is where the output goes.
        if let redirect = line.end(of: ">", from: 0) { return mentions(redirect) }
        return false
    }
}

/// One line of a source file, lower-cased (ASCII) and searched as bytes: these
/// checks run on every line of every script read, and String searching is slow.
struct SourceLine {
    private let bytes: [UInt8]

    init(_ raw: ArraySlice<UInt8>) {
        bytes = raw.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    }

    /// True when the line, leading blanks aside, starts a comment.
    var isComment: Bool {
        guard let start = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return false }
        let first = bytes[start]
        return first == UInt8(ascii: "#") || first == UInt8(ascii: "*")
            || (first == UInt8(ascii: "/") && start + 1 < bytes.count
                && (bytes[start + 1] == UInt8(ascii: "/") || bytes[start + 1] == UInt8(ascii: "*")))
    }

    func has(_ needle: String) -> Bool { end(of: needle, from: 0) != nil }

    /// The byte at `index`, if the line has one there.
    func byte(at index: Int) -> UInt8? { index >= 0 && index < bytes.count ? bytes[index] : nil }

    func hasAny(_ needles: [String]) -> Bool { needles.contains(where: has) }

    /// The offset just past the first occurrence of `needle` at or after `from`.
    func end(of needle: String, from: Int) -> Int? {
        var needle = needle
        return needle.withUTF8 { pattern -> Int? in
            guard let first = pattern.first, from >= 0, pattern.count <= bytes.count - from else { return nil }
            var index = from
            let last = bytes.count - pattern.count
            while index <= last {
                if bytes[index] == first {
                    var matched = 1
                    while matched < pattern.count, bytes[index + matched] == pattern[matched] { matched += 1 }
                    if matched == pattern.count { return index + pattern.count }
                }
                index += 1
            }
            return nil
        }
    }

    /// The line from byte `offset` on, as text.
    func text(from offset: Int) -> Substring {
        String(decoding: bytes[min(offset, bytes.count)...], as: UTF8.self)[...]
    }
}
