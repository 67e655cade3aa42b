public import Foundation

/// How an analysis treats a database-backed system's database.
///
/// By default the database the agent configuration declares (`database:` with
/// `type: sqlite` and a `path`, or `type: postgresql` with a `url` or
/// host/port/dbname/user/password) is opened read-only and measured. `url`
/// (`--database-url`) names one instead; `enabled = false` (`--no-database`)
/// never connects.
public struct DatabaseOptions: Sendable {
    /// False with `--no-database`: no connection is made, whatever the configuration says.
    public var enabled = true
    /// `--database-url`: `sqlite:PATH` or `postgresql://…`; it wins over the configuration.
    public var url: String?
    /// Where `${NAME}` references in the configuration are looked up.
    public var environment: [String: String]
    /// What a relative `sqlite:PATH` in ``url`` is relative to.
    public var workingDirectory: String
    /// Seconds to wait for a connection (PostgreSQL `connect_timeout`, SQLite busy timeout).
    public var connectTimeout = 5
    /// Seconds any one statement may run (`statement_timeout`; SQLite is interrupted).
    public var statementTimeout = 5

    public init(
        enabled: Bool = true, url: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.enabled = enabled
        self.url = url
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// Checks a `--database-url` before any work; the error names the URL with its password masked.
    public static func validate(url: String) throws(DatabaseURLError) {
        _ = try DatabaseTarget.parse(url: url, relativeTo: "/")
    }
}

/// A `--database-url` that cannot be used. Its description never holds a password.
public struct DatabaseURLError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// A database to measure and how to reach it.
enum DatabaseTarget: Sendable, Equatable {
    case sqlite(path: String, display: String, followSymlinks: Bool)
    case postgresql(PostgresTarget)

    var engine: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgresql: "postgresql"
        }
    }

    /// Where the data is, safe to print: a path, or a URL whose password is `***`.
    var display: String {
        switch self {
        case let .sqlite(_, display, _): display
        case let .postgresql(target): target.display
        }
    }

    /// Values that must never appear in any output (passwords, raw URLs).
    var secrets: [String] {
        switch self {
        case .sqlite: []
        case let .postgresql(target): target.secrets
        }
    }

    /// Parses `sqlite:PATH` (also `sqlite:///abs/path`) or `postgresql://…` (`postgres://…`).
    static func parse(url: String, relativeTo base: String) throws(DatabaseURLError) -> DatabaseTarget {
        let text = url.trimmingCharacters(in: .whitespaces)
        let lower = text.lowercased()
        if lower.hasPrefix("sqlite:") || lower.hasPrefix("sqlite3:") {
            var path = String(text[text.index(after: text.firstIndex(of: ":")!)...])
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else {
                throw DatabaseURLError(description: "the sqlite: URL names no file; write sqlite:PATH (e.g. sqlite:data/workflow.db)")
            }
            let absolute = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
            return .sqlite(path: (absolute as NSString).standardizingPath, display: path, followSymlinks: true)
        }
        if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            return .postgresql(PostgresTarget(url: text))
        }
        // Only a URL's scheme is repeated: anything else in the value may be a secret.
        let scheme = text.range(of: "://").map { String(text[..<$0.lowerBound]) }
            .flatMap { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) } ? $0 : nil }
        let what = scheme.map { "the scheme '\($0)'" } ?? "the value"
        throw DatabaseURLError(
            description: "\(what) is not a database URL coord-migrate reads; use sqlite:PATH or postgresql://USER@HOST:PORT/DBNAME")
    }
}

/// A PostgreSQL server to connect to, as libpq connection keywords.
struct PostgresTarget: Sendable, Equatable {
    /// Keyword/value pairs for `PQconnectdbParams`, in order; `dbname` may hold a URI.
    var parameters: [KeyValue]
    var display: String
    var secrets: [String]

    struct KeyValue: Sendable, Equatable {
        var key: String
        var value: String
    }

    /// From a `postgresql://` URI, handed to libpq whole (it parses URIs itself).
    init(url: String) {
        parameters = [KeyValue(key: "dbname", value: url)]
        display = DatabaseSecrets.mask(url)
        var secrets = [url]
        if let password = DatabaseSecrets.uriPassword(url) {
            secrets.append(password)
            if let decoded = password.removingPercentEncoding { secrets.append(decoded) }
        }
        secrets += DatabaseSecrets.queryPasswords(url)
        self.secrets = secrets
    }

