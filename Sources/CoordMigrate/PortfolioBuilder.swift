package import CoordMigrateModel
import CoordMigrateAnalysis
import CoordMigrateEmit
import CoordMigrateSettings
package import Foundation

/// Gathers many systems into one ``PortfolioReport``: from saved JSON reports, or by
/// analysing a list of folders (in parallel, keeping only each system's summary), a
/// stable shard of the list at a time when CI spreads the work over several jobs.
package enum PortfolioBuilder {
    /// Lists of paths (`--paths-from`, `-` on stdin): 16 MiB.
    package static let listLimit = 16 << 20

    /// One of `count` parts of a list of paths; a path's part depends on the path's
    /// text alone (``stableHash(_:)``), so no path moves when others are added.
    package struct Shard: Sendable, Equatable {
        /// 1 … ``count``.
        package var index: Int
        /// How many parts the list is cut into.
        package var count: Int

        /// Reads `i/n`, with 1 ≤ i ≤ n ≤ 10000.
        package init(parsing text: String) throws(RequestError) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, count <= 10_000,
                index >= 1, index <= count
            else {
                throw RequestError("'\(text)' is not i/n with 1 ≤ i ≤ n ≤ 10000; write it like 2/4")
            }
            self.index = index
            self.count = count
        }

        /// True when `path` (as the list writes it) falls in this shard.
        package func contains(_ path: String) -> Bool {
            Int(stableHash(path) % UInt64(count)) == index - 1
        }
    }

    /// FNV-1a (64 bits) of the UTF-8 bytes: the same on every machine and in every run,
    /// unlike Swift's seeded `Hasher`.
    package static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The paths of a list: one a line, blank lines and lines starting with `#` left
    /// out, a trailing carriage return dropped, each path once in first-seen order.
    package static func paths(inList text: String) -> [String] {
        var seen = Set<String>()
        var paths: [String] = []
        // By bytes: "\r\n" is one Character, which a split on "\n" would not cut.
        for line in text.utf8.split(separator: 0x0A) {
            let bytes = line.last == 0x0D ? line.dropLast() : line[...]
            let path = String(decoding: bytes, as: UTF8.self)
            if path.trimmingCharacters(in: .whitespaces).isEmpty || path.hasPrefix("#") { continue }
            if seen.insert(path).inserted { paths.append(path) }
        }
        return paths
    }

    /// A list file's paths (``paths(inList:)``), read with the list limit.
    package static func readList(_ file: String, flag: String) throws(RequestError) -> [String] {
        do {
            return paths(inList: try InputFile.readText(file, limit: listLimit))
        } catch {
            throw RequestError("\(flag): cannot read \(error.path): \(error.reason); pass a text file with one path a line")
        }
    }

    /// The report files `inputs` name: files as given, folders searched (links not
    /// followed) for `*.json`, in byte order of their paths.
    package static func reportFiles(_ inputs: [String]) throws(RequestError) -> [String] {
        var files: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw RequestError("cannot read \(input): no such file or folder; pass JSON reports or folders of them")
            }
            guard isDirectory.boolValue else {
                files.append(input)
                continue
            }
            guard let walker = FileManager.default.enumerator(atPath: input) else {
                throw RequestError("cannot read the folder \(input); check its permissions")
            }
            var found: [String] = []
            for case let relative as String in walker where relative.hasSuffix(".json") {
                let path = (input as NSString).appendingPathComponent(relative)
                var status = stat()
                if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG { found.append(path) }
            }
            files += found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
        // The same file named twice (a folder and a file in it) is read once.
        var seen = Set<String>()
        return files.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }

    /// The summary of each report file, read (at most ``InputFile/reportLimit`` bytes
    /// each) on `jobs` threads; only the summaries are kept.
    package static func summaries(ofReports files: [String], jobs: Int) throws(RequestError) -> [PortfolioSystem] {
        try parallelMap(files, jobs: jobs) { (file: String) throws(RequestError) -> PortfolioSystem in
            let data: Data
            do throws(InputFile.ReadError) { data = try InputFile.read(file, limit: InputFile.reportLimit) } catch {
                throw RequestError("cannot read \(error.path): \(error.reason); pass JSON reports (the json format)")
            }
            do throws(MigrationReport.DecodingError) {
                return PortfolioRollup.summary(of: try MigrationReport.decode(data))
            } catch {
                if (try? PortfolioReport.decode(data)) != nil {
                    throw RequestError("\(file): a portfolio, not a system's report; pass the systems' JSON reports (keep the portfolio out of their folder)")
                }
                throw RequestError("\(file): \(error.description)")
            }
        }
    }

    /// Analyses each folder as `coord-migrate analyze DIR --format json` would (its
    /// `.coord-migrate.yaml` read), `jobs` at a time; writes each
    /// report to `reportsDirectory` (when given) as it is done and keeps only its
    /// summary. Every folder is checked before the first is analysed.
    ///
    /// `settings` carries what every analysis shares (`now`, `excludes`, `policyFile`,
    /// `rulesFile`, `noDatabase`, …); its path, formats and outputs are replaced.
    package static func analyse(
        _ paths: [String], settings: AnalysisRequest = AnalysisRequest(), environment: [String: String], jobs: Int,
        reportsDirectory: String?, done: (@Sendable (Int) -> Void)? = nil
    ) throws(RequestError) -> [PortfolioSystem] {
        var requests: [AnalysisRequest.Resolved] = []
        requests.reserveCapacity(paths.count)
        for path in paths {
            var request = settings
            request.path = path
            request.formats = ["json"]
            request.output = "-"
            request.outputDirectory = nil
            request.discover = false
            do { requests.append(try request.resolve(environment: environment)) } catch {
                throw RequestError("\(path): \(error.description)")
            }
        }
        if let reportsDirectory { try ReportWriter.createFolder(reportsDirectory, role: .reportsFolder) }
        let emitter = JSONEmitter()
        let counter = Counter()
        return try parallelMap(Array(zip(paths, requests)), jobs: jobs) { (item: (String, AnalysisRequest.Resolved)) throws(RequestError) -> PortfolioSystem in
            let (path, resolved) = item
            let report: MigrationReport
            do {
                report = try MigrationAssistant(path: path, options: resolved.options).analyze()
            } catch {
                throw RequestError("\(path): \(error)")
            }
            if let reportsDirectory {
                let name = String(format: "%016llx", stableHash(report.targetPath)) + ".json"
                let url = URL(fileURLWithPath: reportsDirectory).appendingPathComponent(name)
                do { try AtomicFile.write(try emitter.emit(report), to: url) } catch {
                    throw RequestError("cannot write \(url.path): \(error)")
                }
            }
            done?(counter.next())
            return PortfolioRollup.summary(of: report)
        }
    }

    /// The rollup of `systems`; two summaries of one system are refused.
    package static func rollUp(_ systems: [PortfolioSystem]) throws(RequestError) -> PortfolioReport {
        do { return try PortfolioRollup.rollUp(systems) } catch { throw RequestError(error.description) }
    }

    /// Where each format goes: `output` (one format; `-` for stdout), else
    /// `portfolio.<ext>` in `outputDirectory` (default `.`); checked writable first.
    package static func destinations(
        formats: [String], output: String?, outputDirectory: String?
    ) throws(RequestError) -> [(format: String, destination: ReportWriter.Destination)] {
        var names: [String] = []
        for name in formats.flatMap({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }) {
            let identifier = name == "markdown" ? "md" : name
            guard PortfolioEmitter.formats.contains(where: { $0.identifier == identifier }) else {
                throw RequestError("unknown portfolio format '\(name)'; choose from md, html, json")
            }
            if !names.contains(identifier) { names.append(identifier) }
        }
        if names.isEmpty {
            let ext = output.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
            names = [["html", "json"].contains(ext) ? ext : "md"]
        }
        if let output {
            guard names.count == 1 else { throw RequestError(ReportWriter.OutputError.severalFormatsForOneFile(count: names.count)) }
            if outputDirectory != nil { throw RequestError(ReportWriter.OutputError.fileAndFolder) }
            if output == "-" { return [(names[0], .standardOutput)] }
            let url = URL(fileURLWithPath: output)
            try ReportWriter.createFolder(url.deletingLastPathComponent().path, role: .outputFile)
            try ReportWriter.checkWritable(url)
            return [(names[0], .file(url))]
        }
        if let outputDirectory { try ReportWriter.createFolder(outputDirectory, role: .outputFolder) }
        let folder = URL(fileURLWithPath: outputDirectory ?? ".")
        var result: [(String, ReportWriter.Destination)] = []
        for name in names {
            let url = folder.appendingPathComponent("portfolio.\(name)")
            try ReportWriter.checkWritable(url)
            result.append((name, .file(url)))
        }
        return result
    }

    /// Renders the portfolio in every format, writes the files all or nothing, then
    /// standard output.
    package static func write(
        _ portfolio: PortfolioReport, to destinations: [(format: String, destination: ReportWriter.Destination)],
        standardOutput: (Data) throws -> Void
    ) throws -> [ReportWriter.Destination] {
        var rendered: [(ReportWriter.Destination, Data)] = []
        for (format, destination) in destinations {
            guard let data = try PortfolioEmitter.emit(portfolio, format: format) else {
                throw RequestError("unknown portfolio format '\(format)'")
            }
            rendered.append((destination, data))
        }
        return try ReportWriter.writeRendered(rendered, standardOutput: standardOutput)
    }

    /// `transform` of each item on `jobs` threads, results in the items' order; the
    /// first error (by item order) is thrown once every thread has stopped.
    static func parallelMap<Item: Sendable, Result: Sendable>(
        _ items: [Item], jobs: Int, _ transform: @escaping @Sendable (Item) throws(RequestError) -> Result
    ) throws(RequestError) -> [Result] {
        let state = MapState<Result>(count: items.count)
        let threads = max(1, min(jobs, items.count))
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while let index = state.take() {
                    do throws(RequestError) {
                        let value = try transform(items[index])
                        state.store(value, at: index)
                    } catch {
                        state.fail(error, at: index)
                    }
                }
            }
            // An analysis walks trees and parses files: the main thread's stack size, not a
            // secondary thread's default.
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return try state.results()
    }
}

/// The shared state of one ``PortfolioBuilder/parallelMap(_:jobs:_:)``.
private final class MapState<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    private var values: [Result?]
    private var error: (index: Int, error: RequestError)?

    init(count: Int) {
        self.count = count
        values = Array(repeating: nil, count: count)
    }

    /// The next item's index, or nil when all are taken or one failed.
    func take() -> Int? {
        lock.withLock {
            guard error == nil, next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func store(_ value: Result, at index: Int) { lock.withLock { values[index] = value } }

    func fail(_ error: RequestError, at index: Int) {
        lock.withLock {
            if self.error == nil || index < self.error!.index { self.error = (index, error) }
        }
    }

    func results() throws(RequestError) -> [Result] {
        let (values, error) = lock.withLock { (self.values, self.error) }
        if let error { throw error.error }
        return values.map { $0! }
    }
}

/// Counts finished items across threads.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
