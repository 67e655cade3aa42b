public import CoordMigrateEmit
public import CoordMigrateModel
public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders reports in every format asked for and writes them as one set: every
/// format is rendered before anything is written, the files are written all or
/// nothing (``AtomicFile/writeAll(_:)``), standard output comes last.
public enum ReportWriter {
    /// Where one format's report goes.
    public enum Destination: Sendable, Equatable {
        /// The process's standard output.
        case standardOutput
        /// A file, replaced atomically.
        case file(URL)

        /// `stdout`, or the path as given.
        public var displayName: String {
            switch self {
            case .standardOutput: "stdout"
            case let .file(url): url.relativePath
            }
        }
    }

    /// One format: its emitter and where its report goes.
    public struct Output: Sendable {
        /// The emitter that renders this format.
        public var emitter: any ReportEmitter
        /// Where its report goes.
        public var destination: Destination

        /// One format and where its report goes.
        public init(emitter: any ReportEmitter, destination: Destination) {
            self.emitter = emitter
            self.destination = destination
        }
    }

    /// The outputs for `entries`: `output` names one file (or `-`), else each format
    /// goes to `outputDirectory` (default `.`) as `migration-plan.<ext>`. Every file's
    /// folder is checked writable before any work; `templates` are users' templates by
    /// format identifier.
    ///
    /// `templateFiles` names the file each template was read from, by format identifier:
    /// a template that does not parse is then reported as `file:line:column: message`.
    package static func destinations(
        for entries: [EmitterRegistry.Entry], output: String?, outputDirectory: String?, templates: [String: String?],
        templateFiles: [String: String] = [:]
    ) throws(RequestError) -> [Output] {
        let destinations: [Destination]
        if let output {
            guard entries.count == 1 else { throw RequestError(OutputError.severalFormatsForOneFile(count: entries.count)) }
            if outputDirectory != nil { throw RequestError(OutputError.fileAndFolder) }
            if output == "-" {
                destinations = [.standardOutput]
            } else {
                let url = URL(fileURLWithPath: output)
                try createFolder(url.deletingLastPathComponent().path, role: .outputFile)
                try checkWritable(url)
                destinations = [.file(url)]
            }
        } else {
            let folder = URL(fileURLWithPath: outputDirectory ?? ".")
            if let outputDirectory { try createFolder(outputDirectory, role: .outputFolder) }
            let urls = entries.map { folder.appendingPathComponent("migration-plan.\($0.fileExtension)") }
            for url in urls { try checkWritable(url) }
            destinations = urls.map { .file($0) }
        }
        var outputs: [Output] = []
        for (entry, destination) in zip(entries, destinations) {
            do {
                outputs.append(Output(emitter: try entry.make(templates[entry.identifier] ?? nil), destination: destination))
            } catch var error as TemplateSyntaxError {
                error.file = templateFiles[entry.identifier] ?? error.file
                throw RequestError("\(error.description) (the \(entry.identifier) template)")
            } catch {
                throw RequestError("\(entry.identifier): \(error)")
            }
        }
        return outputs
    }

    /// Why reports cannot go where they were asked to, in the library's terms; the
    /// command line names its own options for each case.
    public enum OutputError: Error, CustomStringConvertible, Sendable, Equatable {
        /// Which folder a problem is about.
        public enum Role: Sendable, Equatable {
            /// The folder of the one output file.
            case outputFile
            /// The folder that holds one report per format.
            case outputFolder
            /// The folder a portfolio writes each system's report to.
            case reportsFolder
        }

        /// One output file was named for this many formats.
        case severalFormatsForOneFile(count: Int)
        /// Both one output file and an output folder were named.
        case fileAndFolder
        /// A path that should be a folder exists and is something else.
        case notAFolder(path: String, role: Role)
        /// A missing folder could not be created.
        case cannotCreateFolder(path: String, role: Role, reason: String)
        /// The folder of an output file does not exist.
        case folderMissing(file: String, folder: String)
        /// An output file's name is a folder.
        case fileIsAFolder(file: String)
        /// Nothing can be written in an output file's folder.
        case notWritable(file: String, folder: String, reason: String)

        /// The problem in one line, with what to do.
        public var description: String {
            switch self {
            case let .severalFormatsForOneFile(count):
                "one output file was named but \(count) formats were asked for; name an output folder instead"
            case .fileAndFolder:
                "both an output file and an output folder were named; name one of them"
            case let .notAFolder(path, _):
                "\(path) exists and is not a folder; name a folder (or a file in one) that can hold the reports"
            case let .cannotCreateFolder(path, _, reason):
                "cannot create the folder \(path) (\(reason)); choose a folder you can write to"
            case let .folderMissing(file, folder):
                "cannot write \(file): the folder \(folder) does not exist; create it first"
            case let .fileIsAFolder(file):
                "cannot write \(file): it is a folder; name a file"
            case let .notWritable(file, folder, reason):
                "cannot write \(file): \(reason) in \(folder); choose a folder you can write to"
            }
        }
    }

