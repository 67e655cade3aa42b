import CoordMigrateModel

/// What the CI formats (SARIF, GitHub annotations) report, read from the report model
/// alone: one rule per check with an id that never changes, and one finding per check
/// that did not pass, per warning and per skip, each placed at evidence in the tree.
///
/// Rule ids are fixed here, never derived from an order: a new pattern or check takes
/// the next free number, and no id is ever given to another check.
enum CICatalog {
    /// What a rule checks.
    enum Kind: String {
        case pattern, infrastructure, warning, baseline, custom
    }

    /// One rule: what it checks, how to fix what it finds, and its default level.
    struct Rule {
        var id: String
        /// A readable name: the pattern or check id users already know.
        var name: String
        var kind: Kind
        var shortDescription: String
        var fullDescription: String
        var helpText: String
        var helpMarkdown: String
        /// SARIF's `error`, `warning` or `note`.
        var level: String
    }

    /// The rule id of each built-in pattern.
    static let patternRuleIDs: [PatternID: String] = [
        .collisionFreeMessaging: "CM101", .eventSourcing: "CM102", .contentAddressedDAG: "CM103",
        .authorityDomains: "CM104", .priorityQueue: "CM105", .deferQueue: "CM106",
        .faultTolerantWrappers: "CM107", .tlaVerification: "CM108",
    ]

    /// The infrastructure checks, as JUnit's `infrastructure` suite has them.
    struct Infrastructure {
        var id: String
        var subject: EvidenceSubject.Infrastructure
        var title: String
        var remediation: String
    }

    static let infrastructure: [Infrastructure] = [
        Infrastructure(
            id: "CM201", subject: .messageSystem, title: "Message system",
            remediation: "No message system found: the plan sets up per-agent inboxes."),
        Infrastructure(
            id: "CM202", subject: .eventLog, title: "Event log",
            remediation: "No event log found: create an append-only events.log (plan step 'Initialize event log')."),
        Infrastructure(
            id: "CM203", subject: .inboxStructure, title: "Inbox structure",
            remediation: "No per-agent inbox folders under inbox/: create one folder per agent."),
        Infrastructure(
            id: "CM204", subject: .agentConfig, title: "Agent configuration",
            remediation: "No agent configuration found: write config.yaml (plan step 'Create agent configuration')."),
    ]

    /// A problem met while scanning.
    static let scanWarningRule = "CM301"
    /// A skip whose `expires` date has come.
    static let expiredSkipRule = "CM302"

    /// Whether an infrastructure check passed.
    static func passed(_ check: Infrastructure, _ detection: DetectionResult) -> Bool {
        switch check.subject {
        case .messageSystem: detection.hasMessageSystem
        case .eventLog: detection.hasEventLog
        case .inboxStructure: detection.hasInboxStructure
        case .agentConfig: detection.hasAgentConfig
        case .scale: true
        }
    }

    /// The rule id of a custom rule or user's detector finding.
    static func customRuleID(_ id: String) -> String { "custom." + id }

    /// Every rule, in a fixed order: the eight patterns, the infrastructure checks, the
    /// scan warning and the expired skip, then the report's custom rules.
    static func rules(for report: MigrationReport) -> [Rule] {
        var rules = PatternID.allCases.map { pattern -> Rule in
            let definition = pattern.definition
            let looked = definition.lookedFor.map { "- **\($0.kind.rawValue)**: \(MarkdownText.inline($0.what))" }
            let moves = definition.firstMoves.isEmpty
                ? "" : "\n\nA first move:\n\n" + MarkdownText.fence(for: definition.firstMoves) + "sh\n"
                    + definition.firstMoves.joined(separator: "\n") + "\n" + MarkdownText.fence(for: definition.firstMoves)
            return Rule(
                id: patternRuleIDs[pattern] ?? pattern.rawValue, name: pattern.rawValue, kind: .pattern,
                shortDescription: "Missing pattern: \(definition.title)",
                fullDescription: "\(definition.summary) Counts as present when \(definition.rule).",
                helpText: "\(definition.remediation)\n\n\(definition.description)\n\n"
                    + "What is looked for:\n" + definition.lookedFor.map { "- \($0.kind.rawValue): \($0.what)" }.joined(separator: "\n")
                    + "\n\nSee what was found: coord-migrate patterns --explain \(pattern.rawValue) --path .",
                helpMarkdown: "**\(MarkdownText.inline(definition.remediation))**\n\n\(definition.description)\(moves)\n\n"
                    + "What is looked for:\n\n" + looked.joined(separator: "\n")
                    + "\n\nSee what was found: `coord-migrate patterns --explain \(pattern.rawValue) --path .`",
                level: "warning")
        }
        rules += infrastructure.map { check in
            Rule(
                id: check.id, name: check.subject.rawValue, kind: .infrastructure,
                shortDescription: "Missing infrastructure: \(check.title.lowercased())",
                fullDescription: "The system's \(check.title.lowercased()) was not found; the migration plan creates it.",
                helpText: check.remediation, helpMarkdown: MarkdownText.inline(check.remediation), level: "warning")
        }
        rules.append(Rule(
            id: scanWarningRule, name: "scan-warning", kind: .warning,
            shortDescription: "A problem met while scanning",
            fullDescription: "Part of the tree could not be read or understood (an unreadable folder, malformed configuration); the findings may be incomplete there.",
            helpText: "Fix the file or folder the warning names, or exclude it with --exclude GLOB.",
            helpMarkdown: "Fix the file or folder the warning names, or exclude it with `--exclude GLOB`.", level: "warning"))
        rules.append(Rule(
            id: expiredSkipRule, name: "expired-skip", kind: .baseline,
            shortDescription: "A skipped pattern's expiry date has passed",
            fullDescription: "A skip_patterns entry has an expires date that has come, so the pattern is checked again.",
            helpText: "Decide again: renew the entry's expires date (and say why), or remove it and build the pattern. --fail-on expired-skips fails CI until then.",
            helpMarkdown: "Decide again: renew the entry's `expires` date (and say why), or remove it and build the pattern. `--fail-on expired-skips` fails CI until then.",
            level: "warning"))
        var seen = Set<String>()
        for finding in report.detection.customPatterns where seen.insert(finding.id).inserted {
            rules.append(Rule(
                id: customRuleID(finding.id), name: finding.id, kind: .custom,
                shortDescription: "House rule not met: \(finding.title)",
                fullDescription: "A house rule (--rules or the project file's rules:): \(finding.title).",
                helpText: finding.remediation + (finding.documentation.map { "\n\nSee \($0)" } ?? ""),
                helpMarkdown: MarkdownText.inline(finding.remediation)
                    + (finding.documentation.map { "\n\nSee " + MarkdownText.codeSpan($0) } ?? ""),
                level: "warning"))
        }
        return rules
    }
}