    /// From separate settings (`host`, `port`, `dbname`, `user`, `password`, `sslmode`).
    init(fields: [(key: String, value: String)]) {
        parameters = fields.map { KeyValue(key: $0.key, value: $0.value) }
        let value = { (key: String) in fields.first { $0.key == key }?.value }
        var authority = ""
        if let user = value("user") {
            authority = Self.percentEncoded(user) + (value("password") != nil ? ":***" : "") + "@"
        }
        authority += value("host").map { $0.contains(":") && !$0.hasPrefix("/") ? "[\($0)]" : Self.percentEncoded($0) } ?? ""
        if let port = value("port") { authority += ":" + Self.percentEncoded(port) }
        display = "postgresql://\(authority)/\(value("dbname").map(Self.percentEncoded) ?? "")"
            + (value("sslmode").map { "?sslmode=" + Self.percentEncoded($0) } ?? "")
        secrets = value("password").map { [$0] } ?? []
    }

    private static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

/// Keeps passwords out of every output.
enum DatabaseSecrets {
    /// Replaces the password of every `scheme://user:password@` in `text` with `***`,
    /// and every `password=…` (URL query or libpq keyword) likewise.
    static func mask(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            // The authority ends at the first '/', '?' or '#', or at whitespace.
            let end = rest.firstIndex { "/?# \t\n".contains($0) } ?? rest.endIndex
            let authority = rest[..<end]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                out += authority[..<colon] + ":***" + authority[at...]
            } else {
                out += authority
            }
            rest = rest[end...]
        }
        out += rest
        return maskKeywords(out)
    }

    /// `password=secret` → `password=***` (in a query string or a libpq keyword string).
    private static func maskKeywords(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let found = rest.range(of: "password=", options: .caseInsensitive) {
            out += rest[..<found.upperBound] + "***"
            rest = rest[found.upperBound...]
            if rest.first == "'" {
                // A quoted libpq value: up to the closing quote (\' escapes one).
                var index = rest.index(after: rest.startIndex)
                while index < rest.endIndex, rest[index] != "'" {
                    if rest[index] == "\\" { index = rest.index(after: index) }
                    if index < rest.endIndex { index = rest.index(after: index) }
                }
                rest = index < rest.endIndex ? rest[rest.index(after: index)...] : rest[rest.endIndex...]
            } else {
                rest = rest[(rest.firstIndex { "& \t\n#;".contains($0) } ?? rest.endIndex)...]
            }
        }
        return out + rest
    }

    /// The password in a URI's user information, as written (percent-encoded).
    static func uriPassword(_ url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest[..<(rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return nil }
        let password = authority[authority.index(after: colon)..<at]
        return password.isEmpty ? nil : String(password)
    }

    /// `password=` values in a URI's query.
    static func queryPasswords(_ url: String) -> [String] {
        guard let query = url.firstIndex(of: "?") else { return [] }
        return url[url.index(after: query)...].split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "password", !parts[1].isEmpty else { return nil }
            return String(parts[1])
        }.flatMap { [$0, $0.removingPercentEncoding ?? $0] }
    }

    /// `message` with URLs masked and every secret (of 3 characters or more) replaced by `***`.
    static func scrub(_ message: String, secrets: [String]) -> String {
        var text = message
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 3 {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        return mask(text)
    }
}

/// Finds the database to measure: `--database-url`, else the first agent
/// configuration file (by path) that declares `database:`.
enum DatabaseResolver {
    enum Outcome: Equatable {
        /// Nothing to connect to: no database declared, no connection details, or `--no-database`.
        case none
        /// Declared, but it cannot be reached as written (an unset variable, an unsupported engine).
        case unusable(ScanWarning)
        /// `source`: the configuration file, or `--database-url`; `path`: where warnings point.
        case target(DatabaseTarget, source: String, warningPath: String)
    }

    static func resolve(_ options: DatabaseOptions, documents: [ConfigDocument], root: String) -> Outcome {
        guard options.enabled else { return .none }
        if let url = options.url {
            do {
                return .target(try DatabaseTarget.parse(url: url, relativeTo: options.workingDirectory),
                               source: "--database-url", warningPath: ".")
            } catch {
                return .unusable(ScanWarning(path: ".", message: "--database-url: \(error.description)"))
            }
        }
        guard let document = documents.sorted(by: { $0.path < $1.path }).first(where: { $0.document["database"] != nil }),
            let database = document.document["database"]
        else { return .none }
        return resolve(database, path: document.path, root: root, environment: options.environment)
    }

