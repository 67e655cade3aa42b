@testable import CoordMigrateScan
@testable import CoordMigrateDetect
import CoordMigrateModel
import CoordMigrateTestSupport
import Testing

/// The checks every entry of a walk goes through are done in bytes; each agrees with the
/// String operation it stands for, on names built to hit the edges.
@Suite("Byte-level checks of the walk")
struct ByteChecksTests {
    /// The extension the way `ScanEntry.fileExtension` reads it: after the last dot, not a leading one.
    static func stringExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    static func key(ofName name: String) -> UInt64 {
        var name = name
        return name.withUTF8 { FileExtension.key(ofName: $0) }
    }

    @Test("an extension's key is its lower-cased extension's, and 0 for none or one over eight bytes", arguments: [
        "a.json", "A.JSON", "x.Json", ".env", "env", "a.", "a.b.c.yaml", "archive.tar.gz", "notes.markdown",
        "x.toolongext", "x.12345678", "x.123456789", "..", ".", "", "dir.d/", "ü.py", "a.PY",
    ])
    func extensionKey(_ name: String) {
        let ext = Self.stringExtension(name)
        let expected: UInt64 = ext.isEmpty || ext.utf8.count > 8 ? 0 : FileExtension.key(ext.utf8)
        #expect(Self.key(ofName: name) == expected)
    }

    @Test("keys of different extensions differ, and case does not make one")
    func keysDiffer() {
        let extensions = ["py", "pyc", "pyw", "js", "json", "jsonl", "md", "mdx", "yml", "yaml", "sh", "s", "h", "db", "sqlite", "sqlite3"]
        let keys = extensions.map { FileExtension.key($0.utf8) }
        #expect(Set(keys).count == extensions.count)
        #expect(FileExtension.key("SQLite3".utf8) == FileExtension.sqlite3)
    }

    @Test("languages come from the extension's key as from the extension")
    func languages() {
        let cases: [(String, SourceLanguage?)] = [
            ("run.sh", .shell), ("RUN.SH", .shell), ("x.py", .python), ("x.pyc", nil), ("x.tsx", .javascript),
            ("x.go", .go), ("x.rs", .rust), ("x.rb", .ruby), ("schema.sql", .sql), ("x.json", nil), (".py", nil),
        ]
        for (name, language) in cases {
            #expect(SourceLanguage.of(extensionKey: Self.key(ofName: name)) == language, "\(name)")
            #expect(SourceLanguage.of(extension: Self.stringExtension(name)[...]) == language, "\(name)")
        }
    }

    @Test("`/inbox/` is found in bytes where String.contains finds it")
    func inboxFolder() {
        var generator = SplitMix64(seed: 24)
        let alphabet: [Character] = ["/", "i", "n", "b", "o", "x", "a", "é"]
        for _ in 0..<5_000 {
            let path = String((0..<Int.random(in: 0...16, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(MessageFiles.containsInboxFolder(path) == path.contains("/inbox/"), "\(path)")
        }
        #expect(MessageFiles.containsInboxFolder("team/inbox/alice/1.json"))
        #expect(MessageFiles.containsInboxFolder("/inbo/inbox/"))
        #expect(!MessageFiles.containsInboxFolder("inbox/alice/1.json"))
    }

    @Test("excluded names are found whatever their length says, non-ASCII ones included")
    func excludedNames() {
        let excluder = Excluder(globs: ["node_modules", ".git", "vendor/"])
        for name in ["node_modules", ".git", "vendor", "node_modules_2", "550e8400-e29b-41d4-a716-446655440000.json", "", "g"] {
            #expect(excluder.excludes(name: name, path: name) == ["node_modules", ".git", "vendor"].contains(name), "\(name)")
        }
        // U+212A KELVIN SIGN is the same string as "K" to Swift: three bytes against one.
        let kelvin = Excluder(globs: ["K"])
        #expect(kelvin.excludes(name: "\u{212A}", path: "\u{212A}"))
        let accented = Excluder(globs: ["caf\u{E9}"])
        #expect(accented.excludes(name: "cafe\u{301}", path: "cafe\u{301}"))
    }

    @Test("offering an evidence built only when kept keeps what offering it built keeps")
    func lazyOffer() {
        var generator = SplitMix64(seed: 7)
        let paths = (0..<200).map { "inbox/agent-\($0 % 13)/\(UInt32.random(in: 0...UInt32.max, using: &generator)).json" }
        var eager = EvidenceSample(limit: 5)
        var lazy = EvidenceSample(limit: 5)
        var built = 0
        for path in paths {
            let item = Evidence(subject: .pattern(.collisionFreeMessaging), kind: .disk, path: path, detail: "UUID in message name")
            eager.offer(item)
            lazy.offer(path: path) {
                built += 1
                return item
            }
        }
        #expect(lazy.items == eager.items)
        #expect(lazy.count == eager.count)
        #expect(built < paths.count / 2)
    }
}
