import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

// Real layouts (DESIGN §3, "Systems as they really look" and "Discovery").
//
// The facts below were worked out by hand from each sample's tree: what a careful
// person who read the files would say about it. They were not copied from the
// tool's output. Where the tool disagrees and the tool is wrong, the fact stays as
// the person would state it and its assertion runs under `withKnownIssue`, with the
// product bug named in `knownIssues`; when the bug is fixed the known issue stops
// being recorded and the test tells us to drop the mark.

/// What a careful reader states about one sample.
struct RealLayout: Sendable, CustomTestStringConvertible {
    /// The facts behind one pattern that is present.
    struct Present: Sendable {
        /// The evidence kinds that make it present, in `EvidenceKind` order (disk, config, code).
        var kinds: [EvidenceKind]
        /// Locations (`path` or `path:line`, relative to the analysed folder) that must be
        /// among the pattern's evidence; a location ending in `*` matches by prefix.
        var locations: [String]
    }

    /// The facts a row states, used to mark the ones the tool gets wrong today.
    enum Fact: String, Sendable {
        case messageSystem = "message_system_type"
        case eventLog = "has_event_log"
        case inboxStructure = "has_inbox_structure"
        case agentConfig = "has_agent_config"
        case agents = "estimated_agents"
        case messageFiles = "message_files"
        case existingPatterns = "existing_patterns"
        case patternEvidence = "pattern evidence"
        case evidenceDetails = "evidence details"
    }

    var sample: String
    var messageSystem: MessageSystemType
    var eventLog: Bool
    var inboxStructure: Bool
    var agentConfig: Bool
    var agents: Int
    /// Files a person would call messages in the per-agent folders.
    var messageFiles: Int
    /// The patterns present; every other pattern is a gap.
    var present: [PatternID: Present]
    /// Evidence kinds behind each infrastructure fact that holds, by subject
    /// (`message-system`, `event-log`, `inbox-structure`, `agent-config`).
    var infrastructure: [String: [EvidenceKind]]
    /// Words that a pattern's evidence must say, so a reader who opens the file finds them.
    var details: [PatternID: String] = [:]
    /// The folder analysed instead of the sample's root, when discovery picks one.
    var nested: String?
    /// Facts the tool gets wrong today, with the bug (file:line at commit 0e6d4dc).
    var knownIssues: [Fact: String] = [:]

    var testDescription: String { sample }

    /// The present patterns in catalog order.
    var existingPatterns: [PatternID] { PatternID.allCases.filter { present[$0] != nil } }
}

@Suite("Real layouts: samples as real systems look")
struct RealLayoutTests {
    static let infrastructureSubjects = ["message-system", "event-log", "inbox-structure", "agent-config"]

