public import CoordMigrateModel
public import Foundation
internal import CLibXML2

/// The detection as JUnit XML, for CI servers to gate a pipeline on.
///
/// Three suites: `patterns` (a testcase per pattern, failing with the
/// remediation when missing), `infrastructure` (message system, event log,
/// inbox, agent config) and `gates` (each `--fail-on` condition). Testcase names
/// are the stable ids, never values that change between runs, because CI trend
/// views key on them. Written with libxml2's xmlTextWriter.
public struct JUnitEmitter: ReportEmitter {
    /// `junit`, the name `--format` takes.
    public static let identifier = "junit"
    /// `xml`.
    public static let aliases = ["xml"]
    /// `xml`.
    public static let fileExtension = "xml"
    /// The format's line in `--help`.
    public static let summary = "JUnit XML for CI test reports"

    /// Creates the emitter; JUnit takes no template.
    public init() {}

    /// One `<testcase>`.
    struct Case {
        var name: String
        var classname: String
        var failure: (message: String, type: String, details: String)?
        var skipped: String?
        /// Who answers for the skip and until when, as the `<skipped>` element's text.
        var skipTerms: String?
        /// What was found and where, for the CI's test output view.
        var output: String?
    }

    /// One `<testsuite>`.
    struct Suite {
        var name: String
        var cases: [Case]
        /// The suite's `time` attribute; measured durations only where a run has them.
        var time = JUnitEmitter.seconds(0)
        var failures: Int { cases.filter { $0.failure != nil }.count }
        var skipped: Int { cases.filter { $0.skipped != nil }.count }
    }