    /// Creates a missing output folder (and its parents), as `mkdir -p` would; a path
    /// that exists and is no folder is refused.
    static func createFolder(_ path: String, role: OutputError.Role) throws(RequestError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw RequestError(OutputError.notAFolder(path: path, role: role)) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RequestError(
                OutputError.cannotCreateFolder(path: path, role: role, reason: (error as NSError).localizedDescription))
        }
    }

    /// Refuses, before any work, an output whose folder is missing or which is a folder.
    package static func checkWritable(_ url: URL) throws(RequestError) {
        var isDirectory: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RequestError(OutputError.folderMissing(file: url.relativePath, folder: folder))
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw RequestError(OutputError.fileIsAFolder(file: url.relativePath))
        }
        // Permissions, read-only mounts, /proc: only trying tells (access() says yes to root).
        // A signal between creating and removing the probe would leave it behind.
        let signals = HeldSignals()
        defer { signals.release() }
        var probe = Array((folder + "/.coord-migrate-probe.XXXXXX").utf8CString)
        let descriptor = probe.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw RequestError(
                OutputError.notWritable(file: url.relativePath, folder: folder, reason: String(cString: strerror(errno))))
        }
        close(descriptor)
        unlink(probe)
    }

    /// Renders every report in every output and writes the set; returns where each
    /// report went, in order. With several reports (one per discovered system), each
    /// file is named after its system: `migration-plan.<folder>.<ext>`, the names
    /// made unique. Standard output is written last, through `standardOutput`.
    @discardableResult
    public static func write(
        _ reports: [MigrationReport], to outputs: [Output],
        standardOutput: ((Data) throws -> Void)? = nil
    ) throws -> [Destination] {
        let standardOutput = standardOutput ?? { try StandardOutput.write($0) }
        var rendered: [(Destination, Data)] = []
        let slugs = reports.count > 1 ? SystemSlug.unique(reports.map { $0.detection.discovery?.chosen ?? "." }) : []
        for (index, report) in reports.enumerated() {
            for output in outputs {
                var target = output.destination
                if reports.count > 1, case let .file(url) = target {
                    let name = url.deletingPathExtension().lastPathComponent + "." + slugs[index] + "." + url.pathExtension
                    target = .file(url.deletingLastPathComponent().appendingPathComponent(name))
                }
                do {
                    rendered.append((target, try output.emitter.emit(report)))
                } catch {
                    throw RequestError("\(type(of: output.emitter).identifier): \(error)")
                }
            }
        }
        return try writeRendered(rendered, standardOutput: standardOutput)
    }

    /// Writes rendered reports: every file as one all-or-nothing set, then standard output
    /// through `standardOutput`; returns where each went, in order.
    static func writeRendered(
        _ rendered: [(Destination, Data)], standardOutput: (Data) throws -> Void
    ) throws -> [Destination] {
        do {
            try AtomicFile.writeAll(rendered.compactMap { destination, data in
                if case let .file(url) = destination { (data, url) } else { nil }
            })
        } catch {
            throw RequestError("\(error)")
        }
        for case (.standardOutput, let data) in rendered { try standardOutput(data) }
        return rendered.map(\.0)
    }

    /// Appends the job summary of each report (``GitHubEmitter/stepSummary(_:)``) to the
    /// file `GITHUB_STEP_SUMMARY` names in `environment`, when `formats` (identifiers)
    /// include `github` and the variable is set; returns the file, or nil when nothing
    /// was appended. The file is opened for appending and created if missing, never
    /// truncated: other steps' summaries stay. The path comes from the caller's
    /// environment, not from the analysed tree.
    @discardableResult
    package static func appendStepSummaries(
        _ reports: [MigrationReport], formats: [String], environment: [String: String]
    ) throws(RequestError) -> String? {
        guard formats.contains(GitHubEmitter.identifier),
            let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty
        else { return nil }
        // A blank line first: the file may end without one.
        let text = reports.map { "\n" + GitHubEmitter.stepSummary($0) }.joined()
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RequestError("cannot append the job summary to GITHUB_STEP_SUMMARY (\(path)): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw RequestError("cannot append the job summary to GITHUB_STEP_SUMMARY (\(path)): \(String(cString: strerror(errno)))")
            }
            bytes = bytes.dropFirst(written)
        }
        return path
    }
}

/// write(2), by a name `ReportWriter`'s members do not shadow.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
