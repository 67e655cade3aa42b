import CoordMigrateModel
import CoordMigrateScan
import Foundation
internal import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only session on a PostgreSQL server, through the system's libpq
/// (loaded when first needed, see ``LibPQ``).
///
/// libpq rather than PostgresNIO: it adds no Swift dependency (PostgresNIO
/// brings SwiftNIO, minutes of every CI build), and it gives the three safety
/// settings directly: `connect_timeout`, `statement_timeout` and a read-only
/// transaction. The session is made read-only twice over (the connection's
/// `default_transaction_read_only = on` and `BEGIN TRANSACTION READ ONLY`), is
/// checked with `SHOW transaction_read_only` before anything is read, and ends
/// with `ROLLBACK`. Every statement runs under a savepoint, so one failing
/// query (a timeout, a missing privilege) costs only its own number.
final class PostgresSession: DatabaseSession {
    private var connection: OpaquePointer?
    private var inTransaction = false
    private let pq: LibPQ
    private let statementTimeout: Int

    init(target: PostgresTarget, connectTimeout: Int, statementTimeout: Int) throws(DatabaseError) {
        self.statementTimeout = statementTimeout
        switch LibPQ.shared {
        case let .success(library): pq = library
        case let .failure(error): throw error
        }
        // Later keywords override earlier ones, including those a URI in dbname expands to:
        // the safety settings always win.
        let safety: [PostgresTarget.KeyValue] = [
            .init(key: "connect_timeout", value: "\(max(1, connectTimeout))"),
            .init(key: "application_name", value: "coord-migrate"),
            .init(key: "client_encoding", value: "UTF8"),
            .init(key: "options", value: "-c default_transaction_read_only=on -c statement_timeout=\(statementTimeout * 1000) -c lock_timeout=\(statementTimeout * 1000)"),
        ]
        // A server the analysed tree names gets no password file, and libpq reads none
        // of the caller's PG… variables but those --allow-env names.
        let isolation: [PostgresTarget.KeyValue] = target.fromTree ? [.init(key: "passfile", value: "/dev/null")] : []
        let parameters = target.parameters + isolation + safety
        let keys = parameters.map { strdup($0.key) } + [nil]
        let values = parameters.map { strdup($0.value) } + [nil]
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let connection = LibPQEnvironment.hiding(target.fromTree ? target.allowedVariables : nil) {
            keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { keyPointers in
                values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                    pq.connectdbParams(keyPointers.baseAddress, valuePointers.baseAddress, target.expandDBName ? 1 : 0)
                }
            }
        }
        self.connection = connection
        guard let connection else { throw DatabaseError(message: "could not connect: out of memory") }
        // Notices would go to stderr; the report carries what matters.
        _ = pq.setNoticeProcessor(connection, { _, _ in }, nil)
        guard pq.status(connection) == CONNECTION_OK else {
            let message = Self.oneLine(LibPQ.text(pq.errorMessage(connection)))
            close()
            throw DatabaseError(message: "could not connect: \(message)")
        }
        do throws(DatabaseError) {
            try command("SET default_transaction_read_only = on")
            try command("SET statement_timeout = \(statementTimeout * 1000)")
            try command("BEGIN TRANSACTION READ ONLY")
            inTransaction = true
            guard isReadOnly() else {
                throw DatabaseError(message: "the session did not become read-only; nothing was read")
            }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// Runs a statement that returns no rows, outside any savepoint.
    private func command(_ sql: String) throws(DatabaseError) {
        guard let connection else { throw DatabaseError(message: "the connection is closed") }
        let result = pq.exec(connection, sql)
        defer { pq.clear(result) }
        let status = pq.resultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw DatabaseError(message: Self.oneLine(LibPQ.text(pq.resultErrorMessage(result))))
        }
    }

