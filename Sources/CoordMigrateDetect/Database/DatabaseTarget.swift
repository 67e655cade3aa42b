import CoordMigrateModel
import CoordMigrateScan
public import Foundation

/// How an analysis treats a database-backed system's database.
///
/// The analysed tree is untrusted (the tool runs on pull requests), so what its
/// agent configuration declares is used only as far as that cannot reach beyond it:
/// an SQLite file inside the tree, reached without following a link, is measured
/// read-only by default. A PostgreSQL server the configuration names is connected to
/// only with ``allowTreeConnection`` (`--connect-database`), and a `${NAME}` reference
/// in the configuration is expanded only when ``expandableVariables`` names it
/// (`--allow-env NAME`). `url` (`--database-url`) is the user's own choice and is used
/// as given; `enabled = false` (`--no-database`) never connects.
public struct DatabaseOptions: Sendable {
    /// False with `--no-database`: no connection is made, whatever the configuration says.
    public var enabled = true
    /// `--database-url`: `sqlite:PATH` or `postgresql://…`; it wins over the configuration.
    public var url: String?
    /// `--connect-database`: connect to a server that the analysed tree's configuration names.
    public var allowTreeConnection = false
    /// `--allow-env NAME`: the variables a `${NAME}` in the analysed tree's configuration may read.
    public var expandableVariables: Set<String> = []
    /// Where allowed `${NAME}` references are looked up.
    public var environment: [String: String]
    /// What a relative `sqlite:PATH` in ``url`` is relative to.
    public var workingDirectory: String
    /// Seconds to wait for a connection (PostgreSQL `connect_timeout`, SQLite busy timeout).
    public var connectTimeout = 5
    /// Seconds any one statement may run (`statement_timeout`; SQLite is interrupted).
    public var statementTimeout = 5
    /// Seconds the whole database phase may take, whatever the server does
    /// (`--database-timeout`); after that the analysis goes on without the measurement.
    public var deadline: TimeInterval = 30

    /// Creates database options. The defaults measure, read-only, only an SQLite file inside
    /// the analysed tree: no server the tree names is connected to and no `${NAME}` is expanded.
    public init(
        enabled: Bool = true, url: String? = nil, allowTreeConnection: Bool = false,
        expandableVariables: Set<String> = [],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.enabled = enabled
        self.url = url
        self.allowTreeConnection = allowTreeConnection
        self.expandableVariables = expandableVariables
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
    /// What is wrong with the URL and what to write instead.
    public var description: String
}

/// A database to measure and how to reach it.
enum DatabaseTarget: Sendable, Equatable {
    /// `path` is absolute. With `treeRoot`, the file was named by the analysed tree:
    /// `path` lies inside `treeRoot` (checked lexically) and is opened one component
    /// at a time without following any link.
    case sqlite(path: String, display: String, treeRoot: String?)
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

    /// Values that must never appear in any output (passwords, raw URLs, values read from the environment).
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
            let path = sqlitePath(text)
            guard !path.isEmpty else {
                throw DatabaseURLError(description: "the sqlite: URL names no file; write sqlite:PATH (e.g. sqlite:data/workflow.db)")
            }
            let absolute = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
            return .sqlite(path: (absolute as NSString).standardizingPath, display: path, treeRoot: nil)
        }
        if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            if let problem = DatabaseSecrets.unencodedAuthority(text) {
                throw DatabaseURLError(description: problem)
            }
            return .postgresql(PostgresTarget(url: text))
        }
        // Only a URL's scheme is repeated: anything else in the value may be a secret.
        let scheme = text.range(of: "://").map { String(text[..<$0.lowerBound]) }
            .flatMap { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) } ? $0 : nil }
        let what = scheme.map { "the scheme '\($0)'" } ?? "the value"
        throw DatabaseURLError(
            description: "\(what) is not a database URL coord-migrate reads; use sqlite:PATH or postgresql://USER@HOST:PORT/DBNAME")
    }

    /// The path of a `sqlite:PATH` or `sqlite:///PATH` URL.
    static func sqlitePath(_ url: String) -> String {
        var path = String(url[url.index(after: url.firstIndex(of: ":")!)...])
        if path.hasPrefix("//") { path.removeFirst(2) }
        return path
    }

    /// An SQLite file the analysed tree names: a relative path that stays inside the
    /// tree when read lexically (`..` may not climb out). Links are refused later,
    /// when the file is opened one component at a time.
    static func treeSQLite(_ file: String, display: String, root: String) -> Result<DatabaseTarget, TreePathError> {
        guard !file.hasPrefix("/"), !file.hasPrefix("~") else { return .failure(.absolute) }
        var parts: [Substring] = []
        for part in file.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return .failure(.outside) }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        guard !parts.isEmpty else { return .failure(.outside) }
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        return .success(.sqlite(path: base + "/" + parts.joined(separator: "/"), display: display, treeRoot: base))
    }

    enum TreePathError: Error {
        case absolute, outside

        var reason: String {
            switch self {
            case .absolute: "the path is absolute, and a database the analysed tree names must lie inside it"
            case .outside: "the path leads outside the analysed folder, and a database the analysed tree names must lie inside it"
            }
        }
    }
}

