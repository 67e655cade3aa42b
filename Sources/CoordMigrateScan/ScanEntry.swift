import CoordMigrateModel
public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry met during the walk, handed to every detector.
///
/// An entry is only valid during the `visit` call it is passed to: its content
/// and modification time are read relative to a directory handle that the walk
/// closes afterwards. Copy what you need; do not keep the entry.
public final class ScanEntry: @unchecked Sendable {
    /// What the entry is. Symlinks are reported but never followed; only
    /// regular files are ever opened.
    public enum Kind: Sendable {
        /// A regular file: the only kind whose content and modification time can be read.
        case file
        /// A folder; after it is handed out the walk enters it, unless it is too deep
        /// (``ScanOptions/maxDepth``).
        case directory
        /// A symbolic link, to a file or a folder alike: handed out under its own name, never followed.
        case symlink
        /// FIFOs, sockets, device nodes: never opened.
        case special
    }

    /// The path relative to the analysed root, `/`-separated, without a leading `./`.
    public let path: String
    /// The last path component.
    public let name: String
    /// What the entry is, from the directory listing or, when the listing does not say,
    /// from the entry's own status (links not followed).
    public let kind: Kind
    /// 1 for the root's children, 2 for their children, and so on.
    public let depth: Int

    /// The open folder the entry is in; kept open as long as an entry needs it.
    private let parent: DirectoryHandle
    private var parentDescriptor: Int32 { parent.descriptor }
    private let rawName: [CChar]
    private unowned let walk: WalkState
    private var cachedModification: Double?? = nil
    private var cachedContent: (limit: Int, bytes: [UInt8]?)?

    init(
        path: String, name: String, rawName: [CChar], kind: Kind, depth: Int, parent: DirectoryHandle, walk: WalkState,
        modificationTime: Double?? = nil
    ) {
        self.cachedModification = modificationTime
        self.path = path
        self.name = name
        self.rawName = rawName
        self.kind = kind
        self.depth = depth
        self.parent = parent
        self.walk = walk
    }

    /// The folder holding the entry, relative to the root (empty for the root's children).
    /// Computed once: every detector asks.
    public private(set) lazy var parentPath: Substring = {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return path[..<slash]
    }()

    /// Whether the name carries a UUID or a SHA-256 digest: two detectors ask, one pass answers.
    package lazy var idMarks: (uuid: Bool, sha256: Bool) = NameMatching.idMarks(in: name)

    /// The lower-cased extension without its dot, or an empty string. Computed once.
    public private(set) lazy var fileExtension: Substring = {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return "" }
        let ext = name[name.utf8.index(after: dot)...]
        return ext.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) ? ext.lowercased()[...] : ext
    }()

    /// The extension as a number (``FileExtension``), read from the name's bytes once: the
    /// checks every entry goes through compare this instead of strings.
    package private(set) lazy var extensionKey: UInt64 = {
        var name = name
        return name.withUTF8 { FileExtension.key(ofName: $0) }
    }()

    /// True when `path` is `folder` or lies inside it (`folder` is relative, no trailing slash).
    public func isInside(_ folder: String) -> Bool {
        var path = path, folder = folder
        return path.withUTF8 { path in
            folder.withUTF8 { folder in
                guard path.count > folder.count, path[folder.count] == UInt8(ascii: "/") else { return false }
                return folder.isEmpty || memcmp(path.baseAddress!, folder.baseAddress!, folder.count) == 0
            }
        }
    }

    /// Whether a detector asked for the modification time: the walk reads status ahead only
    /// while detectors use it.
    private(set) var statusAsked = false

    /// The modification time, read with one `fstatat` on first use (symlinks not followed).
    public func modificationTime() -> Date? {
        statusAsked = true
        if let cached = cachedModification { return cached.map { Date(timeIntervalSince1970: $0) } }
        var info = stat()
        let seconds: Double?
        if fstatat(parentDescriptor, rawName, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            #if canImport(Darwin)
            seconds = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
            #else
            seconds = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            #endif
        } else {
            walk.warn(path: path, "cannot read file status (\(String(cString: strerror(errno))))")
            seconds = nil
        }
        cachedModification = .some(seconds)
        return seconds.map { Date(timeIntervalSince1970: $0) }
    }

    /// Up to `limit` bytes from the start of a regular file, or nil when the entry
    /// is not a regular file or cannot be read (a warning is recorded).
    ///
    /// The file is opened without following symlinks and without blocking, and is
    /// checked to be a regular file after opening, so a FIFO or device swapped in
    /// during the scan is never read.
    public func contentPrefix(limit: Int = ScanEntry.defaultReadLimit) -> [UInt8]? {
        guard kind == .file else { return nil }
        if let cached = cachedContent, cached.limit >= limit || (cached.bytes?.count ?? 0) < cached.limit {
            return cached.bytes.map { Array($0.prefix(limit)) }
        }
        let bytes = readPrefix(limit: limit)
        cachedContent = (limit, bytes)
        return bytes
    }

    /// Forgets the bytes read, once every detector has visited the entry: the walk hands
    /// entries over in batches, and a batch of source files must not keep all their content.
    func releaseContent() {
        cachedContent = nil
    }

    /// How much of a file a detector reads by default: 256 KiB.
    public static let defaultReadLimit = 256 * 1024

    /// True when the file was longer than the prefix last read.
    public private(set) var wasTruncated = false

    private func readPrefix(limit: Int) -> [UInt8]? {
        let descriptor = openat(parentDescriptor, rawName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else {
            walk.warn(path: path, "cannot open file (\(String(cString: strerror(errno))))")
            return nil
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        // As many bytes as the status gives, so one `read` fills the buffer and no second one
        // is needed to find the end; a file that says it is empty gets one byte asked for, as before.
        let size = Swift.max(0, Int(info.st_size))
        let capacity = Swift.min(limit, Swift.max(1, size))
        // Filled by `read` alone: zeroing the buffer first would write every byte twice.
        var failure: Int32?
        var filled = 0
        let buffer = [UInt8](unsafeUninitializedCapacity: capacity) { raw, count in
            while filled < capacity {
                let n = read(descriptor, raw.baseAddress! + filled, capacity - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                filled += n
            }
            count = filled
        }
        if let failure {
            walk.warn(path: path, "cannot read file (\(String(cString: strerror(failure))))")
            return nil
        }
        wasTruncated = Int(info.st_size) > filled
        return buffer
    }
}

extension ScanEntry {
    /// True for a folder, or for a symlink that may point to one: markers such as
    /// `inbox/` count as present either way, but a symlink is never followed.
    public var isDirectoryLike: Bool { kind == .directory || kind == .symlink }

    /// True for anything but a folder: a regular file, a symlink or a special
    /// file. Markers such as `events.log` count as present without being opened.
    public var isFileLike: Bool { kind != .directory }

    /// " (symlink, not followed)" or " (not a regular file, not read)" for
    /// evidence details; empty for plain files and folders.
    public var kindNote: String {
        switch kind {
        case .symlink: " (symlink, not followed)"
        case .special: " (not a regular file, not read)"
        case .file, .directory: ""
        }
    }
}
