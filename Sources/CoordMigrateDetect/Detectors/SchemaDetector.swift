import Foundation
package import CoordMigrateModel
import CoordMigrateScan

/// Tables the system's own code declares: `CREATE TABLE` statements in `.sql` files
/// and in the strings programs pass to their database (SQL run by `db.exec`, a
/// migration, a `sqlite3` call in a script), and the tables that code `INSERT`s into.
///
/// Real systems of 2025–26 often keep their mailbox in SQLite or PostgreSQL and
/// create it from code; in a checkout the database file is absent (gitignored), but
/// the schema is there. A declared table is classified the way a measured one is
/// (``DatabaseProbe/classify(_:)``): messages by name or by sender/recipient columns,
/// events by name or by event and time columns, and agents (a registry) by name.
final class SchemaDetector: InventoryCollector {
    static let fileLimit = 2000
    static let readLimit = 256 * 1024

    static func isSource(_ ext: Substring) -> Bool {
        switch ext {
        case "sql", "py", "js", "mjs", "cjs", "ts", "go", "sh", "bash", "rb": true
        default: false
        }
    }

    static let agentTables: Set<String> = ["agents", "agent", "agent_registry", "registered_agents", "agent_profiles"]
    static let agentColumns = ["role", "capabilities", "skills", "program", "model", "description", "address"]

