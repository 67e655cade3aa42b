import CoordMigrateModel
import CoordMigrateScan
/// What a program does, as read from its source: the **code** kind of evidence.
///
/// In a checkout the runtime folders (inboxes, event logs) are often absent —
/// gitignored — while the programs that create them are there. This detector turns
/// each program's facts (``CodeFile``, read by ``CodeReader``) into signals: what the
/// program does for messaging. Prose (READMEs, docs) is never read, and comments are
/// gone before facts are extracted: they describe things that may not exist.
package final class SourceCodeDetector: CodeFileConsumer {
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
        /// Writes a JSON record per agent or session into a registry folder.
        case registryWrite
    }

    private var samples: [Signal: EvidenceSample] = [:]
    private var rejected: [PatternID: EvidenceSample] = [:]

    func take(_ file: CodeFile) {
        for (signal, line, detail) in Self.signals(of: file) {
            samples[signal, default: EvidenceSample(limit: 3)].offer(
                Evidence(subject: .custom(signal.rawValue), kind: .code, path: file.path, line: line, detail: detail))
        }
        for (pattern, line, why) in Self.notCounted(in: file) {
            rejected[pattern, default: EvidenceSample(limit: 3)].offer(
                Evidence(subject: .pattern(pattern), kind: .code, path: file.path, line: line, detail: why))
        }
    }

    func collect(into inventory: inout WalkInventory) {
        for (signal, sample) in samples {
            inventory.codeSignals[signal] = sample.items
        }
        for (pattern, sample) in rejected {
            inventory.codeNotCounted[pattern] = sample.items
        }
    }

    /// The facts of one program that look like a pattern and are not counted for it, with why.
    static func notCounted(in file: CodeFile) -> [(PatternID, Int, String)] {
        guard file.language != .sql else { return [] }
        var found: [(PatternID, Int, String)] = []
        func add(_ pattern: PatternID, _ kind: CodeFact.Kind, _ why: String) {
            if let fact = file.first(kind) { found.append((pattern, fact.line, why)) }
        }
        add(.collisionFreeMessaging, .generatesID(.uuidFragment), "not counted: a UUID cut short is a fragment, not a unique id")
        add(.collisionFreeMessaging, .generatesID(.uuidOther), "not counted: the UUID names a session, request, token, instance or temporary file")
        if !file.namesMessages {
            add(.collisionFreeMessaging, .generatesID(.uuid), "not counted: a UUID in a program that handles no messages")
        }
        add(.contentAddressedDAG, .generatesID(.digestOther), "not counted: the digest names nothing stored (a checksum, dedupe or cache key)")
        add(.contentAddressedDAG, .generatesID(.digestFragment), "not counted: a digest cut short names nothing uniquely")
        add(.contentAddressedDAG, .generatesID(.hmac), "not counted: an HMAC signs, it does not address content")
        if !file.aboutIntake {
            add(.priorityQueue, .ordersByPriority, "not counted: orders by priority in a program about neither messages nor a queue")
            add(.deferQueue, .gatesByTime, "not counted: a hold-until column in a program about neither messages nor a queue")
        }
        if file.has(.retries), !file.has(.retryLoop) {
            add(.faultTolerantWrappers, .retries, "not counted: names retries, but no loop near it waits between tries")
        }
        return found
    }

    /// The signals of one program, decided from its facts: the first line of each, with a short account.
    static func signals(of file: CodeFile) -> [(Signal, Int, String)] {
        guard file.language != .sql else { return [] }
        var found: [(Signal, Int, String)] = []
        func add(_ signal: Signal, _ fact: CodeFact?, _ detail: String) {
            if let fact { found.append((signal, fact.line, detail)) }
        }
        let aboutMessages = file.aboutMessages
        add(.perAgentWrite, file.first(.writesPerAgentPath), "writes into a per-agent folder")
        // UUIDs and digests count only in programs that deal with messages, and only whole: a
        // UUID or digest cut short (`uuid4().hex[:8]`, `sha256sum | cut -c1-16`) names nothing uniquely.
        // An event bus's events are its messages: a program that writes an event log names them too.
        if file.namesMessages { add(.uuidNames, file.first(.generatesID(.uuid)), "generates UUIDs") }
        if aboutMessages {
            add(.digestNames, file.first(.generatesID(.digest)), "names or locates content by its SHA-256 digest")
        }
        // A hash chain links records by digest wherever it is kept.
        if !found.contains(where: { $0.0 == .digestNames }) {
            add(.digestNames, file.first(.generatesID(.digestChain)), "links each record to its predecessor's SHA-256 digest")
        }
        // The log's name and the append are often on different lines (a constant, then
        // `open(path, "a")` or `printf … >> "$LEDGER"`): both in one program count too.
        if let append = file.first(.appendsToLog) ?? (file.has(.namesLog) ? file.first(.opensForAppend) : nil) {
            add(.eventAppend, append, "appends to an event log")
        }
        if let lane = file.first(.movesToLane(.deferred)) {
            add(.deferLane, lane, "moves work into a defer lane")
        } else if file.aboutIntake {
            // A column that holds work until a time, compared by the query that takes work:
            // a defer queue without folders.
            add(.deferLane, file.first(.gatesByTime) ?? file.first(.releasesHeldWork),
                file.has(.gatesByTime) ? "holds work until a time the intake compares" : "releases work it held back")
        }
        if let lane = file.first(.movesToLane(.priority)) {
            add(.priorityLane, lane, "moves work into a priority lane")
        } else if file.aboutIntake {
            // Ordering the intake by priority is a priority queue without folders; ordering a
            // listing in a program about neither messages nor a queue is not an intake.
            add(.priorityLane, file.first(.ordersByPriority), "orders the intake by priority")
        }
        if file.has(.writesFile) || file.has(.opensForAppend) {
            add(.registryWrite, file.first(.namesRegistryEntry), "writes a registry entry per agent or session")
        }
        // A retry loop is a loop that waits between tries, not a word in a comment.
        add(.retryLoop, file.first(.retryLoop), "retries with backoff")
        // A program about messages that writes files into a message store keeps its messages in
        // files; one that registers routes or tools about messages serves them.
        if aboutMessages {
            // Through a variable that holds the folder's path (`path = os.path.join(INBOX, to, name)`).
            let through = file.facts.first { $0.kind == .writesThrough && $0.direct && $0.name.map { $0.hasSuffix("/") } == true }
            add(.messageStore, file.first(.writesMessageStore) ?? through, "writes messages into files")
        }
        if aboutMessages { add(.messageRoutes, file.first(.registersRoute), "serves messages over HTTP or MCP") }
        return found
    }
}

