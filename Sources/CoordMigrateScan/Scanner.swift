public import CoordMigrateModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the walk skips and how far it goes.
public struct ScanOptions: Sendable, Hashable {
    /// Folder names skipped unless cleared: `.git`, `node_modules`, `.build`.
    public static let defaultExcludes = [".git", "node_modules", ".build"]

    /// Globs matched (fnmatch) against each entry's name and its relative path.
    public var excludes: [String]
    /// Folders deeper than this are reported and not entered.
    public var maxDepth: Int
    /// At most this many warnings are kept; the rest are counted.
    public var maxWarnings: Int
    /// List folders (and read file status ahead, while the detectors use it) on a
    /// second thread while the calling thread runs the detectors (the default). Off,
    /// everything runs on the calling thread; the benchmark compares the two.
    public var concurrent = true

    /// Creates walk options. `excludes` replaces the defaults (pass
    /// `ScanOptions.defaultExcludes + [...]` to add to them); ``concurrent`` starts true.
    public init(excludes: [String] = ScanOptions.defaultExcludes, maxDepth: Int = 128, maxWarnings: Int = 100) {
        self.excludes = excludes
        self.maxDepth = maxDepth
        self.maxWarnings = maxWarnings
    }
}

/// Counters for a finished walk.
public struct ScanSummary: Sendable, Hashable {
    /// Regular files handed to the visitor.
    public var files = 0
    /// Folders handed to the visitor, including those too deep to be entered.
    public var directories = 0
    /// Entries not looked into: excluded names and paths, symbolic links, special files,
    /// folders too deep to enter (also counted in ``directories``) and entries that could not be read.
    public var skipped = 0
    /// Time from the start of the walk to its end on a monotonic clock, the visitor's time included.
    public var elapsed: Duration = .zero
    /// Problems met on the way, at most ``ScanOptions/maxWarnings`` of them, then one more
    /// line counting the rest when any were dropped.
    public var warnings: [ScanWarning] = []
}

/// Why a scan could not start.
public struct ScanError: Error, CustomStringConvertible, Sendable {
    /// The root that could not be opened, as it was passed.
    public var path: String
    /// The system's reason (`strerror`), e.g. "No such file or directory".
    public var reason: String
    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}

/// Mutable state shared by the walk and the entries it hands out (on two threads).
final class WalkState: @unchecked Sendable {
    let maxWarnings: Int
    private let lock = NSLock()
    private(set) var warnings: [ScanWarning] = []
    private(set) var droppedWarnings = 0

    init(maxWarnings: Int) { self.maxWarnings = maxWarnings }

    func warn(path: String, line: Int? = nil, _ message: String) {
        lock.withLock {
            if warnings.count < maxWarnings {
                warnings.append(ScanWarning(path: path.isEmpty ? "." : path, line: line, message: message))
            } else {
                droppedWarnings += 1
            }
        }
    }
}

/// An open folder. Entries keep it open while detectors may still read files or
/// modification times relative to it; it closes when the last one lets go.
final class DirectoryHandle: @unchecked Sendable {
    let stream: OpaquePointer
    let descriptor: Int32
    private let limiter: HandleLimiter

    init(stream: OpaquePointer, limiter: HandleLimiter) {
        self.stream = stream
        descriptor = dirfd(stream)
        self.limiter = limiter
    }

    deinit {
        closedir(stream)
        limiter.release()
    }
}

/// Bounds how many folders are open at once (the walk's own path plus folders
/// whose entries are still queued), so huge flat trees never run out of descriptors.
final class HandleLimiter: @unchecked Sendable {
    private let semaphore: DispatchSemaphore
    init(limit: Int) { semaphore = DispatchSemaphore(value: limit) }
    func tryAcquire() -> Bool { semaphore.wait(timeout: .now()) == .success }
    func acquire() { semaphore.wait() }
    func release() { semaphore.signal() }
}