    func rows(_ sql: String, _ parameters: [String]) throws(DatabaseError) -> [[String?]] {
        guard let connection else { throw DatabaseError(message: "the connection is closed") }
        if inTransaction { try command("SAVEPOINT coord_migrate_probe") }
        let copies = parameters.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let result = copies.map { UnsafePointer($0) }.withUnsafeBufferPointer { pointers in
            pq.execParams(connection, sql, Int32(parameters.count), nil, pointers.baseAddress, nil, nil, 0)
        }
        defer { pq.clear(result) }
        let status = pq.resultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let message = result.map { Self.oneLine(LibPQ.text(pq.resultErrorMessage($0))) } ?? "no result"
            if inTransaction { try? command("ROLLBACK TO SAVEPOINT coord_migrate_probe") }
            if message.contains("statement timeout") {
                throw DatabaseError(message: "the statement ran longer than \(statementTimeout) s and was stopped")
            }
            throw DatabaseError(message: message)
        }
        var out: [[String?]] = []
        let rowCount = pq.ntuples(result), columnCount = pq.nfields(result)
        for row in 0..<rowCount {
            out.append((0..<columnCount).map { column in
                pq.getisnull(result, row, column) == 1 ? nil : LibPQ.text(pq.getvalue(result, row, column))
            })
        }
        if inTransaction { try command("RELEASE SAVEPOINT coord_migrate_probe") }
        return out
    }

    /// Columns read for the examined tables at most; wider schemas are cut (a table
    /// is classified from the columns read).
    static let columnLimit = 20_000

    func tables(limit: Int) throws(DatabaseError) -> (tables: [TableSchema], total: Int) {
        let user = "table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'"
        let base = "FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND \(user)"
        let total = try rows("SELECT count(*) \(base)", []).first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
        let chosenSQL = "SELECT table_schema, table_name \(base) ORDER BY table_schema, table_name LIMIT \(limit)"
        let chosen = try rows(chosenSQL, []).map { ($0[0] ?? "", $0[1] ?? "") }
        var columns: [String: [ColumnSchema]] = [:]
        // Only the chosen tables' columns, and never more than the limit: a schema of
        // thousands of wide tables must not fill memory.
        for row in try rows("""
            SELECT c.table_schema, c.table_name, c.column_name, lower(c.data_type)
            FROM information_schema.columns c JOIN (\(chosenSQL)) t
              ON c.table_schema = t.table_schema AND c.table_name = t.table_name
            ORDER BY c.table_schema, c.table_name, c.ordinal_position LIMIT \(Self.columnLimit)
            """, []) {
            let key = "\(row[0] ?? "")\u{0}\(row[1] ?? "")"
            columns[key, default: []].append(ColumnSchema(name: row[2] ?? "", type: row[3] ?? ""))
        }
        let tables = chosen.map { schema, name in
            TableSchema(schema: schema, name: name, columns: columns["\(schema)\u{0}\(name)"] ?? [])
        }
        return (tables, total)
    }

    func bytes(of table: TableSchema) -> Int? {
        (try? rows("SELECT pg_total_relation_size($1::regclass)", [table.quoted]))?.first?.first.flatMap { $0.flatMap { Int($0) } }
    }

    func databaseBytes() -> Int? {
        (try? rows("SELECT pg_database_size(current_database())", []))?.first?.first.flatMap { $0.flatMap { Int($0) } }
    }

    func epochSeconds(_ column: ColumnSchema) -> String? {
        let c = DatabaseProbe.quoteIdentifier(column.name)
        switch column.type {
        case "timestamp with time zone", "timestamp without time zone", "date":
            return "extract(epoch FROM \(c))::float8"
        case "integer", "bigint", "smallint", "numeric", "double precision", "real":
            return "(CASE WHEN \(c) > 100000000000 THEN \(c)::float8 / 1000.0 ELSE \(c)::float8 END)"
        case "text", "character varying", "character":
            return "extract(epoch FROM \(c)::timestamptz)::float8"
        default:
            return nil
        }
    }

    func isReadOnly() -> Bool {
        (try? rows("SHOW transaction_read_only", []))?.first?.first == "on"
    }

    func close() {
        guard let connection else { return }
        if inTransaction {
            inTransaction = false
            try? command("ROLLBACK")
        }
        pq.finish(connection)
        self.connection = nil
    }
}

/// libpq fills every connection setting left empty from `PG…` environment
/// variables (PGPASSWORD among them) when it connects. For a server the analysed
/// tree names, those the user did not allow are taken out of the environment for
/// the moment of the connect and put back after it.
enum LibPQEnvironment {
    private static let lock = NSLock()

    /// Runs `connect` with every `PG…` variable not in `allowed` unset; nil: as it is.
    static func hiding<T>(_ allowed: Set<String>?, _ connect: () -> T) -> T {
        guard let allowed else { return connect() }
        return lock.withLock {
            let hidden = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("PG") && !allowed.contains($0.key) }
            for name in hidden.keys { unsetenv(name) }
            defer { for (name, value) in hidden { setenv(name, value, 1) } }
            return connect()
        }
    }
}