/// A PostgreSQL server to connect to, as libpq connection keywords.
struct PostgresTarget: Sendable, Equatable {
    /// Keyword/value pairs for `PQconnectdbParams`, in order; `dbname` may hold a URI.
    var parameters: [KeyValue]
    var display: String
    var secrets: [String]
    /// Whether libpq may read `dbname` as a URI: only for a URL, never for separate
    /// fields (a `dbname` holding `host=… passfile=…` would set other keywords).
    var expandDBName = true
    /// The analysed tree named this server: libpq reads none of the `PG…` variables
    /// but those in ``allowedVariables``, and no password file.
    var fromTree = false
    var allowedVariables: Set<String> = []

    struct KeyValue: Sendable, Equatable {
        var key: String
        var value: String
    }

    /// From a `postgresql://` URI, handed to libpq whole (it parses URIs itself).
    /// `display`, when given, is what is shown instead of the URI (it masks what
    /// came from the environment).
    init(url: String, display: String? = nil, extraSecrets: [String] = []) {
        parameters = [KeyValue(key: "dbname", value: url)]
        self.display = DatabaseSecrets.mask(display ?? url)
        var secrets = [url]
        if let password = DatabaseSecrets.uriPassword(url) {
            secrets.append(password)
            if let decoded = password.removingPercentEncoding { secrets.append(decoded) }
        }
        secrets += DatabaseSecrets.queryPasswords(url)
        self.secrets = secrets + extraSecrets
    }

    /// From separate settings (`host`, `port`, `dbname`, `user`, `password`, `sslmode`).
    /// `masked`: the keys whose values came from the environment, shown as `***`.
    init(fields: [(key: String, value: String)], masked: Set<String> = []) {
        parameters = fields.map { KeyValue(key: $0.key, value: $0.value) }
        expandDBName = false
        let value = { (key: String) in
            fields.first { $0.key == key }.map { masked.contains(key) ? "***" : $0.value }
        }
        var authority = ""
        if let user = value("user") {
            authority = Self.percentEncoded(user) + (value("password") != nil ? ":***" : "") + "@"
        }
        authority += value("host").map { $0.contains(":") && !$0.hasPrefix("/") ? "[\($0)]" : Self.percentEncoded($0) } ?? ""
        if let port = value("port") { authority += ":" + Self.percentEncoded(port) }
        display = "postgresql://\(authority)/\(value("dbname").map(Self.percentEncoded) ?? "")"
            + (value("sslmode").map { "?sslmode=" + Self.percentEncoded($0) } ?? "")
        secrets = (fields.first { $0.key == "password" }.map { [$0.value] } ?? [])
            + fields.filter { masked.contains($0.key) }.map(\.value)
    }

