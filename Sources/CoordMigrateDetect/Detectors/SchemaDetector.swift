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
final class SchemaDetector: CodeFileConsumer {
    static let agentTables: Set<String> = ["agents", "agent", "agent_registry", "registered_agents", "agent_profiles"]
    static let agentColumns = ["role", "capabilities", "skills", "program", "model", "description", "address"]
    /// At most this many distinct table names are kept, however many programs declare tables.
    static let tableLimit = 1000

    private var declared: [String: (table: TableSchema, evidence: Evidence)] = [:]
    private var inserts: [String: Evidence] = [:]
    private var drivers: [String: Evidence] = [:]

    /// Files arrive in any order: for each name the first place by path is kept.
    func take(_ file: CodeFile) {
        func earlier(_ path: String, than existing: Evidence?) -> Bool { existing.map { path < $0.path } ?? true }
        for (table, line) in file.tables where earlier(file.path, than: declared[table.name]?.evidence) {
            guard declared[table.name] != nil || declared.count < Self.tableLimit else { continue }
            declared[table.name] = (table, Evidence(
                subject: .custom("schema"), kind: .code, path: file.path, line: line,
                detail: "creates table \(table.name)"))
        }
        for fact in file.facts {
            switch fact.kind {
            case .insertsInto(let name) where earlier(file.path, than: inserts[name]):
                guard inserts[name] != nil || inserts.count < Self.tableLimit else { continue }
                inserts[name] = Evidence(subject: .custom("schema"), kind: .code, path: file.path, line: fact.line, detail: "inserts into \(name)")
            case .usesDriver(let engine) where earlier(file.path, than: drivers[engine]):
                drivers[engine] = Evidence(subject: .custom("schema"), kind: .code, path: file.path, line: fact.line, detail: "uses \(engine)")
            default: break
            }
        }
    }

    func collect(into inventory: inout WalkInventory) {
        var schema = DeclaredSchema()
        for name in declared.keys.sorted() {
            guard let (table, evidence) = declared[name] else { continue }
            if let (role, matchedBy) = DatabaseProbe.classify(table) {
                var item = DeclaredSchema.Table(name: name, matchedBy: matchedBy, evidence: evidence, insert: inserts[name])
                item.columns = table.columns.map(\.name)
                if role == .messages { schema.messageTables.append(item) } else { schema.eventTables.append(item) }
            } else if Self.agentTables.contains(name)
                || ((name.contains("agent") || name.contains("participant") || name.contains("worker"))
                    && table.columns.contains { Self.agentColumns.contains($0.name) })
            {
                schema.agentTables.append(DeclaredSchema.Table(name: name, matchedBy: "name", evidence: evidence, insert: inserts[name]))
            }
        }
        schema.engine = drivers.keys.sorted().first
        schema.driverEvidence = drivers.values.sorted { ($0.path, $0.line ?? 0) < ($1.path, $1.line ?? 0) }.first
        inventory.declaredSchema = schema
    }
}

