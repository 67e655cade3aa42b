import CoordMigrateScan
import Foundation

/// Receives each program's facts as the walk reads them.
protocol CodeFileConsumer: InventoryCollector {
    func take(_ file: CodeFile)
}

extension CodeFileConsumer {
    func visit(_ entry: ScanEntry, context: DetectionContext) {}
}

/// Reads every program in the tree once — shell, Python, JavaScript/TypeScript, Go,
/// Ruby and SQL by extension, and extensionless executables by their shebang — lexes
/// it (``LexedSource``), extracts its facts (``CodeFactExtractor``) and hands them to
/// the consumers. Each file is read up to ``readLimit`` bytes; there is no limit on the
/// number of files, and what is kept of each is a few facts, so memory stays flat.
///
/// The walk's thread reads the bytes (the entry's folder is open only while it is
/// visited); lexing and extraction run on the other cores, in batches, at most ``inFlight``
/// batches at a time, and the consumers take the facts one file at a time under a lock. They
/// keep what they keep in an order-independent way (the first few by path), so the
/// report does not depend on which file finished first.
final class CodeReader: BuiltInDetector, @unchecked Sendable {
    static let readLimit = 256 * 1024
    /// Folders where programs without an extension live (`bin/agent-bus`).
    static let programFolders: Set<Substring> = ["bin", "scripts", "tools", "hooks", "libexec"]

    /// Batches (``batchBytes``) being lexed or waiting, at most: what bounds the memory held.
    static let inFlight = 8

    private let consumers: [any CodeFileConsumer]
    private(set) var filesRead = 0
    private let queue = DispatchQueue(label: "coord-migrate.code", attributes: .concurrent)
    private let group = DispatchGroup()
    private let slots = DispatchSemaphore(value: CodeReader.inFlight)
    private let lock = NSLock()

    init(consumers: [any CodeFileConsumer]) {
        self.consumers = consumers
    }

    /// The language of a program file, or nil when the entry is not one read here.
    static func language(of entry: ScanEntry) -> SourceLanguage? {
        guard entry.kind == .file else { return nil }
        if entry.extensionKey != 0 { return SourceLanguage.of(extensionKey: entry.extensionKey) }
        if !entry.fileExtension.isEmpty { return nil }
        // An extensionless executable with a shebang at the root or in a programs folder. The
        // prefix read is the one `visit` reads the program with, so the entry keeps it: one read.
        guard !entry.name.hasPrefix("."),
            entry.depth == 1 || programFolders.contains(entry.parentPath.split(separator: "/").last ?? ""),
            let head = entry.contentPrefix(limit: readLimit), head.starts(with: [0x23, 0x21])
        else { return nil }
        return SourceLanguage.of(shebang: head.prefix { $0 != 0x0A })
    }

    /// Whether a program is a test or an example: under `tests/`, `test/`, `__tests__/`, `spec/`,
    /// `testdata/`, `fixtures/` or `examples/`,
    /// or named like one (`test_x.py`, `x_test.py`, `x_test.go`, `x.test.ts`, `x.spec.js`,
    /// `conftest.py`). Tests build fixtures and fakes of the system, and examples show how to use
    /// it: what they do is not what the system does when it runs.
    static func isTest(_ entry: ScanEntry) -> Bool {
        // Asked of every program on the walk's thread, so it looks at bytes: no folder list, no
        // lower-cased copy (the names it knows are ASCII, so ASCII case folding is the whole of it).
        var folders = entry.parentPath
        let inTestFolder = folders.withUTF8 { path in
            var start = 0
            for end in 0...path.count where end == path.count || path[end] == 0x2F {
                let folder = UnsafeBufferPointer(rebasing: path[start..<end])
                if testFolders.contains(where: { $0.elementsEqual(folder) }) { return true }
                start = end + 1
            }
            return false
        }
        if inTestFolder { return true }
        var name = entry.name
        return name.withUTF8 { name in
            let stem = UnsafeBufferPointer(rebasing: name[..<(name.lastIndex(of: 0x2E) ?? name.count)])
            func endsLike(_ text: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
                text.count >= suffix.count && sameIgnoringASCIICase(text[(text.count - suffix.count)...], suffix)
            }
            return (name.count >= 5 && sameIgnoringASCIICase(name[..<5], testPrefix))
                || testStemSuffixes.contains { endsLike(stem, $0) }
                || sameIgnoringASCIICase(name[...], conftest)
        }
    }

    private static let testPrefix = Array("test_".utf8), conftest = Array("conftest.py".utf8)
    private static let testStemSuffixes = ["_test", ".test", ".spec"].map { Array($0.utf8) }
    private static let testFolders: [[UInt8]] = ["tests", "test", "__tests__", "spec", "specs", "testdata", "__mocks__", "fixtures", "examples", "example"].map { Array($0.utf8) }

    /// Whether `bytes` equal `lower` (lower-case ASCII) when upper-case ASCII letters are folded.
    private static func sameIgnoringASCIICase(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ lower: [UInt8]) -> Bool {
        bytes.count == lower.count && zip(bytes, lower).allSatisfy { byte, wanted in
            (byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte) == wanted
        }
    }

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard let language = Self.language(of: entry), !Self.isTest(entry), let bytes = entry.contentPrefix(limit: Self.readLimit) else { return }
        filesRead += 1
        pending.append(Program(bytes: bytes, language: language, path: entry.path))
        pendingBytes += bytes.count
        if pendingBytes >= Self.batchBytes || pending.count >= Self.batchFiles { dispatch() }
    }

    /// One program read and waiting to be lexed.
    private struct Program: Sendable {
        var bytes: [UInt8]
        var language: SourceLanguage
        var path: String
    }

    /// Programs go to the other cores in batches of about this many bytes (or files): one
    /// hand-over a file cost two thread wake-ups a file, more system time than the reads.
    static let batchBytes = 128 * 1024
    static let batchFiles = 32
    private var pending: [Program] = []
    private var pendingBytes = 0

    private func dispatch() {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        pendingBytes = 0
        slots.wait()
        queue.async(group: group) { [self] in
            for program in batch where CodeFactExtractor.worthLexing(program.bytes) {
                let file = CodeFactExtractor.facts(of: LexedSource(program.bytes, language: program.language), path: program.path)
                lock.withLock {
                    for consumer in consumers { consumer.take(file) }
                }
            }
            slots.signal()
        }
    }

    /// Waits for the files still being read; call before the consumers' results are collected.
    func finish() {
        dispatch()
        group.wait()
    }
}
