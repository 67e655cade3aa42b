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
/// A file extension as one number: its lower-cased bytes packed into an integer, so the
/// checks run on every entry compare an extension in one instruction instead of comparing
/// strings. Zero stands for no extension and for one longer than eight bytes, which no
/// check asks about.
package enum FileExtension {
    /// The key of `ext` (without its dot), lower-cased; 0 when empty or longer than eight bytes.
    package static func key(_ ext: some Sequence<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        var length = 0
        for byte in ext {
            length += 1
            guard length <= 8 else { return 0 }
            key = key << 8 | UInt64(byte >= 65 && byte <= 90 ? byte + 32 : byte)
        }
        return key
    }

    /// The key of a file name's extension: what follows its last dot, when the dot is not the
    /// name's first byte (`.env` has none, as ``ScanEntry/fileExtension`` says).
    package static func key(ofName name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return 0 }
        return key(name[(dot + 1)...])
    }

    package static let msg = key("msg".utf8), json = key("json".utf8), md = key("md".utf8), eml = key("eml".utf8)
    package static let yaml = key("yaml".utf8), yml = key("yml".utf8), txt = key("txt".utf8), toml = key("toml".utf8)
    package static let db = key("db".utf8), sqlite = key("sqlite".utf8), sqlite3 = key("sqlite3".utf8), tla = key("tla".utf8)
}

package enum MessageFiles {
    /// Extensions the original tool counts (msg, json), and those counted beyond
    /// them because real systems write messages as these too.
    static func isMessageExtension(_ ext: Substring) -> Bool {
        isMessageExtension(key: FileExtension.key(ext.utf8))
    }

    /// ``isMessageExtension(_:)`` on an extension's key (``FileExtension``).
    static func isMessageExtension(key: UInt64) -> Bool {
        key != 0 && (key == FileExtension.json || key == FileExtension.msg || key == FileExtension.md || key == FileExtension.eml
            || key == FileExtension.yaml || key == FileExtension.yml || key == FileExtension.txt)
    }

    /// True for a regular file whose name and extension make it a message.
    package static func hasMessageName(_ entry: ScanEntry) -> Bool {
        guard entry.kind == .file, isMessageExtension(key: entry.extensionKey) else { return false }
        let name = entry.name.utf8
        guard let first = name.first, first != UInt8(ascii: "."), first != UInt8(ascii: "_") else { return false }
        return first != UInt8(ascii: "R") || !name.starts(with: "README".utf8)
    }

    /// True for a file delivered into a Maildir: `mailboxes/<agent>/{new,cur}/<name>`.
    /// Maildir names carry no extension (`1795540153.M204118P3817.host`).
    package static func isMaildirMessage(_ entry: ScanEntry) -> Bool {
        guard entry.kind == .file, entry.depth == 4, entry.isInside("mailboxes"), entry.name.utf8.first != UInt8(ascii: ".") else { return false }
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
        if entry.extensionKey == FileExtension.msg { return true }
        if entry.isInside("inbox") || entry.isInside("messages") { return true }
        // Other layouts: mailboxes/<agent>/…, queue/<agent>/…, <agent>/inbox/…, .<name>/inbox/<agent>/….
        return entry.isInside("mailboxes") || entry.isInside("queue") || containsInboxFolder(entry.path)
    }

    /// Whether a path has `/inbox/` in it, searched in bytes. Only `/` repeats in the needle,
    /// at its ends, so a mismatch restarts at 1 on a slash and at 0 otherwise.
    static func containsInboxFolder(_ path: String) -> Bool {
        let needle: StaticString = "/inbox/"
        var matched = 0
        for byte in path.utf8 {
            if byte == needle.utf8Start[matched] {
                matched += 1
                if matched == needle.utf8CodeUnitCount { return true }
            } else {
                matched = byte == 47 ? 1 : 0
            }
        }
        return false
    }
}