/// One line of a source file, lower-cased (ASCII) and searched as bytes: these
/// checks run on every line of every script read, and String searching is slow.
struct SourceLine {
    /// The line's bytes, read in place in the lexed text: most lines are asked a question or
    /// two, and copying each cost an allocation for every line with a hit.
    private let bytes: ArraySlice<UInt8>

    /// A line of a ``LexedSource``: already lower-case, its comments blanked.
    init(lexed: ArraySlice<UInt8>) {
        bytes = lexed
    }

    func has(_ needle: String) -> Bool { end(of: needle, from: 0) != nil }

    /// The byte at `index` (from the line's start), if the line has one there.
    func byte(at index: Int) -> UInt8? { index >= 0 && index < bytes.count ? bytes[bytes.startIndex + index] : nil }

    func hasAny(_ needles: [String]) -> Bool { needles.contains(where: has) }

    /// The offset just past the first occurrence of `needle` at or after `from`.
    func end(of needle: String, from: Int) -> Int? {
        var needle = needle
        return needle.withUTF8 { pattern -> Int? in
            bytes.withUnsafeBufferPointer { bytes -> Int? in
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
    }

    /// The line from byte `offset` on, as text: at most `limit` bytes of it, so looking just
    /// past each of many matches on one long (minified) line stays linear.
    func text(from offset: Int, limit: Int = 64) -> Substring {
        let start = min(max(0, offset), bytes.count)
        let base = bytes.startIndex
        return String(decoding: bytes[(base + start)..<(base + min(bytes.count, start + limit))], as: UTF8.self)[...]
    }
}

extension SourceLine {
    /// A byte of a name in lower-cased text: a letter, a digit or `_`.
    static func isWord(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    /// The variable an assignment on this line sets: `digest=$(…)`, `key = …`, `sum := …`, `const id = …`.
    func assignedName() -> String? {
        var from = 0
        while let end = end(of: "=", from: from) {
            let at = end - 1
            let next = byte(at: end)
            let before = byte(at: at - 1)
            from = end
            if next == UInt8(ascii: "=") || next == UInt8(ascii: ">") { continue }
            if let before, [UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">")].contains(before) { continue }
            var stop = at
            while stop > 0, let byte = byte(at: stop - 1), byte == 0x20 || byte == UInt8(ascii: ":") { stop -= 1 }
            var start = stop
            while start > 0, let byte = byte(at: start - 1), Self.isWord(byte) { start -= 1 }
            guard stop - start >= 2 else { return nil }
            return String(text(from: start, limit: stop - start))
        }
        return nil
    }

    /// Whether a file name ending in `suffix` is built from a value: `${id}.json`, `{sid}.json`,
    /// `%s.json`, `$SEAT.json`, `name + ".json"`.
    func interpolatesName(before suffix: String) -> Bool {
        var from = 0
        while let end = end(of: suffix, from: from) {
            from = end
            let start = end - suffix.utf8.count
            guard let previous = byte(at: start - 1) else { continue }
            if previous == UInt8(ascii: "}") { return true }
            if previous == UInt8(ascii: "s"), byte(at: start - 2) == UInt8(ascii: "%") { return true }
            // `name + ".json"`: the literal opens right before the suffix, after a `+`.
            if previous == UInt8(ascii: "\"") || previous == UInt8(ascii: "'"),
                byte(at: start - 2) == 0x20, byte(at: start - 3) == UInt8(ascii: "+")
            {
                return true
            }
            if Self.isWord(previous) {
                var index = start - 1
                while index > 0, let byte = byte(at: index - 1), Self.isWord(byte) { index -= 1 }
                if byte(at: index - 1) == UInt8(ascii: "$") { return true }
            }
        }
        return false
    }

    /// Whether `name` occurs as a whole word.
    func hasWord(_ name: String) -> Bool {
        var from = 0
        while let end = end(of: name, from: from) {
            let start = end - name.utf8.count
            if !(byte(at: start - 1).map(Self.isWord) ?? false), !(byte(at: end).map(Self.isWord) ?? false) { return true }
            from = end
        }
        return false
    }

    /// Whether the line cuts a value short: a slice, a prefix, the first part of a split, `cut -c`, `head -c`.
    func truncates() -> Bool {
        if hasAny([
            "[0:", ".slice(0", ".substring(0", ".substr(0", "split(\"-\")[0]", "split('-')[0]", "cut -c", "head -c", ".prefix(",
        ]) {
            return true
        }
        // A Python slice `[:8]` (a digit after `[:`), not a character class such as `[:upper:]`.
        var from = 0
        while let end = end(of: "[:", from: from) {
            if byte(at: end).map({ (0x30...0x39).contains($0) }) == true { return true }
            from = end
        }
        return false
    }

    /// `inbox/$to/`, `inbox/${agent}`, `"inbox/" + agent`, `f"inbox/{agent}"`,
    /// `` `inbox/${to}` ``, `path.join("inbox", agent…`, and the same for mailboxes and queues.
    func writesPerAgentFolder() -> Bool {
        for folder in ["inbox", "mailboxes", "mailbox", "queue"] {
            var from = 0
            while let end = end(of: folder, from: from) {
                let after = text(from: end)
                let trimmed = after.drop { $0 == "\"" || $0 == "'" || $0 == "`" || $0 == " " || $0 == ")" }
                if after.hasPrefix("/$") || after.hasPrefix("/{") || after.hasPrefix("/\" +") || after.hasPrefix("/' +")
                    || after.hasPrefix("/\"+") || after.hasPrefix("/%s") || after.hasPrefix("/\" .")
                    || trimmed.hasPrefix(", ") && (after.hasPrefix("\"") || after.hasPrefix("'"))
                        && (has("join(") || has("path("))
                    || joinsAgent(folderEnd: end, length: folder.count)
                {
                    return true
                }
                from = end
            }
        }
        return false
    }

    /// `join(inbox, agent, …)`: a folder held in a variable (`INBOX`), joined with a name held in
    /// another (the agent, the recipient), at the start of a path join.
    private func joinsAgent(folderEnd end: Int, length: Int) -> Bool {
        let start = end - length
        guard start >= 5, text(from: start - 5, limit: 5) == "join(" else { return false }
        let after = text(from: end)
        guard after.hasPrefix(", "), let next = after.dropFirst(2).utf8.first else { return false }
        return SourceLine.isWord(next) && !(next >= 0x30 && next <= 0x39)
    }

    /// Whether the line moves or writes work into one of `lanes` (a folder or a quoted lane name).
    func movesWork(into lanes: [String]) -> Bool {
        let mentions = { (from: Int) in
            lanes.contains {
                end(of: $0 + "/", from: from) != nil || end(of: "\"" + $0 + "\"", from: from) != nil
                    || end(of: "'" + $0 + "'", from: from) != nil
            }
        }
        guard mentions(0) else { return false }
        if hasAny(["mv ", "rename", "move(", "shutil.move", "os.replace", "cp ", "copyfile", "writefile", "write_text", "open("]) {
            return true
        }
        // A shell redirect counts only when the lane is where the output goes.
        if let redirect = end(of: ">", from: 0) { return mentions(redirect) }
        return false
    }
}