/// A bounded hand-over of entry batches from the walking thread to the detecting one.
final class EntryQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[ScanEntry]] = []
    private var finished = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func put(_ batch: [ScanEntry]) {
        condition.lock()
        while batches.count >= capacity { condition.wait() }
        batches.append(batch)
        condition.signal()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// What the walk should do about file status in its next batch: read it ahead only when
    /// the detectors have been asking for it (for at least half of the files they visited since
    /// this was last asked) and did not run out of batches meanwhile. When they waited, they
    /// have time to read it themselves, when a detector asks.
    func statusAhead() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if filesVisited > 0 {
            statusWanted = statusAsked * 2 >= filesVisited
            filesVisited = 0
            statusAsked = 0
        }
        let waited = consumerHasWaited
        consumerHasWaited = false
        return statusWanted && !waited
    }

    /// Counts, for ``statusAhead()``, the files the detectors visited and how many of them they asked the status of.
    func visited(files: Int, statusAsked asked: Int) {
        condition.lock()
        filesVisited += files
        statusAsked += asked
        condition.unlock()
    }

    private var consumerHasWaited = false
    private var filesVisited = 0, statusAsked = 0
    private var statusWanted = true

    /// The next batch, or nil once the walk has finished and everything was taken.
    func take() -> [ScanEntry]? {
        condition.lock()
        defer { condition.unlock() }
        if batches.isEmpty && !finished { consumerHasWaited = true }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.signal()
        return batch
    }
}

/// Walks a tree exactly once, depth first, handing every entry to a visitor.
///
/// Built on `openat`/`fdopendir`/`readdir`: the entry type comes from the
/// directory listing, symlinks are never followed, and folders are opened
/// relative to their parent, so depth is never limited by `PATH_MAX`. The walk
/// runs on its own thread (listing folders, and reading file status ahead while the
/// detectors use it and keep up) while the calling thread runs the detectors, so the
/// two cores of a small machine both work; a bounded queue between them keeps memory flat.
package struct Scanner: Sendable {
    /// What the walk skips, how deep it goes, how many warnings it keeps and whether it
    /// runs on a second thread.
    public var options: ScanOptions

    /// Where the name starts in a `dirent` record.
    static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
    /// Where the entry type is in a `dirent` record.
    static let typeOffset = MemoryLayout<dirent>.offset(of: \dirent.d_type)!

    /// Entries handed over at a time, and batches that may wait.
    static let batchSize = 512
    static let queueCapacity = 64
    /// Folders open at once, at most (the walk path is limited to `maxDepth` anyway).
    static let openFolderLimit = 256

    /// Creates a scanner; the default options skip `.git`, `node_modules` and `.build`
    /// and enter at most 128 levels.
    public init(options: ScanOptions = ScanOptions()) {
        self.options = options
    }

    /// Walks `root`, calling `visit` for each entry below it (not the root itself).
    ///
    /// - Parameter prefix: a relative path put in front of every entry's path (and
    ///   counted in its depth), for walking a folder that belongs beside the analysed
    ///   root, such as a parent's `scripts/` folder (`../scripts`).
    /// - Parameter progress: called now and then from the walking thread.
    public func walk(
        root: String, prefix: String = "", progress: ((ScanProgress) -> Void)? = nil, visit: (ScanEntry) -> Void
    ) throws(ScanError) -> ScanSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootDescriptor >= 0 else {
            throw ScanError(path: root, reason: String(cString: strerror(errno)))
        }
        guard let rootStream = fdopendir(rootDescriptor) else {
            close(rootDescriptor)
            throw ScanError(path: root, reason: String(cString: strerror(errno)))
        }
        let limiter = HandleLimiter(limit: max(Self.openFolderLimit, options.maxDepth + 8))
        limiter.acquire()
        let rootHandle = DirectoryHandle(stream: rootStream, limiter: limiter)
        let state = WalkState(maxWarnings: options.maxWarnings)
        var summary: ScanSummary
        if options.concurrent {
            let queue = EntryQueue(capacity: Self.queueCapacity)
            let walker = Walker(
                options: options, state: state, deliver: queue.put, statusAhead: queue.statusAhead, limiter: limiter,
                prefix: prefix, progress: UncheckedBox(progress), clock: clock, start: start)
            let done = DispatchSemaphore(value: 0)
            let result = UncheckedBox<ScanSummary?>(nil)
            let thread = Thread {
                result.value = walker.run(root: rootHandle)
                queue.finish()
                done.signal()
            }
            thread.stackSize = 1 << 20
            thread.start()
            while let batch = queue.take() {
                var files = 0, asked = 0
                for entry in batch {
                    visit(entry)
                    entry.releaseContent()
                    if entry.kind == .file {
                        files += 1
                        if entry.statusAsked { asked += 1 }
                    }
                }
                queue.visited(files: files, statusAsked: asked)
            }
            done.wait()
            summary = result.value ?? ScanSummary()
        } else {
            summary = withoutActuallyEscaping(visit) { visit in
                Walker(
                    options: options, state: state, deliver: { for entry in $0 { visit(entry); entry.releaseContent() } },
                    statusAhead: { true }, limiter: limiter,
                    prefix: prefix, progress: UncheckedBox(progress), clock: clock, start: start
                ).run(root: rootHandle)
            }
        }
        summary.warnings = state.warnings
        if state.droppedWarnings > 0 {
            summary.warnings.append(ScanWarning(path: ".", message: "\(state.droppedWarnings) more warnings not shown"))
        }
        summary.elapsed = clock.now - start
        return summary
    }

    static func kind(ofDirectoryEntryType type: UInt8) -> ScanEntry.Kind? {
        switch Int32(type) {
        case Int32(DT_REG): .file
        case Int32(DT_DIR): .directory
        case Int32(DT_LNK): .symlink
        case Int32(DT_UNKNOWN): nil
        default: .special
        }
    }

    static func kind(ofMode mode: mode_t) -> ScanEntry.Kind {
        switch mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        default: .special
        }
    }
}

