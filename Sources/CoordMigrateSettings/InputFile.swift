import CoordMigrateModel
import CoordMigrateDetect
import CoordMigrateAnalysis
package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the files a run is given — settings (`--rules`, `--policy`, `--config`,
/// `.coord-migrate.yaml`), templates and saved reports — with a size limit, so a
/// huge, sparse or endless file is refused at once instead of being read whole.
///
/// The file is opened non-blocking and close-on-exec (a FIFO with no writer cannot
/// stall the run), must be a regular file, is refused when `fstat` says it is larger
/// than the limit, and at most limit + 1 bytes are ever read (a file that grows
/// while it is read is refused too).
package enum InputFile {
    /// Settings files and templates: 1 MiB.
    package static let settingsLimit = 1 << 20
    /// JSON reports read by `render` and `diff`: 64 MiB.
    package static let reportLimit = 64 << 20

    /// Whether a symbolic link is followed to the file it names.
    package enum Links: Sendable {
        /// Followed, as a shell would: for files the user names.
        case follow
        /// Refused (`O_NOFOLLOW`): for files found inside the analysed tree, which
        /// must not make the run read outside it.
        case refuse
    }

    /// Why a file was not read.
    package struct ReadError: Error, CustomStringConvertible, Sendable, Equatable {
        /// What kept the file from being read.
        package enum Problem: Sendable, Equatable {
            /// Nothing exists at the path (with ``InputFile/Links/follow``, also a link to nothing).
            case missing
            /// `size` is nil when the file grew past the limit while it was read.
            case tooLarge(size: Int?, limit: Int)
            /// A folder, FIFO, socket or device, named.
            case notRegularFile(String)
            /// The path is a symbolic link and links were refused (``InputFile/Links/refuse``).
            case symbolicLink
            /// The bytes are not UTF-8 text (from ``InputFile/readText(_:limit:links:)``).
            case notUTF8
            /// The system's reason, e.g. "Permission denied".
            case system(String)
        }

        /// The file, as its path was given.
        package var path: String
        /// What kept it from being read.
        package var problem: Problem

        /// The problem in a few words, without the path: "the file is 1 GiB, more than the limit of 1 MiB".
        package var reason: String {
            switch problem {
            case .missing: "no such file"
            case let .tooLarge(size?, limit):
                "the file is \(ByteCount.describe(size)), more than the limit of \(ByteCount.binary(limit))"
            case let .tooLarge(nil, limit): "the file is more than the limit of \(ByteCount.binary(limit))"
            case let .notRegularFile(kind): "it is \(kind), not a regular file"
            case .symbolicLink: "it is a symbolic link"
            case .notUTF8: "it is not UTF-8 text"
            case let .system(reason): reason
            }
        }

        /// `path: reason`.
        package var description: String { "\(path): \(reason)" }
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    package static func read(_ path: String, limit: Int, links: Links = .follow) throws(ReadError) -> Data {
        func fail(_ problem: ReadError.Problem) -> ReadError { ReadError(path: path, problem: problem) }
        // Decide on the kind before opening, so no device is ever opened; fstat below
        // checks again on what was actually opened.
        var status = stat()
        let found = links == .follow ? stat(path, &status) : lstat(path, &status)
        guard found == 0 else { throw fail(errno == ENOENT ? .missing : .system(String(cString: strerror(errno)))) }
        if let kind = kindName(status.st_mode) { throw fail(kind == "a symbolic link" ? .symbolicLink : .notRegularFile(kind)) }

        var descriptor: Int32
        repeat {
            descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (links == .refuse ? O_NOFOLLOW : 0))
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT: throw fail(.missing)
            case ELOOP where links == .refuse: throw fail(.symbolicLink)
            default: throw fail(.system(String(cString: strerror(errno))))
            }
        }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0 else { throw fail(.system(String(cString: strerror(errno)))) }
        if let kind = kindName(status.st_mode) { throw fail(.notRegularFile(kind)) }
        if Int(status.st_size) > limit { throw fail(.tooLarge(size: Int(status.st_size), limit: limit)) }

        // One byte more than the limit tells a file that grew past it.
        var bytes = [UInt8](repeating: 0, count: min(max(Int(status.st_size), 4096), limit) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                guard bytes.count <= limit else { throw fail(.tooLarge(size: nil, limit: limit)) }
                bytes.append(contentsOf: [UInt8](repeating: 0, count: min(bytes.count, limit + 1 - bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { raw in
                systemRead(descriptor, raw.baseAddress! + count, raw.count - count)
            }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw fail(.system(String(cString: strerror(errno))))
            }
            if n == 0 { break }
            count += n
            if count > limit { throw fail(.tooLarge(size: nil, limit: limit)) }
        }
        return Data(bytes[..<count])
    }

    /// The UTF-8 text of the regular file at `path`, at most `limit` bytes of it.
    package static func readText(_ path: String, limit: Int, links: Links = .follow) throws(ReadError) -> String {
        let data = try read(path, limit: limit, links: links)
        guard let text = String(data: data, encoding: .utf8) else { throw ReadError(path: path, problem: .notUTF8) }
        return text
    }

    /// nil for a regular file, else what it is: "a folder", "a FIFO", ….
    private static func kindName(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFLNK: "a symbolic link"
        default: "an unknown kind of file"
        }
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }
}
