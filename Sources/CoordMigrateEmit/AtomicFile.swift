import CoordMigrateModel
public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see the old content or the new, never half of either.
public enum AtomicFile {
    /// Writes `data` to a temporary file in the destination's folder, flushes it,
    /// then renames it over the destination.
    public static func write(_ data: Data, to url: URL) throws {
        try writeAll([(data, url)])
    }

    /// Writes several files as one step, as far as the file system allows: every
    /// file is written and flushed to a temporary name first; only when all of them
    /// succeeded are they renamed into place. A failure before that point leaves
    /// every destination untouched and no temporary file behind.
    ///
    /// A symlink is kept: the file it points to is the one replaced. A destination
    /// that is a device or a FIFO (`/dev/null`, a named pipe) is written into, and
    /// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` (or a link to
    /// one) are written to that descriptor, whatever it is open on. Those writes
    /// come last, once every file is in place, because they cannot be taken back.
    ///
    /// The set is all or nothing: each destination folder is locked (`flock`) against
    /// other runs of this tool for the whole step; a file already there is kept under a
    /// temporary name until every rename succeeded and put back if one fails; SIGINT,
    /// SIGTERM, SIGHUP and SIGQUIT that arrive meanwhile are held and acted on after the
    /// step (before the renames, nothing is replaced; once they began, they are
    /// finished); temporary files a killed run left behind are removed. Two entries
    /// that name the same file are refused: no run overwrites what it just wrote.
    public static func writeAll(_ files: [(data: Data, url: URL)]) throws {
        var prepared: [(temporary: String, destination: String)] = []
        var streams: [(data: Data, target: Destination)] = []
        var targets: [(Data, Destination)] = []
        var seen: [String: String] = [:]
        for (data, url) in files {
            let target = try destination(url.path)
            let key: String
            switch target {
            case let .file(path), let .special(path): key = (path as NSString).standardizingPath
            case let .descriptor(descriptor, _): key = "fd:\(descriptor)"
            }
            if let earlier = seen[key] {
                throw EmitError("cannot write \(url.path): \(earlier) already goes there in this run; give each report its own name")
            }
            seen[key] = url.path
            targets.append((data, target))
        }
        let folders = Set(targets.compactMap { _, target -> String? in
            if case let .file(path) = target { (path as NSString).deletingLastPathComponent } else { nil }
        }).sorted()
        let signals = HeldSignals()
        do {
            let locks = try folders.map { try FolderLock($0.isEmpty ? "." : $0) }
            defer { locks.forEach { $0.release() } }
            for case (_, .file(let path)) in targets { removeStale(beside: path) }
            for (data, target) in targets {
                if case let .file(path) = target {
                    prepared.append((try stage(data, for: URL(fileURLWithPath: path)), path))
                } else {
                    streams.append((data, target))
                }
            }
            if signals.pending != 0 {
                for file in prepared { unlink(file.temporary) }
                prepared = []
            } else {
                try replace(prepared)
            }
        } catch {
            for file in prepared { unlink(file.temporary) }
            signals.release()
            throw error
        }
        // Writes into devices and FIFOs may block: a signal acts at once again.
        signals.release()
        for stream in streams { try write(stream.data, to: stream.target) }
    }

    /// Renames every temporary file over its destination; on a failure, puts back
    /// what was there before, so the destinations are the old set or the new one.
    private static func replace(_ prepared: [(temporary: String, destination: String)]) throws {
        var kept: [String?] = []
        for file in prepared {
            do {
                kept.append(try keep(file.destination))
            } catch {
                for case let old? in kept { unlink(old) }
                throw error
            }
        }
        for (index, file) in prepared.enumerated() where rename(file.temporary, file.destination) != 0 {
            let reason = String(cString: strerror(errno))
            for (done, earlier) in prepared[..<index].enumerated() {
                if let old = kept[done] { rename(old, earlier.destination) } else { unlink(earlier.destination) }
            }
            for rest in prepared[index...] { unlink(rest.temporary) }
            for old in kept[index...] { if let old { unlink(old) } }
            throw EmitError("cannot write \(file.destination): \(reason); the earlier reports were left as they were")
        }
        for old in kept { if let old { unlink(old) } }
    }

    /// A second name (a hard link) for the file at `path`, to put it back with; nil when there is none.
    private static func keep(_ path: String) throws -> String? {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        for _ in 0..<100 {
            let name = temporaryName(for: path)
            if link(path, name) == 0 { return name }
            if errno != EEXIST { throw EmitError("cannot write \(path): \(String(cString: strerror(errno)))") }
        }
        throw EmitError("cannot write \(path): no free temporary name beside it")
    }

    private static let suffixCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// `.<name>.XXXXXX` beside `path`, or `.coord-migrate.XXXXXX` when that would be
    /// longer than a file name may be.
    static func temporaryPrefix(for path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let base = "." + name + "." + "XXXXXX"
        let prefix = base.utf8.count > Int(NAME_MAX) ? ".coord-migrate." : "." + name + "."
        return (folder.isEmpty ? "" : folder + "/") + prefix
    }

    private static func temporaryName(for path: String) -> String {
        temporaryPrefix(for: path) + String((0..<6).map { _ in suffixCharacters.randomElement()! })
    }

