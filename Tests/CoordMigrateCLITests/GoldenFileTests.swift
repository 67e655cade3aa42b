import CoordMigrate
import Foundation
import Testing

/// The reports of the samples, compared byte for byte with samples/expected/<sample>/.
/// The absolute sample path is written as ${ROOT} and the tool's version as ${VERSION}.
/// Set RECORD_SNAPSHOTS to rewrite the expected files from the current output.
@Suite("Golden reports of the samples", .serialized)
struct GoldenFileTests {
    static let cases: [(String, String)] = [
        ("agent-bridge", "md"), ("agent-bridge", "json"),
        ("my-scripts", "md"), ("my-scripts", "json"),
        ("enterprise-workflow", "md"), ("enterprise-workflow", "json"),
    ]

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"].map { !$0.isEmpty } ?? false }

    /// Replaces the run-specific parts of a report with placeholders.
    static func normalize(_ text: String, root: String) -> String {
        text.replacingOccurrences(of: root, with: "${ROOT}")
            .replacingOccurrences(of: coordMigrateVersion, with: "${VERSION}")
    }

    @Test("the report matches the golden file", arguments: cases)
    func golden(_ sample: String, _ format: String) throws {
        let root = sampleURL(sample).standardizedFileURL.path
        let result = try CLI.run(["--path", root, "--format", format, "--output", "-", "--now", fixedNowText, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let actual = Self.normalize(result.stdoutText, root: root)
        let golden = packageRoot.appendingPathComponent("samples/expected/\(sample)/migration-plan.\(format)")

        if Self.recording {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: golden)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        if actual != expected {
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let index = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(actualLines.count, expectedLines.count)
            Issue.record("""
                \(golden.path) differs at line \(index + 1):
                  expected: \(index < expectedLines.count ? String(expectedLines[index]) : "<end of file>")
                  actual:   \(index < actualLines.count ? String(actualLines[index]) : "<end of file>")
                Run with RECORD_SNAPSHOTS=1 to accept the new output.
                """)
        }
        #expect(actual == expected)
    }

    @Test("the golden files agree with the worked examples")
    func goldenNumbers() throws {
        for expectation in sampleExpectations {
            let url = packageRoot.appendingPathComponent("samples/expected/\(expectation.sample)/migration-plan.json")
            let text = try String(contentsOf: url, encoding: .utf8)
            let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: Data(text.utf8))
            #expect(report.targetPath == "${ROOT}")
            #expect(report.tool.version == "${VERSION}")
            #expect(report.complexity.complexityLevel == expectation.level)
            #expect(report.complexity.estimatedHours == expectation.hours)
            #expect(report.plan.steps.count == expectation.steps)
            #expect(report.plan.estimatedTimeline == expectation.timeline)
        }
    }
}
