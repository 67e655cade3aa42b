public import Foundation

/// What one run of a program did: its exit status (or the signal that ended it), and
/// what it wrote to stdout and stderr.
public struct ProcessResult {
    public var status: Int32
    public var stdout: Data
    public var stderr: String
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stderr.hasSuffix("\n") ? 1 : 0).map { $0 } }
}

/// What one run of the tool did.
public typealias CLIResult = ProcessResult

/// Runs a program with stdout and stderr going to files (so nothing can block on a
/// full pipe) and stdin closed; the working folder defaults to a fresh scratch folder.
public func runProcess(
    _ executable: URL, _ arguments: [String], environment: [String: String], in directory: URL? = nil,
    timeout: TimeInterval? = nil
) throws -> ProcessResult {
    let scratch = try Scratch("run")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    process.currentDirectoryURL = directory ?? scratch.url
    let out = scratch.url.appendingPathComponent("stdout"), err = scratch.url.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    if let timeout {
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
            if process.isRunning { kill(pid, SIGKILL) }
        }
    }
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return ProcessResult(
        status: process.terminationStatus, stdout: try Data(contentsOf: out),
        stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

/// Runs `/bin/sh -c script` (or another shell), `arguments` as `$1`…, in `directory`
/// (else the current one), with PATH and `environment` only.
public func runShell(
    _ script: String, shell: String = "/bin/sh", arguments: [String] = [], environment: [String: String] = [:],
    in directory: String? = nil
) throws -> ProcessResult {
    var env = ["PATH": "/usr/local/bin:/usr/bin:/bin"]
    for (key, value) in environment { env[key] = value }
    return try runProcess(
        URL(fileURLWithPath: shell), ["-c", script, "sh"] + arguments, environment: env,
        in: URL(fileURLWithPath: directory ?? FileManager.default.currentDirectoryPath))
}
