public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder under the system's temporary directory, built by a test and removed
/// when the value goes away. Paths given to its methods are relative to it.
public final class TempTree {
    public let url: URL
    public var path: String { url.path }

    public init(_ label: String = "tree") throws {
        let name = "coord-migrate-tests-\(label)-\(UUID().uuidString)"
        url = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        // Folders a test made unreadable must be opened up again before removal. Only
        // folders, found without following links: a link may lead out of the tree
        // (to another test's tree, a sample, /proc/self/fd/1), and its target is not ours.
        if let walker = FileManager.default.enumerator(atPath: path) {
            for case let relative as String in walker {
                let entry = url.appendingPathComponent(relative).path
                var status = stat()
                if lstat(entry, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
                    _ = Glibc_chmod(entry, 0o755)
                }
            }
        }
        _ = Glibc_chmod(path, 0o755)
        try? FileManager.default.removeItem(at: url)
    }

    public func absolute(_ relative: String) -> String {
        relative.isEmpty ? path : url.appendingPathComponent(relative).path
    }

    /// Creates a folder (and its parents).
    @discardableResult
    public func dir(_ relative: String) throws -> String {
        let target = absolute(relative)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }

    /// Creates a regular file (and its parent folders) holding `contents`.
    @discardableResult
    public func file(_ relative: String, _ contents: String = "", modified: Date? = nil) throws -> String {
        try bytes(relative, Array(contents.utf8), modified: modified)
    }

    @discardableResult
    public func bytes(_ relative: String, _ contents: [UInt8], modified: Date? = nil) throws -> String {
        let target = absolute(relative)
        let parent = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: target, contents: Data(contents)) else {
            throw TreeError("cannot create \(target)")
        }
        if let modified { try setModified(relative, modified) }
        return target
    }

    /// A symbolic link at `relative` whose target is `destination`, as written.
    public func symlink(_ relative: String, to destination: String) throws {
        let target = absolute(relative)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard Glibc_symlink(destination, target) == 0 else { throw TreeError("symlink \(target): \(errnoText())") }
    }

    /// A named pipe: opening it for reading blocks until a writer comes.
    @discardableResult
    public func fifo(_ relative: String) throws -> String {
        let target = absolute(relative)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard mkfifo(target, 0o644) == 0 else { throw TreeError("mkfifo \(target): \(errnoText())") }
        return target
    }

    /// Sets the access and modification times, without following a symlink.
    public func setModified(_ relative: String, _ date: Date) throws {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        var times = [
            timespec(tv_sec: time_t(whole), tv_nsec: Int((seconds - whole) * 1e9)),
            timespec(tv_sec: time_t(whole), tv_nsec: Int((seconds - whole) * 1e9)),
        ]
        guard utimensat(AT_FDCWD, absolute(relative), &times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw TreeError("utimensat \(relative): \(errnoText())")
        }
    }

    public func chmod(_ relative: String, _ mode: mode_t) throws {
        guard Glibc_chmod(absolute(relative), mode) == 0 else { throw TreeError("chmod \(relative): \(errnoText())") }
    }

    /// Every entry below the folder, relative, sorted (symlinks not followed).
    public func listing() -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
    }
}

/// The end-to-end tests' name for the same folder.
public typealias Scratch = TempTree

public struct TreeError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public func errnoText() -> String { String(cString: strerror(errno)) }

// Free functions whose names the class's methods shadow.
private func Glibc_symlink(_ destination: String, _ path: String) -> Int32 { symlink(destination, path) }
private func Glibc_chmod(_ path: String, _ mode: mode_t) -> Int32 { chmod(path, mode) }
