public import Foundation

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

    public init(excludes: [String] = ScanOptions.defaultExcludes, maxDepth: Int = 128, maxWarnings: Int = 100) {
        self.excludes = excludes
        self.maxDepth = maxDepth
        self.maxWarnings = maxWarnings
    }
}

/// Counters for a finished walk.
public struct ScanSummary: Sendable, Hashable {
    public var files = 0
    public var directories = 0
    public var skipped = 0
    public var elapsed: Duration = .zero
    public var warnings: [ScanWarning] = []
}

/// Why a scan could not start.
public struct ScanError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Mutable state shared by the walk and the entries it hands out.
final class WalkState {
    let maxWarnings: Int
    var warnings: [ScanWarning] = []
    var droppedWarnings = 0

    init(maxWarnings: Int) { self.maxWarnings = maxWarnings }

    func warn(path: String, line: Int? = nil, _ message: String) {
        if warnings.count < maxWarnings {
            warnings.append(ScanWarning(path: path.isEmpty ? "." : path, line: line, message: message))
        } else {
            droppedWarnings += 1
        }
    }
}

/// Walks a tree exactly once, depth first, handing every entry to a visitor.
///
/// Built on `openat`/`fdopendir`/`readdir`: the entry type comes from the
/// directory listing, no `stat` is made unless a detector asks for an entry's
/// modification time, symlinks are never followed, and only one directory
/// handle per level is open, so memory does not grow with the tree's size.
public struct Scanner: Sendable {
    public var options: ScanOptions

    public init(options: ScanOptions = ScanOptions()) {
        self.options = options
    }

    /// Walks `root`, calling `visit` for each entry below it (not the root itself).
    /// - Parameter prefix: a relative path put in front of every entry's path (and
    ///   counted in its depth), for walking a folder that belongs beside the analysed
    ///   root, such as a parent's `scripts/` folder (`../scripts`).
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
        let state = WalkState(maxWarnings: options.maxWarnings)
        var summary = ScanSummary()
        let excluder = Excluder(globs: options.excludes)

        struct Frame {
            var stream: OpaquePointer
            var descriptor: Int32
            var path: String
            var depth: Int
        }
        let prefixDepth = prefix.isEmpty ? 0 : prefix.split(separator: "/").count
        var stack = [Frame(stream: rootStream, descriptor: rootDescriptor, path: prefix, depth: prefixDepth)]
        var entries = 0

        while let top = stack.last {
            errno = 0
            guard let record = readdir(top.stream) else {
                if errno != 0 {
                    state.warn(path: top.path, "listing stopped early (\(String(cString: strerror(errno))))")
                }
                closedir(top.stream)
                stack.removeLast()
                continue
            }
            var rawName = withUnsafeBytes(of: record.pointee.d_name) { raw -> [CChar] in
                let bytes = raw.bindMemory(to: CChar.self)
                let length = strnlen(bytes.baseAddress!, bytes.count)
                return Array(bytes[0..<length])
            }
            if rawName == [46] || rawName == [46, 46] { continue }  // "." and ".."
            entries += 1
            if entries & 0x1FFF == 0, let progress {
                progress(ScanProgress(entries: entries, currentFolder: top.path, elapsed: clock.now - start))
            }
            let name = String(decoding: rawName.lazy.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            rawName.append(0)
            let path = top.path.isEmpty ? name : top.path + "/" + name
            let depth = top.depth + 1

            var kind = Self.kind(ofDirectoryEntryType: record.pointee.d_type)
            if kind == nil {
                var info = stat()
                guard fstatat(top.descriptor, rawName, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                    state.warn(path: path, "cannot read file status (\(String(cString: strerror(errno))))")
                    summary.skipped += 1
                    continue
                }
                kind = Self.kind(ofMode: info.st_mode)
            }
            let entryKind = kind!

            if excluder.excludes(name: name, path: path) {
                summary.skipped += 1
                continue
            }
            let entry = ScanEntry(
                path: path, name: name, rawName: rawName, kind: entryKind, depth: depth,
                parentDescriptor: top.descriptor, walk: state)
            switch entryKind {
            case .file:
                summary.files += 1
                visit(entry)
            case .symlink, .special:
                summary.skipped += 1
                visit(entry)
            case .directory:
                summary.directories += 1
                visit(entry)
                guard depth < options.maxDepth else {
                    state.warn(path: path, "deeper than \(options.maxDepth) levels; not scanned")
                    summary.skipped += 1
                    continue
                }
                let descriptor = openat(top.descriptor, rawName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
                guard descriptor >= 0 else {
                    state.warn(path: path, "cannot open folder (\(String(cString: strerror(errno))))")
                    summary.skipped += 1
                    continue
                }
                guard let stream = fdopendir(descriptor) else {
                    state.warn(path: path, "cannot list folder (\(String(cString: strerror(errno))))")
                    close(descriptor)
                    summary.skipped += 1
                    continue
                }
                stack.append(Frame(stream: stream, descriptor: descriptor, path: path, depth: depth))
            }
        }
        if state.droppedWarnings > 0 {
            state.warnings.append(ScanWarning(path: ".", message: "\(state.droppedWarnings) more warnings not shown"))
        }
        summary.warnings = state.warnings
        summary.elapsed = clock.now - start
        return summary
    }

    private static func kind(ofDirectoryEntryType type: UInt8) -> ScanEntry.Kind? {
        switch Int32(type) {
        case Int32(DT_REG): .file
        case Int32(DT_DIR): .directory
        case Int32(DT_LNK): .symlink
        case Int32(DT_UNKNOWN): nil
        default: .special
        }
    }

    private static func kind(ofMode mode: mode_t) -> ScanEntry.Kind {
        switch mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        default: .special
        }
    }
}

/// Matches entries against exclude globs: plain names compare directly, globs go through `fnmatch`.
struct Excluder {
    private let names: Set<String>
    private let globs: [String]

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
    }

    func excludes(name: String, path: String) -> Bool {
        if names.contains(name) { return true }
        for glob in globs where fnmatch(glob, name, 0) == 0 || fnmatch(glob, path, 0) == 0 {
            return true
        }
        return false
    }
}
