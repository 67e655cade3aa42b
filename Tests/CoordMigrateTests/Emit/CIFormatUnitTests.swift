@testable import CoordMigrateEmit
@testable import CoordMigrateModel
@testable import CoordMigrateAnalysis
import CoordMigrateTestSupport
import Foundation
import Testing

@Suite("CI formats: the pieces")
struct CIFormatUnitTests {
    @Test("SHA-256 agrees with Python's hashlib on lengths around every block boundary")
    func sha256MatchesHashlib() throws {
        var generator = SystemRandomNumberGenerator()
        let lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 4096]
        var inputs = lengths.map { length in (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        inputs.append(Array("abc".utf8))
        let hex = inputs.map { $0.map { String(format: "%02x", $0) }.joined() }
        let script = "import hashlib, sys\nfor h in sys.argv[1:]: print(hashlib.sha256(bytes.fromhex(h)).hexdigest())"
        // An empty argument stands for the empty input.
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + hex, environment: ProcessInfo.processInfo.environment)
        try #require(result.status == 0, "\(result.stderr)")
        let expected = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(expected.count == inputs.count)
        #expect(inputs.map(SHA256.hex) == expected)
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("expiry dates: real YYYY-MM-DD days only, and a skip stops applying at 00:00 UTC of its day")
    func expiryDates() {
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "20261231", "tomorrow", "2026-12-31T00:00:00Z", "", "2026-04-31"] {
            #expect(PatternSkip.expiryInstant(bad) == nil, "\(bad)")
        }
        #expect(PatternSkip.expiryInstant("2024-02-29") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(PatternSkip.expiryInstant("1970-01-01") == Date(timeIntervalSince1970: 0))
        #expect(PatternSkip.expiryInstant("2026-11-25") == Date(timeIntervalSince1970: 1_795_564_800))
        // Against Foundation's own calendar, for every day of 2027 and 2028.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = calendar.date(from: DateComponents(year: 2027, month: 1, day: 1))!
        while calendar.component(.year, from: day) < 2029 {
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            let text = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            #expect(PatternSkip.expiryInstant(text) == day, "\(text)")
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        let skip = PatternSkip(id: "defer-queue", reason: "later", expires: "2026-11-25", source: ".coord-migrate.yaml", line: 3)
        let midnight = Date(timeIntervalSince1970: 1_795_564_800)
        #expect(!skip.evaluated(at: midnight.addingTimeInterval(-1)).expired)
        #expect(skip.evaluated(at: midnight).expired)
        #expect(!PatternSkip(id: "x", reason: "r", source: "s").evaluated(at: .distantFuture).expired, "no date, no expiry")
    }

    @Test("the job summary is CommonMark in which names from the tree stay text")
    func stepSummaryEscapes() throws {
        var report = try sampleReport("agent-bridge")
        let hostile = "<svg onload=alert(1)>.sh *bold* [x](javascript:alert(1)) `tick`\n# heading"
        report.detection.warnings = [ScanWarning(path: hostile, line: 2, message: hostile)]
        report.skips = [PatternSkip(id: "priority-queue", reason: hostile, owner: "<b>ops</b>", expires: "2027-01-01", source: "x")]
        report.gates = [GateResult(condition: "gaps>0", failed: true, actual: "<i>2</i> missing", message: "m")]
        let summary = GitHubEmitter.stepSummary(report)
        let document = CMark.parse(summary)
        let kinds = Set(document.all.map(\.kind))
        #expect(!kinds.contains(.htmlInline) && !kinds.contains(.htmlBlock), "no raw HTML")
        #expect(!kinds.contains(.link) && !kinds.contains(.emphasis), "no link or emphasis from the tree")
        #expect(document.all.filter { $0.kind == .heading }.map(\.plainText) == ["Migration readiness", "Gates", "Skipped patterns", "Warnings (1)"])
        let text = document.plainText
        #expect(text.contains("<svg onload=alert(1)>.sh *bold* [x](javascript:alert(1))"))
        #expect(text.contains("owner: <b>ops</b>; expires 2027-01-01"))
        #expect(!CMark.html(summary).contains("<svg"))
    }

    @Test("the job summary stays small for a report with thousands of warnings and skips")
    func stepSummaryBounded() throws {
        var report = try sampleReport("agent-bridge")
        let long = String(repeating: "x", count: 2_000)
        report.detection.warnings = (0..<5000).map { ScanWarning(path: "p\($0)", message: long) }
        report.skips = (0..<5000).map { PatternSkip(id: "r\($0)", reason: "because", source: "s") }
        let summary = GitHubEmitter.stepSummary(report)
        #expect(summary.utf8.count < 64 * 1024, "\(summary.utf8.count) bytes")
        #expect(summary.contains("and 4990 more in the report"))
    }

    @Test("expired-skips parses in both spellings and fails exactly when a skip expired")
    func expiredSkipsGate() throws {
        #expect(try GateCondition(parsing: "expired-skips") == .expiredSkips)
        #expect(try GateCondition(parsing: " Expired_Skips ") == .expiredSkips)
        #expect(GateCondition.expiredSkips.description == "expired-skips")
        let detection = makeDetection()
        let complexity = Analyzer.analyze(detection)
        let active = PatternSkip(id: "a", reason: "r", expires: "2030-01-01", source: "s").evaluated(at: fixedNow)
        let expired = PatternSkip(id: "b", reason: "r", expires: "2026-01-01", source: "s").evaluated(at: fixedNow)
        #expect(!GateCondition.expiredSkips.evaluate(detection: detection, complexity: complexity, skips: [active]).failed)
        let failed = GateCondition.expiredSkips.evaluate(detection: detection, complexity: complexity, skips: [active, expired])
        #expect(failed.failed)
        #expect(failed.actual == "1 skip expired: b (2026-01-01)")
    }
}