    /// Removes temporary files a run of this tool left beside `path` when it was
    /// killed: `.<name>.XXXXXX` (and the short `.coord-migrate.XXXXXX`). Called with
    /// the folder locked, so no other run is writing them now.
    private static func removeStale(beside path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let own = "." + (path as NSString).lastPathComponent + "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder) else { return }
        let shared = [".coord-migrate.", ".coord-migrate-probe."]
        for name in names where name.hasPrefix(own) || shared.contains(where: name.hasPrefix) {
            let prefix = name.hasPrefix(own) ? own : shared.first(where: name.hasPrefix)!
            let suffix = name.dropFirst(prefix.count)
            guard suffix.count == 6, suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { continue }
            var status = stat()
            let full = (folder.isEmpty ? "" : folder + "/") + name
            guard lstat(full, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            unlink(full)
        }
    }

    /// Where the bytes for `path` go.
    enum Destination: Equatable {
        /// A regular file (or none yet): replaced by renaming a temporary file over it.
        case file(String)
        /// A device or FIFO: opened and written into.
        case special(String)
        /// An open descriptor of this process.
        case descriptor(Int32, name: String)
    }

    /// Follows symlinks one link at a time, so a link to `/proc/self/fd/1` is seen
    /// as the descriptor rather than as whatever file that descriptor is open on.
    static func destination(_ path: String) throws -> Destination {
        var current = path
        for _ in 0..<40 {
            if let descriptor = descriptorNumber(current) { return .descriptor(descriptor, name: path) }
            var status = stat()
            guard lstat(current, &status) == 0 else { return .file(current) }
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = readlink(current, &buffer, buffer.count - 1)
                guard count > 0 else { return .file(current) }
                let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let folder = (current as NSString).deletingLastPathComponent
                current = link.hasPrefix("/") || folder.isEmpty ? link : folder + "/" + link
            case S_IFREG, S_IFDIR:
                return .file(current)
            default:
                return .special(current)
            }
        }
        throw EmitError("cannot write \(path): too many levels of symbolic links")
    }

    private static func descriptorNumber(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    private static func write(_ data: Data, to target: Destination) throws {
        switch target {
        case .file:
            preconditionFailure("files are renamed into place")
        case let .descriptor(descriptor, name):
            if let failure = writeFully(data, to: descriptor) { throw EmitError("cannot write \(name): \(failure)") }
        case let .special(path):
            // Blocks until a FIFO has a reader, as a shell redirection does.
            let descriptor = open(path, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC)
            guard descriptor >= 0 else { throw EmitError("cannot write \(path): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            if let failure = writeFully(data, to: descriptor) { throw EmitError("cannot write \(path): \(failure)") }
        }
    }

    /// Writes every byte (``Descriptor/writeAll(_:to:)``, the loop stdout uses too); the error's text on failure.
    private static func writeFully(_ data: Data, to descriptor: Int32) -> String? {
        Descriptor.writeAll(data, to: descriptor).map { String(cString: strerror($0)) }
    }

    /// Writes `data` to a new temporary file beside `url` and returns its path.
    private static func stage(_ data: Data, for url: URL) throws -> String {
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EmitError("cannot write \(url.path): the folder \(folder) does not exist")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw EmitError("cannot write \(url.path): it is a folder; name a file")
        }
        var template = Array((temporaryPrefix(for: url.path) + "XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw EmitError("cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure = writeFully(data, to: descriptor)
        if failure == nil {
            // A report replaced keeps its permissions (0600 stays 0600); a new one is 0644 less the umask.
            var existing = stat()
            let mode = lstat(url.path, &existing) == 0 && existing.st_mode & S_IFMT == S_IFREG
                ? existing.st_mode & 0o7777 : 0o644 & ~currentUmask()
            fchmod(descriptor, mode)
            if fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw EmitError("cannot write \(url.path): \(failure)")
        }
        return temporary
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}

/// An exclusive `flock` on a folder, held while a report set is written into it,
/// so that two runs writing into one folder leave one run's whole set.
final class FolderLock {
    private var descriptor: Int32

    init(_ folder: String) throws {
        descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw EmitError("cannot write into \(folder): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            // A file system without locks: write unlocked, as before.
            break
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// The signal that arrived while a report set was being written, 0 for none.
nonisolated(unsafe) private var heldSignal: sig_atomic_t = 0

/// Holds SIGINT, SIGTERM, SIGHUP and SIGQUIT while a report set is written: each is
/// noted instead of ending the process, and acted on (with its usual effect) when
/// the set is complete or untouched.
package final class HeldSignals {
    private static let held = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    private var previous: [sigaction] = []
    private var active = true

    package init() {
        heldSignal = 0
        for signal in Self.held {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in heldSignal = number }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous.append(old)
        }
    }

    /// The signal noted so far, 0 for none.
    var pending: Int32 { heldSignal }

    /// Puts the earlier handlers back and acts on a noted signal.
    package func release() {
        guard active else { return }
        active = false
        for (signal, old) in zip(Self.held, previous) {
            var action = old
            sigaction(signal, &action, nil)
        }
        let noted = heldSignal
        heldSignal = 0
        if noted != 0 { raise(noted) }
    }

    deinit { release() }
}
