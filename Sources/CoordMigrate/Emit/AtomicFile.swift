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
    /// A destination that is a device, FIFO or socket (`/dev/null`, `/dev/stdout`, a
    /// pipe) is written to in place, once every temporary file is ready: renaming a
    /// file over it would replace the device with a file.
    public static func writeAll(_ files: [(data: Data, url: URL)]) throws {
        var prepared: [(temporary: String, destination: String)] = []
        var streams: [(data: Data, destination: String)] = []
        do {
            for (data, url) in files {
                if isSpecialFile(url.path) {
                    streams.append((data, url.path))
                } else {
                    prepared.append((try stage(data, for: url), url.path))
                }
            }
            for stream in streams { try writeInPlace(stream.data, to: stream.destination) }
        } catch {
            for file in prepared { unlink(file.temporary) }
            throw error
        }
        for (index, file) in prepared.enumerated() where rename(file.temporary, file.destination) != 0 {
            let reason = String(cString: strerror(errno))
            for rest in prepared[index...] { unlink(rest.temporary) }
            throw EmitError("cannot write \(file.destination): \(reason)")
        }
    }

    /// Whether `path` exists (after symlinks) and is neither a regular file nor a folder.
    private static func isSpecialFile(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    private static func writeInPlace(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw EmitError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        if let failure = writeFully(data, to: descriptor) { throw EmitError("cannot write \(path): \(failure)") }
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

/// ISO 8601 timestamps without a formatter's locale surprises.
public enum Timestamp {
    /// `2026-11-25T08:00:00Z`: UTC, whole seconds.
    public static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