    static let layouts: [RealLayout] = [
        // A checkout whose runtime folders are gitignored: everything is code or config.
        RealLayout(
            sample: "code-only-checkout", messageSystem: .fileBased, eventLog: true, inboxStructure: true,
            agentConfig: true, agents: 4, messageFiles: 0,
            present: [
                // send.sh:18 builds inbox/$to/…-$(uuidgen).msg
                .collisionFreeMessaging: .init(kinds: [.code], locations: ["scripts/send.sh:18"]),
                // send.sh:41 and sweep-stale.sh:17 append to events.log with >>
                .eventSourcing: .init(kinds: [.code], locations: ["scripts/send.sh:41", "scripts/sweep-stale.sh:17"]),
                // planner, builder and tester declare authority_domains; scribe does not
                .authorityDomains: .init(kinds: [.config], locations: ["config.yaml"]),
                // sweep-stale.sh:16 moves stale messages into inbox/$agent/defer/
                .deferQueue: .init(kinds: [.code], locations: ["scripts/sweep-stale.sh:16"]),
                // send.sh:27 is deliver_with_retry (until … sleep, doubling delay)
                .faultTolerantWrappers: .init(kinds: [.code], locations: ["scripts/send.sh:27"]),
            ],
            infrastructure: [
                "message-system": [.code], "event-log": [.code], "inbox-structure": [.code], "agent-config": [.config],
            ],
            details: [.authorityDomains: "builder, planner, tester"]),

        // The system is nested at bridge/; the root's scripts/ drives it.
        RealLayout(
            sample: "monorepo-bridge", messageSystem: .fileBased, eventLog: true, inboxStructure: true,
            agentConfig: true, agents: 4, messageFiles: 9,
            present: [
                .collisionFreeMessaging: .init(
                    kinds: [.disk], locations: ["inbox/architect/19eed86e-88ce-46ea-9153-c30ad12c9f67.md"]),
                .eventSourcing: .init(kinds: [.disk], locations: ["events.jsonl"]),
                .authorityDomains: .init(kinds: [.config], locations: ["agents.yaml"]),
                // the root's scripts/notify-agents.sh:19 is with_retry (until … sleep attempt²)
                .faultTolerantWrappers: .init(kinds: [.code], locations: ["../scripts/notify-agents.sh:19"]),
            ],
            infrastructure: [
                "message-system": [.disk], "event-log": [.disk], "inbox-structure": [.disk], "agent-config": [.config],
            ],
            nested: "bridge"),

        // Maildir: mailboxes/<agent>/{new,cur,tmp}/; no agent configuration at all.
        RealLayout(
            sample: "maildir-agents", messageSystem: .fileBased, eventLog: true, inboxStructure: true,
            agentConfig: false, agents: 4,
            // 11 dispatcher deliveries (*.eml) + 2 classic Maildir names from the mail server in human/
            messageFiles: 13,
            present: [
                .collisionFreeMessaging: .init(
                    kinds: [.disk],
                    locations: ["mailboxes/analyst/cur/1795426851.4730804d-8df5-4456-93ac-3437eb944c97.eml"]),
                .eventSourcing: .init(kinds: [.disk], locations: ["events.ndjson"]),
                // agentmail/dispatch.py:48 is deliver_with_retry (for attempt … time.sleep(delay); delay *= 2)
                .faultTolerantWrappers: .init(kinds: [.code], locations: ["agentmail/dispatch.py:48"]),
            ],
            infrastructure: ["message-system": [.disk], "event-log": [.disk], "inbox-structure": [.disk]]),

        // queue/<agent>/{tasks,reports}/ with urgent/normal report lanes and a shared queue/high/.
        RealLayout(
            sample: "queue-lanes", messageSystem: .fileBased, eventLog: false, inboxStructure: true,
            agentConfig: true,
            // lead, backend, frontend; queue/high/ is a lane, not an agent
            agents: 3,
            // 6 tasks + 4 reports (queue/high/ holds one of the tasks)
            messageFiles: 10,
            present: [
                .priorityQueue: .init(kinds: [.disk], locations: ["queue/high/", "queue/backend/reports/urgent/"]),
                // worker.sh:18 is `for attempt in 1 2 3` with sleep between tries
                .faultTolerantWrappers: .init(kinds: [.code], locations: ["scripts/worker.sh:18"]),
            ],
            infrastructure: ["message-system": [.disk], "inbox-structure": [.disk], "agent-config": [.config]]),

        // <agent>/inbox/ for three agents, journal/*.jsonl, defer/, a TLA+ spec.
        RealLayout(
            sample: "inverted-inboxes", messageSystem: .fileBased, eventLog: true, inboxStructure: true,
            agentConfig: true, agents: 3,
            // 6 UUID-named messages + note-from-sam.json
            messageFiles: 7,
            present: [
                .collisionFreeMessaging: .init(
                    kinds: [.disk],
                    locations: ["planner/inbox/20261123T090212Z-human-f49d6bc2-2736-43f8-9374-763ea458bef4.json"]),
                .eventSourcing: .init(kinds: [.disk], locations: ["journal/"]),
                .authorityDomains: .init(kinds: [.config], locations: ["agents.json"]),
                .deferQueue: .init(kinds: [.disk], locations: ["defer/"]),
                .tlaVerification: .init(kinds: [.disk], locations: ["spec/Handoff.tla"]),
            ],
            infrastructure: [
                "message-system": [.disk], "event-log": [.disk], "inbox-structure": [.disk], "agent-config": [.config],
            ],
            details: [.authorityDomains: "coder, planner, reviewer"]),

        // registry/agents/*.json with capabilities; hidden .agency/inbox/<agent>/ with SHA-256 names.
        RealLayout(
            sample: "json-registry", messageSystem: .fileBased, eventLog: true, inboxStructure: true,
            agentConfig: true, agents: 4, messageFiles: 5,
            present: [
                .eventSourcing: .init(kinds: [.disk], locations: [".agency/events.log"]),
                .contentAddressedDAG: .init(
                    kinds: [.disk],
                    locations: [".agency/inbox/triage/990cca0a30ef2d485c127bc71bfa3244196d55e144a4bf061fa9da5372cad5ba.json"]),
                // each registry entry declares capabilities
                .authorityDomains: .init(kinds: [.config], locations: ["registry/agents/*"]),
                // scripts/agency.py:28 is write_once's "retries with backoff" (for … time.sleep(delay))
                .faultTolerantWrappers: .init(kinds: [.code], locations: ["scripts/agency.py:28"]),
            ],
            infrastructure: [
                "message-system": [.disk], "event-log": [.disk], "inbox-structure": [.disk], "agent-config": [.config],
            ],
            details: [.authorityDomains: "capabilities"]),
    ]