/// A mutable box for handing a value across threads whose hand-over is already
/// ordered (a semaphore, a queue).
final class UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// The walking half of ``Scanner``: lists folders, reads regular files' status
/// ahead when the detectors want it, and queues entries in batches.
struct Walker: @unchecked Sendable {
    let options: ScanOptions
    let state: WalkState
    /// Hands a batch to the detectors (a queue to the other thread, or the visitor itself).
    let deliver: ([ScanEntry]) -> Void
    /// Whether to read the next batch's file status here (see ``EntryQueue/statusAhead()``).
    let statusAhead: () -> Bool
    let limiter: HandleLimiter
    let prefix: String
    let progress: UncheckedBox<((ScanProgress) -> Void)?>
    let clock: ContinuousClock
    let start: ContinuousClock.Instant

    func run(root: DirectoryHandle) -> ScanSummary {
        var summary = ScanSummary()
        let excluder = Excluder(globs: options.excludes)
        struct Frame {
            var handle: DirectoryHandle
            var path: String
            var depth: Int
        }
        let prefixDepth = prefix.isEmpty ? 0 : prefix.split(separator: "/").count
        var stack = [Frame(handle: root, path: prefix, depth: prefixDepth)]
        var batch: [ScanEntry] = []
        batch.reserveCapacity(Scanner.batchSize)
        var entries = 0
        // Reading each file's status is most of the walk's time (the kernel's path lookup). The
        // walk reads it ahead while the detectors keep up and use it (message ages); else it is
        // read when a detector asks, on the detecting thread. Balanced so, the two threads finish
        // together, and in a tree of programs, whose status nobody asks, none is looked up twice.
        var readStatus = true
        func flush() {
            if !batch.isEmpty {
                deliver(batch)
                batch = []
                batch.reserveCapacity(Scanner.batchSize)
                readStatus = statusAhead()
            }
        }

        while let top = stack.last {
            errno = 0
            guard let record = readdir(top.handle.stream) else {
                if errno != 0 {
                    state.warn(path: top.path, "listing stopped early (\(String(cString: strerror(errno))))")
                }
                stack.removeLast()
                continue
            }
            // The name is read in place: a record is only as long as its name
            // (d_reclen), so copying the declared 256-byte d_name could read past the
            // end of the listing buffer and fault at a page boundary.
            let namePointer = UnsafeRawPointer(record).advanced(by: Scanner.nameOffset).assumingMemoryBound(to: CChar.self)
            var rawName = Array(UnsafeBufferPointer(start: namePointer, count: strlen(namePointer)))
            if rawName == [46] || rawName == [46, 46] { continue }  // "." and ".."
            entries += 1
            if entries & 0x1FFF == 0, let report = progress.value {
                report(ScanProgress(entries: entries, currentFolder: top.path, elapsed: clock.now - start))
            }
            let name = rawName.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            rawName.append(0)
            let path = top.path.isEmpty ? name : top.path + "/" + name
            let depth = top.depth + 1

            var kind = Scanner.kind(
                ofDirectoryEntryType: UnsafeRawPointer(record).load(fromByteOffset: Scanner.typeOffset, as: UInt8.self))
            var modification: Double?? = nil
            if kind == nil || (kind == .file && readStatus) {
                // A file's status is read here, on the walking thread, as find does, unless the
                // detecting thread has time to read it when asked (`readStatus`, above).
                var info = stat()
                if fstatat(top.handle.descriptor, rawName, &info, AT_SYMLINK_NOFOLLOW) == 0 {
                    kind = Scanner.kind(ofMode: info.st_mode)
                    #if canImport(Darwin)
                    modification = .some(Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9)
                    #else
                    modification = .some(Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
                    #endif
                } else if kind == nil {
                    state.warn(path: path, "cannot read file status (\(String(cString: strerror(errno))))")
                    summary.skipped += 1
                    continue
                }
            }
            let entryKind = kind!

            if excluder.excludes(name: name, path: path) {
                summary.skipped += 1
                continue
            }
            let entry = ScanEntry(
                path: path, name: name, rawName: rawName, kind: entryKind, depth: depth,
                parent: top.handle, walk: state, modificationTime: entryKind == .file ? modification : nil)
            batch.append(entry)
            if batch.count >= Scanner.batchSize { flush() }
            switch entryKind {
            case .file:
                summary.files += 1
            case .symlink, .special:
                summary.skipped += 1
            case .directory:
                summary.directories += 1
                guard depth < options.maxDepth else {
                    state.warn(path: path, "deeper than \(options.maxDepth) levels; not scanned")
                    summary.skipped += 1
                    continue
                }
                if !limiter.tryAcquire() {
                    // Too many folders open: let the detecting thread release some.
                    flush()
                    limiter.acquire()
                }
                let descriptor = openat(
                    top.handle.descriptor, rawName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
                guard descriptor >= 0 else {
                    limiter.release()
                    state.warn(path: path, "cannot open folder (\(String(cString: strerror(errno))))")
                    summary.skipped += 1
                    continue
                }
                guard let stream = fdopendir(descriptor) else {
                    limiter.release()
                    state.warn(path: path, "cannot list folder (\(String(cString: strerror(errno))))")
                    close(descriptor)
                    summary.skipped += 1
                    continue
                }
                stack.append(Frame(handle: DirectoryHandle(stream: stream, limiter: limiter), path: path, depth: depth))
            }
        }
        flush()
        return summary
    }
}

/// Matches entries against exclude globs: plain names compare directly, globs go through `fnmatch`.
struct Excluder {
    private let names: Set<String>
    private let globs: [String]
    /// The longest excluded name, in bytes, when every excluded name is ASCII (else nil): an
    /// ASCII name longer than that cannot be one, and most names of a walk are long message names.
    private let longestASCIIName: Int?

    init(globs: [String]) {
        var names = Set<String>()
        var patterns: [String] = []
        for glob in globs {
            let trimmed = glob.hasSuffix("/") ? String(glob.dropLast()) : glob
            if trimmed.contains(where: { "*?[".contains($0) }) || trimmed.contains("/") {
                patterns.append(trimmed)
            } else {
                names.insert(trimmed)
            }
        }
        self.names = names
        self.globs = patterns
        longestASCIIName = names.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? names.map(\.utf8.count).max() ?? 0 : nil
    }

    func excludes(name: String, path: String) -> Bool {
        let surelyNotAName = longestASCIIName.map { name.utf8.count > $0 && name.utf8.allSatisfy { $0 < 0x80 } } ?? false
        if !surelyNotAName, names.contains(name) { return true }
        for glob in globs where fnmatch(glob, name, 0) == 0 || fnmatch(glob, path, 0) == 0 {
            return true
        }
        return false
    }
}
