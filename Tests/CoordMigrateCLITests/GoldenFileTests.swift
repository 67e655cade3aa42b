import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

/// The reports of the samples, compared byte for byte with samples/expected/<sample>/.
/// The absolute sample path is written as ${ROOT} and the tool's version as ${VERSION}.
/// Set RECORD_SNAPSHOTS to rewrite the expected files from the current output.
@Suite("Golden reports of the samples", .serialized)
struct GoldenFileTests {
    static let formats = ["md", "json"]
    /// Every sample (sampleNames()), so a new sample is covered as soon as it is added;
    /// its goldens are written with RECORD_SNAPSHOTS=1.
    static let cases: [(String, String)] = sampleNames().flatMap { sample in formats.map { (sample, $0) } }

    /// A copy of the sample whose files were all modified an hour before the report
    /// time, so message ages do not depend on when the repository was checked out.
    static func agedCopy(_ sample: String, in scratch: Scratch) throws -> String {
        let copy = scratch.absolute(sample)
        try FileManager.default.copyItem(atPath: sampleURL(sample).path, toPath: copy)
        let modified = try #require(ISO8601DateFormatter().date(from: fixedNowText)).addingTimeInterval(-3600)
        let walker = FileManager.default.enumerator(atPath: copy)
        while let relative = walker?.nextObject() as? String {
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: copy + "/" + relative)
        }
        return URL(fileURLWithPath: copy).standardizedFileURL.path
    }

    @Test("the report matches the golden file", arguments: cases)
    func golden(_ sample: String, _ format: String) throws {
        let scratch = try Scratch("golden")
        let root = try Self.agedCopy(sample, in: scratch)
        let result = try CLI.run(["--path", root, "--format", format, "--output", "-", "--now", fixedNowText, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let actual = Snapshot.normalize(result.stdoutText, root: root)
        let golden = Snapshot.expectedURL(sample, format: format)

        if Snapshot.recording {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: golden)
            return
        }
        guard FileManager.default.fileExists(atPath: golden.path) else {
            Issue.record("\(golden.path) does not exist: record it with RECORD_SNAPSHOTS=1 and review it")
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

    @Test("the samples are found from the folder listing, the original three among them")
    func samplesDiscovered() {
        let names = sampleNames()
        for sample in ["agent-bridge", "my-scripts", "enterprise-workflow"] {
            #expect(names.contains(sample), "samples/\(sample) is missing; found \(names)")
        }
        #expect(!names.contains("expected"))
        #expect(Self.cases.count == names.count * Self.formats.count)
    }

    @Test("every folder of expected reports belongs to a sample")
    func noOrphanGoldens() throws {
        let expected = packageRoot.appendingPathComponent("samples/expected")
        let folders = try FileManager.default.contentsOfDirectory(atPath: expected.path).filter { !$0.hasPrefix(".") }
        let samples = Set(sampleNames())
        for folder in folders.sorted() {
            #expect(samples.contains(folder), "samples/expected/\(folder) has no samples/\(folder)")
        }
    }

    @Test("the golden files agree with the worked examples")
    func goldenNumbers() throws {
        for expectation in sampleExpectations {
            let url = Snapshot.expectedURL(expectation.sample, format: "json")
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