    private static func percentEncoded(_ text: String) -> String {
        text == "***" ? text : text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    /// URI query keywords a tree-declared URL may set; the others can make libpq read
    /// files (`passfile`, `sslkey`, `service`…) or change how it connects.
    static let treeQueryKeys: Set<String> = [
        "sslmode", "application_name", "target_session_attrs", "connect_timeout", "host", "hostaddr", "port", "dbname",
        "user", "password",
    ]

    /// The query keywords of a URI that a tree may not set.
    static func refusedQueryKeys(_ url: String) -> [String] {
        guard let query = url.firstIndex(of: "?") else { return [] }
        return url[url.index(after: query)...].split(separator: "&").compactMap { pair in
            let key = String(pair.split(separator: "=", maxSplits: 1).first ?? "").lowercased()
            return treeQueryKeys.contains(key) ? nil : key
        }
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

    /// Why a `postgresql://` URL would be misread: its user or password holds `@`, `/`,
    /// `?` or `#` without percent-encoding (the first `/` would end the host part, a
    /// second `@` would make part of the password the host). Nil when it reads as meant.
    static func unencodedAuthority(_ url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest[..<(rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex)]
        let hint = "percent-encode them (@ as %40, / as %2F, ? as %3F, # as %23) or leave the password to PGPASSWORD or ~/.pgpass"
        if authority.filter({ $0 == "@" }).count > 1 {
            return "the URL's user or password holds an unencoded '@'; \(hint)"
        }
        if !authority.contains("@"), let end = rest.firstIndex(where: { "/?#".contains($0) }),
            rest[end...].prefix(while: { $0 != "?" }).contains("@"), authority.contains(":")
        {
            return "the URL's user or password holds an unencoded '\(rest[end])'; \(hint)"
        }
        return nil
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
/// configuration file (by path) that declares `database:`, within what the
/// options allow the analysed tree to do (see ``DatabaseOptions``).
enum DatabaseResolver {
    enum Outcome: Equatable {
        /// Nothing to connect to: no database declared, no connection details, or `--no-database`.
        case none
        /// Declared, but it cannot be reached as written (an unset or unallowed variable,
        /// a server the user did not allow, a file outside the tree, an unsupported engine).
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
        return resolve(database, path: document.path, root: root, options: options)
    }

    /// One setting of the declaration, with its `${NAME}` references expanded as far as allowed.
    private struct Setting {
        var key: String
        var raw: String
        var value: String
        /// `raw` with every reference shown as `***` (when it read the environment) or as written.
        var display: String
        /// The parts of `value` that came from the environment.
        var environmentValues: [String]
        var fromEnvironment: Bool { !environmentValues.isEmpty }
        var refused: [String]
        var unset: [String]
    }

    static func resolve(_ database: ConfigValue, path: String, root: String, options: DatabaseOptions) -> Outcome {
        guard case .mapping = database else { return .none }  // `database: sqlite` names a type, nothing to open.
        func setting(_ keys: [String]) -> Setting? {
            for key in keys {
                guard let raw = database[key]?.scalar, !raw.isEmpty else { continue }
                let expanded = Environment.expand(raw, in: options.environment, allowed: options.expandableVariables)
                return Setting(
                    key: key, raw: raw, value: expanded.value, display: expanded.display,
                    environmentValues: expanded.values, refused: expanded.refused, unset: expanded.unset)
            }
            return nil
        }
        let unusable = { (reason: String) in
            Outcome.unusable(ScanWarning(path: path, message: "database not measured: \(reason)"))
        }
        /// Why the settings cannot be used as written, or nil.
        func problem(_ settings: [Setting]) -> String? {
            let refused = settings.flatMap { setting in setting.refused.map { (setting.key, $0) } }
            if !refused.isEmpty {
                let uses = refused.map { "database.\($0.0) uses ${\($0.1)}" }.joined(separator: ", ")
                let names = Set(refused.map(\.1)).sorted()
                return "\(uses); the analysed tree may not read environment variables unless you allow each one: pass \(names.map { "--allow-env \($0)" }.joined(separator: " ")) to allow \(names.count == 1 ? "it" : "them"), or name the database yourself with --database-url"
            }
            let missing = settings.flatMap { setting in setting.unset.map { "database.\(setting.key) uses ${\($0)}" } }
            if !missing.isEmpty { return missingReason(missing) }
            return nil
        }
        let typeSetting = setting(["type", "engine"])
        let urlSetting = setting(["url", "uri", "dsn"])
        var type = typeSetting?.value.lowercased()
        if type == nil, let url = urlSetting?.value.lowercased() {
            type = url.hasPrefix("sqlite") ? "sqlite" : url.hasPrefix("postgres") ? "postgresql" : nil
        }
        let target: DatabaseTarget
        switch type {
        case "sqlite", "sqlite3":
            let file: Setting
            let fromURL: Bool
            if let urlSetting, urlSetting.value.lowercased().hasPrefix("sqlite") {
                file = urlSetting
                fromURL = true
            } else if let named = setting(["path", "file", "filename", "database"]) {
                file = named
                fromURL = false
            } else {
                return .none
            }
            if let problem = problem([file] + (typeSetting.map { [$0] } ?? [])) { return unusable(problem) }
            let value = fromURL ? DatabaseTarget.sqlitePath(file.value) : file.value
            let display = fromURL ? DatabaseTarget.sqlitePath(file.display) : file.display
            guard !value.isEmpty else { return unusable("the sqlite: URL names no file") }
            switch DatabaseTarget.treeSQLite(value, display: display, root: root) {
            case let .success(found): target = found
            case let .failure(error):
                return unusable("\(error.reason); to measure a file elsewhere, name it with --database-url sqlite:PATH")
            }
        case "postgresql", "postgres", "pgsql", "pg":
            var settings: [Setting] = []
            var postgres: PostgresTarget
            if let urlSetting {
                settings = [urlSetting]
                guard urlSetting.value.lowercased().hasPrefix("postgres") else {
                    return unusable("database.url is not a postgresql:// URL")
                }
                postgres = PostgresTarget(
                    url: urlSetting.value, display: urlSetting.display,
                    extraSecrets: urlSetting.environmentValues)
                let refusedKeys = PostgresTarget.refusedQueryKeys(urlSetting.value)
                if !refusedKeys.isEmpty {
                    return unusable("database.url sets \(refusedKeys.joined(separator: ", ")), which a URL from the analysed tree may not set (it could make the client read files or change how it connects); name the database yourself with --database-url")
                }
                if let problem = DatabaseSecrets.unencodedAuthority(urlSetting.value) {
                    return unusable("database.url: \(problem)")
                }
            } else {
                var fields: [(key: String, value: String)] = []
                var masked: Set<String> = []
                for (key, aliases) in [("host", ["host", "hostname", "server"]), ("port", ["port"]),
                                       ("dbname", ["dbname", "database", "name", "db"]), ("user", ["user", "username"]),
                                       ("password", ["password"]), ("sslmode", ["sslmode"])] {
                    guard let found = setting(aliases) else { continue }
                    settings.append(found)
                    fields.append((key, found.refused.isEmpty ? found.value : found.raw))
                    if found.fromEnvironment { masked.insert(key) }
                }
                guard fields.contains(where: { $0.key == "host" || $0.key == "dbname" }) else { return .none }
                postgres = PostgresTarget(fields: fields, masked: masked)
                postgres.secrets += settings.flatMap(\.environmentValues)
            }
            postgres.fromTree = true
            postgres.allowedVariables = options.expandableVariables
            guard options.allowTreeConnection else {
                let variables = settings.flatMap(\.refused)
                let allowEnv = Set(variables).sorted().map { " --allow-env \($0)" }.joined()
                return unusable("\(postgres.display) is a server the analysed tree names, and nothing in the tree opens a connection unless you allow it: pass --connect-database\(allowEnv) to measure it, or name the database yourself with --database-url")
            }
            if let problem = problem(settings) { return unusable(problem) }
            target = .postgresql(postgres)
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
        let result = expand(text, in: environment, allowed: nil)
        return (result.value, result.unset)
    }

    /// What expanding a text found.
    struct Expansion: Equatable {
        /// The text with the allowed references replaced (a refused one stays as written).
        var value: String
        /// The text as it may be shown: every reference that read the environment is `***`.
        var display: String
        /// Whether any reference read a value from the environment.
        var read: Bool { !values.isEmpty }
        /// The values read from the environment (secrets, whatever their names).
        var values: [String]
        /// Names referenced but not allowed; nothing was read for them.
        var refused: [String]
        /// Allowed names that were not set (and had no default).
        var unset: [String]
    }

    /// Expands only the names in `allowed` (every name when nil). A refused
    /// reference with a default (`${NAME:-x}`) takes its default without reading
    /// the environment; one without stays as written and is reported.
    static func expand(_ text: String, in environment: [String: String], allowed: Set<String>?) -> Expansion {
        var out = ""
        var shown = ""
        var values: [String] = []
        var refused: [String] = []
        var unset: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            shown += rest[..<start.lowerBound]
            guard let close = rest[start.upperBound...].firstIndex(of: "}") else {
                out += rest[start.lowerBound...]
                shown += rest[start.lowerBound...]
                rest = rest[rest.endIndex...]
                break
            }
            let inner = rest[start.upperBound..<close]
            let reference = rest[start.lowerBound...close]
            let name: Substring
            var fallback: Substring?
            if let separator = inner.range(of: ":-") {
                name = inner[..<separator.lowerBound]
                fallback = inner[separator.upperBound...]
            } else {
                name = inner
            }
            if let allowed, !allowed.contains(String(name)) {
                if let fallback {
                    out += fallback
                    shown += fallback
                } else {
                    refused.append(String(name))
                    out += reference
                    shown += reference
                }
            } else if let value = environment[String(name)], !value.isEmpty {
                out += value
                shown += "***"
                values.append(value)
            } else if let fallback {
                out += fallback
                shown += fallback
            } else {
                unset.append(String(name))
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        shown += rest
        return Expansion(value: out, display: shown, values: values, refused: refused, unset: unset)
    }
}