    static func suites(for report: MigrationReport) -> [Suite] {
        let detection = report.detection
        let skips = Dictionary(report.skips.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func output(_ finding: PatternFinding) -> String {
            let lines = detection.evidence.filter { $0.subject.rawValue == finding.id }.map { "\($0.kind.rawValue) \($0.location): \($0.detail)" }
            // An expired skip is checked again, and says so where the pattern is reported.
            let expired = skips[finding.id].flatMap { $0.expired ? "warning: \($0.expiryWarning.description)" : nil }
            return ([finding.summary] + lines + (expired.map { [$0] } ?? [])).joined(separator: "\n")
        }
        func terms(_ finding: PatternFinding) -> String? {
            finding.skippedReason == nil ? nil : skips[finding.id]?.terms
        }
        var patterns = detection.patterns.map { finding in
            Case(
                name: finding.id, classname: "coord-migrate.patterns",
                failure: finding.present || finding.skippedReason != nil ? nil : (
                    message: finding.remediation, type: "missing-pattern",
                    details: "\(finding.title) is missing: \(finding.summary).\n\(finding.remediation)\nSee \(PatternID(rawValue: finding.id)?.documentationAnchor ?? finding.id)"),
                skipped: finding.skippedReason, skipTerms: terms(finding),
                output: output(finding))
        }
        patterns += detection.customPatterns.map { finding in
            Case(
                name: finding.id, classname: "coord-migrate.custom-patterns",
                failure: finding.present || finding.skippedReason != nil ? nil : (
                    message: finding.remediation, type: "missing-pattern",
                    details: "\(finding.title): \(finding.summary)" + (finding.documentation.map { "\nSee \($0)" } ?? "")),
                skipped: finding.skippedReason, skipTerms: terms(finding),
                output: output(finding))
        }
        func infrastructure(_ name: String, _ present: Bool, _ remediation: String, _ found: String) -> Case {
            Case(
                name: name, classname: "coord-migrate.infrastructure",
                failure: present ? nil : (message: remediation, type: "missing-infrastructure", details: remediation))
        }
        let infra = [
            infrastructure(
                "message-system", detection.hasMessageSystem,
                "No message system found: the plan sets up per-agent inboxes.", detection.messageSystemType.rawValue),
            infrastructure(
                "event-log", detection.hasEventLog,
                "No event log found: create an append-only events.log (plan step 'Initialize event log').", "found"),
            infrastructure(
                "inbox-structure", detection.hasInboxStructure,
                "No per-agent inbox folders under inbox/: create one folder per agent.", "found"),
            infrastructure(
                "agent-config", detection.hasAgentConfig,
                "No agent configuration found: write config.yaml (plan step 'Create agent configuration').", "found"),
        ]
        return [
            Suite(name: "patterns", cases: patterns),
            Suite(name: "infrastructure", cases: infra),
            Suite(name: "gates", cases: report.gates.map { gate in
                Case(
                    name: gate.condition, classname: "coord-migrate.gates",
                    failure: gate.failed ? (message: gate.message, type: "gate-failed", details: gate.actual) : nil)
            }),
        ]
    }

    /// The report as a UTF-8 JUnit XML document with the `patterns`, `infrastructure` and
    /// `gates` suites; throws ``EmitError`` when libxml2 fails.
    public func emit(_ report: MigrationReport) throws -> Data {
        let suites = Self.suites(for: report)
        let time = Self.seconds(report.scan.elapsedMs)
        // JUnit's XSD wants a timestamp without a zone designator.
        let timestamp = report.generatedAt.hasSuffix("Z") ? String(report.generatedAt.dropLast()) : report.generatedAt
        var properties: [(String, String)] = [
            ("complexity", report.complexity.complexityLevel.rawValue),
            ("complexity_score", "\(report.complexity.complexityScore)"),
            // The seed formula's hours, kept for comparison; the plan's effort is the steps added up below.
            ("estimated_hours", "\(report.complexity.estimatedHours)"),
            ("step_hours_low", ReportView.formatHours(report.plan.stepHoursTotal.low)),
            ("step_hours_high", ReportView.formatHours(report.plan.stepHoursTotal.high)),
            ("effort_estimate", report.plan.timeline.effortEstimate),
            ("risk", report.complexity.riskLevel.rawValue),
            ("plan_risk", report.plan.riskAssessment.level.rawValue),
            ("scale", report.detection.estimatedScale.rawValue),
            ("timeline", report.plan.estimatedTimeline),
            ("existing_patterns", "\(report.detection.existingPatterns.count)"),
            ("gaps", "\(report.detection.gaps.count)"),
            ("target_path", report.targetPath),
            ("discovered_from", report.detection.discovery?.requestedPath ?? ""),
            ("tool_version", report.tool.version),
            ("policy", report.policy.map { "custom (\($0.source)): " + $0.changes.joined(separator: "; ") } ?? "default"),
        ]
        // How sure each pattern's finding is (skipped patterns have none), and each infrastructure fact.
        properties += report.detection.patterns.compactMap { finding in
            finding.confidence.map { ("confidence.\(finding.id)", $0.rawValue) }
        }
        properties += (report.detection.infrastructureConfidence ?? []).map { ("confidence.\($0.fact)", $0.confidence.rawValue) }
        if !report.expiredSkips.isEmpty {
            // Present only when a skip expired, so other reports keep their properties.
            properties.append(("expired_skips", report.expiredSkips.map { "\($0.id) (\($0.expires ?? "?"))" }.joined(separator: ", ")))
        }
        if let database = report.detection.database {
            // Present only when a database was measured, so other reports keep their properties.
            properties += [
                ("database", "\(database.engine) \(database.location)"),
                ("database_rows", database.rowsToMove.map { "\($0)" } ?? ""),
                ("database_bytes", database.dataBytes.map { "\($0)" } ?? ""),
                ("database_messages_per_day", database.messagesPerDay.map { "\($0)" } ?? ""),
                ("database_agents", database.agents.map { "\($0)" } ?? ""),
            ]
        }

        var timed = suites
        if let index = timed.firstIndex(where: { $0.name == "patterns" }) { timed[index].time = time }
        return try Self.document(
            name: "coord-migrate", suites: timed, time: time, timestamp: timestamp, properties: properties)
    }

    /// A `<testsuites>` document. Attributes and elements given as nil or empty
    /// are left out; counts are taken from the cases.
    static func document(
        name: String, suites: [Suite], time: String?, timestamp: String?, properties: [(String, String)]
    ) throws -> Data {
        let writer = try XMLWriter()
        try writer.startDocument()
        try writer.start("testsuites")
        try writer.attribute("name", name)
        try writer.attribute("tests", "\(suites.reduce(0) { $0 + $1.cases.count })")
        try writer.attribute("failures", "\(suites.reduce(0) { $0 + $1.failures })")
        try writer.attribute("errors", "0")
        try writer.attribute("skipped", "\(suites.reduce(0) { $0 + $1.skipped })")
        if let time { try writer.attribute("time", time) }
        for suite in suites {
            try writer.start("testsuite")
            try writer.attribute("name", suite.name)
            try writer.attribute("tests", "\(suite.cases.count)")
            try writer.attribute("failures", "\(suite.failures)")
            try writer.attribute("errors", "0")
            try writer.attribute("skipped", "\(suite.skipped)")
            try writer.attribute("time", suite.time)
            if let timestamp { try writer.attribute("timestamp", timestamp) }
            if !properties.isEmpty {
                try writer.start("properties")
                for (name, value) in properties {
                    try writer.start("property")
                    try writer.attribute("name", name)
                    try writer.attribute("value", value)
                    try writer.end()
                }
                try writer.end()
            }
            for testcase in suite.cases {
                try writer.start("testcase")
                try writer.attribute("name", testcase.name)
                try writer.attribute("classname", testcase.classname)
                try writer.attribute("time", Self.seconds(0))
                if let failure = testcase.failure {
                    try writer.start("failure")
                    try writer.attribute("message", failure.message)
                    try writer.attribute("type", failure.type)
                    try writer.text(failure.details)
                    try writer.end()
                }
                if let reason = testcase.skipped {
                    try writer.start("skipped")
                    try writer.attribute("message", reason)
                    if let terms = testcase.skipTerms { try writer.text(terms) }
                    try writer.end()
                }
                if let output = testcase.output {
                    try writer.start("system-out")
                    try writer.text(output)
                    try writer.end()
                }
                try writer.end()
            }
            try writer.end()
        }
        try writer.end()
        return try writer.finish()
    }

    /// Milliseconds as JUnit's decimal seconds.
    static func seconds(_ milliseconds: Int) -> String {
        let fraction = milliseconds % 1000
        let padded = String(repeating: "0", count: 3 - String(fraction).count) + String(fraction)
        return "\(milliseconds / 1000).\(padded)"
    }
}

/// A thin owner of an xmlTextWriter writing to memory.
final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    init() throws {
        guard let buffer = xmlBufferCreate() else { throw EmitError("libxml2 could not allocate a buffer") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw EmitError("libxml2 could not create a writer")
        }
        self.buffer = buffer
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        _ = "  ".withCString { xmlTextWriterSetIndentString(writer, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    private func check(_ result: Int32, _ what: String) throws {
        if result < 0 { throw EmitError("libxml2 failed to write \(what)") }
    }

    func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "the XML declaration")
    }

    func start(_ element: String) throws {
        try check(element.withXMLString { xmlTextWriterStartElement(writer, $0) }, "<\(element)>")
    }

    func end() throws {
        try check(xmlTextWriterEndElement(writer), "an end tag")
    }

    func attribute(_ name: String, _ value: String) throws {
        let result = name.withXMLString { name in
            XMLText.clean(value).withXMLString { xmlTextWriterWriteAttribute(writer, name, $0) }
        }
        try check(result, "attribute \(name)")
    }

    func text(_ value: String) throws {
        try check(XMLText.clean(value).withXMLString { xmlTextWriterWriteString(writer, $0) }, "text")
    }

    func finish() throws -> Data {
        try check(xmlTextWriterEndDocument(writer), "the end of the document")
        xmlTextWriterFlush(writer)
        guard let content = xmlBufferContent(buffer) else { return Data() }
        return Data(bytes: content, count: Int(xmlBufferLength(buffer)))
    }
}

/// Text that XML 1.0 can carry.
enum XMLText {
    /// Removes the characters XML 1.0 forbids (control characters other than tab,
    /// line feed and carriage return; U+FFFE and U+FFFF). libxml2's writer would
    /// pass them through and produce a document no parser accepts.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isAllowed($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where isAllowed(scalar) { out.append(scalar) }
        return String(out)
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

extension String {
    /// Calls `body` with the string as libxml2's `const xmlChar *`.
    func withXMLString<R>(_ body: (UnsafePointer<xmlChar>) -> R) -> R {
        withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }
}