    static func resolve(_ database: ConfigValue, path: String, root: String, environment: [String: String]) -> Outcome {
        guard case .mapping = database else { return .none }  // `database: sqlite` names a type, nothing to open.
        var missing: [String] = []
        func setting(_ keys: String...) -> String? {
            for key in keys {
                guard let raw = database[key]?.scalar, !raw.isEmpty else { continue }
                let (value, unset) = Environment.expand(raw, in: environment)
                missing += unset.map { "database.\(key) uses ${\($0)}" }
                return value
            }
            return nil
        }
        var type = setting("type", "engine")?.lowercased()
        let url = setting("url", "uri", "dsn")
        if type == nil, let url {
            type = url.lowercased().hasPrefix("sqlite") ? "sqlite" : url.lowercased().hasPrefix("postgres") ? "postgresql" : nil
        }
        let unusable = { (reason: String) in
            Outcome.unusable(ScanWarning(path: path, message: "database not measured: \(reason)"))
        }
        let target: DatabaseTarget
        switch type {
        case "sqlite", "sqlite3":
            if let url, url.lowercased().hasPrefix("sqlite") {
                guard missing.isEmpty else { return unusable(missingReason(missing)) }
                do { target = try DatabaseTarget.parse(url: url, relativeTo: root) } catch { return unusable(error.description) }
            } else {
                guard let file = setting("path", "file", "filename", "database") else { return .none }
                guard missing.isEmpty else { return unusable(missingReason(missing)) }
                let absolute = file.hasPrefix("/") ? file : (root as NSString).appendingPathComponent(file)
                target = .sqlite(path: (absolute as NSString).standardizingPath, display: file, followSymlinks: false)
            }
        case "postgresql", "postgres", "pgsql", "pg":
            if let url {
                guard missing.isEmpty else { return unusable(missingReason(missing)) }
                guard url.lowercased().hasPrefix("postgres") else {
                    return unusable("database.url is not a postgresql:// URL")
                }
                target = .postgresql(PostgresTarget(url: url))
            } else {
                var fields: [(key: String, value: String)] = []
                for (key, aliases) in [("host", ["host", "hostname", "server"]), ("port", ["port"]),
                                       ("dbname", ["dbname", "database", "name", "db"]), ("user", ["user", "username"]),
                                       ("password", ["password"]), ("sslmode", ["sslmode"])] {
                    for alias in aliases {
                        guard let raw = database[alias]?.scalar, !raw.isEmpty else { continue }
                        let (value, unset) = Environment.expand(raw, in: environment)
                        missing += unset.map { "database.\(alias) uses ${\($0)}" }
                        fields.append((key, value))
                        break
                    }
                }
                guard fields.contains(where: { $0.key == "host" || $0.key == "dbname" }) else { return .none }
                guard missing.isEmpty else { return unusable(missingReason(missing)) }
                target = .postgresql(PostgresTarget(fields: fields))
            }
        default:
            let declaresLocation = ["url", "uri", "dsn", "host", "path", "file"].contains { database[$0] != nil }
            guard declaresLocation, let type else { return .none }
            return unusable("\(type) databases are not measured (sqlite and postgresql are); pass --no-database to silence this")
        }
        return .target(target, source: path, warningPath: path)
    }

    private static func missingReason(_ missing: [String]) -> String {
        let names = missing.joined(separator: ", ")
        return "\(names), which \(missing.count == 1 ? "is" : "are") not set in the environment; set \(missing.count == 1 ? "it" : "them") or pass --database-url (--no-database skips the database)"
    }
}

/// `${NAME}` and `${NAME:-default}` references, expanded from the environment.
enum Environment {
    /// The text with every reference replaced, and the names that were not set (and had no default).
    static func expand(_ text: String, in environment: [String: String]) -> (value: String, unset: [String]) {
        var out = ""
        var unset: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let close = rest[start.upperBound...].firstIndex(of: "}") else {
                out += rest[start.lowerBound...]
                rest = rest[rest.endIndex...]
                break
            }
            let inner = rest[start.upperBound..<close]
            let name: Substring
            var fallback: Substring?
            if let separator = inner.range(of: ":-") {
                name = inner[..<separator.lowerBound]
                fallback = inner[separator.upperBound...]
            } else {
                name = inner
            }
            if let value = environment[String(name)], !value.isEmpty {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                unset.append(String(name))
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return (out, unset)
    }
}
