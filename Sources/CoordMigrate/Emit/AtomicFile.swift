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
    public static func writeAll(_ files: [(data: Data, url: URL)]) throws {
        var prepared: [(temporary: String, destination: String)] = []
        var streams: [(data: Data, target: Destination)] = []
        do {
            for (data, url) in files {
                let target = try destination(url.path)
                if case let .file(path) = target {
                    prepared.append((try stage(data, for: URL(fileURLWithPath: path)), path))
                } else {
                    streams.append((data, target))
                }
            }
        } catch {
            for file in prepared { unlink(file.temporary) }
            throw error
        }
        for (index, file) in prepared.enumerated() where rename(file.temporary, file.destination) != 0 {
            let reason = String(cString: strerror(errno))
            for rest in prepared[index...] { unlink(rest.temporary) }
            throw EmitError("cannot write \(file.destination): \(reason)")
        }
        for stream in streams { try write(stream.data, to: stream.target) }
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

    /// Writes every byte, retrying after signals; the error's text on failure.
    private static func writeFully(_ data: Data, to descriptor: Int32) -> String? {
        data.withUnsafeBytes { raw -> String? in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += n
            }
            return nil
        }
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
        var template = Array((folder + "/.\(url.lastPathComponent).XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw EmitError("cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure = writeFully(data, to: descriptor)
        if failure == nil {
            fchmod(descriptor, 0o644 & ~currentUmask())
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
