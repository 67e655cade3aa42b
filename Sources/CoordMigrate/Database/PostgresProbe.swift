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
        let parameters = target.parameters + safety
        let keys = parameters.map { strdup($0.key) } + [nil]
        let values = parameters.map { strdup($0.value) } + [nil]
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let connection = keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { keyPointers in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                pq.connectdbParams(keyPointers.baseAddress, valuePointers.baseAddress, 1)
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

    func tables(limit: Int) throws(DatabaseError) -> (tables: [TableSchema], total: Int) {
        let user = "table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'"
        let listed = try rows("""
            SELECT table_schema, table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND \(user) ORDER BY table_schema, table_name
            """, [])
        let chosen = listed.prefix(limit).map { ($0[0] ?? "", $0[1] ?? "") }
        let wanted = Set(chosen.map { "\($0.0)\u{0}\($0.1)" })
        var columns: [String: [ColumnSchema]] = [:]
        for row in try rows("""
            SELECT table_schema, table_name, column_name, lower(data_type) FROM information_schema.columns
            WHERE \(user) ORDER BY table_schema, table_name, ordinal_position
            """, []) {
            let key = "\(row[0] ?? "")\u{0}\(row[1] ?? "")"
            guard wanted.contains(key) else { continue }
            columns[key, default: []].append(ColumnSchema(name: row[2] ?? "", type: row[3] ?? ""))
        }
        let tables = chosen.map { schema, name in
            TableSchema(schema: schema, name: name, columns: columns["\(schema)\u{0}\(name)"] ?? [])
        }
        return (tables, listed.count)
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
