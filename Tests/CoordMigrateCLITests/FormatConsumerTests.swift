import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Every output format read back by a real consumer: xmllint and Python's
// junitparser for JUnit, Python's html.parser for HTML, the tool's own `render`
// for JSON. Expected values always come from the JSON report of the same run.

// MARK: - Consumers (shared with GateAndDiffTests)

enum Consumer {
    /// The caller's environment: the consumers are found and configured as the developer has them.
    static var callerEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment["LC_ALL"] = "C.UTF-8"
        return environment
    }

    /// `name` in each folder of the caller's PATH, then in /usr/bin.
    static func candidates(_ name: String) -> [String] {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/bin"]
        return folders.map { $0 + "/" + name }.filter { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let xmllintPath: String = candidates("xmllint").first ?? "/usr/bin/xmllint"

    /// The first python3 on the PATH that has junitparser (html.parser is in every python3).
    static let pythonPath: String = {
        let found = candidates("python3")
        return found.first { (try? run($0, ["-c", "import junitparser"]))?.status == 0 } ?? found.first ?? "/usr/bin/python3"
    }()

    /// Runs `executable`; output goes to files, so nothing can block.
    static func run(_ executable: String, _ arguments: [String]) throws -> ProcessResult {
        try #require(FileManager.default.isExecutableFile(atPath: executable), "\(executable) is not installed")
        return try runProcess(URL(fileURLWithPath: executable), arguments, environment: callerEnvironment)
    }

    /// `xmllint --noout FILE`: well-formedness as libxml2's parser sees it.
    @discardableResult
    static func xmllint(_ file: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let result = try run(xmllintPath, ["--noout", file])
        #expect(result.status == 0, "xmllint rejects \(file): \(result.stderr)", sourceLocation: sourceLocation)
        return result.status == 0
    }

    /// Runs a Python script that prints one JSON document, and decodes it.
    static func python<T: Decodable>(_ type: T.Type, _ script: String, _ arguments: [String]) throws -> T {
        let result = try run(pythonPath, ["-c", script] + arguments)
        try #require(result.status == 0, "python failed: \(result.stderr)")
        return try JSONDecoder().decode(T.self, from: result.stdout)
    }

    static func junit(_ file: String) throws -> JUnitDocument {
        try python(JUnitDocument.self, JUnitDocument.script, [file])
    }

    static func html(_ file: String) throws -> HTMLDocument {
        try python(HTMLDocument.self, HTMLDocument.script, [file])
    }
}

/// A JUnit file as Python's junitparser reads it.
struct JUnitDocument: Decodable {
    struct Failure: Decodable {
        var message: String?
        var type: String?
        var text: String?
    }

    struct Case: Decodable {
        var name: String?
        var classname: String?
        var failures: [Failure]
        var errors: Int
        var skipped: Int
    }

    struct Suite: Decodable {
        var name: String?
        var tests: Int?
        var failures: Int?
        var errors: Int?
        var skipped: Int?
        var timestamp: String?
        var properties: [String: String]
        var cases: [Case]

        var caseNames: [String] { cases.map { $0.name ?? "" } }
        var failingNames: [String] { cases.filter { !$0.failures.isEmpty }.map { $0.name ?? "" } }
    }

    var name: String?
    var tests: Int?
    var failures: Int?
    var errors: Int?
    var skipped: Int?
    var suites: [Suite]

    func suite(_ name: String) -> Suite? { suites.first { $0.name == name } }

    static let script = #"""
        import sys, json
        from junitparser import JUnitXml, Failure, Error, Skipped
        xml = JUnitXml.fromfile(sys.argv[1])
        if not isinstance(xml, JUnitXml):
            raise SystemExit("root is not <testsuites>")
        suites = []
        for suite in xml:
            cases = []
            for case in suite:
                results = case.result
                cases.append({
                    "name": case.name, "classname": case.classname,
                    "failures": [{"message": r.message, "type": r.type, "text": r.text}
                                 for r in results if isinstance(r, Failure)],
                    "errors": len([r for r in results if isinstance(r, Error)]),
                    "skipped": len([r for r in results if isinstance(r, Skipped)]),
                })
            suites.append({
                "name": suite.name, "tests": suite.tests, "failures": suite.failures,
                "errors": suite.errors, "skipped": suite.skipped, "timestamp": suite.timestamp,
                "properties": {p.name: p.value for p in suite.properties()},
                "cases": cases,
            })
        print(json.dumps({"name": xml.name, "tests": xml.tests, "failures": xml.failures,
                          "errors": xml.errors, "skipped": xml.skipped, "suites": suites}))
        """#

    /// The counts junitparser read from the attributes equal the real numbers, per suite and at the root.
    func expectTrueCounts(sourceLocation: SourceLocation = #_sourceLocation) {
        var all = (tests: 0, failures: 0, errors: 0, skipped: 0)
        for suite in suites {
            let failures = suite.cases.filter { !$0.failures.isEmpty }.count
            let errors = suite.cases.filter { $0.errors > 0 }.count
            let skipped = suite.cases.filter { $0.skipped > 0 }.count
            #expect(suite.tests == suite.cases.count, "suite \(suite.name ?? "?") tests", sourceLocation: sourceLocation)
            #expect(suite.failures == failures, "suite \(suite.name ?? "?") failures", sourceLocation: sourceLocation)
            #expect(suite.errors == errors, "suite \(suite.name ?? "?") errors", sourceLocation: sourceLocation)
            #expect(suite.skipped == skipped, "suite \(suite.name ?? "?") skipped", sourceLocation: sourceLocation)
            all.tests += suite.cases.count
            all.failures += failures
            all.errors += errors
            all.skipped += skipped
        }
        #expect(tests == all.tests, "root tests", sourceLocation: sourceLocation)
        #expect(failures == all.failures, "root failures", sourceLocation: sourceLocation)
        #expect(errors == all.errors, "root errors", sourceLocation: sourceLocation)
        #expect(skipped == all.skipped, "root skipped", sourceLocation: sourceLocation)
    }
}

/// An HTML page as Python's html.parser tokenises it.
struct HTMLDocument: Decodable {
    struct Element: Decodable {
        var tag: String
        /// Name/value pairs; a value-less attribute has "".
        var attributes: [[String]]
    }

    struct Tile: Decodable {
        var classes: [String]
        /// The text of the first `<code>` in the tile: the pattern id.
        var id: String?
    }

    struct Checklist: Decodable {
        /// The `aria-labelledby` of the enclosing `<section>`.
        var section: String?
        var items: [String]
    }

    var elements: [Element]
    var h1: Int
    var svgs: Int
    /// Rects of the SVGs outside the system map's figure: the timeline chart's bars.
    var svgRects: Int
    /// SVGs inside `<figure class="system-map">`, and the node groups (`<g class="node …">`) in them.
    var mapSVGs: Int
    var mapNodes: Int
    var tiles: [Tile]
    var checklists: [Checklist]
    /// Every text node, unescaped, joined.
    var text: String

    func elements(_ tag: String) -> [Element] { elements.filter { $0.tag == tag } }

    func attributes(of element: Element, _ name: String) -> [String] {
        element.attributes.filter { $0.first == name }.map { $0.count > 1 ? $0[1] : "" }
    }

    static let script = #"""
        import sys, json
        from html.parser import HTMLParser

        class Page(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.elements = []
                self.h1 = 0
                self.section = None
                self.svgs = 0
                self.svg_depth = 0
                self.svg_rects = 0
                self.in_map = False
                self.map_svgs = 0
                self.map_nodes = 0
                self.div_depth = 0
                self.tile = None
                self.tile_depth = None
                self.tiles = []
                self.code = None
                self.checklist = None
                self.checklists = []
                self.li = None
                self.text = []

            def handle_starttag(self, tag, attrs):
                attributes = [[name, value if value is not None else ""] for name, value in attrs]
                self.elements.append({"tag": tag, "attributes": attributes})
                values = dict(attributes)
                classes = values.get("class", "").split()
                if tag == "h1":
                    self.h1 += 1
                elif tag == "section":
                    self.section = values.get("aria-labelledby")
                elif tag == "figure" and "system-map" in classes:
                    self.in_map = True
                elif tag == "svg":
                    self.svgs += 1
                    self.svg_depth += 1
                    if self.in_map:
                        self.map_svgs += 1
                elif tag == "g" and self.in_map and "sm-node" in classes:
                    self.map_nodes += 1
                elif tag == "rect" and self.svg_depth > 0 and not self.in_map:
                    self.svg_rects += 1
                elif tag == "div":
                    self.div_depth += 1
                    if "tile" in classes and self.section == "patterns" and self.tile is None:
                        self.tile = {"classes": classes, "id": None}
                        self.tile_depth = self.div_depth
                elif tag == "code" and self.tile is not None and self.tile["id"] is None:
                    self.code = ""
                elif tag == "ul" and "checklist" in classes:
                    self.checklist = {"section": self.section, "items": []}
                elif tag == "li" and self.checklist is not None:
                    self.li = ""

            def handle_endtag(self, tag):
                if tag == "section":
                    self.section = None
                elif tag == "svg":
                    self.svg_depth -= 1
                elif tag == "figure":
                    self.in_map = False
                elif tag == "div":
                    if self.tile is not None and self.div_depth == self.tile_depth:
                        self.tiles.append(self.tile)
                        self.tile = None
                    self.div_depth -= 1
                elif tag == "code" and self.code is not None:
                    self.tile["id"] = self.code
                    self.code = None
                elif tag == "li" and self.li is not None:
                    self.checklist["items"].append(self.li.strip())
                    self.li = None
                elif tag == "ul" and self.checklist is not None:
                    self.checklists.append(self.checklist)
                    self.checklist = None

            def handle_data(self, data):
                self.text.append(data)
                if self.code is not None:
                    self.code += data
                if self.li is not None:
                    self.li += data

        page = Page()
        with open(sys.argv[1], encoding="utf-8") as f:
            page.feed(f.read())
        page.close()
        print(json.dumps({
            "elements": page.elements, "h1": page.h1, "svgs": page.svgs, "svgRects": page.svg_rects,
            "mapSVGs": page.map_svgs, "mapNodes": page.map_nodes,
            "tiles": page.tiles, "checklists": page.checklists, "text": "".join(page.text),
        }))
        """#
}

// MARK: - The JSON report, as a consumer sees it

/// A JSON report read with JSONSerialization, addressed by dotted key paths.
struct JSONReport {
    let root: [String: Any]

    init(data: Data) throws {
        root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "the report is not a JSON object")
    }

    init(file: String) throws {
        try self.init(data: try Data(contentsOf: URL(fileURLWithPath: file)))
    }

    func value(_ path: String) -> Any? {
        var current: Any? = root
        for key in path.split(separator: ".") {
            current = (current as? [String: Any])?[String(key)]
        }
        return current
    }

    func string(_ path: String) -> String? { value(path) as? String }
    func int(_ path: String) -> Int? { (value(path) as? NSNumber)?.intValue }
    func bool(_ path: String) -> Bool? { (value(path) as? NSNumber)?.boolValue }
    func strings(_ path: String) -> [String] { value(path) as? [String] ?? [] }
    func objects(_ path: String) -> [[String: Any]] { value(path) as? [[String: Any]] ?? [] }

    /// `detection.patterns` as (id, present, remediation).
    var patterns: [(id: String, present: Bool, remediation: String)] {
        objects("detection.patterns").map {
            ($0["id"] as? String ?? "", ($0["present"] as? NSNumber)?.boolValue ?? false, $0["remediation"] as? String ?? "")
        }
    }

    /// `gates` as (condition, failed).
    var gates: [(condition: String, failed: Bool)] {
        objects("gates").map { ($0["condition"] as? String ?? "", ($0["failed"] as? NSNumber)?.boolValue ?? false) }
    }
}

// MARK: - Runs and trees

let allSampleNames = ["agent-bridge", "my-scripts", "enterprise-workflow"]
let allFormatFiles = ["migration-plan.html", "migration-plan.json", "migration-plan.md", "migration-plan.xml"]

/// `analyze --path PATH --format FORMATS --output-dir DIR --now … --quiet` plus `extra`.
func analyzeInto(_ directory: String, path: String, formats: String = "md,html,junit,json", extra: [String] = []) throws -> CLIResult {
    try CLI.run(["--path", path, "--format", formats, "--output-dir", directory, "--now", fixedNowText, "--quiet"] + extra)
}

/// Copies a sample into `scratch` under `name`, so a test may change it.
func copySample(_ sample: String, into scratch: Scratch, as name: String) throws -> String {
    let target = scratch.url.appendingPathComponent(name)
    try FileManager.default.copyItem(at: sampleURL(sample), to: target)
    return target.path
}

/// Creates an empty file whose path is given as raw bytes (no NUL), with POSIX calls.
func createRawFile(_ path: [UInt8]) throws {
    let descriptor = (path + [0]).withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
    }
    try #require(descriptor >= 0, "cannot create \(String(decoding: path, as: UTF8.self)): errno \(errno)")
    close(descriptor)
}

func fileData(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

func listing(_ folder: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

/// The JUnit checks every report must pass, against the JSON report of the same run.
func expectJUnitMatchesReport(
    _ junit: JUnitDocument, _ report: JSONReport, gates: [(condition: String, failed: Bool)] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(junit.suites.map(\.name) == ["patterns", "infrastructure", "gates"], sourceLocation: sourceLocation)
    junit.expectTrueCounts(sourceLocation: sourceLocation)
    for suite in junit.suites {
        for testcase in suite.cases {
            #expect(!(testcase.classname ?? "").isEmpty, "\(testcase.name ?? "?") has no classname", sourceLocation: sourceLocation)
        }
        // <properties> carry the headline numbers, in every suite.
        #expect(suite.properties["complexity"] == report.string("complexity.complexity_level"), sourceLocation: sourceLocation)
        #expect(suite.properties["estimated_hours"] == report.int("complexity.estimated_hours").map { "\($0)" }, sourceLocation: sourceLocation)
        #expect(suite.properties["risk"] == report.string("complexity.risk_level"), sourceLocation: sourceLocation)
        #expect(suite.properties["scale"] == report.string("detection.estimated_scale"), sourceLocation: sourceLocation)
        #expect(suite.properties["timeline"] == report.string("plan.estimated_timeline"), sourceLocation: sourceLocation)
    }

    // patterns: one testcase per pattern id, failing with the remediation when missing.
    let patterns = report.patterns
    #expect(patterns.map { $0.id } == PatternID.allCases.map(\.rawValue), "the report lists the eight patterns", sourceLocation: sourceLocation)
    if let suite = junit.suite("patterns") {
        #expect(suite.caseNames == patterns.map { $0.id }, sourceLocation: sourceLocation)
        for (pattern, testcase) in zip(patterns, suite.cases) {
            if pattern.present {
                #expect(testcase.failures.isEmpty, "\(pattern.id) is present but fails", sourceLocation: sourceLocation)
            } else {
                #expect(testcase.failures.count == 1, "\(pattern.id) is missing but passes", sourceLocation: sourceLocation)
                #expect(testcase.failures.first?.message == pattern.remediation, "\(pattern.id)", sourceLocation: sourceLocation)
                #expect(testcase.failures.first?.text?.contains(pattern.remediation) == true, "\(pattern.id)", sourceLocation: sourceLocation)
            }
        }
        #expect(Set(suite.failingNames) == Set(report.strings("detection.gaps")), sourceLocation: sourceLocation)
    }

    // infrastructure: the four booleans of the detection.
    if let suite = junit.suite("infrastructure") {
        let expected: [(String, String)] = [
            ("message-system", "detection.has_message_system"), ("event-log", "detection.has_event_log"),
            ("inbox-structure", "detection.has_inbox_structure"), ("agent-config", "detection.has_agent_config"),
        ]
        #expect(suite.caseNames == expected.map { $0.0 }, sourceLocation: sourceLocation)
        for (name, key) in expected {
            let failing = suite.failingNames.contains(name)
            #expect(report.bool(key) == !failing, "\(name) fails exactly when \(key) is false", sourceLocation: sourceLocation)
        }
    }

    // gates: one testcase per condition, failing exactly when the gate failed.
    if let suite = junit.suite("gates") {
        #expect(suite.caseNames == gates.map { $0.condition }, sourceLocation: sourceLocation)
        #expect(suite.failingNames == gates.filter { $0.failed }.map { $0.condition }, sourceLocation: sourceLocation)
    }
}

// MARK: - Tests

@Suite("each format read back by a real consumer")
struct FormatConsumerTests {
    // MARK: JUnit

    @Test("JUnit: xmllint and junitparser accept it; suites, names, counts, failures and properties match the JSON",
          arguments: allSampleNames)
    func junitSamples(_ sample: String) throws {
        let scratch = try Scratch("junit")
        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: sampleURL(sample).path, formats: "junit,json")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try listing(out) == ["migration-plan.json", "migration-plan.xml"])
        try Consumer.xmllint(out + "/migration-plan.xml")
        let junit = try Consumer.junit(out + "/migration-plan.xml")
        let report = try JSONReport(file: out + "/migration-plan.json")
        expectJUnitMatchesReport(junit, report)
        #expect(junit.suite("gates")?.cases.isEmpty == true, "no --fail-on, no gate testcases")
        for suite in junit.suites {
            #expect(suite.timestamp == "2026-11-25T08:00:00", "the fixed time, without a zone designator")
        }
    }

    @Test("JUnit: testcase names are the stable ids, the same for two quite different trees")
    func junitNamesStable() throws {
        let scratch = try Scratch("stable")
        let small = try scratch.dir("small")
        _ = try scratch.file("small/inbox/a/one.msg", "x")
        let big = try scratch.dir("big")
        for agent in ["alpha", "beta", "gamma"] {
            for n in 0..<4 {
                _ = try scratch.file("big/inbox/\(agent)/2025-10-30T12:00:0\(n)-\(agent)-\(UUID().uuidString.lowercased()).msg", "x")
            }
        }
        _ = try scratch.file("big/inbox/priority/urgent.msg", "x")
        _ = try scratch.file("big/events.log", "{}\n")
        _ = try scratch.file("big/config.yaml", "agents:\n  alpha: {}\n  beta: {}\n")
        _ = try scratch.file("big/specs/Spec.tla", "---- MODULE Spec ----\n====\n")

        var documents: [JUnitDocument] = []
        var reports: [JSONReport] = []
        for (tree, name) in [(small, "a"), (big, "b")] {
            let out = try scratch.dir("out-\(name)")
            let run = try analyzeInto(out, path: tree, formats: "junit,json")
            #expect(run.status == 0, "\(run.stderr)")
            try Consumer.xmllint(out + "/migration-plan.xml")
            documents.append(try Consumer.junit(out + "/migration-plan.xml"))
            reports.append(try JSONReport(file: out + "/migration-plan.json"))
        }
        #expect(reports[0].strings("detection.gaps") != reports[1].strings("detection.gaps"), "the trees really differ")
        let shapes = documents.map { document in document.suites.map { suite in suite.cases.map { "\(suite.name ?? "")/\($0.classname ?? "")/\($0.name ?? "")" } } }
        #expect(shapes[0] == shapes[1])
        for (document, report) in zip(documents, reports) {
            expectJUnitMatchesReport(document, report)
            for testcase in document.suites.flatMap(\.cases) {
                let name = testcase.name ?? ""
                #expect(!name.contains("/") && !name.contains(" ") && !name.contains(where: \.isNumber), "'\(name)' looks like a count or a path")
            }
        }
    }

    @Test("JUnit: characters XML 1.0 forbids, in file and folder names, still give a document xmllint accepts")
    func junitForbiddenCharacters() throws {
        let scratch = try Scratch("forbidden")
        // The tree's own folder name carries them too, so they reach target_path.
        let forbidden = "\u{1}\u{1B}[31m\u{FFFE}\u{FFFF}"
        let tree = scratch.url.appendingPathComponent("tree-\(forbidden)-end")
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("inbox/agent"), withIntermediateDirectories: true)
        let uuid = "550e8400-e29b-41d4-a716-446655440000"
        let name = Array("msg-".utf8) + [0x01, 0x1B] + Array("[31m".utf8) + [0xEF, 0xBF, 0xBE] + Array("-\(uuid).msg".utf8)
        try createRawFile(Array(tree.appendingPathComponent("inbox/agent").path.utf8) + [0x2F] + name)

        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: tree.path, formats: "junit,json,html,md")
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONReport(file: out + "/migration-plan.json")
        let evidence = report.objects("detection.evidence").compactMap { $0["path"] as? String }
        #expect(evidence.contains { $0.contains(uuid) && $0.contains("\u{1}") }, "the file is evidence: \(evidence)")
        #expect(report.string("target_path")?.contains("\u{1}") == true)

        let xml = try fileData(out + "/migration-plan.xml")
        try Consumer.xmllint(out + "/migration-plan.xml")
        #expect(!xml.contains(0x01) && !xml.contains(0x1B), "control characters are removed")
        #expect(!String(decoding: xml, as: UTF8.self).unicodeScalars.contains { $0.value == 0xFFFE || $0.value == 0xFFFF })
        let junit = try Consumer.junit(out + "/migration-plan.xml")
        expectJUnitMatchesReport(junit, report)
        let cleaned = String(String.UnicodeScalarView((report.string("target_path") ?? "").unicodeScalars.filter {
            $0.value >= 0x20 && $0.value != 0xFFFE && $0.value != 0xFFFF
        }))
        #expect(junit.suite("patterns")?.properties["target_path"] == cleaned)
    }

    @Test("every format: identical bytes for identical input with --now", arguments: allSampleNames)
    func reproducible(_ sample: String) throws {
        let scratch = try Scratch("repro")
        let first = try scratch.dir("first"), second = try scratch.dir("second")
        for folder in [first, second] {
            let run = try analyzeInto(folder, path: sampleURL(sample).path, extra: ["--fail-on", "hours>100000"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(try listing(first) == allFormatFiles)
        for file in allFormatFiles {
            #expect(try fileData(first + "/" + file) == fileData(second + "/" + file), "\(sample) \(file)")
        }
    }

    // MARK: HTML

    @Test("HTML: html.parser finds one h1, a strict CSP, no scripts or external URLs, tiles, chart and checklists from the JSON",
          arguments: allSampleNames)
    func htmlSamples(_ sample: String) throws {
        let scratch = try Scratch("html")
        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: sampleURL(sample).path, formats: "html,json")
        #expect(run.status == 0, "\(run.stderr)")
        let page = try Consumer.html(out + "/migration-plan.html")
        let report = try JSONReport(file: out + "/migration-plan.json")

        #expect(page.h1 == 1)
        let csp = page.elements("meta").filter { page.attributes(of: $0, "http-equiv").map { $0.lowercased() } == ["content-security-policy"] }
        #expect(csp.count == 1)
        let policy = csp.first.flatMap { page.attributes(of: $0, "content").first } ?? ""
        #expect(policy.contains("default-src 'none'"), "\(policy)")
        #expect(!policy.contains("script-src"), "\(policy)")
        expectNoActiveContent(page)

        // The eight pattern tiles, present or missing as the JSON says.
        let patterns = report.patterns
        #expect(page.tiles.count == patterns.count + report.objects("detection.custom_patterns").count)
        #expect(page.tiles.prefix(patterns.count).map { $0.id ?? "" } == patterns.map { $0.id })
        for (pattern, tile) in zip(patterns, page.tiles) {
            #expect(tile.classes.contains("present") == pattern.present, "\(pattern.id): \(tile.classes)")
            #expect(tile.classes.contains("missing") == !pattern.present, "\(pattern.id): \(tile.classes)")
        }

        // The system map's diagram, one drawn node per node of the JSON's map (none when the map is empty).
        let mapNodes = report.objects("detection.system_map.nodes")
        #expect(page.mapSVGs == (mapNodes.isEmpty ? 0 : 1))
        #expect(page.mapNodes == mapNodes.count)

        // A plan without steps (no coordination system) says why, and has no chart, rollback or checklists.
        if report.objects("plan.steps").isEmpty {
            #expect(page.svgs == page.mapSVGs)
            #expect(page.checklists.isEmpty)
            #expect(page.text.contains(report.string("plan.no_system") ?? "(missing)"))
            return
        }
        // One bar per timeline phase in the other inline SVG.
        #expect(page.svgs == 1 + page.mapSVGs)
        let phases = report.objects("plan.timeline.phases")
        #expect(!phases.isEmpty)
        #expect(page.svgRects == phases.count)

        // Checklists drawn from the model.
        let success = page.checklists.filter { $0.section == "success" }
        #expect(success.map(\.items) == [report.strings("plan.success_criteria")])
        let acceptance = page.checklists.filter { $0.section == "testing" }
        #expect(acceptance.map(\.items) == [report.strings("plan.testing_strategy.acceptance_criteria")])
        #expect(page.checklists.count == 2)
    }

    @Test("HTML: names from the tree that look like markup stay text")
    func htmlInjection() throws {
        let scratch = try Scratch("inject")
        let tree = try scratch.dir("tree")
        let image = "<img src=x onerror=alert(1)>-550e8400-e29b-41d4-a716-446655440000.msg"
        let folder = "inbox/<script>alert(1)</script>"
        _ = try scratch.file("tree/\(folder)/\(image)", "hello")
        _ = try scratch.file("tree/inbox/agent/\(image)", "hello")
        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: tree, formats: "html,json")
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONReport(file: out + "/migration-plan.json")
        let evidence = report.objects("detection.evidence").compactMap { $0["path"] as? String }
        #expect(evidence.contains("\(folder)/\(image)"), "the names reach the report: \(evidence)")

        let page = try Consumer.html(out + "/migration-plan.html")
        #expect(page.elements("img").isEmpty)
        #expect(page.elements("script").isEmpty)
        expectNoActiveContent(page)
        #expect(page.text.contains("\(folder)/\(image)"), "the path appears as text")
        #expect(page.text.contains("inbox/agent/\(image)"))
        #expect(page.h1 == 1)
    }

    /// No scripts, no event handlers, no requests leaving the page.
    func expectNoActiveContent(_ page: HTMLDocument, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.elements("script").isEmpty, sourceLocation: sourceLocation)
        for element in page.elements {
            for pair in element.attributes {
                let name = pair.first?.lowercased() ?? ""
                let value = (pair.count > 1 ? pair[1] : "").trimmingCharacters(in: .whitespaces).lowercased()
                #expect(!name.hasPrefix("on"), "<\(element.tag) \(name)=…>", sourceLocation: sourceLocation)
                if ["src", "href", "action", "formaction", "srcset", "poster", "data"].contains(name) {
                    #expect(!value.hasPrefix("http:") && !value.hasPrefix("https:") && !value.hasPrefix("//"),
                            "<\(element.tag) \(name)=\(value)>", sourceLocation: sourceLocation)
                }
            }
        }
    }

    // MARK: Markdown

    @Test("Markdown: --format md and --format markdown write the same bytes", arguments: allSampleNames)
    func markdownAlias(_ sample: String) throws {
        let common = ["--path", sampleURL(sample).path, "--output", "-", "--now", fixedNowText, "--quiet"]
        let md = try CLI.run(common + ["--format", "md"])
        let markdown = try CLI.run(common + ["--format", "markdown"])
        #expect(md.status == 0 && markdown.status == 0)
        #expect(!md.stdout.isEmpty)
        #expect(md.stdout == markdown.stdout)
    }

    // MARK: Several formats at once

    @Test("--format md,html,junit,json --output-dir writes exactly the four files, each readable")
    func allFormats() throws {
        let scratch = try Scratch("all")
        let out = try scratch.dir("out")
        let run = try analyzeInto(out, path: sampleURL("enterprise-workflow").path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(try listing(out) == allFormatFiles)
        try Consumer.xmllint(out + "/migration-plan.xml")
        let report = try JSONReport(file: out + "/migration-plan.json")
        expectJUnitMatchesReport(try Consumer.junit(out + "/migration-plan.xml"), report)
        #expect(try Consumer.html(out + "/migration-plan.html").h1 == 1)
        // Each file equals what the single-format run prints.
        for (format, file) in [("md", "migration-plan.md"), ("html", "migration-plan.html"), ("junit", "migration-plan.xml"), ("json", "migration-plan.json")] {
            let single = try CLI.run(["--path", sampleURL("enterprise-workflow").path, "--format", format, "--output", "-", "--now", fixedNowText, "--quiet"])
            #expect(single.stdout == (try fileData(out + "/" + file)), "\(format)")
        }
    }

    @Test("--format can be repeated")
    func repeatedFormatFlag() throws {
        let scratch = try Scratch("repeat")
        let out = try scratch.dir("out")
        let run = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "md", "--format", "json", "--output-dir", out,
                               "--now", fixedNowText, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try listing(out) == ["migration-plan.json", "migration-plan.md"])
        #expect(try JSONReport(file: out + "/migration-plan.json").string("schema_version") == "1")
    }

    @Test("--output FILE with two formats: exit 2, nothing written")
    func outputWithTwoFormats() throws {
        let scratch = try Scratch("two")
        let work = try scratch.dir("work")
        let run = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "md,json", "--output", work + "/plan.md",
                               "--now", fixedNowText], in: URL(fileURLWithPath: work))
        #expect(run.status == 2)
        #expect(run.stderr.contains("--output-dir"), "\(run.stderr)")
        #expect(try listing(work).isEmpty)
    }

    @Test("--output naming a FIFO writes the report into it and leaves the FIFO in place")
    func outputToFIFO() throws {
        let scratch = try Scratch("fifo")
        let work = try scratch.dir("work")
        let fifo = work + "/plan.pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Held open for reading (non-blocking, so nothing can hang): the tool's open for
        // writing then succeeds, and the report (under the 64 KiB pipe buffer) waits in
        // the pipe. Had the FIFO been replaced by a file, this reads nothing.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let run = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", fifo,
                               "--now", fixedNowText, "--quiet"])
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while case let count = read(reader, &buffer, buffer.count), count > 0 { received.append(contentsOf: buffer[..<count]) }
        #expect(run.status == 0, "\(run.stderr)")
        let report = (try? JSONSerialization.jsonObject(with: received)) as? [String: Any]
        #expect(report?["schema_version"] as? String == "1")
        var status = stat()
        #expect(lstat(fifo, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced by a file")
        #expect(try listing(work) == ["plan.pipe"], "no temporary file is left behind")
    }

    @Test("--output naming a symlink replaces the file it points to and keeps the link")
    func outputThroughSymlink() throws {
        let scratch = try Scratch("symlink")
        let work = try scratch.dir("work")
        try "old\n".write(toFile: work + "/target.md", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: work + "/link.md", withDestinationPath: "target.md")
        let run = try CLI.run(["--path", sampleURL("agent-bridge").path, "--output", work + "/link.md", "--now", fixedNowText, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: work + "/link.md") == "target.md")
        #expect(try String(contentsOfFile: work + "/target.md", encoding: .utf8).hasPrefix("# Migration Plan"))
        #expect(try listing(work) == ["link.md", "target.md"])
    }

    @Test("--output through a link to /proc/self/fd/1 writes to standard output, appending where the shell appends")
    func outputToDescriptorLink() throws {
        let scratch = try Scratch("descriptor")
        let work = try scratch.dir("work")
        // A link of our own, not /dev/stdout itself: a regression replaces only this link.
        try FileManager.default.createSymbolicLink(atPath: work + "/stdout", withDestinationPath: "/proc/self/fd/1")
        try "first line\n".write(toFile: work + "/log", atomically: false, encoding: .utf8)
        let shell = try runProcess(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "\"$0\" --path \"$1\" --format json --output \"$2\" --now \"$3\" --quiet >> \"$4\"",
             try CLI.requireBinary().path, sampleURL("agent-bridge").path, work + "/stdout", fixedNowText, work + "/log"],
            environment: ProcessInfo.processInfo.environment)
        #expect(shell.status == 0, "\(shell.stderr)")
        var status = stat()
        #expect(lstat(work + "/stdout", &status) == 0 && status.st_mode & S_IFMT == S_IFLNK, "the link was replaced")
        let log = try String(contentsOfFile: work + "/log", encoding: .utf8)
        #expect(log.hasPrefix("first line\n{"), "the report is appended after the existing line")
        let report = (try? JSONSerialization.jsonObject(with: Data(log.dropFirst("first line\n".count).utf8))) as? [String: Any]
        #expect(report?["schema_version"] as? String == "1")
    }

    @Test("unknown format: exit 2, the message lists md, html, junit and json")
    func unknownFormat() throws {
        let scratch = try Scratch("unknown")
        let work = try scratch.dir("work")
        for formats in ["pdf", "md,pdf", "json,html,yaml"] {
            let run = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", formats, "--output-dir", work, "--now", fixedNowText],
                                  in: URL(fileURLWithPath: work))
            #expect(run.status == 2, "\(formats)")
            let errors = run.stderrLines.filter { $0.hasPrefix("coord-migrate: error: ") }
            #expect(errors.count == 1, "\(run.stderr)")
            for word in ["md", "html", "junit", "json"] {
                #expect(errors.first?.contains(word) == true, "\(formats): \(run.stderr)")
            }
            #expect(try listing(work).isEmpty, "\(formats)")
        }
    }

    @Test("--output-dir that does not exist is created with its parents, as mkdir -p, and gets every format")
    func missingOutputDirectory() throws {
        let scratch = try Scratch("nodir")
        let work = try scratch.dir("work")
        let run = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "md,html,junit,json",
                               "--output-dir", "reports/nested", "--now", fixedNowText, "--quiet"], in: URL(fileURLWithPath: work))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/reports/nested").sorted()
                == ["migration-plan.html", "migration-plan.json", "migration-plan.md", "migration-plan.xml"])
        let file = try CLI.run(["--path", sampleURL("agent-bridge").path, "--output", "deep/er/plan.md", "--quiet"],
                               in: URL(fileURLWithPath: work))
        #expect(file.status == 0, "\(file.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/deep/er/plan.md"))
    }

    @Test("a run that fails on its HTML template leaves the existing report byte-identical and no temporary files",
          arguments: ["unparseable", "missing", "not UTF-8", "a folder"])
    func failedRunIsAtomic(_ kind: String) throws {
        let scratch = try Scratch("atomic")
        let out = try scratch.dir("out")
        let previous = Data("previous report\n\u{1}binary-ish bytes\n".utf8)
        try previous.write(to: URL(fileURLWithPath: out + "/migration-plan.md"))
        let template: String
        switch kind {
        case "unparseable": template = try scratch.file("bad.mustache", "{{#open}} never closed\n")
        case "not UTF-8":
            template = scratch.absolute("latin1.mustache")
            try Data([0x3C, 0x70, 0x3E, 0xFF, 0xFE, 0xE9, 0x3C, 0x2F, 0x70, 0x3E]).write(to: URL(fileURLWithPath: template))
        case "a folder": template = try scratch.dir("template-folder")
        default: template = scratch.absolute("missing.mustache")
        }
        let before = try listing(out)
        let run = try analyzeInto(out, path: sampleURL("agent-bridge").path, extra: ["--html-template", template])
        #expect(run.status == 2, "\(kind)")
        #expect(run.stderr.contains("template"), "\(run.stderr)")
        #expect(try fileData(out + "/migration-plan.md") == previous)
        #expect(try listing(out) == before)
        #expect(try listing(out).filter { $0.hasPrefix(".") }.isEmpty, "no temporary files")
    }

    @Test("a run whose second report cannot be written leaves the first report untouched (exit 2 means nothing written)")
    func failedWriteIsAtomic() throws {
        let scratch = try Scratch("atomic-write")
        let out = try scratch.dir("out")
        let previous = Data("previous report\n".utf8)
        try previous.write(to: URL(fileURLWithPath: out + "/migration-plan.md"))
        // migration-plan.html is a folder: the HTML report cannot be written.
        _ = try scratch.dir("out/migration-plan.html")
        let run = try analyzeInto(out, path: sampleURL("agent-bridge").path, formats: "md,html")
        #expect(run.status == 2)
        #expect(run.stderr.contains("migration-plan.html"), "\(run.stderr)")
        #expect(try fileData(out + "/migration-plan.md") == previous, "a failed run must not replace migration-plan.md")
        #expect(try listing(out) == ["migration-plan.html", "migration-plan.md"], "no temporary files")
    }

    // MARK: render

    @Test("render re-emits a saved JSON report byte for byte, in every format", arguments: allSampleNames)
    func renderRoundTrip(_ sample: String) throws {
        let scratch = try Scratch("render")
        let direct = try scratch.dir("A"), rendered = try scratch.dir("B")
        let run = try analyzeInto(direct, path: sampleURL(sample).path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try listing(direct) == allFormatFiles)
        for (format, file) in [("md", "migration-plan.md"), ("html", "migration-plan.html"), ("junit", "migration-plan.xml"), ("json", "migration-plan.json")] {
            let render = try CLI.run(["render", direct + "/migration-plan.json", "--format", format, "--output", rendered + "/" + file])
            #expect(render.status == 0, "\(format): \(render.stderr)")
            #expect(try fileData(rendered + "/" + file) == fileData(direct + "/" + file), "\(sample) \(format)")
        }
        #expect(try listing(rendered) == allFormatFiles)
        let toStdout = try CLI.run(["render", direct + "/migration-plan.json", "--format", "html", "--output", "-"])
        #expect(toStdout.stdout == (try fileData(direct + "/migration-plan.html")))
    }

    @Test("render keeps the gates of the saved report")
    func renderKeepsGates() throws {
        let scratch = try Scratch("render-gates")
        let direct = try scratch.dir("A"), rendered = try scratch.dir("B")
        let run = try analyzeInto(direct, path: sampleURL("agent-bridge").path, extra: ["--fail-on", "gaps>0", "--fail-on", "hours>100000"])
        let report = try JSONReport(file: direct + "/migration-plan.json")
        let expectedFailure = (report.strings("detection.gaps").count > 0)
        #expect(run.status == (expectedFailure ? 1 : 0), "\(run.stderr)")
        #expect(report.gates.map { $0.condition } == ["gaps>0", "hours>100000"])
        let render = try CLI.run(["render", direct + "/migration-plan.json", "--format", "junit", "--output", rendered + "/r.xml"])
        #expect(render.status == 0, "render only re-emits; gates do not change its exit code: \(render.stderr)")
        #expect(try fileData(rendered + "/r.xml") == fileData(direct + "/migration-plan.xml"))
        expectJUnitMatchesReport(try Consumer.junit(rendered + "/r.xml"), report, gates: report.gates)
    }

    struct BadReport: Sendable, CustomTestStringConvertible {
        var name: String
        var contents: String
        var message: String
        var testDescription: String { name }
    }

    static let badReports: [BadReport] = [
        .init(name: "not JSON", contents: "this is not json\n", message: "JSON"),
        .init(name: "truncated JSON", contents: "{\"schema_version\": \"1\", \"tool\": {", message: "JSON"),
        .init(name: "empty file", contents: "", message: "JSON"),
        .init(name: "a JSON array", contents: "[1, 2, 3]\n", message: "JSON"),
        .init(name: "unknown schema_version", contents: "{\"schema_version\":\"99\"}", message: "99"),
        .init(name: "no schema_version", contents: "{\"tool\": {}}", message: "schema_version"),
    ]

    @Test("render refuses a file that is not a report of this schema: exit 2, nothing written", arguments: badReports)
    func renderBadInput(_ row: BadReport) throws {
        let scratch = try Scratch("render-bad")
        let input = try scratch.file("report.json", row.contents)
        let work = try scratch.dir("work")
        for format in ["md", "html", "junit", "json"] {
            for output in [[String](), ["--output", work + "/out.\(format)"]] {
                let run = try CLI.run(["render", input, "--format", format] + output, in: URL(fileURLWithPath: work))
                #expect(run.status == 2, "\(row.name) \(format) \(output)")
                #expect(run.stdout.isEmpty)
                #expect(run.stderrLines.count == 1 && run.stderr.contains(row.message), "\(row.name): \(run.stderr)")
                #expect(try listing(work).isEmpty, "\(row.name) \(format) \(output)")
            }
        }
    }

    @Test("render refuses a report with a required key removed: exit 2, the key named, nothing written",
          arguments: [
            "schema_version", "tool", "generated_at", "target_path", "detection", "complexity", "plan", "scan",
            "detection.gaps", "detection.patterns", "complexity.estimated_hours", "complexity.risk_level",
            "plan.steps", "plan.estimated_timeline",
          ])
    func renderMissingKey(_ keyPath: String) throws {
        let scratch = try Scratch("render-key")
        let saved = try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"])
        #expect(saved.status == 0)
        var root = try #require(try JSONSerialization.jsonObject(with: saved.stdout) as? [String: Any])
        let keys = keyPath.split(separator: ".").map(String.init)
        if keys.count == 1 {
            #expect(root.removeValue(forKey: keys[0]) != nil)
        } else {
            var inner = try #require(root[keys[0]] as? [String: Any])
            #expect(inner.removeValue(forKey: keys[1]) != nil)
            root[keys[0]] = inner
        }
        let input = scratch.absolute("report.json")
        try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]).write(to: URL(fileURLWithPath: input))
        let work = try scratch.dir("work")
        let run = try CLI.run(["render", input, "--format", "md", "--output", work + "/out.md"], in: URL(fileURLWithPath: work))
        #expect(run.status == 2)
        #expect(run.stderrLines.count == 1 && run.stderr.contains(keys.last!), "\(run.stderr)")
        #expect(try listing(work).isEmpty)
    }
}
