/// What a program does, as read from its source: the **code** kind of evidence.
///
/// In a checkout the runtime folders (inboxes, event logs) are often absent —
/// gitignored — while the scripts that create them are there. This detector reads
/// shell, Python and JavaScript/TypeScript sources (bounded: at most
/// ``fileLimit`` files, ``readLimit`` bytes each) and records, line by line, what
/// they do. Prose (READMEs, docs) is never read: docs describe things that may not exist.
final class SourceCodeDetector: Detector {
    /// One thing a program was seen doing.
    enum Signal: String, CaseIterable, Sendable {
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
    }

    static func isSource(_ ext: Substring) -> Bool {
        switch ext {
        case "sh", "bash", "zsh", "py", "js", "mjs", "cjs", "ts": true
        default: false
        }
    }
    static let fileLimit = 2000
    static let readLimit = 128 * 1024

    private var filesRead = 0
    private var samples: [Signal: EvidenceSample] = [:]

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.kind == .file, filesRead < Self.fileLimit, Self.isSource(entry.fileExtension)
        else { return }
        filesRead += 1
        guard let bytes = entry.contentPrefix(limit: Self.readLimit) else { return }
        for (signal, line, detail) in Self.signals(in: bytes) {
            samples[signal, default: EvidenceSample(limit: 3)].offer(
                Evidence(subject: signal.rawValue, kind: .code, path: entry.path, line: line, detail: detail))
        }
    }

    func finish(context: DetectionContext) {
        for (signal, sample) in samples {
            context.codeSignals[signal] = sample.items
        }
    }

    /// The signals in one source file: the first line of each, with a short account.
    static func signals(in bytes: [UInt8]) -> [(Signal, Int, String)] {
        var found: [Signal: (Int, String)] = [:]
        var mentionsMessages = false
        var hasLoop = false
        var sleeps = false
        var number = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let line = String(decoding: raw, as: UTF8.self).lowercased()
            // Comments say what a program might do; only code says what it does.
            let code = line.drop { $0 == " " || $0 == "\t" }
            if code.hasPrefix("#") || code.hasPrefix("//") || code.hasPrefix("*") || code.hasPrefix("/*") { continue }
            if line.contains("inbox") || line.contains("mailbox") || line.contains("message") || line.contains(".msg") {
                mentionsMessages = true
            }
            if line.contains("for ") || line.contains("while ") || line.contains("until ") || line.contains("range(") {
                hasLoop = true
            }
            if line.contains("sleep") || line.contains("settimeout(") || line.contains("backoff") { sleeps = true }
            func note(_ signal: Signal, _ detail: String) {
                if found[signal] == nil { found[signal] = (number, detail) }
            }
            if writesPerAgentFolder(line) { note(.perAgentWrite, "writes into a per-agent folder") }
            if ["uuidgen", "uuid4(", "randomuuid(", "uuid_generate", "uuidv4(", "kernel/random/uuid", "uuid.new"]
                .contains(where: line.contains)
            {
                note(.uuidNames, "generates UUIDs")
            }
            if ["sha256sum", "hashlib.sha256", "createhash('sha256')", "createhash(\"sha256\")", "shasum -a 256",
                "sha256(", "sha256hash"].contains(where: line.contains)
            {
                note(.digestNames, "computes SHA-256 digests")
            }
            if appendsToEventLog(line) { note(.eventAppend, "appends to an event log") }
            if movesWork(line, into: ["defer", "deferred"]) { note(.deferLane, "moves work into a defer lane") }
            if movesWork(line, into: ["priority", "urgent"]) { note(.priorityLane, "moves work into a priority lane") }
            if line.contains("retry") || line.contains("backoff") || line.contains("max_attempts")
                || line.contains("maxattempts")
            {
                note(.retryLoop, "retries with backoff")
            }
        }
        // A retry loop is a loop that waits between tries, not a word in a comment.
        if !(hasLoop && sleeps) { found[.retryLoop] = nil }
        // UUIDs and digests count only in programs that deal with messages.
        if !mentionsMessages {
            found[.uuidNames] = nil
            found[.digestNames] = nil
        }
        return Signal.allCases.compactMap { signal in found[signal].map { (signal, $0.0, $0.1) } }
    }

    /// `inbox/$to/`, `inbox/${agent}`, `"inbox/" + agent`, `f"inbox/{agent}"`,
    /// `` `inbox/${to}` ``, `path.join("inbox", agent…`, and the same for mailboxes and queues.
    static func writesPerAgentFolder(_ line: String) -> Bool {
        for folder in ["inbox", "mailboxes", "mailbox", "queue"] {
            var rest = line[...]
            while let range = rest.firstRange(of: folder) {
                let after = rest[range.upperBound...]
                let trimmed = after.drop { $0 == "\"" || $0 == "'" || $0 == "`" || $0 == " " || $0 == ")" }
                if after.hasPrefix("/$") || after.hasPrefix("/{") || after.hasPrefix("/\" +") || after.hasPrefix("/' +")
                    || after.hasPrefix("/\"+") || after.hasPrefix("/%s") || after.hasPrefix("/\" .")
                    || trimmed.hasPrefix(", ") && (after.hasPrefix("\"") || after.hasPrefix("'"))
                        && (line.contains("join(") || line.contains("path("))
                {
                    return true
                }
                rest = rest[range.upperBound...]
            }
        }
        return false
    }

    static func appendsToEventLog(_ line: String) -> Bool {
        let names = ["events.log", "events.jsonl", "events.ndjson", "event_log", "eventlog", "journal"]
        guard names.contains(where: line.contains) else { return false }
        return [">>", "'a'", "\"a\"", "'ab'", "\"ab\"", "appendfile", "o_append", "append(", "tee -a", "mode=\"a\"",
                "mode='a'", "flag: 'a'", "flags: 'a'", "flag: \"a\""].contains(where: line.contains)
    }

    static func movesWork(_ line: String, into lanes: [String]) -> Bool {
        let mentions = { (text: Substring) in
            lanes.contains { text.contains($0 + "/") || text.contains("\"" + $0 + "\"") || text.contains("'" + $0 + "'") }
        }
        guard mentions(line[...]) else { return false }
        if ["mv ", "rename", "move(", "shutil.move", "os.replace", "cp ", "copyfile", "writefile", "write_text", "open("]
            .contains(where: line.contains)
        {
            return true
        }
        // A shell redirect counts only when the lane is where the output goes.
        if let redirect = line.firstRange(of: ">") { return mentions(line[redirect.upperBound...]) }
        return false
    }
}
