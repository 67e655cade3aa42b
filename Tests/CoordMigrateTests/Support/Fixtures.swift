@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import CoordMigrateTestSupport
import Foundation

/// A detection built directly, without scanning: the infrastructure flags, the
/// message system, the scale, and how many patterns are missing (the last
/// `gaps` of the catalog, so the present ones come first).
func makeDetection(
    messageSystem: MessageSystemType = .fileBased,
    databaseType: String? = nil,
    eventLog: Bool = true,
    inbox: Bool = true,
    agentConfig: Bool = true,
    scale: Scale = .team,
    gaps gapCount: Int = 0,
    missing: [PatternID]? = nil,
    messagesPerDay: Int = 1,
    messageFiles: Int = 7
) -> DetectionResult {
    let gaps = missing ?? Array(PatternID.allCases.suffix(gapCount))
    let present = PatternID.allCases.filter { !gaps.contains($0) }
    let findings = PatternID.allCases.map { id in
        PatternFinding(
            id: id.rawValue, title: id.title, present: present.contains(id), summary: "test",
            remediation: PatternGuidance.for(id).remediation)
    }
    return DetectionResult(
        hasMessageSystem: messageSystem != .none,
        messageSystemType: messageSystem,
        databaseType: databaseType,
        hasEventLog: eventLog,
        hasInboxStructure: inbox,
        hasAgentConfig: agentConfig,
        estimatedAgents: 6,
        estimatedUsers: 2,
        estimatedMessagesPerDay: messagesPerDay,
        messageFiles: messageFiles,
        recentMessageFiles: messageFiles,
        estimatedScale: scale,
        platform: "linux",
        patterns: findings,
        existingPatterns: present,
        gaps: gaps,
        skippedPatterns: [],
        customPatterns: [],
        evidence: [],
        warnings: [])
}

/// Runs the whole analysis on a folder with the clock fixed.
func analyze(_ path: String, now: Date = fixedNow, scan: ScanOptions = ScanOptions(), discover: Bool = true) throws -> MigrationReport {
    var options = AnalysisOptions(now: now, scan: scan, platform: "linux")
    options.discover = discover
    return try MigrationAssistant(path: path, options: options).analyze()
}

/// The report of a bundled sample, analysed in-process with the clock fixed.
func sampleReport(_ name: String) throws -> MigrationReport {
    try analyze(sampleURL(name).path)
}
