/// One checkable fact behind a finding: what was seen, of which kind, and where.
public struct Evidence: Codable, Sendable, Hashable {
    /// What the evidence supports: a pattern id (`event-sourcing`) or an
    /// infrastructure fact (`message-system`, `event-log`, `inbox-structure`,
    /// `agent-config`, `scale`), or a custom detector's id.
    public var subject: String
    /// Where the fact came from.
    public var kind: EvidenceKind
    /// The path relative to the analysed root, `/`-separated.
    public var path: String
    /// The 1-based line where content matched, when it did.
    public var line: Int?
    /// What was seen, in a few words.
    public var detail: String

    /// Creates an evidence item; `line` is 1-based, nil when no content matched.
    public init(subject: String, kind: EvidenceKind, path: String, line: Int? = nil, detail: String) {
        self.subject = subject
        self.kind = kind
        self.path = path
        self.line = line
        self.detail = detail
    }

    /// `path` or `path:line`.
    public var location: String {
        if let line { "\(path):\(line)" } else { path }
    }
}

/// A problem met while scanning. The scan goes on; the report carries it.
public struct ScanWarning: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The path relative to the analysed root (`.` for the root itself).
    public var path: String
    /// The 1-based line the problem is on, when known.
    public var line: Int?
    /// What went wrong, in one line.
    public var message: String

    /// Creates a warning for `path` (relative to the analysed root, `.` for the root), with
    /// an optional 1-based line.
    public init(path: String, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, or `path: message` when no line is known.
    public var description: String {
        if let line { "\(path):\(line): \(message)" } else { "\(path): \(message)" }
    }
}
