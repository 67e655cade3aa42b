import CoordMigrateModel
import CoordMigrateScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the system map is drawn from, beyond the facts the other phases decide: what each
/// program reads and writes, and the folders under `inbox/` with the messages each holds.
package struct SystemMapSources: Sendable {
    /// One program and the facts of it the map uses.
    package struct Program: Sendable {
        package var path: String
        package var facts: [CodeFact]
        /// The lines that call across a boundary or generate an id, a few of each.
        package var sites: [CodeFact] = []
        /// Whether the program is about messages or writes an event log (an event bus's events are its
        /// messages): its routes that carry messages are then the system's endpoints.
        package var aboutMessages: Bool
    }

    /// Programs with a fact the map uses, by path: the first ``SystemMapCollector/programLimit``.
    package var programs: [Program] = []
    /// Programs with such facts beyond the limit.
    package var programsLeftOut = 0
    /// Whether the root has `inbox/`.
    package var inboxExists = false
    /// The folders directly under `inbox/`, with the message files under each.
    package var inboxFolders: [String: Int] = [:]
    /// SQLite database files in the tree (outside tests and examples), by path: the first ``SystemMap/storeLimit``.
    package var databaseFiles: [String] = []
}

/// Collects what the map needs during the walk: each program's reads and writes (from
/// its code facts) and the folders under `inbox/`. What it keeps does not depend on the
/// order files arrive in: the programs with the least paths are kept.
final class SystemMapCollector: CodeFileConsumer {
    /// The most programs the map is drawn from; the map itself keeps fewer nodes.
    static let programLimit = 2000

    private var programs: [String: SystemMapSources.Program] = [:]
    private var relevant = 0
    private var inboxExists = false
    private var inboxFolders: [String: Int] = [:]
    private var databaseFiles: [String] = []

    /// The header every SQLite 3 database file starts with.
    static let sqliteHeader = Array("SQLite format 3\u{0}".utf8)

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        let ext = entry.extensionKey
        if entry.kind == .file, ext == FileExtension.db || ext == FileExtension.sqlite || ext == FileExtension.sqlite3, !CodeReader.isTest(entry) {
            // Only a real SQLite file: `.db` names other formats too. The first 16 bytes tell.
            if databaseFiles.count < 4 * SystemMap.storeLimit, entry.contentPrefix(limit: 16)?.starts(with: Self.sqliteHeader) == true {
                databaseFiles.append(entry.path)
            }
            return
        }
        if entry.depth == 1, entry.kind == .directory, entry.name == "inbox" {
            inboxExists = true
        } else if entry.depth == 2, entry.kind == .directory, entry.parentPath == "inbox" {
            inboxFolders[entry.name, default: 0] += 0
        } else if entry.depth >= 3, MessageFiles.isInboxMessage(entry) {
            // `inbox/<agent>/…`: the folder after `inbox/`, found in bytes; messages come a folder at a time.
            var path = entry.path
            path.withUTF8 { path in
                guard let slash = path[6...].firstIndex(of: UInt8(ascii: "/")) else { return }
                let agent = UnsafeBufferPointer(rebasing: path[6..<slash])
                if lastInboxCount > 0, lastInbox.count == agent.count, lastInbox.withUnsafeBufferPointer({ memcmp($0.baseAddress!, agent.baseAddress!, agent.count) == 0 }) {
                    lastInboxCount += 1
                } else {
                    flushInbox()
                    lastInbox = Array(agent)
                    lastInboxCount = 1
                }
            }
        }
    }

    /// The folder the last inbox message was in, and how many in a row were, not yet in ``inboxFolders``.
    private var lastInbox: [UInt8] = []
    private var lastInboxCount = 0

    private func flushInbox() {
        if lastInboxCount > 0 { inboxFolders[String(decoding: lastInbox, as: UTF8.self), default: 0] += lastInboxCount }
        lastInboxCount = 0
    }

    /// Whether a fact is one the map draws or a touch point names.
    static func isUsed(_ kind: CodeFact.Kind) -> Bool {
        switch kind {
        case .writesPerAgentPath, .appendsToLog, .writesMessageStore, .readsMessages, .readsLog, .insertsInto, .selectsFrom,
            .appendsThrough, .writesThrough,
            .servesRoute, .movesToLane, .callsNetwork, .retryLoop, .generatesID(.uuid), .generatesID(.uuidFragment),
            .generatesID(.digest), .generatesID(.digestFragment), .namesDatabaseFile, .namesHomePath:
            true
        default: false
        }
    }

    func take(_ file: CodeFile) {
        let used = file.facts.filter { Self.isUsed($0.kind) }
        guard !used.isEmpty else { return }
        relevant += 1
        programs[file.path] = SystemMapSources.Program(path: file.path, facts: used, sites: file.sites, aboutMessages: file.namesMessages)
        if programs.count > 2 * Self.programLimit { prune() }
    }

    private func prune() {
        dropCompiledTwins()
        let keep = Set(programs.keys.sorted().prefix(Self.programLimit))
        programs = programs.filter { keep.contains($0.key) }
    }

    /// JavaScript compiled next to its TypeScript source is the same program twice.
    private func dropCompiledTwins() {
        for path in programs.keys where [".js", ".mjs", ".cjs"].contains(where: path.hasSuffix) {
            let stem = path[..<(path.lastIndex(of: ".") ?? path.endIndex)]
            if programs[stem + ".ts"] != nil || programs[stem + ".mts"] != nil || programs[stem + ".tsx"] != nil {
                programs[path] = nil
                relevant -= 1
            }
        }
    }

    func collect(into inventory: inout WalkInventory) {
        flushInbox()
        prune()
        inventory.mapSources = SystemMapSources(
            programs: programs.values.sorted { $0.path < $1.path }, programsLeftOut: relevant - programs.count,
            inboxExists: inboxExists, inboxFolders: inboxFolders,
            databaseFiles: Array(databaseFiles.sorted().prefix(SystemMap.storeLimit)))
    }
}