/// One finding for a CI format.
struct CIFinding {
    struct Location {
        /// Relative to the repository root (the requested folder), `/`-separated.
        var path: String
        var line: Int?
        /// What is there, in a few words.
        var note: String
    }

    var ruleID: String
    var title: String
    var message: String
    /// SARIF's `error`, `warning` or `note`.
    var level: String
    var locations: [Location]
    /// What the locations are: the finding's evidence, the places its step changes, or the system's anchor.
    var placement: Placed

    /// What a finding's locations are (SARIF's `placement` property).
    enum Placed: String {
        /// Evidence of the finding.
        case evidence
        /// The touch points of the step that adds a missing pattern: where the change goes.
        case touchPoints = "touch-points"
        /// The system's anchor: the finding is about the whole system.
        case system
    }
    /// What stays the same from run to run: the rule, the system and the subject.
    var fingerprint: String
    /// A skip that applies: the finding is suppressed, with the skip's terms.
    var suppression: PatternSkip?
    var properties: [String: String] = [:]

    /// The most locations a finding carries (GitHub shows the first; SARIF allows more).
    static let maximumLocations = 10

    /// Every finding of the report, in a fixed order: missing and skipped patterns (the
    /// eight, then custom rules), missing infrastructure, then the warnings in report order.
    static func all(_ report: MigrationReport) -> [CIFinding] {
        let detection = report.detection
        let place = Placement(report)
        let system = detection.discovery?.chosen ?? ""
        let skips = Dictionary(report.skips.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func fingerprint(_ parts: String...) -> String {
            SHA256.hex(Array((["coord-migrate", system] + parts).joined(separator: "\u{0}").utf8))
        }
        var findings: [CIFinding] = []
        for finding in detection.patterns + detection.customPatterns where !finding.present || finding.skippedReason != nil {
            let pattern = PatternID(rawValue: finding.id)
            let isBuiltIn = pattern != nil && detection.patterns.contains { $0.id == finding.id }
            let ruleID = isBuiltIn ? (pattern.flatMap { CICatalog.patternRuleIDs[$0] } ?? finding.id) : CICatalog.customRuleID(finding.id)
            let (locations, placement) = place.locations(for: finding.id)
            var properties = ["pattern": finding.id]
            if let confidence = finding.confidence { properties["confidence"] = confidence.rawValue }
            if let reason = finding.confidenceReason { properties["confidence_reason"] = reason }
            if let reason = finding.skippedReason {
                let skip = skips[finding.id] ?? PatternSkip(id: finding.id, reason: reason, source: "options")
                findings.append(CIFinding(
                    ruleID: ruleID, title: "Skipped: \(finding.title)",
                    message: "\(finding.title) (\(finding.id)) is not checked: \(reason)" + (skip.terms.map { " (\($0))" } ?? "") + ".",
                    level: "note", locations: locations, placement: placement,
                    fingerprint: fingerprint(ruleID, finding.id), suppression: skip, properties: properties))
            } else {
                findings.append(CIFinding(
                    ruleID: ruleID, title: isBuiltIn ? "Missing pattern: \(finding.title)" : "House rule not met: \(finding.title)",
                    message: "\(finding.title) (\(finding.id)) is missing: \(finding.summary). \(finding.remediation)",
                    level: "warning", locations: locations, placement: placement,
                    fingerprint: fingerprint(ruleID, finding.id), suppression: nil, properties: properties))
            }
        }
        for check in CICatalog.infrastructure where !CICatalog.passed(check, detection) {
            let (locations, placement) = place.locations(for: check.subject.rawValue)
            findings.append(CIFinding(
                ruleID: check.id, title: "Missing infrastructure: \(check.title.lowercased())", message: check.remediation,
                level: "warning", locations: locations, placement: placement,
                fingerprint: fingerprint(check.id, check.subject.rawValue), suppression: nil,
                properties: ["check": check.subject.rawValue]))
        }
        let expiryWarnings = Dictionary(
            report.expiredSkips.map { ($0.expiryWarning, $0) }, uniquingKeysWith: { first, _ in first })
        for warning in detection.warnings {
            let expired = expiryWarnings[warning]
            let ruleID = expired == nil ? CICatalog.scanWarningRule : CICatalog.expiredSkipRule
            var locations = place.location(path: warning.path, line: warning.line, note: "the warning is about this").map { [$0] } ?? []
            var placement = CIFinding.Placed.evidence
            if locations.isEmpty {
                (locations, placement) = place.anchor()
            }
            // The message without its numbers: a count that changes is the same warning.
            let stable = String(warning.message.map { $0.isNumber ? "#" : $0 })
            findings.append(CIFinding(
                ruleID: ruleID, title: expired.map { "Skip expired: \($0.id)" } ?? "Scan warning",
                message: "\(warning.description)", level: "warning", locations: locations, placement: placement,
                fingerprint: fingerprint(ruleID, expired?.id ?? warning.path, expired == nil ? stable : ""),
                suppression: nil, properties: expired.map { ["pattern": $0.id] } ?? [:]))
        }
        return findings
    }
}

/// Where findings go in the tree: paths relative to the requested folder (so that
/// a repository's code scanning finds them), evidence first, else the system's anchor.
struct Placement {
    let evidence: [Evidence]
    /// The folder analysed, relative to the requested one (`bridge/`), or "" for that folder itself.
    let prefix: String

