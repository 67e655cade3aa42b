import Foundation
internal import CSQLite

#if canImport(Glibc)
import Glibc
private let closeDescriptor = Glibc.close
#elseif canImport(Darwin)
import Darwin
private let closeDescriptor = Darwin.close
#endif

/// A read-only session on an SQLite file, through the system's libsqlite3.
///
/// The file is never created and nothing is ever written, not even beside it:
/// it is opened with `SQLITE_OPEN_READONLY` through a `file:` URI with `mode=ro`,
/// or `immutable=1` for a WAL database that has no `-wal` file (a read-only open
/// would create the `-shm` and `-wal` files otherwise), `PRAGMA query_only` is
/// set, and all reads happen in one transaction that is rolled back. Each
/// statement is interrupted after the statement timeout.
final class SQLiteSession: DatabaseSession {
    private var db: OpaquePointer?
    private let deadline: Deadline
    /// Whether the file was opened immutable (no locking, WAL not read).
    let immutable: Bool

    final class Deadline {
        var limit: TimeInterval
        var end = Date.distantFuture
        init(_ limit: TimeInterval) { self.limit = limit }
    }

    /// Opens `path` read-only. `followSymlinks` is false for paths taken from the
    /// analysed tree, which never follows symbolic links.
    init(path: String, followSymlinks: Bool, busyTimeout: Int, statementTimeout: Int) throws(DatabaseError) {
        deadline = Deadline(TimeInterval(statementTimeout))
        var info = stat()
        let found = followSymlinks ? stat(path, &info) : lstat(path, &info)
        guard found == 0 else {
            throw DatabaseError(message: errno == ENOENT ? "no such file" : "cannot read the file (\(String(cString: strerror(errno))))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: throw DatabaseError(message: "the path is a symbolic link, which is not followed")
        default: throw DatabaseError(message: "not a regular file")
        }
        let header = Self.header(path, followSymlinks: followSymlinks)
        guard header.count >= 20, Array(header.prefix(16)) == Array("SQLite format 3\0".utf8) else {
            throw DatabaseError(message: "not an SQLite database (the file does not start with the SQLite header)")
        }
        // Bytes 18 and 19 are the write and read format versions: 2 means WAL.
        let wal = header[18] == 2 || header[19] == 2
        let walFile = FileManager.default.fileExists(atPath: path + "-wal")
        let shmFile = FileManager.default.fileExists(atPath: path + "-shm")
        immutable = wal && !(walFile && shmFile)
        let uri = "file:" + Self.uriPath(path) + (immutable ? "?immutable=1" : "?mode=ro")
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(uri, &handle, flags, nil)
        db = handle
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            close()
            throw DatabaseError(message: "cannot open: \(message)")
        }
        sqlite3_busy_timeout(handle, Int32(busyTimeout * 1000))
        sqlite3_progress_handler(handle, 1000, { context in
            guard let context else { return 0 }
            let deadline = Unmanaged<Deadline>.fromOpaque(context).takeUnretainedValue()
            return Date() > deadline.end ? 1 : 0
        }, Unmanaged.passUnretained(deadline).toOpaque())
        do throws(DatabaseError) {
            // Belt and braces: the connection is already read-only.
            _ = try rows("PRAGMA query_only = ON", [])
            _ = try rows("PRAGMA trusted_schema = OFF", [])
            guard sqlite3_db_readonly(handle, "main") == 1 else {
                throw DatabaseError(message: "the connection is not read-only; nothing was read")
            }
            // One read transaction: every number comes from the same snapshot.
            _ = try rows("BEGIN", [])
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    private static func header(_ path: String, followSymlinks: Bool) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followSymlinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return [] }
        defer { _ = closeDescriptor(fd) }
        var buffer = [UInt8](repeating: 0, count: 100)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 100) }
        return count > 0 ? Array(buffer.prefix(count)) : []
    }

    /// The path for a `file:` URI: `?`, `#` and `%` (and anything not printable ASCII) percent-encoded.
    static func uriPath(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "%"), 0...0x20, 0x7F...0xFF:
                out += String(format: "%%%02X", byte)
            default:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    func rows(_ sql: String, _ parameters: [String]) throws(DatabaseError) -> [[String?]] {
        guard let db else { throw DatabaseError(message: "the connection is closed") }
        deadline.end = Date().addingTimeInterval(deadline.limit)
        defer { deadline.end = .distantFuture }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw DatabaseError(message: String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_stmt_readonly(statement) != 0 || sql.hasPrefix("PRAGMA") || sql == "BEGIN" || sql == "ROLLBACK" else {
            throw DatabaseError(message: "refused a statement that could write")
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, parameter) in parameters.enumerated() {
            sqlite3_bind_text(statement, Int32(index + 1), parameter, -1, transient)
        }
        var result: [[String?]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                if step == SQLITE_INTERRUPT {
                    throw DatabaseError(message: "the statement ran longer than \(Int(deadline.limit)) s and was stopped")
                }
                throw DatabaseError(message: String(cString: sqlite3_errmsg(db)))
            }
            let columns = sqlite3_column_count(statement)
            result.append((0..<columns).map { column in
                sqlite3_column_text(statement, column).map { String(cString: $0) }
            })
        }
        return result
    }

    func tables(limit: Int) throws(DatabaseError) -> (tables: [TableSchema], total: Int) {
        let filter = "type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%'"
        let total = try rows("SELECT count(*) FROM sqlite_master WHERE \(filter)", []).first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
        let names = try rows("SELECT name FROM sqlite_master WHERE \(filter) ORDER BY name LIMIT \(limit)", []).compactMap { $0.first ?? nil }
        var tables: [TableSchema] = []
        for name in names {
            let columns = try rows("SELECT name, lower(type) FROM pragma_table_info(?)", [name]).map {
                ColumnSchema(name: $0[0] ?? "", type: $0.count > 1 ? ($0[1] ?? "") : "")
            }
            tables.append(TableSchema(schema: nil, name: name, columns: columns))
        }
        return (tables, total)
    }

    func bytes(of table: TableSchema) -> Int? {
        // dbstat (SQLITE_ENABLE_DBSTAT_VTAB) counts the pages of the table and its indexes.
        let sql = "SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = ?)"
        return (try? rows(sql, [table.name]))?.first?.first.flatMap { $0.flatMap { Int($0) } }
    }

    func databaseBytes() -> Int? {
        guard let pages = (try? rows("PRAGMA page_count", []))?.first?.first.flatMap({ $0.flatMap { Int($0) } }),
            let size = (try? rows("PRAGMA page_size", []))?.first?.first.flatMap({ $0.flatMap { Int($0) } })
        else { return nil }
        return pages * size
    }

    /// Times stored as ISO 8601 text, Unix seconds or milliseconds, or Julian days.
    func epochSeconds(_ column: ColumnSchema) -> String? {
        let c = DatabaseProbe.quoteIdentifier(column.name)
        return """
            CASE typeof(\(c)) \
            WHEN 'text' THEN (julianday(\(c)) - 2440587.5) * 86400.0 \
            WHEN 'integer' THEN (CASE WHEN \(c) > 100000000000 THEN \(c) / 1000.0 ELSE \(c) * 1.0 END) \
            WHEN 'real' THEN (CASE WHEN \(c) > 100000000000 THEN \(c) / 1000.0 WHEN \(c) > 10000000 THEN \(c) \
            ELSE (\(c) - 2440587.5) * 86400.0 END) \
            ELSE NULL END
            """
    }

    func isReadOnly() -> Bool {
        guard let db else { return false }
        return sqlite3_db_readonly(db, "main") == 1
    }

    func close() {
        guard let handle = db else { return }
        if sqlite3_get_autocommit(handle) == 0 { _ = try? rows("ROLLBACK", []) }
        sqlite3_progress_handler(handle, 0, nil, nil)
        sqlite3_close_v2(handle)
        db = nil
    }
}
