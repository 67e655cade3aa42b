import CoordMigrateModel
/// Fast, allocation-free checks on file names, run on every message file.
enum NameMatching {
    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
    }

    /// True when `name` contains a UUID: 8-4-4-4-12 hexadecimal digits, any case.
    static func containsUUID(_ name: String) -> Bool { idMarks(in: name).uuid }

    /// Both checks in one pass over the name: a UUID (hex runs of at least 8, then
    /// exactly 4, 4, 4, then at least 12, joined by single dashes) and a SHA-256
    /// (a run of 64 hex digits). Runs every message file name, so it allocates nothing.
    static func idMarks(in name: String) -> (uuid: Bool, sha256: Bool) {
        var name = name
        return name.withUTF8 { bytes in
            var uuid = false
            var sha = false
            // Lengths of the hex runs in the current dash-joined chain, newest last.
            var chain = (0, 0, 0, 0)  // the four runs before the current one
            var chained = 0  // how many runs the current chain holds before the current run
            var run = 0
            func closeRun(dash: Bool) {
                if chained >= 4, chain.0 >= 8, chain.1 == 4, chain.2 == 4, chain.3 == 4, run >= 12 { uuid = true }
                if dash && run > 0 {
                    chain = (chain.1, chain.2, chain.3, run)
                    chained += 1
                } else {
                    chain = (0, 0, 0, 0)
                    chained = 0
                }
            }
            for byte in bytes {
                if isHexDigit(byte) {
                    run += 1
                    if run >= 64 { sha = true }
                } else {
                    closeRun(dash: byte == UInt8(ascii: "-"))
                    run = 0
                }
            }
            closeRun(dash: false)
            return (uuid, sha)
        }
    }
}

/// What counts as a message file.
package enum MessageFiles {
    /// Extensions the original tool counts (msg, json), and those counted beyond
    /// them because real systems write messages as these too.
    static func isMessageExtension(_ ext: Substring) -> Bool {
        switch ext {
        case "msg", "json", "md", "eml", "yaml", "yml", "txt": true
        default: false
        }
    }
    /// Top-level folders that hold messages.
    static let messageFolders = ["inbox", "messages"]

    /// True for a regular file whose name and extension make it a message.
    package static func hasMessageName(_ entry: ScanEntry) -> Bool {
        guard entry.kind == .file else { return false }
        let ext = entry.fileExtension
        guard isMessageExtension(ext) else { return false }
        guard let first = entry.name.first, first != ".", first != "_" else { return false }
        return !entry.name.hasPrefix("README")
    }

    /// True for a file delivered into a Maildir: `mailboxes/<agent>/{new,cur}/<name>`.
    /// Maildir names carry no extension (`1795540153.M204118P3817.host`).
    package static func isMaildirMessage(_ entry: ScanEntry) -> Bool {
        guard entry.kind == .file, entry.depth == 4, entry.isInside("mailboxes"), entry.name.first != "." else { return false }
        let folder = entry.parentPath.utf8.split(separator: UInt8(ascii: "/")).last
        return folder.map { $0.elementsEqual("new".utf8) || $0.elementsEqual("cur".utf8) } ?? false
    }

    /// True for a message file under `inbox/`.
    package static func isInboxMessage(_ entry: ScanEntry) -> Bool {
        entry.isInside("inbox") && hasMessageName(entry)
    }

    /// Files whose names are checked for message ids: messages under the message
    /// folders, and `*.msg` files anywhere (as the original tool does).
    package static func isNamedMessage(_ entry: ScanEntry) -> Bool {
        guard hasMessageName(entry) else { return isMaildirMessage(entry) }
        if entry.fileExtension == "msg" { return true }
        if messageFolders.contains(where: { entry.isInside($0) }) { return true }
        // Other layouts: mailboxes/<agent>/…, queue/<agent>/…, <agent>/inbox/…, .<name>/inbox/<agent>/….
        return entry.isInside("mailboxes") || entry.isInside("queue") || entry.path.contains("/inbox/")
    }
}