    /// The touch points of each pattern's step: where a missing pattern's change goes.
    let touchPoints: [String: [TouchPoint]]

    init(_ report: MigrationReport) {
        evidence = report.detection.evidence
        prefix = report.detection.discovery?.chosen ?? ""
        var points: [String: [TouchPoint]] = [:]
        for step in report.plan.steps {
            if let pattern = step.pattern, let stepPoints = step.touchPoints { points[pattern.rawValue, default: []] += stepPoints }
        }
        touchPoints = points
    }

    /// `path` (relative to the analysed folder) relative to the requested folder, with
    /// `.` and `..` resolved; nil for a path that is absolute, empty or leaves the folder.
    func repositoryPath(_ path: String) -> String? {
        guard !path.isEmpty, !path.hasPrefix("/") else { return nil }
        var parts: [Substring] = []
        let joined = prefix + path
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        if parts.isEmpty { return "." }
        return parts.joined(separator: "/") + (joined.hasSuffix("/") ? "/" : "")
    }

    func location(path: String, line: Int?, note: String) -> CIFinding.Location? {
        repositoryPath(path).map { CIFinding.Location(path: $0, line: line.flatMap { $0 >= 1 ? $0 : nil }, note: note) }
    }

    /// The evidence for `subject` (at most ``CIFinding/maximumLocations``), else the places its
    /// step changes (the touch points the system map gives), else the anchor.
    func locations(for subject: String) -> ([CIFinding.Location], placement: CIFinding.Placed) {
        let own = evidence.filter { $0.subject.rawValue == subject }.compactMap {
            location(path: $0.path, line: $0.line, note: "\($0.kind.rawValue): \($0.detail)")
        }
        if !own.isEmpty { return (Array(own.prefix(CIFinding.maximumLocations)), .evidence) }
        let toChange = (touchPoints[subject] ?? []).compactMap { location(path: $0.path, line: $0.line, note: "to change: \($0.why)") }
        if !toChange.isEmpty { return (Array(toChange.prefix(CIFinding.maximumLocations)), .touchPoints) }
        return anchor()
    }

    /// Where a finding about the whole system is shown: the message system's evidence,
    /// else the inboxes', the agent configuration's, the event log's, the scale's, any
    /// evidence; else the analysed folder itself.
    func anchor() -> ([CIFinding.Location], placement: CIFinding.Placed) {
        let order: [EvidenceSubject] = [.messageSystem, .inboxStructure, .agentConfig, .eventLog, .scale]
        for subject in order {
            if let item = evidence.first(where: { $0.subject == subject }),
                let place = location(path: item.path, line: item.line, note: "the system's \(subject.rawValue): \(item.detail)")
            {
                return ([place], .system)
            }
        }
        if let item = evidence.first, let place = location(path: item.path, line: item.line, note: "evidence: \(item.detail)") {
            return ([place], .system)
        }
        return ([CIFinding.Location(path: repositoryPath(".") ?? ".", line: nil, note: "the analysed folder")], .system)
    }
}
