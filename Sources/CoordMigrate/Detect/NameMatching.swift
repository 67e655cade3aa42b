/// Fast, allocation-free checks on file names, run on every message file.
enum NameMatching {
    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
    }

    /// True when `name` contains a UUID: 8-4-4-4-12 hexadecimal digits, any case.
    static func containsUUID(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            guard bytes.count >= 36 else { return false }
            let groups = [8, 4, 4, 4, 12]
            outer: for start in 0...(bytes.count - 36) {
                var index = start
                for (position, length) in groups.enumerated() {
                    for _ in 0..<length {
                        guard isHexDigit(bytes[index]) else { continue outer }
                        index += 1
                    }
                    if position < 4 {
                        guard bytes[index] == UInt8(ascii: "-") else { continue outer }
                        index += 1
                    }
                }
                return true
            }
            return false
        }
    }

    /// True when `name` contains a run of at least `length` hexadecimal digits.
    static func containsHexRun(_ name: String, length: Int = 64) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            var run = 0
            for byte in bytes {
                run = isHexDigit(byte) ? run + 1 : 0
                if run >= length { return true }
            }
            return false
        }
    }
}

/// What counts as a message file.
enum MessageFiles {
    /// Extensions the original tool counts.
    static let seedExtensions: Set<Substring> = ["msg", "json"]
    /// Extensions counted beyond those: real systems write messages as these too.
    static let extraExtensions: Set<Substring> = ["md", "eml", "yaml", "yml", "txt"]
    /// Top-level folders that hold messages.
    static let messageFolders = ["inbox", "messages"]

    /// True for a regular file whose name and extension make it a message.
    static func hasMessageName(_ entry: ScanEntry) -> Bool {
        guard entry.kind == .file else { return false }
        let ext = entry.fileExtension
        guard seedExtensions.contains(ext) || extraExtensions.contains(ext) else { return false }
        guard let first = entry.name.first, first != ".", first != "_" else { return false }
        return !entry.name.hasPrefix("README")
    }

    /// True for a message file under `inbox/`.
    static func isInboxMessage(_ entry: ScanEntry) -> Bool {
        entry.isInside("inbox") && hasMessageName(entry)
    }

    /// Files whose names are checked for message ids: messages under the message
    /// folders, and `*.msg` files anywhere (as the original tool does).
    static func isNamedMessage(_ entry: ScanEntry) -> Bool {
        guard hasMessageName(entry) else { return false }
        if entry.fileExtension == "msg" { return true }
        if messageFolders.contains(where: { entry.isInside($0) }) { return true }
        // Other layouts: mailboxes/<agent>/…, queue/<agent>/…, <agent>/inbox/…, .<name>/inbox/<agent>/….
        return entry.isInside("mailboxes") || entry.isInside("queue") || entry.path.contains("/inbox/")
    }
}
