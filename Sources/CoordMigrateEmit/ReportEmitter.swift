public import CoordMigrateModel
public import Foundation

/// Turns a ``MigrationReport`` into one output format. Emitters see nothing but the report.
///
/// A new format is one type conforming to this protocol plus one line in
/// ``EmitterRegistry/builtIn``.
public protocol ReportEmitter: Sendable {
    /// The name `--format` takes, e.g. `md`.
    static var identifier: String { get }
    /// Other names `--format` accepts, e.g. `markdown`.
    static var aliases: [String] { get }
    /// The extension of the default output file, without the dot.
    static var fileExtension: String { get }
    /// A few words for `--help`.
    static var summary: String { get }

    /// The bytes of the report in this format.
    func emit(_ report: MigrationReport) throws -> Data
}

/// Why an emitter could not write a report.
public struct EmitError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in one line.
    public var message: String
    /// Creates an error with the given message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// The emitters `--format` can choose from.
public enum EmitterRegistry {
    /// Builds an emitter; `template` is the text of a user's template, for the
    /// formats that use one.
    public typealias Factory = @Sendable (_ template: String?) throws -> any ReportEmitter

    /// One format: its names, its file extension, its help text and how to build its emitter.
    public struct Entry: Sendable {
        /// The name `--format` takes: the emitter type's ``ReportEmitter/identifier``.
        public var identifier: String
        /// Other names `--format` accepts for it.
        public var aliases: [String]
        /// The default output file's extension, without the dot.
        public var fileExtension: String
        /// A few words for `--help`.
        public var summary: String
        /// Builds the emitter, given the text of a user's template or nil.
        public var make: Factory

        /// Describes the format of the emitter type `type` (its names, extension and summary are
        /// read from it), built by `make`.
        public init<E: ReportEmitter>(_ type: E.Type, make: @escaping Factory) {
            identifier = E.identifier
            aliases = E.aliases
            fileExtension = E.fileExtension
            summary = E.summary
            self.make = make
        }
    }

    /// The built-in formats, in the order `--help` lists them.
    static let builtIn: [Entry] = [
        Entry(MarkdownEmitter.self) { try MarkdownEmitter(template: $0) },
        Entry(HTMLEmitter.self) { try HTMLEmitter(template: $0) },
        Entry(JUnitEmitter.self) { _ in JUnitEmitter() },
        Entry(JSONEmitter.self) { _ in JSONEmitter() },
        Entry(SARIFEmitter.self) { _ in SARIFEmitter() },
        Entry(GitHubEmitter.self) { _ in GitHubEmitter() },
    ]

    private static let lock = NSLock()
    nonisolated(unsafe) private static var registered: [Entry] = []

    /// Adds a format, or replaces the one with the same identifier.
    public static func register(_ entry: Entry) {
        lock.withLock {
            registered.removeAll { $0.identifier == entry.identifier }
            registered.append(entry)
        }
    }

    /// Every format, built-in first.
    public static var all: [Entry] {
        let extra = lock.withLock { registered }
        return builtIn.filter { entry in !extra.contains { $0.identifier == entry.identifier } } + extra
    }

    /// The format named `name` (an identifier or an alias, any case) among `entries` (default: ``all``).
    public static func entry(named name: String, in entries: [Entry]? = nil) -> Entry? {
        let key = name.lowercased()
        return (entries ?? all).first { $0.identifier == key || $0.aliases.contains(key) }
    }

    /// "md (markdown), json" — for error messages and help.
    public static var namesList: String { namesList(of: all) }

    /// `entries` named as in ``namesList``.
    public static func namesList(of entries: [Entry]) -> String {
        entries.map { $0.aliases.isEmpty ? $0.identifier : "\($0.identifier) (\($0.aliases.joined(separator: ", ")))" }
            .joined(separator: ", ")
    }
}

/// The report as the published JSON document.
public struct JSONEmitter: ReportEmitter {
    /// `json`, the name `--format` takes.
    public static let identifier = "json"
    /// None.
    public static let aliases: [String] = []
    /// `json`.
    public static let fileExtension = "json"
    /// The format's line in `--help`.
    public static let summary = "the report model as JSON (schemas/migration-report.schema.json)"

    /// Creates the emitter; JSON takes no template.
    public init() {}

    /// The report's `jsonData()`: pretty-printed, sorted snake_case keys, ending in a newline.
    public func emit(_ report: MigrationReport) throws -> Data {
        try report.jsonData()
    }
}
