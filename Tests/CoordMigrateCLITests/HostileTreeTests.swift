import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Hostile trees and bad input, end to end: the real binary runs on trees built at
// test time (FIFOs, sockets, device nodes, symlink loops, unreadable folders, sparse
// 4 GiB files, paths longer than PATH_MAX, 100k entries, names full of control
// characters, markup and shell syntax) and must never crash, hang, leak memory, or
// write where it must not. Every run goes through a watchdog (`HostileRun`) that
// kills the child after a timeout or above a memory ceiling, so a hang fails the
// test instead of hanging the suite. Nothing hostile is committed: no FIFOs, links
// or big files live in the repository.

#if os(Linux)

// MARK: - Support
// (The runner, the sandbox, the open watch and saysWhatToDo are shared with HostileInputTests.swift.)

struct HostileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func hostileErrno() -> String { String(cString: strerror(errno)) }

/// Calls `body` with `bytes` as a NUL-terminated C path (names need not be UTF-8).
private func withRawPath<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    (bytes + [0]).withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
    }
}

/// What one watched child process did.
struct HostileRunResult {
    var exitStatus: Int32?
    var signal: Int32?
    var timedOut = false
    var overMemory = false
    /// The child's peak resident set, from wait4's rusage (KiB on Linux).
    var maxRSSKiB = 0
    var stdout: Data
    var stderr: Data

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    var stderrLines: [Substring] {
        stderrText.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stderrText.hasSuffix("\n") ? 1 : 0).map { $0 }
    }
    /// True when the child ran to its end by itself.
    var finished: Bool { exitStatus != nil && !timedOut && !overMemory }
    var summary: String {
        "exit \(exitStatus.map(String.init) ?? "-") signal \(signal.map(String.init) ?? "-") timedOut \(timedOut) overMemory \(overMemory) "
            + "maxRSS \(maxRSSKiB) KiB; stderr: \(String(stderrText.prefix(2000)))"
    }
}

