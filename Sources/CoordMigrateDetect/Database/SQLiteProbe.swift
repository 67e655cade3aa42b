import CoordMigrateModel
import CoordMigrateScan
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
/// it is opened with `SQLITE_OPEN_READONLY` through a `file:` URI with `mode=ro`
/// or `immutable=1`, `PRAGMA query_only` is set, and all reads happen in one
/// transaction that is rolled back. Each statement is interrupted after the
/// statement timeout.
///
/// A file the analysed tree names is reached one folder at a time without
/// following any link, and read as it is on disk (`immutable=1`), so SQLite
/// touches no `-wal`, `-shm` or `-journal` file in the tree. A WAL database whose
/// `-wal` file holds data — a copy taken without its `-shm` among them — is read
/// from a private copy of the database and its `-wal` in a temporary folder, so
/// the rows only the `-wal` holds are counted too.
final class SQLiteSession: DatabaseSession {
    private var db: OpaquePointer?
    private let deadline: Deadline
    /// Whether the file was opened immutable (no locking, WAL not read).
    private(set) var immutable = false
    /// Things the reader should know about how the file was read.
    private(set) var notes: [String] = []
    /// The temporary folder of a private copy, removed on close.
    private var privateFolder: String?

    /// The database and its `-wal` file are copied only up to this many bytes together.
    static let privateCopyLimit = 512 * 1024 * 1024

    final class Deadline {
        var limit: TimeInterval
        var end = Date.distantFuture
        init(_ limit: TimeInterval) { self.limit = limit }
    }

    /// Opens `path` read-only. With `treeRoot` (a file the analysed tree named),
    /// `path` must lie inside it and is reached without following any link.
    init(path: String, treeRoot: String?, busyTimeout: Int, statementTimeout: Int) throws(DatabaseError) {
        deadline = Deadline(TimeInterval(statementTimeout))
        let file: TreeFile
        if let treeRoot {
            file = try TreeFile.open(path, inside: treeRoot)
        } else {
            file = try TreeFile.openFollowing(path)
        }
        defer { file.close() }
        let header = file.header()
        guard header.count >= 20, Array(header.prefix(16)) == Array("SQLite format 3\0".utf8) else {
            throw DatabaseError(message: "not an SQLite database (the file does not start with the SQLite header)")
        }
        // Bytes 18 and 19 are the write and read format versions: 2 means WAL.
        let wal = header[18] == 2 || header[19] == 2
        let walFile = try file.sibling("-wal")
        var openPath = path
        if wal, let walFile, walFile.size > 0 {
            let shmPresent = try file.sibling("-shm") != nil
            walFile.close()
            if treeRoot == nil, shmPresent {
                // The user's own live database: read it in place, with SQLite's locking.
                immutable = false
            } else if file.size + walFile.size <= Int64(Self.privateCopyLimit) {
                let (folder, copy) = try Self.privateCopy(file, wal: try file.sibling("-wal"))
                privateFolder = folder
                openPath = copy
                immutable = false
            } else {
                immutable = true
                notes.append("its -wal file was not read (the database and its -wal file are over \(ByteCount.binary(Self.privateCopyLimit)) together, too large to copy privately): rows written since the last checkpoint are not counted")
            }
        } else {
            walFile?.close()
            // Nothing to read beside the file: read it as it is, touching nothing next to it.
            immutable = treeRoot != nil || wal
        }
        let uri = "file:" + Self.uriPath(openPath) + (immutable ? "?immutable=1" : "?mode=ro")
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | (treeRoot != nil ? SQLITE_OPEN_NOFOLLOW : 0)
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
            if privateFolder != nil {
                // Reading the copy recovers the -wal into a fresh -shm: nothing is written to the original.
                _ = try rows("SELECT count(*) FROM sqlite_master", [])
            }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Copies the database and its `-wal` file into a new private folder.
    private static func privateCopy(_ file: TreeFile, wal: TreeFile?) throws(DatabaseError) -> (folder: String, path: String) {
        guard let wal else { throw DatabaseError(message: "its -wal file went away while it was read") }
        defer { wal.close() }
        var template = Array((NSTemporaryDirectory() + "/coord-migrate-sqlite.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw DatabaseError(message: "cannot make a private copy to read its -wal file: \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: made)
        let copy = folder + "/copy.db"
        do throws(DatabaseError) {
            try file.copy(to: copy)
            try wal.copy(to: copy + "-wal")
        } catch {
            removePrivateFolder(folder)
            throw error
        }
        return (folder, copy)
    }

    private static func removePrivateFolder(_ folder: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(folder + "/copy.db" + suffix) }
        rmdir(folder)
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
        if let privateFolder {
            Self.removePrivateFolder(privateFolder)
            self.privateFolder = nil
        }
    }
}

/// An open file the probe reads: the database, or a file beside it.
final class TreeFile {
    private var descriptor: Int32
    /// The folder holding the file (for its siblings), or -1.
    private var folder: Int32
    private let name: String
    let size: Int64