    // MARK: - B. The facts of each sample

    @Test("the facts a careful reader states about each real layout", arguments: layouts)
    func facts(_ layout: RealLayout) throws {
        let root = sampleURL(layout.sample).standardizedFileURL.path
        let report = try CLI.report(root)
        let detection = report.detection

        if let nested = layout.nested {
            #expect(detection.discovery?.chosen == nested + "/")
            #expect(report.targetPath == root + "/" + nested)
        } else {
            #expect(detection.discovery == nil)
            #expect(report.targetPath == root)
        }
        check(.messageSystem, layout) { #expect(detection.messageSystemType == layout.messageSystem) }
        check(.messageSystem, layout) { #expect(detection.hasMessageSystem == (layout.messageSystem != .none)) }
        check(.eventLog, layout) { #expect(detection.hasEventLog == layout.eventLog) }
        check(.inboxStructure, layout) { #expect(detection.hasInboxStructure == layout.inboxStructure) }
        check(.agentConfig, layout) { #expect(detection.hasAgentConfig == layout.agentConfig) }
        check(.agents, layout) { #expect(detection.estimatedAgents == layout.agents) }
        check(.messageFiles, layout) { #expect(detection.messageFiles == layout.messageFiles) }
        check(.existingPatterns, layout) {
            #expect(detection.existingPatterns == layout.existingPatterns)
            #expect(detection.gaps == PatternID.allCases.filter { layout.present[$0] == nil })
        }

        // Every infrastructure fact that holds names its evidence kinds; one that does not, none.
        for subject in Self.infrastructureSubjects {
            let kinds = Set(detection.evidence.filter { $0.subject.rawValue == subject }.map(\.kind))
            #expect(kinds == Set(layout.infrastructure[subject] ?? []), "\(subject): evidence kinds")
        }

        for pattern in layout.existingPatterns {
            let expected = layout.present[pattern]!
            let finding = detection.patterns.first { $0.id == pattern.rawValue }
            let evidence = detection.evidence.filter { $0.subject.rawValue == pattern.rawValue }
            check(.patternEvidence, layout) {
                #expect(finding?.present == true, "\(pattern.rawValue) is present")
                #expect(finding?.evidenceKinds == expected.kinds, "\(pattern.rawValue): evidence kinds")
                #expect(Set(evidence.map(\.kind)) == Set(expected.kinds), "\(pattern.rawValue): kinds of the evidence items")
                for location in expected.locations {
                    #expect(
                        evidence.contains { Self.matches($0.location, location) },
                        "\(pattern.rawValue): no evidence at \(location); found \(evidence.map(\.location))")
                }
            }
        }
        for (pattern, words) in layout.details.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let evidence = detection.evidence.filter { $0.subject.rawValue == pattern.rawValue }
            check(.evidenceDetails, layout) {
                #expect(
                    evidence.contains { $0.detail.contains(words) },
                    "\(pattern.rawValue): no evidence says \"\(words)\"; found \(evidence.map(\.detail))")
            }
        }
    }

    /// Runs `body`, as a known issue when the row marks `fact` as one the tool gets wrong.
    func check(_ fact: RealLayout.Fact, _ layout: RealLayout, _ body: () throws -> Void) rethrows {
        if let reason = layout.knownIssues[fact] {
            withKnownIssue(Comment(rawValue: "\(layout.sample), \(fact.rawValue): \(reason)")) { try body() }
        } else {
            try body()
        }
    }

    static func matches(_ location: String, _ expected: String) -> Bool {
        expected.hasSuffix("*") ? location.hasPrefix(String(expected.dropLast())) : location == expected
    }

    @Test("every real-layout sample exists, has a README, and is described here")
    func samplesAreDescribed() throws {
        for layout in Self.layouts {
            let readme = sampleURL(layout.sample).appendingPathComponent("README.md")
            #expect(FileManager.default.fileExists(atPath: readme.path), "samples/\(layout.sample)/README.md")
            for format in ["md", "json"] {
                let golden = Snapshot.expectedURL(layout.sample, format: format)
                #expect(FileManager.default.fileExists(atPath: golden.path), "\(golden.path) is missing")
            }
        }
    }

    @Test("monorepo-bridge: discovery picks bridge/ and the root's script is code evidence at ../scripts/")
    func monorepoDiscoveryInJSON() throws {
        let root = sampleURL("monorepo-bridge").standardizedFileURL.path
        let result = try CLI.run(["--path", root, "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let detection = try #require(json["detection"] as? [String: Any])
        let discovery = try #require(detection["discovery"] as? [String: Any], "detection.discovery is missing")
        #expect(discovery["chosen"] as? String == "bridge/")
        #expect(discovery["requested_path"] as? String == root)
        let candidates = discovery["candidates"] as? [[String: Any]] ?? []
        #expect(candidates.first?["path"] as? String == "bridge/")
        #expect((json["target_path"] as? String)?.hasSuffix("/bridge") == true)

        let evidence = detection["evidence"] as? [[String: Any]] ?? []
        let fromRootScripts = evidence.filter { ($0["path"] as? String)?.hasPrefix("../scripts/") == true }
        #expect(!fromRootScripts.isEmpty, "no evidence from the root's scripts/")
        for item in fromRootScripts {
            #expect(item["kind"] as? String == "code")
            #expect(item["path"] as? String == "../scripts/notify-agents.sh")
            #expect((item["line"] as? Int).map { $0 > 0 } == true, "code evidence carries a line")
        }
        #expect(fromRootScripts.contains { $0["subject"] as? String == "fault-tolerant-wrappers" && $0["line"] as? Int == 19 })
    }

    // MARK: - C. Evidence kind and location in every format

    /// The code evidence of code-only-checkout, by pattern: the script line a reader should open.
    static let codeEvidence: [(PatternID, String)] = [
        (.collisionFreeMessaging, "scripts/send.sh:18"),
        (.eventSourcing, "scripts/send.sh:41"),
        (.deferQueue, "scripts/sweep-stale.sh:16"),
        (.faultTolerantWrappers, "scripts/send.sh:27"),
    ]

    @Test("code-only-checkout: Markdown, HTML, JUnit and JSON all name the kind `code` and the script line")
    func evidenceInEveryFormat() throws {
        let scratch = try Scratch("formats")
        let root = sampleURL("code-only-checkout").standardizedFileURL.path
        let result = try CLI.run([
            "--path", root, "--format", "md,html,junit,json", "--output-dir", scratch.path, "--now", fixedNowText, "--quiet",
        ])
        try #require(result.status == 0, "\(result.stderr)")
        let markdown = try String(contentsOfFile: scratch.absolute("migration-plan.md"), encoding: .utf8)
        let html = try String(contentsOfFile: scratch.absolute("migration-plan.html"), encoding: .utf8)
        let junit = try XMLDocument(contentsOf: URL(fileURLWithPath: scratch.absolute("migration-plan.xml")))
        let report = try MigrationReport.jsonDecoder().decode(
            MigrationReport.self, from: Data(contentsOf: URL(fileURLWithPath: scratch.absolute("migration-plan.json"))))

        for (pattern, location) in Self.codeEvidence {
            let id = pattern.rawValue
            // Markdown: the pattern's bullet and the evidence lines indented under it.
            let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
            let start = try #require(lines.firstIndex { $0.hasPrefix("- ") && $0.contains("(`\(id)`)") }, "\(id) in Markdown")
            let block = lines[start...].dropFirst().prefix { $0.hasPrefix("  ") }
            #expect(lines[start].contains("evidence: code"), "Markdown \(id): \(lines[start])")
            #expect(block.contains { $0.contains("code `\(location)`") }, "Markdown \(id): \(Array(block))")

            // HTML: the text of the pattern's tile, tags removed.
            let tileStart = try #require(html.range(of: "<code>\(id)</code>"), "\(id) in HTML")
            let rest = html[tileStart.upperBound...]
            let tile = rest[..<(rest.range(of: "class=\"tile")?.lowerBound ?? rest.endIndex)]
            let text = Self.text(ofHTML: String(tile))
            #expect(text.contains("evidence: code"), "HTML \(id): \(text)")
            #expect(text.contains("code \(location)"), "HTML \(id): \(text)")

            // JUnit: the system-out of the pattern's testcase.
            let out = try junit.nodes(forXPath: "//testsuite[@name='patterns']/testcase[@name='\(id)']/system-out")
                .compactMap(\.stringValue).joined(separator: "\n")
            #expect(out.contains("code \(location)"), "JUnit \(id) system-out: \(out)")

            // JSON: the finding's kinds and an evidence item with the kind and the location.
            let finding = report.detection.patterns.first { $0.id == id }
            #expect(finding?.evidenceKinds == [.code])
            #expect(report.detection.evidence.contains { $0.subject.rawValue == id && $0.kind == .code && $0.location == location },
                    "JSON \(id)")
        }
    }

    /// The visible text of an HTML fragment: tags removed, entities for &, <, > and quotes decoded, spaces collapsed.
    static func text(ofHTML html: String) -> String {
        var text = html.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: - D. `coord-migrate patterns`

    /// The evidence kinds that count for each pattern (DESIGN §3, the pattern table and
    /// "Systems as they really look": disk, config, code).
    static let countingKinds: [PatternID: [EvidenceKind]] = [
        .collisionFreeMessaging: [.disk, .code],
        .eventSourcing: [.disk, .code],
        .contentAddressedDAG: [.disk, .code],
        .authorityDomains: [.config],
        .priorityQueue: [.disk, .code],
        .deferQueue: [.disk, .code],
        .faultTolerantWrappers: [.code],
        .tlaVerification: [.disk],
    ]

    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }

    @Test("`patterns` lists the eight ids in catalog order, each with the evidence kinds that count")
    func patternsList() throws {
        let result = try CLI.run(["patterns"])
        #expect(result.status == 0, "\(result.stderr)")
        let blocks = Self.plain(result.stdoutText).components(separatedBy: "\n\n")
            .map { $0.split(separator: "\n").map(String.init) }.filter { !$0.isEmpty }
        let ids = blocks.compactMap { $0.first?.split(separator: " ").first.map(String.init) }
        #expect(ids == PatternID.allCases.map(\.rawValue))
        for block in blocks {
            guard let id = block.first?.split(separator: " ").first, let pattern = PatternID(rawValue: String(id)) else { continue }
            let kinds = block.dropFirst().compactMap { line -> EvidenceKind? in
                guard line.hasPrefix("  "), let colon = line.firstIndex(of: ":") else { return nil }
                return EvidenceKind(rawValue: line[..<colon].trimmingCharacters(in: .whitespaces))
            }
            #expect(kinds == Self.countingKinds[pattern], "\(id): \(block)")
            #expect(block.count >= 2 + kinds.count, "\(id) has a summary line: \(block)")
        }
    }

    @Test("`patterns --explain defer-queue` on code-only-checkout: what was looked for, what was found, file:line")
    func explainDeferQueue() throws {
        let root = sampleURL("code-only-checkout").standardizedFileURL.path
        let result = try CLI.run(["patterns", "--explain", "defer-queue", "--path", root, "--now", fixedNowText])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = Self.plain(result.stdoutText).split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("defer-queue") == true)
        // What was looked for: both kinds that count for the defer lane, on their own lines.
        let lookedFor = try #require(lines.firstIndex { $0.hasPrefix("Looked for in ") && $0.contains(root) })
        let kinds = lines[(lookedFor + 1)...].prefix { $0.hasPrefix("  ") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(kinds.contains { $0.hasPrefix("disk: ") && $0.contains("defer/") })
        #expect(kinds.contains { $0.hasPrefix("code: ") })
        // What was found: present, from code, at the line of the mv into inbox/$agent/defer/.
        let found = try #require(lines.firstIndex { $0.hasPrefix("Found: ") })
        #expect(lines[found].contains("present"))
        #expect(lines[(found + 1)...].contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("code scripts/sweep-stale.sh:16") })
        #expect(!lines.contains { $0.hasPrefix("To add it") })
    }

    @Test("`patterns --explain` for a missing pattern says what to do, and a nested system says where it looked")
    func explainMissingAndNested() throws {
        let checkout = sampleURL("code-only-checkout").standardizedFileURL.path
        let missing = try CLI.run(["patterns", "--explain", "priority-queue", "--path", checkout, "--now", fixedNowText])
        #expect(missing.status == 0, "\(missing.stderr)")
        let missingText = Self.plain(missing.stdoutText)
        #expect(missingText.contains("Found: missing"))
        #expect(missingText.contains("To add it: "))
        // docs/PROTOCOL.md plans a priority lane; prose is never evidence.
        #expect(!missingText.contains("PROTOCOL.md"))

        let monorepo = sampleURL("monorepo-bridge").standardizedFileURL.path
        let nested = try CLI.run(["patterns", "--explain", "fault-tolerant-wrappers", "--path", monorepo, "--now", fixedNowText])
        #expect(nested.status == 0, "\(nested.stderr)")
        let nestedText = Self.plain(nested.stdoutText)
        #expect(nestedText.contains("Looked for in \(monorepo)/bridge"))
        #expect(nestedText.contains("code ../scripts/notify-agents.sh:19"))
        #expect(nestedText.contains("Note: "))
    }

    @Test("`patterns --explain` with an unknown id: exit 2, the valid ids on stderr, nothing on stdout")
    func explainUnknown() throws {
        let root = sampleURL("code-only-checkout").standardizedFileURL.path
        let result = try CLI.run(["patterns", "--explain", "lock-files", "--path", root])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("lock-files"))
        for pattern in PatternID.allCases { #expect(result.stderr.contains(pattern.rawValue)) }
    }

    // MARK: - E. Parity with the seed, and discovery switched off

    static func analyse(_ path: String, discover: Bool = true) throws -> MigrationReport {
        var options = AnalysisOptions(now: fixedNow)
        options.discover = discover
        return try MigrationAssistant(path: path, options: options).analyze()
    }

    @Test("a tidy seed-layout tree scores exactly as the seed's arithmetic says")
    func seedLayoutParity() throws {
        let tree = try Scratch("seed-layout")
        let agents = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
        let recent = fixedNow.addingTimeInterval(-20 * 3600)
        let old = fixedNow.addingTimeInterval(-40 * 24 * 3600)
        for index in 0..<30 {
            let uuid = Self.hex(index, 8) + "-4e1a-4b2c-9d3e-" + Self.hex(index * 7919, 12)
            let hour = (index % 24 < 10 ? "0" : "") + String(index % 24)
            let name = "inbox/\(agents[index % agents.count])/2026-11-24T\(hour)0000-\(agents[(index + 1) % agents.count])-\(uuid).msg"
            let file = try tree.file(name, "from: \(agents[(index + 1) % agents.count])\n\nmessage \(index)\n")
            try FileManager.default.setAttributes([.modificationDate: index < 28 ? recent : old], ofItemAtPath: file)
        }
        _ = try tree.dir("inbox/priority")
        _ = try tree.file("events.log", "2026-11-24T10:00:00Z\tmessage.sent\talpha→bravo\n")
        _ = try tree.file("config.yaml", """
            agents:
              alpha: {authority_domains: [planning]}
              bravo: {authority_domains: [implementation]}
              charlie: {role: reviewer}

            """)

        let report = try Self.analyse(tree.path)
        let detection = report.detection
        // Infrastructure and scale, by the seed's rules but for lanes: every inbox/ subfolder
        // but priority/ is an agent (DESIGN §3: lane folders are not agents), users = 7 / 3
        // = 2 → team; 28 recent messages / 7 = 4 a day.
        #expect(detection.messageSystemType == .fileBased)
        #expect(detection.hasEventLog && detection.hasInboxStructure && detection.hasAgentConfig)
        #expect(detection.estimatedAgents == 7)
        #expect(detection.estimatedUsers == 2)
        #expect(detection.messageFiles == 30)
        #expect(detection.recentMessageFiles == 28)
        #expect(detection.estimatedMessagesPerDay == 4)
        #expect(detection.estimatedScale == .team)
        #expect(detection.discovery == nil)
        #expect(detection.existingPatterns == [.collisionFreeMessaging, .eventSourcing, .authorityDomains, .priorityQueue])
        #expect(detection.gaps == [.contentAddressedDAG, .deferQueue, .faultTolerantWrappers, .tlaVerification])
        // No scripts: nothing is code evidence.
        #expect(!detection.evidence.contains { $0.kind == .code })
        // Score: −3 (message system, event log, inboxes) + 1 (team) + 4 gaps / 2 = 0 → simple;
        // 4 h × 1.5 = 6 h; risk 0 → low; gaps ≥ 4 is the one breaking change; steps
        // backup, install, migrate messages, 4 patterns, test, cutover = 9; 6 h → 1 day.
        let complexity = report.complexity
        #expect(complexity.complexityLevel == .simple)
        #expect(complexity.estimatedHours == 6)
        #expect(complexity.riskLevel == .low)
        #expect(complexity.breakingChanges == ["significant architectural changes required"])
        #expect(complexity.dataMigrationRequired == false)
        #expect(report.plan.steps.count == 9)
        #expect(report.plan.steps.map(\.number) == Array(1...9))
        #expect(report.plan.estimatedTimeline == "1 day")
    }

    static func hex(_ value: Int, _ width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    @Test("with discovery off (AnalysisOptions.discover = false) the root's own, empty result is reported")
    func discoveryOff() throws {
        let tree = try Scratch("nested")
        _ = try tree.file("README.md", "# shop\n\nThe agents' bridge lives in tools/coord/.\n")
        _ = try tree.file("src/app.py", "def main():\n    print('hello')\n")
        _ = try tree.file("tools/coord/inbox/alpha/hello.md", "from: bravo\n\nhello\n")
        _ = try tree.dir("tools/coord/inbox/bravo")
        _ = try tree.file("tools/coord/events.log", "2026-11-24T10:00:00Z sent bravo→alpha\n")
        _ = try tree.file("tools/coord/agents.yaml", "alpha: {}\nbravo: {}\n")
        let root = URL(fileURLWithPath: tree.path).standardizedFileURL.path

        let discovered = try Self.analyse(root)
        #expect(discovered.detection.discovery?.chosen == "tools/coord/")
        #expect(discovered.targetPath == root + "/tools/coord")
        #expect(discovered.detection.messageSystemType == .fileBased)

        let own = try Self.analyse(root, discover: false)
        let detection = own.detection
        #expect(own.targetPath == root)
        #expect(detection.discovery == nil)
        #expect(detection.messageSystemType == .none)
        #expect(!detection.hasMessageSystem && !detection.hasEventLog && !detection.hasInboxStructure && !detection.hasAgentConfig)
        #expect(detection.estimatedAgents == 0)
        #expect(detection.messageFiles == 0)
        #expect(detection.existingPatterns.isEmpty)
        #expect(detection.gaps == PatternID.allCases)
        #expect(!detection.evidence.contains { Self.infrastructureSubjects.contains($0.subject.rawValue) })
    }

    @Test("monorepo-bridge with discovery off: the root is reported, with nothing of its own on disk or in config")
    func monorepoDiscoveryOff() throws {
        let root = sampleURL("monorepo-bridge").standardizedFileURL.path
        let report = try Self.analyse(root, discover: false)
        #expect(report.targetPath == root)
        #expect(report.detection.discovery == nil)
        #expect(!report.detection.hasAgentConfig)
        let infrastructure = report.detection.evidence.filter { Self.infrastructureSubjects.contains($0.subject.rawValue) }
        // Whatever the root shows comes from its script, never from a folder or a file of its own.
        for item in infrastructure {
            #expect(item.kind == .code, "\(item.subject): \(item.kind) \(item.location)")
            #expect(item.path.hasPrefix("scripts/"), "\(item.subject): \(item.location)")
        }
    }
}