    private var filesRead = 0
    private var declared: [String: (table: TableSchema, evidence: Evidence)] = [:]
    private var inserts: [String: Evidence] = [:]
    private var drivers: [String: Evidence] = [:]

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.kind == .file, filesRead < Self.fileLimit,
            Self.isSource(entry.fileExtension) || SourceCodeDetector.isScript(entry)
        else { return }
        filesRead += 1
        guard let bytes = entry.contentPrefix(limit: Self.readLimit) else { return }
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        for (table, line) in Self.createdTables(in: text) where declared[table.name] == nil {
            declared[table.name] = (table, Evidence(
                subject: .custom("schema"), kind: .code, path: entry.path, line: line,
                detail: "creates table \(table.name)"))
        }
        for (name, line) in Self.insertedTables(in: text) where inserts[name] == nil {
            inserts[name] = Evidence(subject: .custom("schema"), kind: .code, path: entry.path, line: line, detail: "inserts into \(name)")
        }
        if let (engine, line) = Self.driver(in: text), drivers[engine] == nil {
            drivers[engine] = Evidence(subject: .custom("schema"), kind: .code, path: entry.path, line: line, detail: "uses \(engine)")
        }
    }

    func collect(into inventory: inout WalkInventory) {
        var schema = DeclaredSchema()
        for name in declared.keys.sorted() {
            guard let (table, evidence) = declared[name] else { continue }
            if let (role, matchedBy) = DatabaseProbe.classify(table) {
                let item = DeclaredSchema.Table(name: name, matchedBy: matchedBy, evidence: evidence, insert: inserts[name])
                if role == .messages { schema.messageTables.append(item) } else { schema.eventTables.append(item) }
            } else if Self.agentTables.contains(name)
                || (name.contains("agent") && table.columns.contains { Self.agentColumns.contains($0.name) })
            {
                schema.agentTables.append(DeclaredSchema.Table(name: name, matchedBy: "name", evidence: evidence, insert: inserts[name]))
            }
        }
        schema.engine = drivers.keys.sorted().first
        schema.driverEvidence = drivers.values.sorted { ($0.path, $0.line ?? 0) < ($1.path, $1.line ?? 0) }.first
        inventory.declaredSchema = schema
    }

    /// `CREATE TABLE [IF NOT EXISTS] name (columns…)`, with the line it starts on.
    static func createdTables(in text: String) -> [(TableSchema, Int)] {
        var found: [(TableSchema, Int)] = []
        var lines = LineCounter(text)
        var search = text.startIndex
        while let match = text.range(of: "create table", range: search..<text.endIndex) {
            search = match.upperBound
            var rest = text[match.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
            if rest.hasPrefix("if not exists") {
                rest = rest.dropFirst("if not exists".count).drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            }
            guard let name = identifier(&rest), let open = rest.firstIndex(of: "("),
                rest[rest.startIndex..<open].allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            else { continue }
            var depth = 0
            var columns: [ColumnSchema] = []
            var current = ""
            var index = open
            while index < rest.endIndex {
                let character = rest[index]
                if character == "(" {
                    depth += 1
                    if depth > 1 { current.append(character) }
                } else if character == ")" {
                    depth -= 1
                    if depth == 0 { break }
                    current.append(character)
                } else if character == ",", depth == 1 {
                    columns += column(current)
                    current = ""
                } else {
                    current.append(character)
                }
                index = rest.index(after: index)
                if rest.distance(from: open, to: index) > 8000 { break }
            }
            columns += column(current)
            let line = lines.line(at: match.lowerBound)
            found.append((TableSchema(schema: nil, name: name, columns: columns), line))
        }
        return found
    }

    /// `INSERT [OR …] INTO name`, with the line.
    static func insertedTables(in text: String) -> [(String, Int)] {
        var found: [(String, Int)] = []
        var lines = LineCounter(text)
        var search = text.startIndex
        while let match = text.range(of: "insert ", range: search..<text.endIndex) {
            search = match.upperBound
            guard let into = text.range(of: "into ", range: match.upperBound..<text.endIndex),
                text.distance(from: match.upperBound, to: into.lowerBound) <= 20
            else { continue }
            var rest = text[into.upperBound...].drop { $0 == " " }
            guard let name = identifier(&rest) else { continue }
            found.append((name, lines.line(at: match.lowerBound)))
        }
        return found
    }

    /// The database a program drives, from its driver or client.
    static func driver(in text: String) -> (String, Int)? {
        let markers: [(String, String)] = [
            ("better-sqlite3", "sqlite"), ("node:sqlite", "sqlite"), ("mattn/go-sqlite3", "sqlite"),
            ("modernc.org/sqlite", "sqlite"), ("import sqlite3", "sqlite"), ("sqlite3 ", "sqlite"), ("aiosqlite", "sqlite"),
            ("psycopg", "postgresql"), ("asyncpg", "postgresql"), ("jackc/pgx", "postgresql"), ("lib/pq", "postgresql"),
            ("from 'pg'", "postgresql"), ("from \"pg\"", "postgresql"), ("require('pg')", "postgresql"),
            ("gorm.io/driver/postgres", "postgresql"), ("gorm.io/driver/sqlite", "sqlite"),
        ]
        var best: (String, Int, String.Index)?
        for (marker, engine) in markers {
            guard let range = text.range(of: marker) else { continue }
            if best == nil || range.lowerBound < best!.2 { best = (engine, 0, range.lowerBound) }
        }
        guard let best else { return nil }
        var lines = LineCounter(text)
        return (best.0, lines.line(at: best.2))
    }

    /// A table name: plain, quoted, `schema.name` (the name part), at most 64 characters.
    private static func identifier(_ rest: inout Substring) -> String? {
        let quotes: Set<Character> = ["\"", "`", "[", "]", "'"]
        var name = ""
        var index = rest.startIndex
        while index < rest.endIndex, name.count <= 64 {
            let character = rest[index]
            if character.isLetter || character.isNumber || character == "_" || character == "." || quotes.contains(character) {
                if !quotes.contains(character) { name.append(character) }
            } else {
                break
            }
            index = rest.index(after: index)
        }
        rest = rest[index...]
        if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
        guard !name.isEmpty, name.first!.isLetter || name.first == "_", name.count <= 64 else { return nil }
        return name
    }

    /// The column a definition names; table constraints (`primary key (…)`, `foreign key`, …) name none.
    private static func column(_ definition: String) -> [ColumnSchema] {
        let words = definition.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard let first = words.first else { return [] }
        let name = first.filter { !"\"`[]'".contains($0) }
        if ["primary", "foreign", "unique", "constraint", "check", "index", "key"].contains(name) { return [] }
        let type = words.count > 1 ? String(words[1]) : ""
        return name.isEmpty ? [] : [ColumnSchema(name: String(name), type: type)]
    }
}

/// 1-based line numbers of positions in a text, asked in increasing order: each
/// call counts only the newlines since the previous one, so a file with many
/// statements is read once, not once per statement.
struct LineCounter {
    private let text: String
    private var position: String.Index
    private var line = 1

    init(_ text: String) {
        self.text = text
        position = text.startIndex
    }

    mutating func line(at index: String.Index) -> Int {
        if index < position {
            position = text.startIndex
            line = 1
        }
        line += text[position..<index].reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        position = index
        return line
    }
}

/// The tables the system's code declares, by role (see ``SchemaDetector``).
package struct DeclaredSchema: Sendable {
    package struct Table: Sendable {
        package var name: String
        package var matchedBy: String
        /// Where the table is created.
        package var evidence: Evidence
        /// Where code inserts into it, if anywhere.
        package var insert: Evidence?
    }

    package var messageTables: [Table] = []
    package var eventTables: [Table] = []
    package var agentTables: [Table] = []
    /// The engine the code's driver names (`sqlite`, `postgresql`), if one does.
    package var engine: String?
    package var driverEvidence: Evidence?
}