    private init(descriptor: Int32, folder: Int32, name: String, size: Int64) {
        self.descriptor = descriptor
        self.folder = folder
        self.name = name
        self.size = size
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 { _ = closeDescriptor(descriptor) }
        if folder >= 0 { _ = closeDescriptor(folder) }
        descriptor = -1
        folder = -1
    }

    /// Opens `path`, which must lie inside `root`, one component at a time without
    /// following a link (as the walk reads the tree); a link, a missing file or one
    /// that is not a regular file is an error that says which.
    static func open(_ path: String, inside root: String) throws(DatabaseError) -> TreeFile {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        guard path.hasPrefix(base + "/") else {
            throw DatabaseError(message: "the file lies outside the analysed folder and is not read")
        }
        let parts = path.dropFirst(base.count + 1).split(separator: "/").map(String.init)
        guard let name = parts.last, !parts.contains(".."), !parts.contains(".") else {
            throw DatabaseError(message: "the file lies outside the analysed folder and is not read")
        }
        var current = Glibc.open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { throw DatabaseError(message: "cannot open the analysed folder (\(String(cString: strerror(errno))))") }
        for part in parts.dropLast() {
            let next = openat(current, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let failure = errno
            if next < 0 {
                let reason = Self.refusal(current, part, failure, folder: true)
                _ = closeDescriptor(current)
                throw DatabaseError(message: reason)
            }
            _ = closeDescriptor(current)
            current = next
        }
        let descriptor = openat(current, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if descriptor < 0 {
            let reason = Self.refusal(current, name, errno, folder: false)
            _ = closeDescriptor(current)
            throw DatabaseError(message: reason)
        }
        return try checked(descriptor: descriptor, folder: current, name: name)
    }

    /// Opens a path the user gave, following links as any program would.
    static func openFollowing(_ path: String) throws(DatabaseError) -> TreeFile {
        let folderPath = (path as NSString).deletingLastPathComponent
        let folder = Glibc.open(folderPath.isEmpty ? "." : folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        let descriptor = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let failure = errno
            if folder >= 0 { _ = closeDescriptor(folder) }
            throw DatabaseError(message: failure == ENOENT ? "no such file" : "cannot read the file (\(String(cString: strerror(failure))))")
        }
        return try checked(descriptor: descriptor, folder: folder, name: (path as NSString).lastPathComponent)
    }

    private static func checked(descriptor: Int32, folder: Int32, name: String) throws(DatabaseError) -> TreeFile {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            _ = closeDescriptor(descriptor)
            if folder >= 0 { _ = closeDescriptor(folder) }
            throw DatabaseError(message: "not a regular file")
        }
        return TreeFile(descriptor: descriptor, folder: folder, name: name, size: Int64(info.st_size))
    }

    private static func refusal(_ folder: Int32, _ name: String, _ failure: Int32, folder isFolder: Bool) -> String {
        var info = stat()
        if fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFLNK {
            return "the path goes through the symbolic link \(name), which is not followed"
        }
        if failure == ENOENT { return "no such file" }
        if isFolder, failure == ENOTDIR { return "\(name) is not a folder" }
        return "cannot read the file (\(String(cString: strerror(failure))))"
    }

    /// A regular file beside this one (`-wal`, `-shm`), opened without following a
    /// link; nil when there is none. A link or a special file there is an error.
    func sibling(_ suffix: String) throws(DatabaseError) -> TreeFile? {
        guard folder >= 0 else { return nil }
        let sibling = name + suffix
        var info = stat()
        guard fstatat(folder, sibling, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw DatabaseError(message: "its \(suffix) file is not a regular file (a link or a special file), which is not read")
        }
        let descriptor = openat(folder, sibling, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        return try Self.checked(descriptor: descriptor, folder: -1, name: sibling)
    }

    /// The first 100 bytes.
    func header() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 100)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 100, 0) }
        return count > 0 ? Array(buffer.prefix(count)) : []
    }

    /// Copies the whole file to a new file at `path` (created, private to this user).
    func copy(to path: String) throws(DatabaseError) {
        let out = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard out >= 0 else { throw DatabaseError(message: "cannot make a private copy: \(String(cString: strerror(errno)))") }
        defer { _ = closeDescriptor(out) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw DatabaseError(message: "cannot read the file: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            var written = 0
            while written < count {
                let n = buffer.withUnsafeBytes { Glibc.write(out, $0.baseAddress! + written, count - written) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw DatabaseError(message: "cannot make a private copy: \(String(cString: strerror(errno)))") }
                written += n
            }
            offset += off_t(count)
        }
    }
}
