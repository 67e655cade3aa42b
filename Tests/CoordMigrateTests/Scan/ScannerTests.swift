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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the walk handed out, copied while the entry was valid.
struct Seen: Hashable {
    var path: String
    var kind: ScanEntry.Kind
    var depth: Int
}

/// Walks `root` and returns every entry seen plus the summary.
func walk(_ root: String, options: ScanOptions = ScanOptions()) throws -> (seen: [Seen], summary: ScanSummary) {
    var seen: [Seen] = []
    let summary = try Scanner(options: options).walk(root: root) { entry in
        seen.append(Seen(path: entry.path, kind: entry.kind, depth: entry.depth))
    }
    return (seen, summary)
}

@Suite("Scanner: one walk, no surprises")
struct ScannerTests {
    @Test("counts files and folders, hands out relative paths and depths")
    func countsAndPaths() throws {
        let tree = try TempTree("counts")
        try tree.file("a.txt", "a")
        try tree.file("one/b.txt", "b")
        try tree.file("one/two/c.txt", "c")
        try tree.dir("empty")
        let (seen, summary) = try walk(tree.path)

        #expect(summary.files == 3)
        #expect(summary.directories == 3)
        #expect(summary.skipped == 0)
        #expect(summary.warnings.isEmpty)
        #expect(Set(seen) == [
            Seen(path: "a.txt", kind: .file, depth: 1),
            Seen(path: "one", kind: .directory, depth: 1),
            Seen(path: "one/b.txt", kind: .file, depth: 2),
            Seen(path: "one/two", kind: .directory, depth: 2),
            Seen(path: "one/two/c.txt", kind: .file, depth: 3),
            Seen(path: "empty", kind: .directory, depth: 1),
        ])
        #expect(seen.count == 6, "each entry is visited exactly once")
    }

    @Test("an empty folder gives zero counts")
    func emptyRoot() throws {
        let tree = try TempTree("empty")
        let (seen, summary) = try walk(tree.path)
        #expect(seen.isEmpty)
        #expect(summary.files == 0 && summary.directories == 0 && summary.skipped == 0)
    }

    @Test("a missing root throws a ScanError naming it")
    func missingRoot() throws {
        let tree = try TempTree("missing")
        let missing = tree.absolute("not-here")
        #expect(throws: ScanError.self) { try walk(missing) }
        do {
            _ = try walk(missing)
        } catch let error as ScanError {
            #expect(error.path == missing)
        }
    }

    @Test(".git, node_modules and .build are skipped by default and entered when cleared")
    func defaultExcludes() throws {
        let tree = try TempTree("excludes")
        try tree.file(".git/objects/ab/cdef", "x")
        try tree.file("node_modules/pkg/index.js", "x")
        try tree.file(".build/debug/thing.o", "x")
        try tree.file("src/node_modules/inner.js", "x")  // by name, at any depth
        try tree.file("kept.txt", "x")

        let (seen, summary) = try walk(tree.path)
        #expect(Set(seen.map(\.path)) == ["kept.txt", "src"])
        #expect(summary.files == 1)
        #expect(summary.directories == 1)
        #expect(summary.skipped == 4)

        let (all, cleared) = try walk(tree.path, options: ScanOptions(excludes: []))
        #expect(all.contains(Seen(path: ".git/objects/ab/cdef", kind: .file, depth: 4)))
        #expect(all.contains(Seen(path: "node_modules/pkg/index.js", kind: .file, depth: 3)))
        #expect(all.contains(Seen(path: ".build/debug/thing.o", kind: .file, depth: 3)))
        #expect(cleared.files == 5)
        #expect(cleared.skipped == 0)
    }

    @Test("--exclude globs match names and relative paths")
    func excludeGlobs() throws {
        let tree = try TempTree("globs")
        try tree.file("app.log", "x")
        try tree.file("deep/er/trace.log", "x")
        try tree.file("logs/old/a.txt", "x")
        try tree.file("logs/new/b.txt", "x")
        try tree.file("vendor/lib.sh", "x")
        try tree.file("keep.txt", "x")
        let options = ScanOptions(excludes: ScanOptions.defaultExcludes + ["*.log", "logs/old", "vendor/"])
        let (seen, _) = try walk(tree.path, options: options)
        let paths = Set(seen.map(\.path))
        #expect(!paths.contains("app.log"))
        #expect(!paths.contains("deep/er/trace.log"))
        #expect(paths.contains("deep/er"))
        #expect(!paths.contains("logs/old"))
        #expect(!paths.contains("logs/old/a.txt"))
        #expect(paths.contains("logs/new/b.txt"))
        #expect(!paths.contains("vendor"))
        #expect(!paths.contains("vendor/lib.sh"))
        #expect(paths.contains("keep.txt"))
    }

    @Test("symlinks to files, to folders and in loops are reported as symlinks and never followed")
    func symlinks() throws {
        let tree = try TempTree("symlinks")
        let outside = try TempTree("outside")
        try outside.file("secret/marker.txt", "outside the tree")
        try tree.file("real/file.txt", "x")
        try tree.symlink("to-file", to: "real/file.txt")
        try tree.symlink("to-dir", to: "real")
        try tree.symlink("to-outside", to: outside.absolute("secret"))
        try tree.symlink("loop-a", to: "loop-b")
        try tree.symlink("loop-b", to: "loop-a")
        try tree.symlink("self", to: "self")
        try tree.symlink("real/up", to: "..")
        try tree.symlink("dangling", to: "nowhere")

        var contents: [String: [UInt8]?] = [:]
        var seen: [Seen] = []
        let summary = try Scanner().walk(root: tree.path) { entry in
            seen.append(Seen(path: entry.path, kind: entry.kind, depth: entry.depth))
            if entry.kind == .symlink { contents[entry.path] = entry.contentPrefix() }
        }
        let links = ["to-file", "to-dir", "to-outside", "loop-a", "loop-b", "self", "real/up", "dangling"]
        for link in links {
            #expect(seen.filter { $0.path == link }.map(\.kind) == [.symlink], "\(link)")
            #expect(contents[link] == .some(nil), "a symlink's content is never read: \(link)")
        }
        #expect(!seen.contains { $0.path.hasPrefix("to-dir/") || $0.path.hasPrefix("to-outside/") || $0.path.hasPrefix("real/up/") })
        #expect(!seen.contains { $0.path.hasSuffix("marker.txt") })
        #expect(summary.files == 1)
        #expect(summary.directories == 1)
        #expect(summary.skipped == links.count)
    }

    @Test("a FIFO is reported as special and never opened, so the walk does not block")
    func fifoIsNeverOpened() throws {
        let tree = try TempTree("fifo")
        let pipe = try tree.fifo("queue.pipe")
        try tree.fifo("scripts/run.sh")
        try tree.file("after.txt", "x")

        let box = ResultBox()
        let root = tree.path
        let finished = finishes(within: 60, unblock: { releaseReaders(of: pipe) }) {
            var seen: [Seen] = []
            var reads: [String: [UInt8]?] = [:]
            let summary = try? Scanner().walk(root: root) { entry in
                seen.append(Seen(path: entry.path, kind: entry.kind, depth: entry.depth))
                if entry.kind == .special { reads[entry.path] = entry.contentPrefix() }
            }
            box.set(seen: seen, reads: reads, summary: summary)
        }
        #expect(finished, "the walk blocked on a FIFO")
        let (seen, reads, summary) = box.get()
        #expect(seen.first { $0.path == "queue.pipe" }?.kind == .special)
        #expect(seen.first { $0.path == "scripts/run.sh" }?.kind == .special)
        #expect(reads["queue.pipe"] == .some(nil))
        #expect(summary?.files == 1)
        #expect(summary?.skipped == 2)
    }

    @Test("contentPrefix reads at most the limit and says when it cut the file short")
    func boundedPrefix() throws {
        let tree = try TempTree("prefix")
        let big = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try tree.bytes("big.bin", big)
        let huge = [UInt8](repeating: 0x61, count: ScanEntry.defaultReadLimit + 4096)
        try tree.bytes("huge.txt", huge)
        try tree.bytes("empty.txt", [])

        var results: [String: [Int]] = [:]
        var truncated: [String: [Bool]] = [:]
        var firstBytes: [UInt8] = []
        _ = try Scanner().walk(root: tree.path) { entry in
            switch entry.name {
            case "big.bin":
                let small = entry.contentPrefix(limit: 100)
                firstBytes = small ?? []
                truncated["small", default: []].append(entry.wasTruncated)
                let larger = entry.contentPrefix(limit: 1000)  // grows past the cached prefix
                let again = entry.contentPrefix(limit: 10)  // served from the cache
                let whole = entry.contentPrefix(limit: 20_000)
                truncated["whole", default: []].append(entry.wasTruncated)
                let none = entry.contentPrefix(limit: 0)
                results["big"] = [small?.count ?? -1, larger?.count ?? -1, again?.count ?? -1, whole?.count ?? -1, none?.count ?? -1]
                #expect(whole == big)
                #expect(larger.map { Array(big.prefix(1000)) == $0 } == true)
                #expect(again.map { Array(big.prefix(10)) == $0 } == true)
            case "huge.txt":
                results["huge"] = [entry.contentPrefix()?.count ?? -1]
                truncated["huge", default: []].append(entry.wasTruncated)
            case "empty.txt":
                results["empty"] = [entry.contentPrefix()?.count ?? -1]
            default:
                break
            }
        }
        #expect(results["big"] == [100, 1000, 10, 10_000, 0])
        #expect(firstBytes == Array(big.prefix(100)))
        #expect(truncated["small"] == [true])
        #expect(truncated["whole"] == [false])
        #expect(results["huge"] == [ScanEntry.defaultReadLimit])
        #expect(truncated["huge"] == [true])
        #expect(results["empty"] == [0])
    }

    @Test("a folder's content is never read")
    func foldersHaveNoContent() throws {
        let tree = try TempTree("dircontent")
        try tree.dir("folder")
        var content: [UInt8]?? = .none
        _ = try Scanner().walk(root: tree.path) { entry in content = entry.contentPrefix() }
        #expect(content == .some(nil))
    }

    @Test("an unreadable folder gives a warning and the walk goes on",
          .enabled(if: geteuid() != 0, "root can read every folder, so there is nothing to test"))
    func unreadableFolder() throws {
        let tree = try TempTree("unreadable")
        try tree.file("locked/inside.txt", "x")
        try tree.file("open/visible.txt", "x")
        try tree.chmod("locked", 0)
        let (seen, summary) = try walk(tree.path)
        #expect(seen.contains { $0.path == "open/visible.txt" })
        #expect(!seen.contains { $0.path == "locked/inside.txt" })
        #expect(summary.warnings.contains { $0.path == "locked" && $0.message.contains("cannot open folder") })
        #expect(summary.skipped >= 1)
    }

    @Test("folders deeper than maxDepth are reported, not entered; extra warnings are counted")
    func depthLimitAndWarningCap() throws {
        let tree = try TempTree("depth")
        try tree.file("a/b/c/d/deep.txt", "x")
        try tree.file("x/y/z/w/deep.txt", "x")
        try tree.file("p/q/r/s/deep.txt", "x")
        let (seen, summary) = try walk(tree.path, options: ScanOptions(maxDepth: 2, maxWarnings: 1))
        #expect(seen.contains { $0.path == "a/b" })
        #expect(!seen.contains { $0.path == "a/b/c" })
        #expect(!seen.contains { $0.path.hasSuffix("deep.txt") })
        #expect(summary.warnings.count == 2)
        #expect(summary.warnings.first?.message.contains("deeper than 2 levels") == true)
        #expect(summary.warnings.last?.message == "2 more warnings not shown")
    }

    @Test("names that are not UTF-8 or hold control characters are visited and readable")
    func oddNames() throws {
        let tree = try TempTree("names")
        // A file whose name is the bytes FF 61 2E 6D 73 67 ("\xFFa.msg").
        let raw: [UInt8] = [0xFF, 0x61, 0x2E, 0x6D, 0x73, 0x67]
        let fullPath = Array(tree.path.utf8) + [0x2F] + raw + [0]
        let fd = fullPath.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        }
        try #require(fd >= 0)
        _ = write(fd, "hello", 5)
        close(fd)
        try tree.file("line\nbreak.txt", "x")

        var read: [String: [UInt8]] = [:]
        _ = try Scanner().walk(root: tree.path) { entry in
            read[entry.name] = entry.contentPrefix() ?? []
        }
        let odd = try #require(read.first { $0.key.hasSuffix("a.msg") })
        #expect(odd.key.unicodeScalars.first == "\u{FFFD}")
        #expect(odd.value == Array("hello".utf8), "the file is opened by its raw name")
        #expect(read["line\nbreak.txt"] == [0x78])
    }

    @Test("modification time is read without following symlinks")
    func modificationTime() throws {
        let tree = try TempTree("mtime")
        let when = Date(timeIntervalSince1970: 1_700_000_000)
        try tree.file("old.txt", "x", modified: when)
        var times: [String: Date] = [:]
        _ = try Scanner().walk(root: tree.path) { entry in times[entry.name] = entry.modificationTime() }
        #expect(times["old.txt"] == when)
    }

    @Test("modification times are right whichever thread reads them: ahead on the walk's, or when asked")
    func modificationTimeAheadOrAsked() throws {
        // Thousands of files, several batches; the visitor asks every file's time in half of the
        // folders and one in fifty in the others. Which thread reads a status depends on which one
        // keeps up (here, checked once, both happen: the walk reads the first batches ahead, the
        // visitor, which waits for the walk, reads most when it asks); the times must not.
        let tree = try TempTree("mtime-many")
        var expected: [String: Date] = [:]
        for folder in 0..<4 {
            for file in 0..<400 {
                let path = "\(folder % 2 == 0 ? "asked" : "quiet")-\(folder)/m\(file).msg"
                let when = Date(timeIntervalSince1970: 1_700_000_000 + Double(folder * 1000 + file))
                try tree.file(path, "x", modified: when)
                expected[path] = when
            }
        }
        for concurrent in [true, false] {
            var options = ScanOptions()
            options.concurrent = concurrent
            var times: [String: Date] = [:]
            var quietSeen = 0
            _ = try Scanner(options: options).walk(root: tree.path) { entry in
                guard entry.kind == .file else { return }
                if entry.path.hasPrefix("asked-") {
                    times[entry.path] = entry.modificationTime()
                } else {
                    // Every fiftieth quiet file is asked about after all: read when asked.
                    quietSeen += 1
                    if quietSeen % 50 == 0 { times[entry.path] = entry.modificationTime() }
                }
            }
            #expect(times.count == 800 + 800 / 50, "concurrent: \(concurrent)")
            let wrong = times.filter { expected[$0.key] != $0.value }
            #expect(wrong.isEmpty, "concurrent: \(concurrent), wrong times: \(wrong.prefix(3))")
        }
    }

    @Test("entry helpers: parentPath, isInside")
    func entryHelpers() throws {
        let tree = try TempTree("helpers")
        try tree.file("inbox/agent/note.msg")
        try tree.file("inboxes/x.msg")
        var facts: [String: (parent: String, insideInbox: Bool)] = [:]
        _ = try Scanner().walk(root: tree.path) { entry in
            facts[entry.path] = (String(entry.parentPath), entry.isInside("inbox"))
        }
        #expect(facts["inbox"]?.parent == "")
        #expect(facts["inbox"]?.insideInbox == false)
        #expect(facts["inbox/agent/note.msg"]?.parent == "inbox/agent")
        #expect(facts["inbox/agent/note.msg"]?.insideInbox == true)
        #expect(facts["inboxes/x.msg"]?.insideInbox == false, "a sibling whose name starts the same is not inside")
    }

    @Test("fileExtension: the last extension, without the dot")
    func fileExtension() throws {
        let tree = try TempTree("ext")
        for name in ["a.msg", "archive.tar.gz", ".hidden", "noext", "trailing."] { try tree.file(name) }
        var extensions: [String: String] = [:]
        _ = try Scanner().walk(root: tree.path) { entry in extensions[entry.name] = String(entry.fileExtension) }
        #expect(extensions == ["a.msg": "msg", "archive.tar.gz": "gz", ".hidden": "", "noext": "", "trailing.": ""])
    }

    @Test("fileExtension is lower-cased, as its documentation says")
    func fileExtensionIsLowerCased() throws {
        let tree = try TempTree("extcase")
        try tree.file("Notes.MSG")
        try tree.file("RUN.Sh")
        var extensions: [String: String] = [:]
        _ = try Scanner().walk(root: tree.path) { entry in extensions[entry.name] = String(entry.fileExtension) }
        #expect(extensions["Notes.MSG"] == "msg")
        #expect(extensions["RUN.Sh"] == "sh")
    }
}

/// Carries the FIFO walk's results out of the watchdog thread.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Seen] = []
    private var reads: [String: [UInt8]?] = [:]
    private var summary: ScanSummary?

    func set(seen: [Seen], reads: [String: [UInt8]?], summary: ScanSummary?) {
        lock.withLock { (self.seen, self.reads, self.summary) = (seen, reads, summary) }
    }

    func get() -> ([Seen], [String: [UInt8]?], ScanSummary?) {
        lock.withLock { (seen, reads, summary) }
    }
}

/// Opens the FIFO for writing and closes it, so a reader stuck in open/read returns.
func releaseReaders(of fifo: String) {
    let fd = open(fifo, O_WRONLY | O_NONBLOCK)
    if fd >= 0 { close(fd) }
}
