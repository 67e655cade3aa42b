import CoordMigrateModel
import CoordMigrateScan
import Foundation
internal import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The libpq functions the PostgreSQL probe uses, loaded with `dlopen` the first
/// time a PostgreSQL database is measured.
///
/// Linking libpq would load it and its 23 dependencies (OpenSSL, Kerberos, LDAP,
/// GnuTLS, …) into every run — several milliseconds of start-up for a library most
/// runs never call — and would make the binary refuse to start where libpq is not
/// installed. Loaded on demand, a missing libpq is one warning in the report.
struct LibPQ {
    typealias KeywordList = UnsafePointer<UnsafePointer<CChar>?>?

    let connectdbParams: @convention(c) (KeywordList, KeywordList, Int32) -> OpaquePointer?
    let setNoticeProcessor: @convention(c) (OpaquePointer?, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?
    let status: @convention(c) (OpaquePointer?) -> ConnStatusType
    let errorMessage: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
    let exec: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    let execParams: @convention(c) (
        OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, KeywordList, UnsafePointer<Int32>?,
        UnsafePointer<Int32>?, Int32
    ) -> OpaquePointer?
    let resultStatus: @convention(c) (OpaquePointer?) -> ExecStatusType
    let resultErrorMessage: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
    let ntuples: @convention(c) (OpaquePointer?) -> Int32
    let nfields: @convention(c) (OpaquePointer?) -> Int32
    let getisnull: @convention(c) (OpaquePointer?, Int32, Int32) -> Int32
    let getvalue: @convention(c) (OpaquePointer?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    let clear: @convention(c) (OpaquePointer?) -> Void
    let finish: @convention(c) (OpaquePointer?) -> Void

    /// A C string libpq returned, or "" for none.
    static func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// The library, or why it could not be loaded.
    static let shared: Result<LibPQ, DatabaseError> = load()

    private static func load() -> Result<LibPQ, DatabaseError> {
        let names = ["libpq.so.5", "libpq.so", "libpq.5.dylib", "libpq.dylib"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            return .failure(DatabaseError(
                message: "the PostgreSQL client library (libpq) is not installed; install it (Debian: libpq5) to measure PostgreSQL"))
        }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        guard let connectdbParams = symbol("PQconnectdbParams", as: (@convention(c) (KeywordList, KeywordList, Int32) -> OpaquePointer?).self),
            let setNoticeProcessor = symbol("PQsetNoticeProcessor", as: (@convention(c) (OpaquePointer?, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?).self),
            let status = symbol("PQstatus", as: (@convention(c) (OpaquePointer?) -> ConnStatusType).self),
            let errorMessage = symbol("PQerrorMessage", as: (@convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?).self),
            let exec = symbol("PQexec", as: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?).self),
            let execParams = symbol("PQexecParams", as: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, KeywordList, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> OpaquePointer?).self),
            let resultStatus = symbol("PQresultStatus", as: (@convention(c) (OpaquePointer?) -> ExecStatusType).self),
            let resultErrorMessage = symbol("PQresultErrorMessage", as: (@convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?).self),
            let ntuples = symbol("PQntuples", as: (@convention(c) (OpaquePointer?) -> Int32).self),
            let nfields = symbol("PQnfields", as: (@convention(c) (OpaquePointer?) -> Int32).self),
            let getisnull = symbol("PQgetisnull", as: (@convention(c) (OpaquePointer?, Int32, Int32) -> Int32).self),
            let getvalue = symbol("PQgetvalue", as: (@convention(c) (OpaquePointer?, Int32, Int32) -> UnsafeMutablePointer<CChar>?).self),
            let clear = symbol("PQclear", as: (@convention(c) (OpaquePointer?) -> Void).self),
            let finish = symbol("PQfinish", as: (@convention(c) (OpaquePointer?) -> Void).self)
        else {
            return .failure(DatabaseError(message: "the installed PostgreSQL client library (libpq) lacks functions this tool needs"))
        }
        return .success(LibPQ(
            connectdbParams: connectdbParams, setNoticeProcessor: setNoticeProcessor, status: status,
            errorMessage: errorMessage, exec: exec, execParams: execParams, resultStatus: resultStatus,
            resultErrorMessage: resultErrorMessage, ntuples: ntuples, nfields: nfields, getisnull: getisnull,
            getvalue: getvalue, clear: clear, finish: finish))
    }
}
