@testable import CoordMigrateModel
@testable import CoordMigrate
@testable import CoordMigrateEmit
import CoordMigrateTestSupport
import Foundation
import Testing

/// How sure each finding is, from the kinds of evidence behind it.
@Suite("Confidence of findings")
struct ConfidenceTests {
    func finding(present: Bool, kinds: [EvidenceKind], skipped: Bool = false) -> PatternFinding {
        var finding = PatternFinding(id: "x", title: "X", present: present, summary: "", evidenceKinds: kinds, remediation: "")
        if skipped { finding.skippedReason = "not ours" }
        return finding
    }

    @Test("data or configuration on disk is high; code alone or nothing found is medium; no evidence is low; skipped has none")
    func rules() {
        #expect(Confidence.of(finding(present: true, kinds: [.disk]))?.0 == .high)
        #expect(Confidence.of(finding(present: true, kinds: [.code, .config]))?.1 == "seen in configuration")
        #expect(Confidence.of(finding(present: true, kinds: [.database]))?.0 == .high)
        #expect(Confidence.of(finding(present: true, kinds: [.code]))?.0 == .medium)
        #expect(Confidence.of(finding(present: false, kinds: []))?.0 == .medium)
        #expect(Confidence.of(finding(present: true, kinds: []))?.0 == .low)
        #expect(Confidence.of(finding(present: false, kinds: [], skipped: true)) == nil)
    }

    @Test("every checked pattern of a report carries a confidence and its reason; skipped ones carry none")
    func inReports() throws {
        var options = AnalysisOptions(now: fixedNow, platform: "linux")
        options.skippedPatterns = [.tlaVerification: "no specs here"]
        let report = try MigrationAssistant(path: sampleURL("code-only-checkout").path, options: options).analyze()
        for finding in report.detection.patterns {
            if finding.id == "tla-verification" {
                #expect(finding.confidence == nil && finding.confidenceReason == nil)
            } else {
                #expect(finding.confidence != nil && !(finding.confidenceReason ?? "").isEmpty, "\(finding.id)")
            }
        }
        // The sample's retries are only in its scripts: code, so medium.
        #expect(report.detection.patterns.first { $0.id == "fault-tolerant-wrappers" }?.confidence == .medium)
    }

    @Test("each infrastructure fact carries a confidence by the same rule, in the JSON and beside the fact in Markdown")
    func infrastructure() throws {
        let options = AnalysisOptions(now: fixedNow, platform: "linux")
        let codeOnly = try MigrationAssistant(path: sampleURL("code-only-checkout").path, options: options).analyze()
        let facts = Dictionary(uniqueKeysWithValues: (codeOnly.detection.infrastructureConfidence ?? []).map { ($0.fact, $0) })
        #expect(Set(facts.keys) == ["message-system", "event-log", "inbox-structure", "agent-config"])
        // In a checkout without runtime folders, the message system is known from code only.
        #expect(codeOnly.detection.hasMessageSystem)
        let kinds = Set(codeOnly.detection.evidence.filter { $0.subject == .messageSystem }.map(\.kind))
        #expect(facts["message-system"]?.confidence == (kinds.subtracting([.code]).isEmpty ? .medium : .high))
        let onDisk = try MigrationAssistant(path: sampleURL("agent-bridge").path, options: options).analyze()
        let bridge = Dictionary(uniqueKeysWithValues: (onDisk.detection.infrastructureConfidence ?? []).map { ($0.fact, $0) })
        #expect(bridge["event-log"]?.confidence == .high && bridge["event-log"]?.reason == "seen on disk")
        let markdown = try MarkdownEmitter().render(onDisk)
        #expect(markdown.contains("**Event log:** found · disk `events.log` · confidence: high (seen on disk)"))
    }
}
