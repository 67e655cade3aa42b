import CoordMigrateModel
package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes reports to standard output with `write(2)`, so a closed stdout, a full
/// disk or a broken device is an error the caller reports, not a trap.
///
/// `FileHandle.standardOutput.write` raises an Objective-C style exception on any
/// failure, which on Linux ends the process with a crash.
package enum StandardOutput {
    /// Why the descriptor did not take the bytes.
    package struct WriteError: Error, CustomStringConvertible, Sendable {
        /// The descriptor that failed: 1 for stdout, 2 for stderr, or another.
        package var descriptor: Int32
        /// errno of the failure.
        package var errorNumber: Int32
        /// The system's reason, e.g. "No space left on device".
        package var reason: String { String(cString: strerror(errorNumber)) }

        /// `cannot write to stdout: reason` (`stderr`, or `descriptor N`, for the others).
        package var description: String {
            let name = descriptor == STDOUT_FILENO ? "stdout" : descriptor == STDERR_FILENO ? "stderr" : "descriptor \(descriptor)"
            return "cannot write to \(name): \(reason)"
        }
    }

    /// Throws when descriptor 1 is not open at all (`>&-`), so a run can refuse
    /// before doing any work rather than after it.
    package static func checkOpen() throws(WriteError) {
        if fcntl(STDOUT_FILENO, F_GETFD) == -1 {
            throw WriteError(descriptor: STDOUT_FILENO, errorNumber: errno)
        }
    }

    /// Writes every byte of `data` to descriptor 1 (or `descriptor`: stderr, say).
    package static func write(_ data: Data, descriptor: Int32 = STDOUT_FILENO) throws(WriteError) {
        if let error = Descriptor.writeAll(data, to: descriptor) {
            throw WriteError(descriptor: descriptor, errorNumber: error)
        }
    }
}

/// Writing to an open descriptor.
enum Descriptor {
    /// Writes every byte, retrying after signals and partial writes, and waiting
    /// when a non-blocking descriptor (an inherited pipe, say) is full. Returns the
    /// errno of the first failure, nil when everything was written.
    static func writeAll(_ data: Data, to descriptor: Int32) -> Int32? {
        data.withUnsafeBytes { raw -> Int32? in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(descriptor, base + offset, raw.count - offset)
                if written < 0 {
                    switch errno {
                    case EINTR:
                        continue
                    case EAGAIN, EWOULDBLOCK:
                        var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                        _ = poll(&ready, 1, -1)
                        continue
                    default:
                        return errno
                    }
                }
                if written == 0 { return EIO }
                offset += written
            }
            return nil
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }
}