/// Runs a program with posix_spawn and a watchdog: stdin is /dev/null, stdout and
/// stderr go to files (nothing can block on a pipe), the child is killed after
/// `timeout` seconds or when its resident set grows past `memoryLimitKiB`, and its
/// own rusage is collected with wait4 — so the peak memory measured is this child's
/// alone, not that of other tests' children running in parallel (which
/// getrusage(RUSAGE_CHILDREN) would mix in).
enum HostileRun {
    static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"],
        timeout: Double = 180, memoryLimitKiB: Int? = 2 * 1024 * 1024
    ) throws -> HostileRunResult {
        var template = Array("/tmp/cmh-io-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw HostileError("mkdtemp: \(hostileErrno())")
        }
        let io = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer {
            unlink(io + "/out")
            unlink(io + "/err")
            rmdir(io)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, io + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, io + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // posix_spawn_file_actions_addchdir_np is not visible from Swift: a shell changes
        // folder and then execs the program, which keeps the pid (and so the rusage).
        var program = executable
        var words = [executable] + arguments
        if let directory {
            program = "/bin/sh"
            words = ["/bin/sh", "-c", "cd -- \"$1\" || exit 127; shift; exec \"$@\"", "sh", directory] + words
        }
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw HostileError("posix_spawn \(executable): \(String(cString: strerror(spawned)))") }

        var status: Int32 = 0
        var usage = rusage()
        var result = HostileRunResult(stdout: Data(), stderr: Data())
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        // The child's own peak as /proc shows it while it runs (VmHWM of its own memory).
        var sampledPeakKiB = 0
        while true {
            sampledPeakKiB = max(sampledPeakKiB, peakKiB(pid))
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { throw HostileError("wait4: \(hostileErrno())") }
            if DispatchTime.now().uptimeNanoseconds > deadline {
                result.timedOut = true
            } else if let memoryLimitKiB, residentKiB(pid) > memoryLimitKiB {
                result.overMemory = true
            }
            if result.timedOut || result.overMemory {
                kill(pid, SIGKILL)
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                break
            }
            usleep(10_000)
        }
        if status & 0x7F == 0 {
            result.exitStatus = (status >> 8) & 0xFF
        } else {
            result.signal = status & 0x7F
        }
        // Linux starts a spawned child's ru_maxrss at this process's peak (posix_spawn
        // shares our memory until exec, and exec keeps its high-water mark). So wait4's
        // figure is the child's only when it is above our own peak; otherwise the child
        // stayed below it, and the peak sampled from /proc is the child's.
        var own = rusage()
        getrusage(RUSAGE_SELF.rawValue, &own)
        let reported = Int(usage.ru_maxrss)
        // A child gone before the first sample keeps wait4's figure, an upper bound.
        result.maxRSSKiB = reported > Int(own.ru_maxrss) || sampledPeakKiB == 0 || result.overMemory ? reported : sampledPeakKiB
        result.stdout = (try? Data(contentsOf: URL(fileURLWithPath: io + "/out"))) ?? Data()
        result.stderr = (try? Data(contentsOf: URL(fileURLWithPath: io + "/err"))) ?? Data()
        return result
    }

    /// VmHWM (peak resident set) of a running process, from /proc (0 when it cannot be read).
    static func peakKiB(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    /// VmRSS of a running process, from /proc (0 when it cannot be read).
    static func residentKiB(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}

/// The built tool, run under the watchdog.
enum HostileTool {
    static let nobody: uid_t = 65534

    static var setprivPath: String? {
        ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Unprivileged runs need root (to drop to nobody) and setpriv.
    static var canDropPrivileges: Bool { geteuid() == 0 && setprivPath != nil }

    static func run(
        _ arguments: [String], in directory: String? = nil, home: String, environment extra: [String: String] = [:],
        asNobody: Bool = false, binaryFolder: String? = nil, timeout: Double = 180, memoryLimitKiB: Int? = 2 * 1024 * 1024
    ) throws -> HostileRunResult {
        let binary = try CLI.requireBinary().path
        var environment = CLI.environment(home: home, extra)
        environment["NO_COLOR"] = nil
        if asNobody {
            let setpriv = try #require(setprivPath, "setpriv is needed to run as an unprivileged user")
            return try HostileRun.run(
                setpriv, ["--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups", try unprivilegedBinary(binary, copyInto: try #require(binaryFolder, "a folder for a copy of the binary"))] + arguments,
                in: directory, environment: environment, timeout: timeout, memoryLimitKiB: memoryLimitKiB)
        }
        return try HostileRun.run(
            binary, arguments, in: directory, environment: environment, timeout: timeout, memoryLimitKiB: memoryLimitKiB)
    }

    /// The binary if nobody can run it where it is, else a copy in `folder` (the
    /// binary works when copied alone), which the caller's sandbox removes.
    static func unprivilegedBinary(_ binary: String, copyInto folder: String) throws -> String {
        let probe = try HostileRun.run(
            setprivPath!, ["--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups", binary, "--version"], timeout: 60)
        if probe.exitStatus == 0 { return binary }
        let copy = folder + "/coord-migrate"
        if !FileManager.default.isExecutableFile(atPath: copy) {
            try FileManager.default.copyItem(atPath: binary, toPath: copy)
            chmod(copy, 0o755)
        }
        return copy
    }
}

/// A temporary folder at a short path (a socket's path must fit in 108 bytes),
/// removed with `chmod -R` and `rm -rf`, which also work on trees deeper than
/// PATH_MAX and on folders a test made unreadable.
final class HostileSandbox {
    let path: String

    init(_ label: String) throws {
        var template = Array("/tmp/cmh-\(label)-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw HostileError("mkdtemp: \(hostileErrno())")
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        Glibc.chmod(path, 0o755)  // mkdtemp makes it 0700: let an unprivileged run reach inside
    }

    deinit { HostileSandbox.remove(path) }

    static func remove(_ path: String) {
        _ = try? HostileRun.run("/bin/chmod", ["-R", "u+rwx", path], timeout: 300, memoryLimitKiB: nil)
        _ = try? HostileRun.run("/bin/rm", ["-rf", path], timeout: 600, memoryLimitKiB: nil)
    }

    func absolute(_ relative: String) -> String { relative.isEmpty ? path : path + "/" + relative }

    @discardableResult
    func dir(_ relative: String, mode: mode_t? = nil) throws -> String {
        let target = absolute(relative)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        if let mode { try chmod(relative, mode) }
        return target
    }

    private func parent(of target: String) throws {
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    }

    @discardableResult
    func file(_ relative: String, _ contents: String = "", mode: mode_t? = nil) throws -> String {
        try bytes(relative, Array(contents.utf8), mode: mode)
    }

    @discardableResult
    func bytes(_ relative: String, _ contents: [UInt8], mode: mode_t? = nil) throws -> String {
        let target = absolute(relative)
        try parent(of: target)
        guard FileManager.default.createFile(atPath: target, contents: Data(contents)) else {
            throw HostileError("cannot create \(target)")
        }
        if let mode { try chmod(relative, mode) }
        return target
    }

    @discardableResult
    func fifo(_ relative: String) throws -> String {
        let target = absolute(relative)
        try parent(of: target)
        guard mkfifo(target, 0o644) == 0 else { throw HostileError("mkfifo \(target): \(hostileErrno())") }
        return target
    }

    func symlink(_ relative: String, to destination: String) throws {
        let target = absolute(relative)
        try parent(of: target)
        guard Glibc.symlink(destination, target) == 0 else { throw HostileError("symlink \(target): \(hostileErrno())") }
    }

    /// A Unix-domain socket bound at `relative` (the socket is closed; its node stays).
    @discardableResult
    func socket(_ relative: String) throws -> String {
        let target = absolute(relative)
        try parent(of: target)
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HostileError("socket: \(hostileErrno())") }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(target.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw HostileError("socket path too long: \(target)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw HostileError("bind \(target): \(hostileErrno())") }
        return target
    }

    /// A character device like /dev/null (1,3), or nil when mknod is refused.
    func device(_ relative: String) throws -> String? {
        let target = absolute(relative)
        try parent(of: target)
        let major: UInt64 = 1, minor: UInt64 = 3
        let number = dev_t((major << 8) | minor)  // makedev(1, 3) for small numbers
        return mknod(target, S_IFCHR | 0o666, number) == 0 ? target : nil
    }

    /// A sparse file of `size` bytes that starts with `prefix`: takes no disk space.
    @discardableResult
    func sparse(_ relative: String, size: Int64, prefix: [UInt8] = []) throws -> String {
        let target = try bytes(relative, prefix)
        guard truncate(target, off_t(size)) == 0 else { throw HostileError("truncate \(target): \(hostileErrno())") }
        return target
    }

    func chmod(_ relative: String, _ mode: mode_t) throws {
        guard Glibc.chmod(absolute(relative), mode) == 0 else { throw HostileError("chmod \(relative): \(hostileErrno())") }
    }

    /// A file whose name is raw bytes (need not be UTF-8) in the folder `parent`.
    func rawFile(in parent: String, name: [UInt8], _ contents: String = "x") throws {
        try dir(parent)
        let path = Array(absolute(parent).utf8) + [0x2F] + name
        let descriptor = withRawPath(path) { open($0, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { throw HostileError("open \(name): \(hostileErrno())") }
        _ = Array(contents.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    /// A folder whose name is raw bytes in the folder `parent`; returns its raw path.
    @discardableResult
    func rawDir(in parent: String, name: [UInt8]) throws -> [UInt8] {
        try dir(parent)
        let path = Array(absolute(parent).utf8) + [0x2F] + name
        guard withRawPath(path, { mkdir($0, 0o755) }) == 0 else { throw HostileError("mkdir \(name): \(hostileErrno())") }
        return path
    }

    /// Every entry below `relative`, as raw relative paths (symlinks not followed).
    func entries(_ relative: String = "") -> [[UInt8]] {
        HostileSnapshot.take(absolute(relative)).keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Entries anywhere below the sandbox whose name is `name`.
    func find(named name: String) -> [String] {
        let wanted = Array(name.utf8)
        return HostileSnapshot.take(path).keys.filter { path in
            Array(path.split(separator: 0x2F, omittingEmptySubsequences: false).last ?? []) == wanted
        }.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Every entry below a folder with what lstat says of it: type, mode, size, owner,
/// modification and change times, inode and link count. Symlinks are not followed.
/// Access times are left out: reading a file may update them.
private enum HostileSnapshot {
    static func take(_ root: String) -> [[UInt8]: String] {
        var out: [[UInt8]: String] = [:]
        func visit(_ absolute: [UInt8], _ relative: [UInt8]) {
            guard let stream = withRawPath(absolute, { opendir($0) }) else {
                out[relative + Array("/<unreadable>".utf8)] = hostileErrno()
                return
            }
            defer { closedir(stream) }
            while let record = readdir(stream) {
                let name = withUnsafeBytes(of: record.pointee.d_name) { raw -> [UInt8] in
                    Array(raw.prefix { $0 != 0 })
                }
                if name == [0x2E] || name == [0x2E, 0x2E] { continue }
                let childAbsolute = absolute + [0x2F] + name
                let childRelative = relative.isEmpty ? name : relative + [0x2F] + name
                var info = stat()
                guard withRawPath(childAbsolute, { lstat($0, &info) }) == 0 else {
                    out[childRelative] = "lstat failed: \(hostileErrno())"
                    continue
                }
                out[childRelative] = [
                    "mode \(String(info.st_mode, radix: 8))", "size \(info.st_size)", "uid \(info.st_uid)", "gid \(info.st_gid)",
                    "mtime \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)", "ctime \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)",
                    "ino \(info.st_ino)", "nlink \(info.st_nlink)",
                ].joined(separator: " ")
                if info.st_mode & S_IFMT == S_IFDIR { visit(childAbsolute, childRelative) }
            }
        }
        visit(Array(root.utf8), [])
        return out
    }
}

/// inotify on files that must never be opened: an open of any of them (a FIFO, a
/// device node, a file behind a symlink) is recorded by the kernel, whoever did it.
final class HostileOpenWatch {
    private let descriptor: Int32
    private var watched: [Int32: String] = [:]
    private static let events: UInt32 = 0x0000_0020 | 0x0000_0001  // IN_OPEN | IN_ACCESS

    init() throws {
        descriptor = inotify_init1(O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw HostileError("inotify_init1: \(hostileErrno())") }
    }

    deinit { close(descriptor) }

    func watch(_ path: String) throws {
        let handle = inotify_add_watch(descriptor, path, Self.events | 0x0200_0000)  // IN_DONT_FOLLOW
        guard handle >= 0 else { throw HostileError("inotify_add_watch \(path): \(hostileErrno())") }
        watched[handle] = path
    }

    /// The watched paths opened or read since the watch began.
    func touched() -> Set<String> {
        var seen = Set<String>()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            var offset = 0
            while offset + 16 <= count {
                let handle = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) }
                let mask = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
                let length = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) }
                if mask & Self.events != 0, let path = watched[handle] { seen.insert(path) }
                offset += 16 + Int(length)
            }
        }
        return seen
    }
}

/// Reads the reports back with real consumers: Python's json (strict) and
/// html.parser, xmllint, and the cmark command for Markdown.
private enum HostileReaders {
    static func tool(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let python = tool(["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"])
    static let xmllint = tool(["/usr/bin/xmllint", "/usr/local/bin/xmllint"])
    static let cmark = tool(["/usr/bin/cmark", "/usr/local/bin/cmark"])

    /// What html.parser saw in a page.
    struct HTMLSummary: Decodable {
        var elements: [String]
        var handlers: [String]
        var urls: [String]
        var text: String
        var csp: Bool
        var warnings: [String]
    }

    static let htmlScript = #"""
        import sys, json
        from html.parser import HTMLParser
        URL_ATTRS = {"src", "href", "action", "formaction", "poster", "data", "background", "srcset", "xlink:href",
                     "ping", "cite", "longdesc", "manifest"}
        class Page(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.elements, self.handlers, self.urls, self.text, self.warnings = set(), [], [], [], []
                self.csp, self.depth, self.item = False, 0, None
            def handle_starttag(self, tag, attrs):
                self.elements.add(tag)
                values = dict(attrs)
                for name, value in attrs:
                    if name.lower().startswith("on"):
                        self.handlers.append(name + "=" + (value or ""))
                    if name.lower() in URL_ATTRS and value is not None:
                        self.urls.append(name + "=" + value)
                if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
                    self.csp = True
                if tag == "ul" and "warnings" in (values.get("class") or "").split():
                    self.depth = 1
                elif tag == "ul" and self.depth:
                    self.depth += 1
                if tag == "li" and self.depth == 1:
                    self.item = []
            def handle_startendtag(self, tag, attrs):
                self.handle_starttag(tag, attrs)
            def handle_endtag(self, tag):
                if tag == "li" and self.depth == 1 and self.item is not None:
                    self.warnings.append("".join(self.item))
                    self.item = None
                if tag == "ul" and self.depth:
                    self.depth -= 1
            def handle_data(self, data):
                self.text.append(data)
                if self.item is not None:
                    self.item.append(data)
        page = Page()
        with open(sys.argv[1], encoding="utf-8", errors="strict") as f:
            page.feed(f.read())
        page.close()
        print(json.dumps({"elements": sorted(page.elements), "handlers": page.handlers, "urls": page.urls,
                          "text": "".join(page.text), "csp": page.csp, "warnings": page.warnings}))
        """#

    static func html(_ file: String) throws -> HTMLSummary {
        let python = try #require(python, "python3 is needed to read the HTML report")
        let result = try HostileRun.run(python, ["-c", htmlScript, file], timeout: 120)
        try #require(result.exitStatus == 0, "html.parser could not read \(file): \(result.summary)")
        return try JSONDecoder().decode(HTMLSummary.self, from: result.stdout)
    }

    /// Strict JSON (control characters in strings refused), parsed by Python.
    static func json(_ file: String) throws {
        let python = try #require(python, "python3 is needed to read the JSON report")
        let result = try HostileRun.run(
            python, ["-c", "import json, sys\nwith open(sys.argv[1], encoding='utf-8', errors='strict') as f: json.load(f)", file],
            timeout: 120)
        #expect(result.exitStatus == 0, "json.load refused \(file): \(result.summary)")
    }

    static func xml(_ file: String) throws {
        if let xmllint {
            let result = try HostileRun.run(xmllint, ["--noout", "--nonet", file], timeout: 120)
            #expect(result.exitStatus == 0 && result.stderr.isEmpty, "xmllint refused \(file): \(result.summary)")
        } else {
            let python = try #require(python, "xmllint or python3 is needed to read the JUnit report")
            let result = try HostileRun.run(python, ["-c", "import sys, xml.dom.minidom\nxml.dom.minidom.parse(sys.argv[1])", file])
            #expect(result.exitStatus == 0, "the XML parser refused \(file): \(result.summary)")
        }
    }

    /// The Markdown as cmark renders it with raw HTML let through (`--unsafe`), so
    /// markup from a name that escaped escaping would show up as elements.
    static func markdownAsHTML(_ file: String, scratch: HostileSandbox) throws -> HTMLSummary? {
        guard let cmark else { return nil }
        let result = try HostileRun.run(cmark, ["--unsafe", file], timeout: 120)
        try #require(result.exitStatus == 0, "cmark could not read \(file): \(result.summary)")
        let rendered = scratch.absolute("rendered-\(UUID().uuidString).html")
        try result.stdout.write(to: URL(fileURLWithPath: rendered))
        defer { unlink(rendered) }
        return try html(rendered)
    }

    /// Raw control characters in a report. Markdown and HTML must hold none (C0 but
    /// tab and line feed, DEL, C1, U+2028/2029 all become U+FFFD); JSON and XML 1.0
    /// legitimately carry DEL and C1 as they are, so for them only C0 counts (JSON
    /// writes C0 as \u escapes; XML 1.0 forbids it).
    static func rawControls(_ data: Data, c0Only: Bool) -> [UInt32] {
        String(decoding: data, as: UTF8.self).unicodeScalars.filter { scalar in
            if scalar.value < 0x20 { return scalar != "\n" && scalar != "\t" }
            if c0Only { return false }
            return (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
        }.map(\.value)
    }

    /// Checks the four reports in `folder` with their consumers and returns the
    /// decoded JSON report and the HTML and Markdown pages as parsed.
    @discardableResult
    static func checkAll(
        in folder: String, scratch: HostileSandbox
    ) throws -> (MigrationReport, HTMLSummary, HTMLSummary?) {
        let json = folder + "/migration-plan.json", html = folder + "/migration-plan.html"
        let xml = folder + "/migration-plan.xml", md = folder + "/migration-plan.md"
        try Self.json(json)
        try Self.xml(xml)
        let page = try Self.html(html)
        let markdown = try markdownAsHTML(md, scratch: scratch)
        for (name, summary) in [("HTML", Optional(page)), ("Markdown via cmark --unsafe", markdown)] {
            guard let summary else { continue }
            let inert = {
                let active = Set(summary.elements).intersection([
                    "script", "img", "iframe", "object", "embed", "frame", "frameset", "base", "form", "input", "button",
                    "audio", "video", "source", "link", "applet", "portal", "math", "style",
                ].filter { !(name == "HTML" && $0 == "style") })  // the page's own inline CSS
                #expect(active.isEmpty, "\(name): active elements \(active)")
                #expect(summary.handlers.isEmpty, "\(name): event handler attributes \(summary.handlers)")
                let suspicious = summary.urls.filter { url in
                    ["javascript", "alert", "evil", "pwned", "http:", "https:", "//"].contains { url.lowercased().contains($0) }
                }
                #expect(suspicious.isEmpty, "\(name): links or resources from the tree \(suspicious)")
            }
            inert()
        }
        #expect(page.csp, "the HTML page keeps its Content-Security-Policy")
        for file in [json, html, xml, md] {
            let controls = rawControls(try Data(contentsOf: URL(fileURLWithPath: file)), c0Only: file == json || file == xml)
            #expect(controls.isEmpty, "raw control characters \(controls) in \(file)")
        }
        let report = try MigrationReport.decode(try Data(contentsOf: URL(fileURLWithPath: json)))
        return (report, page, markdown)
    }
}

/// True when `text` holds a raw control character other than a line feed.
private func hasRawControl(_ text: String) -> [UInt32] {
    text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }.map(\.value)
}

/// True when an error line tells the user what to do, not only what went wrong.
func saysWhatToDo(_ line: Substring) -> Bool {
    ["create", "choose", "pass ", "name a", "use ", "see coord-migrate --help", "check", "write one of", "write it like", "make "]
        .contains { line.lowercased().contains($0) }
}

/// The backup folder the tests expect for an analysed folder's name: everything but
/// `A-Z a-z 0-9 . _ -` becomes `-` (written here independently of the planner).
private func backupSlug(_ name: String) -> String {
    String(name.unicodeScalars.map { scalar -> Character in
        scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar)) ? Character(scalar) : "-"
    })
}

/// The JSON report of a quiet run on `tree`, for tests that use its plan.
private func plannedReport(of tree: String, in work: String, home: String) throws -> MigrationReport {
    let result = try HostileTool.run(
        ["--path", tree, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"], in: work, home: home,
        timeout: 120)
    try #require(result.finished && result.exitStatus == 0, "\(result.summary)")
    return try MigrationReport.decode(result.stdout)
}

/// The rollback stage with commands (restoring the backup).
private func restoreStage(_ report: MigrationReport) throws -> RollbackStage {
    try #require(report.plan.rollbackStrategy.stages.first { !$0.commands.isEmpty }, "no rollback commands")
}

/// Commands from a plan pasted into one bash, as a user pastes them, stopping at the
/// first failure, with `home` as $HOME and `path` (a fake `date` first, say) as PATH.
private func paste(_ commands: [String], home: String, in work: String, path: String = "/usr/local/bin:/usr/bin:/bin") throws
    -> HostileRunResult
{
    let environment = ["PATH": path, "HOME": home, "LC_ALL": "C.UTF-8"]
    return try HostileRun.run(
        "/bin/bash", ["-c", "set -e\n" + commands.joined(separator: "\n")], in: work, environment: environment, timeout: 120)
}

/// `$HOME/coord-migrate-backups/<slug>` after one backup: exactly one dated folder
/// and a `latest` link to it.
private struct BackupLayout {
    let folder: String
    let dated: String
    var latest: String { folder + "/latest" }

    init(home: String, slug: String) throws {
        folder = home + "/coord-migrate-backups/" + slug
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let dated = entries.filter { $0 != "latest" }
        try #require(entries.contains("latest") && dated.count == 1, "expected one dated backup and latest in \(folder): \(entries)")
        self.dated = dated[0]
        #expect(self.dated.range(of: #"^[0-9]{8}-[0-9]{6}$"#, options: .regularExpression) != nil, "not a timestamp: \(self.dated)")
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/latest")
        #expect(link == folder + "/" + self.dated, "latest points at \(link)")
    }

    /// Renames the dated folder (a backup from another day) and re-points `latest`.
    func redate(to name: String) throws {
        try FileManager.default.moveItem(atPath: folder + "/" + dated, toPath: folder + "/" + name)
        try FileManager.default.removeItem(atPath: latest)
        try FileManager.default.createSymbolicLink(atPath: latest, withDestinationPath: folder + "/" + name)
    }
}

private let uuidName = "550e8400-e29b-41d4-a716-446655440000"
private let allFormats = ["migration-plan.html", "migration-plan.json", "migration-plan.md", "migration-plan.xml"]

// MARK: - Tests

@Suite("Hostile trees and bad input, end to end")
struct HostileTreeTests {
    // MARK: Special files

    @Test("FIFOs, sockets and device nodes where files are expected are never opened and never block")
    func specialFiles() throws {
        let box = try HostileSandbox("special")
        let home = try box.dir("home"), out = try box.dir("out")
        try box.file("t/scripts/plain.sh", "echo no wrappers here\n")
        try box.file("t/inbox/agent/real-\(uuidName).msg", "x")
        var specials = [
            try box.fifo("t/config.yaml"), try box.fifo("t/agents.json"), try box.fifo("t/events.log"),
            try box.fifo("t/scripts/run.sh"), try box.fifo("t/run.sh"), try box.fifo("t/inbox/agent/m-\(uuidName).msg"),
            try box.fifo("t/Spec.tla"),
            try box.socket("t/scripts/sock.sh"), try box.socket("t/inbox/agent/s.msg"), try box.socket("t/config.yml"),
        ]
        var devices = 0
        for name in ["t/scripts/dev.sh", "t/inbox/agent/dev.msg", "t/bin/tool.py"] {
            if let device = try box.device(name) {
                specials.append(device)
                devices += 1
            }
        }
        // The watch sees opens: prove it on a canary before trusting its silence.
        let watch = try? HostileOpenWatch()
        let canary = try box.fifo("canary.pipe")
        try watch?.watch(canary)
        for path in specials { try watch?.watch(path) }
        let probe = open(canary, O_RDONLY | O_NONBLOCK)
        if probe >= 0 { close(probe) }

        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "json,md", "--output-dir", out, "--now", fixedNowText],
            home: home, timeout: 120)
        #expect(result.finished, "the run blocked or was killed: \(result.summary)")
        try #require(result.exitStatus == 0, "\(result.summary)")
        if let watch {
            let touched = watch.touched()
            #expect(touched.contains(canary), "the open watch works")
            #expect(touched.subtracting([canary]).isEmpty, "special files were opened: \(touched.subtracting([canary]).sorted())")
        }

        let report = try MigrationReport.decode(try Data(contentsOf: URL(fileURLWithPath: out + "/migration-plan.json")))
        let detection = report.detection
        #expect(detection.hasAgentConfig, "a config that is a FIFO still counts as present")
        #expect(detection.hasEventLog)
        #expect(!detection.existingPatterns.contains(.faultTolerantWrappers), "scripts that are not regular files are not read")
        #expect(detection.warnings.contains { $0.path == "config.yaml" }, "\(detection.warnings)")
        #expect(report.scan.files == 2, "only the two regular files count as files")
        #expect(report.scan.skipped >= specials.count, "\(report.scan) for \(specials.count) special files (\(devices) devices)")
        #expect(result.stderrText.contains("config.yaml"), "the warning reaches stderr")
    }

    // MARK: Symlinks

    @Test("symlink loops and links out of the tree are skipped, never followed, and never counted")
    func symlinks() throws {
        let box = try HostileSandbox("links")
        let home = try box.dir("home")
        var outsideFiles: [String] = []
        for index in 0..<20 { outsideFiles.append(try box.file("outside/bulk/file\(index).txt", "x")) }
        outsideFiles += [
            try box.file("outside/inbox/agent/m-\(uuidName).msg", "x"), try box.file("outside/events.log", "e"),
            try box.file("outside/Spec.tla", "---- MODULE Spec ----"), try box.file("outside/scripts/retry.sh", "retry\n"),
            try box.file("outside/config.yaml", "agents:\n  a: {authority_domains: [x]}\n"),
        ]
        try box.file("t/notes.txt", "inside")
        try box.file("t/inbox/a/m.msg", "inside")
        let links: [(String, String)] = [
            ("t/loop-a", "loop-b"), ("t/loop-b", "loop-a"), ("t/self", "self"), ("t/inbox/a/up", "../.."),
            ("t/escape", box.absolute("outside")), ("t/bulk", "../outside/bulk"), ("t/config.yaml", box.absolute("outside/config.yaml")),
            ("t/scripts", box.absolute("outside/scripts")), ("t/Spec.tla", "../outside/Spec.tla"), ("t/root", "/"),
            ("t/dangling", "nowhere"), ("t/inbox/b", box.absolute("outside/inbox/agent")),
        ]
        for (link, destination) in links { try box.symlink(link, to: destination) }
        let watch = try? HostileOpenWatch()  // nil where inotify is not available
        for file in outsideFiles { try watch?.watch(file) }

        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"],
            home: home, timeout: 120)
        #expect(result.finished, "\(result.summary)")
        try #require(result.exitStatus == 0, "\(result.summary)")
        let touched = watch?.touched() ?? []
        #expect(touched.isEmpty, "files outside the tree were opened: \(touched.sorted())")
        let report = try MigrationReport.decode(result.stdout)
        #expect(report.scan.files == 2, "files behind links are never counted: \(report.scan)")
        #expect(report.scan.directories == 2, "\(report.scan)")
        #expect(report.scan.skipped == links.count, "every link counts as skipped: \(report.scan)")
        #expect(!report.detection.existingPatterns.contains(.faultTolerantWrappers), "scripts/ is a link: not read")
        #expect(!report.detection.existingPatterns.contains(.authorityDomains), "config.yaml is a link: not read")
        #expect(!report.detection.existingPatterns.contains(.collisionFreeMessaging), "inbox/b is a link: not entered")
        let outsideNames = ["file0.txt", "file19.txt", "m-\(uuidName).msg", "retry.sh"]
        for name in outsideNames {
            #expect(!result.stdoutText.contains(name), "\(name), outside the tree, appears in the report")
        }
    }

    // MARK: Unreadable entries

    @Test("unreadable folders and files: a warning naming the path, and the scan goes on",
          .enabled(if: HostileTool.canDropPrivileges, "needs root and setpriv to run as an unprivileged user"))
    func unreadable() throws {
        let box = try HostileSandbox("unreadable")
        let home = try box.dir("home", mode: 0o777), out = try box.dir("out", mode: 0o777)
        try box.file("t/inbox/locked/m-\(uuidName).msg", "x")
        try box.file("t/inbox/open/m.msg", "x")
        try box.file("t/scripts/secret.sh", "retry\n", mode: 0)
        try box.file("t/scripts/visible.sh", "echo hi\n")
        try box.file("t/config.yaml", "agents:\n  a: {}\n", mode: 0)
        try box.file("t/specs/Spec.tla", "---- MODULE Spec ----")
        try box.dir("t/locked folder 'q'")
        try box.file("t/locked folder 'q'/inside.tla", "x")
        try box.chmod("t/inbox/locked", 0)
        try box.chmod("t/locked folder 'q'", 0)

        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "json,md,html", "--output-dir", out, "--now", fixedNowText],
            home: home, asNobody: true, binaryFolder: box.path, timeout: 120)
        #expect(result.finished, "\(result.summary)")
        try #require(result.exitStatus == 0, "\(result.summary)")
        let warningLines = result.stderrLines.filter { $0.contains("warning") }
        for path in ["inbox/locked", "scripts/secret.sh", "config.yaml", "locked folder 'q'"] {
            #expect(warningLines.contains { $0.contains(path) }, "no warning names \(path) on stderr: \(result.stderrText)")
        }
        let report = try MigrationReport.decode(try Data(contentsOf: URL(fileURLWithPath: out + "/migration-plan.json")))
        let warned = Set(report.detection.warnings.map(\.path))
        #expect(warned.isSuperset(of: ["inbox/locked", "scripts/secret.sh", "config.yaml", "locked folder 'q'"]), "\(warned)")
        #expect(report.detection.hasAgentConfig, "an unreadable config still counts as present")
        #expect(report.detection.existingPatterns.contains(.tlaVerification), "the scan went on past the locked folders")
        #expect(report.detection.messageFiles >= 1, "inbox/open/m.msg is still counted")
        #expect(report.scan.skipped >= 2, "\(report.scan)")
        let markdown = try String(contentsOfFile: out + "/migration-plan.md", encoding: .utf8)
        #expect(markdown.contains("## Warnings") && markdown.contains("inbox/locked"))
        let html = try String(contentsOfFile: out + "/migration-plan.html", encoding: .utf8)
        #expect(html.contains("inbox/locked"))
    }

    // MARK: Malformed configuration

    struct ConfigCase: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var bytes: [UInt8]
        /// The location the warning must name: `file` or `file:line`.
        var location: String
        var word: String
        var testDescription: String { name }
    }

    static let configCases: [ConfigCase] = [
        .init(name: "malformed YAML", file: "config.yaml", bytes: Array("agents:\n  code:\n\trole: tab\n  chat: {}\n".utf8),
              location: "config.yaml:3", word: "YAML"),
        .init(name: "malformed JSON", file: "agents.json", bytes: Array("{\n  \"agents\": [\n    1,\n  }\n".utf8),
              location: "agents.json:4", word: "JSON"),
        .init(name: "binary config", file: "config.yml", bytes: [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0xFF, 0xFE, 0x0A],
              location: "config.yml", word: "binary"),
        .init(name: "empty config", file: "config.json", bytes: [], location: "config.json", word: "empty"),
    ]

    @Test("a bad config gives a warning naming the file (and line) in every format and on stderr; it still counts",
          arguments: configCases)
    func malformedConfig(_ row: ConfigCase) throws {
        let box = try HostileSandbox("config")
        let home = try box.dir("home"), out = try box.dir("out")
        try box.file("t/inbox/agent/m.msg", "x")
        try box.bytes("t/" + row.file, row.bytes)
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "md,html,junit,json", "--output-dir", out, "--now", fixedNowText],
            home: home, timeout: 120)
        try #require(result.finished && result.exitStatus == 0, "\(result.summary)")

        let (report, page, _) = try HostileReaders.checkAll(in: out, scratch: box)
        #expect(report.detection.hasAgentConfig, "the config counts as present")
        let warning = try #require(report.detection.warnings.first { $0.path == row.file }, "\(report.detection.warnings)")
        #expect(warning.line.map { "\(warning.path):\($0)" } ?? warning.path == row.location)
        #expect(warning.message.contains(row.word), "\(warning.message)")

        #expect(result.stderrLines.contains { $0.contains("warning") && $0.contains(row.location) && $0.contains(row.word) },
                "stderr: \(result.stderrText)")
        let markdown = try String(contentsOfFile: out + "/migration-plan.md", encoding: .utf8)
        let warnings = markdown.components(separatedBy: "\n## Warnings\n").dropFirst().first ?? ""
        #expect(warnings.contains("`\(row.location)`"), "the Markdown Warnings section names \(row.location)")
        #expect(page.warnings.contains { $0.contains(row.location) && $0.contains(row.word) }, "HTML warnings: \(page.warnings)")
        let junit = try String(contentsOfFile: out + "/migration-plan.xml", encoding: .utf8)
        let afterAgentCase = junit.components(separatedBy: "name=\"agent-config\"").dropFirst().first ?? ""
        let agentCase = afterAgentCase.components(separatedBy: "<testcase").first?.components(separatedBy: "</testsuite>").first ?? ""
        #expect(!afterAgentCase.isEmpty, "JUnit has an agent-config testcase")
        #expect(!agentCase.contains("<failure"), "agent-config passes in JUnit: the config is present")
    }

    @Test("hundreds of large programs, every one read, keep memory flat: the walk forgets each file's bytes after its visit")
    func manyLargePrograms() throws {
        let box = try HostileSandbox("programs")
        let home = try box.dir("home")
        // 300 programs of 256 KiB, each naming an inbox in code and then nothing but slices:
        // about 75 MB read, lexed and matched.
        let body = "x = \"inbox\"\n" + String(repeating: String(repeating: "[:", count: 1000) + "\n", count: 131)
        for index in 0..<300 { try box.file("t/src/f\(index).py", body) }
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet", "--no-database"],
            home: home, timeout: 120, memoryLimitKiB: 512 * 1024)
        #expect(result.finished, "\(result.summary)")
        #expect(result.exitStatus == 0, "\(result.summary)")
        #expect(result.maxRSSKiB < 64 * 1024, "peak memory \(result.maxRSSKiB) KiB")
    }

    @Test("a YAML alias bomb (billion laughs) in config.yaml stays bounded in memory and time")
    func aliasBomb() throws {
        let box = try HostileSandbox("laughs")
        let home = try box.dir("home")
        var lines = ["l0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
        for level in 1..<10 {
            lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        lines.append("agents:\n  a: *l9")
        try box.file("t/config.yaml", lines.joined(separator: "\n") + "\n")  // about 400 bytes
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"],
            home: home, timeout: 120, memoryLimitKiB: 256 * 1024)
        #expect(result.finished, "killed by the watchdog: \(result.summary)")
        #expect(result.maxRSSKiB < 200 * 1024, "peak memory \(result.maxRSSKiB) KiB")
        if result.finished {
            #expect(result.exitStatus == 0, "\(result.summary)")
            let report = try MigrationReport.decode(result.stdout)
            #expect(report.detection.hasAgentConfig)
        }
    }

    @Test("deeply nested YAML and JSON configs give a warning, not a stack overflow", arguments: [
        ("config.yaml", "["), ("config.yaml", "{a: "), ("config.yaml", "- "), ("config.json", "["), ("config.json", "{\"a\":"),
    ])
    func deepNesting(_ file: String, _ opener: String) throws {
        let box = try HostileSandbox("nesting")
        let home = try box.dir("home")
        let repeats = (1024 * 1024) / opener.utf8.count  // the whole read limit
        try box.file("t/" + file, String(repeating: opener, count: repeats))
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"],
            home: home, timeout: 180, memoryLimitKiB: 1024 * 1024)
        #expect(result.finished, "\(result.summary)")
        #expect(result.exitStatus == 0, "\(result.summary)")
        #expect(result.maxRSSKiB < 200 * 1024, "peak memory \(result.maxRSSKiB) KiB")
        if result.exitStatus == 0 {
            let report = try MigrationReport.decode(result.stdout)
            #expect(report.detection.hasAgentConfig)
            #expect(report.detection.warnings.contains { $0.path == file }, "\(report.detection.warnings)")
        }
    }

    // MARK: Huge files

    @Test("4 GiB sparse files where scripts, configs, logs and messages are expected: bounded reads, small memory")
    func hugeSparseFiles() throws {
        let box = try HostileSandbox("huge")
        let home = try box.dir("home"), out = try box.dir("out")
        let size: Int64 = 4 << 30
        try box.sparse("t/scripts/huge.sh", size: size, prefix: Array("#!/bin/sh\n# retry with backoff\n".utf8))
        try box.sparse("t/config.yaml", size: size, prefix: Array("agents:\n  a: {}\n".utf8))
        try box.sparse("t/agents.json", size: size)
        try box.sparse("t/events.log", size: size)
        try box.sparse("t/inbox/agent/huge-\(uuidName).msg", size: size)
        try box.sparse("t/Spec.tla", size: size)
        try box.sparse("t/huge.py", size: size, prefix: Array("import os\n".utf8))
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "md,html,junit,json", "--output-dir", out, "--now", fixedNowText],
            home: home, timeout: 300, memoryLimitKiB: 1024 * 1024)
        #expect(result.finished, "\(result.summary)")
        try #require(result.exitStatus == 0, "\(result.summary)")
        #expect(result.maxRSSKiB > 0 && result.maxRSSKiB < 200 * 1024, "peak memory \(result.maxRSSKiB) KiB")
        let (report, _, _) = try HostileReaders.checkAll(in: out, scratch: box)
        #expect(report.detection.hasAgentConfig)
        #expect(report.detection.warnings.contains { $0.path == "config.yaml" }, "\(report.detection.warnings)")
        #expect(report.detection.existingPatterns.contains(.faultTolerantWrappers), "the start of a huge script is still read")
        #expect(report.scan.files == 7)
    }

    // MARK: Deep, wide and oddly named trees

    @Test("a tree deeper than PATH_MAX is scanned (or reported) without a crash, and cleaned up")
    func deeperThanPathMax() throws {
        let box = try HostileSandbox("deep")
        let home = try box.dir("home")
        try box.file("t/events.log", "x")
        let levels = 40, nameLength = 200
        var descriptor = open(box.absolute("t"), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(descriptor >= 0)
        for level in 0..<levels {
            let name = String(format: "%03d", level) + String(repeating: "d", count: nameLength - 3)
            guard mkdirat(descriptor, name, 0o755) == 0 else { throw HostileError("mkdirat level \(level): \(hostileErrno())") }
            let next = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            close(descriptor)
            guard next >= 0 else { throw HostileError("openat level \(level): \(hostileErrno())") }
            descriptor = next
        }
        for (name, contents) in [("Spec.tla", "---- MODULE Spec ----\n"), ("retry.sh", "retry\n")] {
            let file = openat(descriptor, name, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
            if file >= 0 {
                _ = Array(contents.utf8).withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
                close(file)
            }
        }
        close(descriptor)
        #expect(levels * (nameLength + 1) > Int(PATH_MAX), "the deepest path is longer than PATH_MAX")

        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "json", "--output", "-", "--now", fixedNowText],
            home: home, timeout: 180)
        #expect(result.finished, "\(result.summary)")
        try #require(result.exitStatus == 0, "\(result.summary)")
        let report = try MigrationReport.decode(result.stdout)
        #expect(report.detection.hasEventLog)
        let deepTLA = report.detection.existingPatterns.contains(.tlaVerification)
        let warnedDeep = report.detection.warnings.contains { $0.path.hasPrefix("000") }
        #expect(deepTLA || warnedDeep, "the deep file is seen, or the over-long path is reported")
        if deepTLA {
            #expect(report.scan.directories == levels)
            #expect(report.scan.files == 3)
            let evidence = report.detection.evidence.first { $0.path.hasSuffix("/Spec.tla") }
            #expect((evidence?.path.utf8.count ?? 0) > Int(PATH_MAX), "the evidence names the whole path")
        }
        // The sandbox's deinit removes the tree with rm -rf: prove that works here.
        let root = box.absolute("t")
        HostileSandbox.remove(root)
        #expect(!FileManager.default.fileExists(atPath: root), "the deep tree was removed")
    }

    @Test("a folder with 100,000 entries: every one counted, memory stays small")
    func hundredThousandEntries() throws {
        let box = try HostileSandbox("wide")
        let home = try box.dir("home")
        let folder = try box.dir("t/inbox/agent")
        let count = 100_000
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(descriptor >= 0)
        for index in 0..<count {
            let file = openat(descriptor, "m-\(index).msg", O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
            guard file >= 0 else {
                close(descriptor)
                throw HostileError("create file \(index): \(hostileErrno())")
            }
            close(file)
        }
        close(descriptor)
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"],
            home: home, timeout: 600, memoryLimitKiB: 1024 * 1024)
        #expect(result.finished, "\(result.summary)")
        try #require(result.exitStatus == 0, "\(result.summary)")
        #expect(result.maxRSSKiB < 200 * 1024, "peak memory \(result.maxRSSKiB) KiB")
        let report = try MigrationReport.decode(result.stdout)
        #expect(report.scan.files == count)
        #expect(report.scan.directories == 2)
        #expect(report.detection.messageFiles == count)
        #expect(result.stdout.count < 4 * 1024 * 1024, "evidence is sampled, not a list of every file: \(result.stdout.count) bytes")
    }

    @Test("names with control characters and bytes that are not UTF-8: valid reports, an inert terminal")
    func controlAndNonUTF8Names() throws {
        let box = try HostileSandbox("names")
        let home = try box.dir("home"), out = try box.dir("out")
        let hostile = ["a\u{1}b", "\u{1B}[31mred\u{1B}[0m", "line\nbreak", "tab\there", "bell\u{7}\u{7F}\u{85}\u{9B}2J", "cr\rx"]
        for (index, name) in hostile.enumerated() {
            try box.file("t/inbox/agent/\(name)-\(uuidName).msg", "x")
            try box.file("t/specs/\(name)\(index).tla", "x")
            try box.file("t/scripts/\(name)\(index).sh", "retry\n")
        }
        try box.rawFile(in: "t/inbox/agent", name: [0xFF, 0xFE, 0x2E, 0x6D, 0x73, 0x67])  // "\xFF\xFE.msg"
        try box.rawFile(in: "t/specs", name: [0xC3, 0x28, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x2E, 0x74, 0x6C, 0x61])  // "\xC3(\e[31m.tla"
        let rawFolder = try box.rawDir(in: "t", name: [0x80, 0x1B, 0x5D, 0x30, 0x3B, 0x74, 0x69, 0x74, 0x6C, 0x65, 0x07])
        let inside = withRawPath(rawFolder + Array("/x.tla".utf8)) { open($0, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
        try #require(inside >= 0)
        close(inside)
        // A folder past the depth limit whose name is an escape sequence: its warning
        // carries the name to stderr.
        let deep = Array(repeating: "d", count: 127).joined(separator: "/")
        try box.dir("t/\(deep)/\u{1B}]0;owned\u{7}\u{1B}[2J\nfake: error")
        let hostileOutput = out + "/\u{1B}[31mplan\n\u{7}.md"

        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "md,html,junit,json", "--output-dir", out, "--now", fixedNowText],
            home: home, timeout: 180)
        try #require(result.finished && result.exitStatus == 0, "\(result.summary)")
        let (report, _, _) = try HostileReaders.checkAll(in: out, scratch: box)
        #expect(report.scan.files == hostile.count * 3 + 3)
        #expect(report.detection.messageFiles == hostile.count + 1)
        #expect(report.detection.warnings.contains { $0.message.contains("deeper") && $0.path.contains("\u{1B}") },
                "the JSON keeps the name as it is (escaped by JSON): \(report.detection.warnings)")
        #expect(result.stderrText.contains("deeper"), "the depth warning reaches stderr")
        #expect(hasRawControl(result.stderrText).isEmpty, "raw control characters on stderr: \(hasRawControl(result.stderrText))")
        #expect(hasRawControl(result.stdoutText).isEmpty)

        let named = try HostileTool.run(
            ["--path", box.absolute("t"), "--output", hostileOutput, "--now", fixedNowText], home: home, timeout: 180)
        #expect(named.finished && named.exitStatus == 0, "\(named.summary)")
        #expect(FileManager.default.fileExists(atPath: hostileOutput))
        #expect(hasRawControl(named.stderrText).isEmpty, "the output name is neutralised on stderr: \(hasRawControl(named.stderrText))")
    }

    // MARK: Markup and shell syntax in names

    @Test("HTML, Markdown and shell syntax in names and config values: every format valid and inert")
    func metacharacterNames() throws {
        let box = try HostileSandbox("meta")
        let home = try box.dir("home"), out = try box.dir("out"), work = try box.dir("work")
        let names = [
            "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<script>alert(1)<", "[x](javascript:alert(1))",
            "![i](http:evil.png)", "*em* _u_ **b**", "`tick` ``two``", "# heading", "- item", "1. one", "> quote",
            "$(touch pwned)", "`touch pwned`", "'single' \"double\"", "a;b|c&d", "&amp; &lt;", "{{mustache}}", "<!-- c -->",
            "]]><x>", "\u{1B}[31mred",
        ]
        for (index, name) in names.enumerated() {
            try box.file("t/inbox/agent/\(name)-\(uuidName).msg", "x")
            try box.file("t/specs/\(name) \(index).tla", "x")
            try box.file("t/scripts/\(name) \(index).sh", "retry # \(name)\n")
        }
        let agents = names.enumerated().map { "  \"\($0.offset)\($0.element.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\u{1B}", with: "\\e"))\": {authority_domains: [x]}" }
        try box.file("t/config.yaml", "database:\n  type: \"<script>alert(1)</script> $(touch pwned)\"\nagents:\n" + agents.joined(separator: "\n") + "\n")

        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "md,html,junit,json", "--output-dir", out, "--now", fixedNowText],
            in: work, home: home, timeout: 180)
        try #require(result.finished && result.exitStatus == 0, "\(result.summary)")
        let (report, page, markdown) = try HostileReaders.checkAll(in: out, scratch: box)
        #expect(report.detection.existingPatterns.contains(.authorityDomains))
        // The names are shown as text, not dropped.
        for shown in ["<img src=x onerror=alert(1)>", "<script>alert(1)<", "[x](javascript:alert(1))", "$(touch pwned)"] {
            #expect(page.text.contains(shown), "the HTML shows \(shown) as text")
            if let markdown { #expect(markdown.text.contains(shown), "the Markdown shows \(shown) as text") }
        }
        #expect(box.find(named: "pwned").isEmpty, "something ran a name: \(box.find(named: "pwned"))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty, "nothing written to the working folder")
        #expect(hasRawControl(result.stderrText).isEmpty)
    }

    @Test("names that hide markup behind a grapheme cluster (a combining or prepend mark) stay inert")
    func graphemeClusterNames() throws {
        let box = try HostileSandbox("clusters")
        let home = try box.dir("home"), out = try box.dir("out")
        // U+0600 (a prepend mark) glues itself to the next character, U+0301 (a
        // combining mark) to the previous one: Swift sees one Character, cmark and
        // browsers see a plain backtick, `<`, `[` or `*`.
        try box.file("t/specs/\u{600}`<img src=x onerror=alert(1)>.tla", "x")
        try box.file("t/inbox/agent/[\u{301}click\u{600}](https:evil.example)-\(uuidName).msg", "x")
        try box.file("t/config.yaml", """
            agents:
              "\u{600}<img src=x onerror=alert(2)\u{600}>": {authority_domains: [x]}
              "*\u{301}loud\u{600}*": {authority_domains: [x]}

            """)
        let result = try HostileTool.run(
            ["--path", box.absolute("t"), "--format", "md,html,junit,json", "--output-dir", out, "--now", fixedNowText],
            home: home, timeout: 120)
        try #require(result.finished && result.exitStatus == 0, "\(result.summary)")
        let (report, page, _) = try HostileReaders.checkAll(
            in: out, scratch: box)
        #expect(report.detection.existingPatterns.contains(.authorityDomains))
        #expect(page.text.contains("onerror=alert(2)"), "the HTML report shows the agent name as text")
    }

    // MARK: Backup and rollback commands

    @Test("the backup and rollback commands quote the analysed path: pasted into bash they archive the right folder and run nothing")
    func backupAndRollbackCommands() throws {
        let box = try HostileSandbox("backup")
        let home = try box.dir("home"), work = try box.dir("work"), pasteHome = try box.dir("paste-home")
        let treeName = "sys $(touch pwned) `touch pwned` 'single' \"double\" ; | & \u{1B}[31m\nsecond line"
        let tree = try box.dir(treeName)
        let files = ["inbox/agent/m-\(uuidName).msg", "events.log", "scripts/run.sh", "sub dir/file 'x' $(y).txt"]
        for file in files { try box.file(treeName + "/" + file, "content of \(file)\n") }

        let report = try plannedReport(of: tree, in: work, home: home)
        #expect(report.targetPath == tree)
        let backup = try #require(report.plan.steps.first)
        #expect(backup.title.lowercased().contains("backup"))
        for command in backup.commands {
            #expect(hasRawControl(command).isEmpty, "a command holds a raw control character: \(command.debugDescription)")
        }

        let pasted = try paste(backup.commands, home: pasteHome, in: work)
        #expect(pasted.exitStatus == 0, "the backup commands failed: \(pasted.summary)")
        // The system's own folder, named after the analysed folder, holds one dated backup and `latest`.
        let slug = backupSlug(treeName)
        #expect(slug == "sys---touch-pwned---touch-pwned---single---double----------31m-second-line")
        let layout = try BackupLayout(home: pasteHome, slug: slug)
        let listing = try HostileRun.run("/bin/tar", ["-tzf", layout.latest + "/system.tar.gz"], timeout: 60)
        let members = Set(listing.stdoutText.split(separator: "\n").map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : String($0) })
        for file in files { #expect(members.contains(file), "\(file) is not in the archive: \(members.sorted())") }
        #expect(box.find(named: "pwned").isEmpty, "the backup commands ran part of the name")

        // Rollback on a later day: the dated folder is from long ago, `latest` points at it.
        let restore = try restoreStage(report)
        #expect(!restore.commands.contains { $0.contains("date") }, "the rollback depends on today's date: \(restore.commands)")
        try layout.redate(to: "20000101-000000")
        let rolledBack = try paste(restore.commands, home: pasteHome, in: work)
        #expect(rolledBack.exitStatus == 0, "the rollback commands failed: \(rolledBack.summary)")
        for file in files {
            #expect(FileManager.default.fileExists(atPath: tree + "/" + file), "\(file) was not restored")
            #expect(FileManager.default.fileExists(atPath: tree + ".failed/" + file), "\(file) was not moved aside")
        }
        #expect(box.find(named: "pwned").isEmpty, "the rollback commands ran part of the name")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)

        // A normal run on such a tree: nothing raw reaches the terminal.
        let outName = "out \u{1B}[31m\n$(touch pwned)"
        let out = try box.dir(outName)
        let normal = try HostileTool.run(["--path", tree, "--format", "md,json", "--output-dir", out, "--now", fixedNowText], in: work, home: home)
        #expect(normal.finished && normal.exitStatus == 0, "\(normal.summary)")
        #expect(!normal.stderr.contains(0x1B), "a raw ESC on stderr")
        #expect(hasRawControl(normal.stderrText).isEmpty, "raw control characters on stderr: \(hasRawControl(normal.stderrText))")
        #expect(box.find(named: "pwned").isEmpty)
    }

    @Test("two systems backed up in the same second keep their own archives, and each rollback restores its own system")
    func sameSecondBackupsDoNotCollide() throws {
        let box = try HostileSandbox("backup-twice")
        let home = try box.dir("home"), work = try box.dir("work"), pasteHome = try box.dir("paste-home")
        // `date` always answers the same second, so the two backups certainly share it.
        let bin = try box.dir("bin")
        try box.file("bin/date", "#!/bin/sh\necho 20260101-120000\n", mode: 0o755)
        let names = ["sys A $(touch pwned) 'x'", "sys B `touch pwned`; \"y\""]
        var plans: [(tree: String, backup: [String], restore: [String])] = []
        for name in names {
            let tree = try box.dir(name)
            try box.file(name + "/inbox/agent/m-\(uuidName).msg", "message of \(name)\n")
            try box.file(name + "/events.log", "events of \(name)\n")
            let report = try plannedReport(of: tree, in: work, home: home)
            plans.append((tree, try #require(report.plan.steps.first).commands, try restoreStage(report).commands))
        }

        let path = bin + ":/usr/local/bin:/usr/bin:/bin"
        let pasted = try paste(plans.flatMap(\.backup), home: pasteHome, in: work, path: path)
        #expect(pasted.exitStatus == 0, "the backup commands failed: \(pasted.summary)")
        let slugs = names.map(backupSlug)
        #expect(slugs == ["sys-A---touch-pwned---x-", "sys-B--touch-pwned----y-"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: pasteHome + "/coord-migrate-backups").sorted() == slugs.sorted())
        for (name, slug) in zip(names, slugs) {
            let layout = try BackupLayout(home: pasteHome, slug: slug)
            #expect(layout.dated == "20260101-120000")
            let events = try HostileRun.run("/bin/tar", ["-xzOf", layout.latest + "/system.tar.gz", "./events.log"], timeout: 60)
            #expect(events.stdoutText == "events of \(name)\n", "the archive of \(slug) holds another system")
        }

        // Both migrations go wrong; each rollback brings back its own system.
        for (plan, name) in zip(plans, names) {
            try "broken\n".write(toFile: plan.tree + "/events.log", atomically: false, encoding: .utf8)
            let rolledBack = try paste(plan.restore, home: pasteHome, in: work, path: path)
            #expect(rolledBack.exitStatus == 0, "the rollback commands failed: \(rolledBack.summary)")
            #expect(try String(contentsOfFile: plan.tree + "/events.log", encoding: .utf8) == "events of \(name)\n")
            #expect(try String(contentsOfFile: plan.tree + ".failed/events.log", encoding: .utf8) == "broken\n")
        }
        #expect(box.find(named: "pwned").isEmpty, "the commands ran part of a name")
    }

    @Test("a nested system's backup also archives the parent scripts it relies on, and the rollback restores them",
          arguments: ["bridge", "services/bridge"])
    func nestedBackupCoversParentScripts(_ nested: String) throws {
        let box = try HostileSandbox("nested-backup")
        let home = try box.dir("home"), work = try box.dir("work"), pasteHome = try box.dir("paste-home")
        let parent = box.absolute("mono $(touch pwned) 'x'")
        try FileManager.default.copyItem(atPath: sampleURL("monorepo-bridge").path, toPath: parent)
        if nested != "bridge" {
            // The system one level deeper: its evidence is ../../scripts/…
            try FileManager.default.createDirectory(
                atPath: parent + "/" + (nested as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: parent + "/bridge", toPath: parent + "/" + nested)
        }
        let system = parent + "/" + nested
        let up = String(repeating: "../", count: nested.split(separator: "/").count)
        let script = parent + "/scripts/notify-agents.sh"
        let original = try String(contentsOfFile: script, encoding: .utf8)

        let report = try plannedReport(of: parent, in: work, home: home)
        #expect(report.targetPath == system, "the nested system is the one analysed")
        #expect(report.detection.evidence.contains { $0.path.hasPrefix(up + "scripts/") }, "the parent scripts are evidence as \(up)scripts/")
        let backup = try #require(report.plan.steps.first)
        #expect(backup.commands.filter { $0.hasPrefix("tar -czf") }.count == 2, "\(backup.commands)")

        let pasted = try paste(backup.commands, home: pasteHome, in: work)
        #expect(pasted.exitStatus == 0, "the backup commands failed: \(pasted.summary)")
        let layout = try BackupLayout(home: pasteHome, slug: "bridge")
        #expect(try FileManager.default.contentsOfDirectory(atPath: layout.latest).sorted() == ["beside.tar.gz", "system.tar.gz"])
        let beside = try HostileRun.run("/bin/tar", ["-tzf", layout.latest + "/beside.tar.gz"], timeout: 60)
        #expect(beside.stdoutText.split(separator: "\n").contains("./scripts/notify-agents.sh"), "\(beside.stdoutText)")

        // A migration that went wrong in both places …
        try "broken\n".write(toFile: script, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: system + "/agents.yaml")
        // … and the rollback puts both back, keeping the failed versions aside.
        let restore = try restoreStage(report)
        let rolledBack = try paste(restore.commands, home: pasteHome, in: work)
        #expect(rolledBack.exitStatus == 0, "the rollback commands failed: \(rolledBack.summary)")
        #expect(try String(contentsOfFile: script, encoding: .utf8) == original, "the parent script was restored")
        #expect(try String(contentsOfFile: parent + "/scripts.failed/notify-agents.sh", encoding: .utf8) == "broken\n")
        #expect(FileManager.default.fileExists(atPath: system + "/agents.yaml"), "the nested system was restored")
        #expect(!FileManager.default.fileExists(atPath: system + ".failed/agents.yaml"), "the broken nested system is the one kept aside")
        #expect(box.find(named: "pwned").isEmpty, "the commands ran part of the name")
    }

    // MARK: Read-only guarantee

    @Test("the analysed tree is byte-for-byte and stat-for-stat the same after a run writing all four formats")
    func readOnly() throws {
        let box = try HostileSandbox("readonly")
        let home = try box.dir("home"), out = try box.dir("out")
        try box.file("t/inbox/agent/m-\(uuidName).msg", "x")
        try box.file("t/inbox/agent/.hidden.msg", "x")
        try box.file("t/events.log", "{\"e\":1}\n")
        try box.file("t/config.yaml", "agents:\n  a:\n\tbad: tab\n")
        try box.file("t/scripts/run.sh", "retry\n", mode: 0o700)
        try box.file("t/private.txt", "secret", mode: 0o600)
        try box.file("t/Spec.tla", "---- MODULE Spec ----")
        try box.dir("t/empty")
        try box.dir("t/inbox/priority")
        try box.fifo("t/queue.pipe")
        try box.symlink("t/loop", to: "loop")
        try box.symlink("t/out-link", to: out)
        try box.rawFile(in: "t/inbox/agent", name: [0xFF, 0x2E, 0x6D, 0x73, 0x67])
        try box.sparse("t/big.log", size: 64 << 20, prefix: Array("start\n".utf8))
        let before = HostileSnapshot.take(box.absolute("t"))

        // The working folder is the tree itself: nothing may land there either.
        let result = try HostileTool.run(
            ["--path", ".", "--format", "md,html,junit,json", "--output-dir", out, "--now", fixedNowText],
            in: box.absolute("t"), home: home, timeout: 120)
        try #require(result.finished && result.exitStatus == 0, "\(result.summary)")
        let after = HostileSnapshot.take(box.absolute("t"))
        #expect(before.count == after.count)
        for key in Set(before.keys).union(after.keys) where before[key] != after[key] {
            Issue.record("changed: \(String(decoding: key, as: UTF8.self).debugDescription): \(before[key] ?? "absent") → \(after[key] ?? "absent")")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == allFormats)
    }

    // MARK: Errors

    struct WriteFailure: Sendable, CustomTestStringConvertible {
        var name: String
        /// `{box}` is the sandbox; the output folder is `{box}/out`, holding a previous report.
        var arguments: [String]
        var word: String
        /// True when the panels are printed before the error is found, and the message is
        /// the bare system error (see the report): a write that fails only when tried.
        var testDescription: String { name }
    }

    static let writeFailures: [WriteFailure] = [
        .init(name: "output folder under a file", arguments: ["--output", "{box}/out/migration-plan.md/plan.md"], word: "is not a folder"),
        .init(name: "output path is a folder", arguments: ["--output", "{box}/out/folder.md"], word: "name a file"),
        .init(name: "output-dir is a file", arguments: ["--format", "md,json", "--output-dir", "{box}/out/migration-plan.md"],
              word: "--output-dir"),
        .init(name: "output under /proc (unwritable even for root)", arguments: ["--output", "/proc/coord-migrate-hostile.md"],
              word: "/proc/coord-migrate-hostile.md"),
        .init(name: "second of two formats cannot be written", arguments: ["--format", "md,json", "--output-dir", "{box}/out"],
              word: "migration-plan.json"),
        .init(name: "option without its value", arguments: ["--format"], word: "--format"),
        .init(name: "bad --fail-on condition", arguments: ["--fail-on", "risk>=catastrophic"], word: "catastrophic"),
        .init(name: "unexpected argument", arguments: ["surplus-argument"], word: "surplus-argument"),
    ]

    @Test("output that cannot be written and malformed flags: exit 2, one line on stderr, nothing partial, the previous report intact",
          arguments: writeFailures)
    func writeFailure(_ row: WriteFailure) throws {
        let box = try HostileSandbox("write")
        let home = try box.dir("home"), out = try box.dir("out"), work = try box.dir("work")
        try box.file("t/inbox/agent/m.msg", "x")
        try box.dir("out/folder.md")
        try box.dir("out/migration-plan.json")  // a folder where the JSON report would go
        let previous = Data("previous report\n".utf8)
        try previous.write(to: URL(fileURLWithPath: out + "/migration-plan.md"))
        let outBefore = box.entries("out")
        let arguments = ["--path", box.absolute("t"), "--now", fixedNowText]
            + row.arguments.map { $0.replacingOccurrences(of: "{box}", with: box.path) }

        for quiet in [true, false] {
            let result = try HostileTool.run(arguments + (quiet ? ["--quiet"] : []), in: work, home: home, timeout: 120)
            #expect(result.finished, "\(result.summary)")
            #expect(result.exitStatus == 2, "\(result.summary)")
            #expect(result.stdout.isEmpty)
            let errors = result.stderrLines.filter { $0.hasPrefix("coord-migrate: error: ") }
            #expect(errors.count == 1 && errors.first?.contains(row.word) == true, "\(result.stderrText)")
            #expect(errors.first.map(saysWhatToDo) == true, "the message says what to do: \(errors)")
            #expect(result.stderrLines.count == 1, "more than the error on stderr: \(result.stderrText)")
            let report = try Data(contentsOf: URL(fileURLWithPath: out + "/migration-plan.md"))
            #expect(report == previous, "the previous report was replaced: \(String(decoding: report.prefix(60), as: UTF8.self))")
            let leftovers = box.entries("out").filter { !outBefore.contains($0) }
            #expect(leftovers.isEmpty, "left in the output folder: \(leftovers.map { String(decoding: $0, as: UTF8.self) })")
            #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty, "written to the working folder")
            #expect(box.find(named: "plan.md").isEmpty)
        }
    }

    @Test("an output folder the user cannot write to: exit 2, one line naming it, the previous report intact",
          .enabled(if: HostileTool.canDropPrivileges, "needs root and setpriv to run as an unprivileged user"))
    func unwritableOutputFolder() throws {
        let box = try HostileSandbox("readonly-out")
        let home = try box.dir("home", mode: 0o777), work = try box.dir("work", mode: 0o777)
        try box.file("t/inbox/agent/m.msg", "x")
        let out = try box.dir("out")
        let previous = Data("previous report\n".utf8)
        try previous.write(to: URL(fileURLWithPath: out + "/migration-plan.md"))
        try box.chmod("out/migration-plan.md", 0o644)
        try box.chmod("out", 0o555)
        for arguments in [["--output", out + "/migration-plan.md"], ["--format", "md,json", "--output-dir", out]] {
            for quiet in [true, false] {
                let result = try HostileTool.run(
                    ["--path", box.absolute("t"), "--now", fixedNowText] + arguments + (quiet ? ["--quiet"] : []),
                    in: work, home: home, asNobody: true, binaryFolder: box.path, timeout: 120)
                #expect(result.finished && result.exitStatus == 2, "\(arguments): \(result.summary)")
                let errors = result.stderrLines.filter { $0.hasPrefix("coord-migrate: error: ") }
                #expect(errors.count == 1 && errors.first?.contains(out) == true, "\(result.stderrText)")
                #expect(errors.first.map(saysWhatToDo) == true, "\(errors)")
                if quiet {
                    #expect(result.stderrLines.count == 1, "\(result.stderrText)")
                } else {
                    #expect(result.stderrLines.count == 1, "more than the error on stderr: \(result.stderrText)")
                }
                #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/migration-plan.md")) == previous)
                #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["migration-plan.md"], "nothing else appeared")
                #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
            }
        }
    }

    // MARK: Determinism

    @Test("a hostile tree with --now gives byte-identical reports in all four formats, run after run and through render")
    func determinism() throws {
        let box = try HostileSandbox("determinism")
        let home = try box.dir("home"), first = try box.dir("first"), second = try box.dir("second"), rendered = try box.dir("rendered")
        for name in ["<script>x<", "*em* [l](u)", "$(touch pwned)", "tab\there", "\u{1B}[31mred", "ünï ✅ \u{202E}rtl"] {
            try box.file("t/inbox/agent/\(name)-\(uuidName).msg", "x")
            try box.file("t/specs/\(name).tla", "x")
            try box.file("t/scripts/\(name).sh", "attempt\n")
        }
        try box.rawFile(in: "t/inbox/agent", name: [0xFE, 0x2E, 0x6D, 0x73, 0x67])
        try box.file("t/config.yaml", "agents:\n  a:\n\tb: tab\n")
        try box.file("t/agents.json", "{\"agents\": {\"<b>x</b>\": {\"authority_domains\": [\"*\"]}}}")
        try box.fifo("t/events.log")
        try box.symlink("t/loop", to: "loop")
        try box.symlink("t/inbox/defer", to: "/")
        let arguments = ["--path", box.absolute("t"), "--format", "md,html,junit,json", "--now", fixedNowText, "--quiet"]
        for folder in [first, second] {
            let result = try HostileTool.run(arguments + ["--output-dir", folder], home: home, timeout: 120)
            try #require(result.finished && result.exitStatus == 0, "\(result.summary)")
        }
        for (format, file) in [("md", "migration-plan.md"), ("html", "migration-plan.html"), ("junit", "migration-plan.xml"), ("json", "migration-plan.json")] {
            let a = try Data(contentsOf: URL(fileURLWithPath: first + "/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: second + "/" + file))
            #expect(!a.isEmpty && a == b, "\(file) differs between two runs")
            let render = try HostileTool.run(
                ["render", first + "/migration-plan.json", "--format", format, "--output", rendered + "/" + file], home: home, timeout: 120)
            #expect(render.finished && render.exitStatus == 0, "\(render.summary)")
            let c = try Data(contentsOf: URL(fileURLWithPath: rendered + "/" + file))
            #expect(a == c, "render --format \(format) differs from the analysing run")
        }
    }
}

#endif