/// Reads SQL statements out of a lexed program's text (lower-case, comments blanked).
enum SchemaReader {
    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// The table a `CREATE TABLE [IF NOT EXISTS] name (columns…)` at `offset` declares.
    static func table(in text: [UInt8], at offset: Int) -> TableSchema? {
        var index = offset + "create table".utf8.count
        func skipBlanks() { while index < text.count, isBlank(text[index]) { index += 1 } }
        skipBlanks()
        if starts(text, at: index, with: "if not exists") {
            index += "if not exists".utf8.count
            skipBlanks()
        }
        guard let name = identifier(text, &index) else { return nil }
        skipBlanks()
        guard index < text.count, text[index] == UInt8(ascii: "(") else { return nil }
        let open = index
        var depth = 0
        var columns: [ColumnSchema] = []
        var current: [UInt8] = []
        while index < text.count, index - open <= 8000 {
            let byte = text[index]
            if byte == UInt8(ascii: "(") {
                depth += 1
                if depth > 1 { current.append(byte) }
            } else if byte == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { break }
                current.append(byte)
            } else if byte == UInt8(ascii: ","), depth == 1 {
                columns += column(current)
                current = []
            } else {
                current.append(byte)
            }
            index += 1
        }
        columns += column(current)
        return TableSchema(schema: nil, name: name, columns: columns)
    }

    /// The table an `INSERT [OR …] INTO name` at `offset` writes to.
    static func insertedTable(in text: [UInt8], at offset: Int) -> String? {
        let from = offset + "insert ".utf8.count
        let limit = min(text.count, from + 25)
        var index = from
        while index + 5 <= limit {
            if starts(text, at: index, with: "into "), index - from <= 20 {
                var at = index + 5
                while at < text.count, text[at] == 0x20 { at += 1 }
                return identifier(text, &at)
            }
            index += 1
        }
        return nil
    }

    private static func starts(_ text: [UInt8], at index: Int, with word: String) -> Bool {
        let bytes = Array(word.utf8)
        return index + bytes.count <= text.count && text[index..<(index + bytes.count)].elementsEqual(bytes)
    }

    /// A table name: plain, quoted, `schema.name` (the name part), at most 64 characters.
    private static func identifier(_ text: [UInt8], _ index: inout Int) -> String? {
        let quotes: Set<UInt8> = Set("\"`[]'".utf8)
        var name: [UInt8] = []
        while index < text.count, name.count <= 64 {
            let byte = text[index]
            let word = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2E || byte >= 0x80
            if word { name.append(byte) } else if !quotes.contains(byte) { break }
            index += 1
        }
        if let dot = name.lastIndex(of: 0x2E) { name = Array(name[(dot + 1)...]) }
        guard let first = name.first, (first >= 0x61 && first <= 0x7A) || first == 0x5F || first >= 0x80, name.count <= 64 else {
            return nil
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// The column a definition names; table constraints (`primary key (…)`, `foreign key`, …) name none.
    private static func column(_ definition: [UInt8]) -> [ColumnSchema] {
        let words = definition.split(whereSeparator: isBlank)
        guard let first = words.first else { return [] }
        let name = String(decoding: first.filter { !"\"`[]'".utf8.contains($0) }, as: UTF8.self)
        if ["primary", "foreign", "unique", "constraint", "check", "index", "key"].contains(name) { return [] }
        let type = words.count > 1 ? String(decoding: words[1], as: UTF8.self) : ""
        return name.isEmpty ? [] : [ColumnSchema(name: name, type: type)]
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
        /// The columns `CREATE TABLE` declares, in order.
        package var columns: [String] = []
    }

    package var messageTables: [Table] = []
    package var eventTables: [Table] = []
    package var agentTables: [Table] = []
    /// The engine the code's driver names (`sqlite`, `postgresql`), if one does.
    package var engine: String?
    package var driverEvidence: Evidence?
}

extension SchemaReader {
    /// The table a `SELECT … FROM name` reads, looked for in the 400 bytes after `select `:
    /// the first `from` that stands as a word.
    static func selectedTable(in text: [UInt8], at offset: Int) -> String? {
        let from = offset + "select ".utf8.count
        let limit = min(text.count, from + 400)
        var index = from
        let word = Array("from".utf8)
        while index + 5 <= limit {
            if text[index] == word[0], text[index..<(index + 4)].elementsEqual(word),
                !SourceLine.isWord(text[index - 1]), index + 4 < text.count, text[index + 4] == 0x20 || text[index + 4] == 0x0A || text[index + 4] == 0x09
            {
                var at = index + 4
                while at < text.count, text[at] == 0x20 || text[at] == 0x0A || text[at] == 0x09 { at += 1 }
                guard let name = identifier(text, &at), name.first?.isLetter == true else { return nil }
                return name
            }
            index += 1
        }
        return nil
    }

    /// What a `SELECT` at `offset` does with the rows it reads: counts them (`select count(`),
    /// takes the next ones (an `order by` or `limit` before the statement's string ends), or reads them.
    static func selectUse(in text: [UInt8], at offset: Int) -> SelectUse {
        var index = offset + "select ".utf8.count
        while index < text.count, isBlank(text[index]) { index += 1 }
        if starts(text, at: index, with: "count(") || starts(text, at: index, with: "count (") { return .counts }
        let limit = min(text.count, index + 400)
        while index < limit {
            let byte = text[index]
            if byte == 0x22 || byte == 0x27 || byte == 0x60 || byte == 0x3B { break }
            if byte == 0x6F, starts(text, at: index, with: "order by"), !SourceLine.isWord(text[index - 1]) { return .takesNext }
            if byte == 0x6C, starts(text, at: index, with: "limit"), !SourceLine.isWord(text[index - 1]),
                index + 5 < text.count, !SourceLine.isWord(text[index + 5])
            {
                return .takesNext
            }
            index += 1
        }
        return .reads
    }
}

/// What a `SELECT` does with the rows it reads.
package enum SelectUse: Sendable, Hashable {
    /// Reads rows (by id, by a filter).
    case reads
    /// Takes the next rows in an order or up to a limit: the query a consumer polls with.
    case takesNext
    /// Counts them.
    case counts
}
