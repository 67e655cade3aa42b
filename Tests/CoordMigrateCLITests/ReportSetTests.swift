import CoordMigrateTestSupport
import Foundation
import Testing

@testable import CoordMigrate

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A multi-format report set is written all or nothing: whatever signal arrives,
/// whatever other run writes into the same folder, the folder holds one run's
/// whole set, and no temporary file stays behind.
@Suite("Report sets: all or nothing")
struct ReportSetTests {
    static let times = ["2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"]
    static let names = ["migration-plan.md", "migration-plan.html", "migration-plan.xml", "migration-plan.json"]

    func arguments(_ out: String, now: String) -> [String] {
        ["--path", sampleURL("agent-bridge").path, "--format", "md,html,junit,json", "--output-dir", out, "--now", now,
         "--quiet"]
    }

    /// Which of the two times every file of the set carries; fails when they differ.
    func setTime(_ out: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        var seen = Set<String>()
        for name in Self.names {
            let text = try String(contentsOfFile: out + "/" + name, encoding: .utf8)
            let found = Self.times.filter { text.contains($0.dropLast()) }
            #expect(found.count == 1, "\(name) holds \(found)", sourceLocation: sourceLocation)
            seen.formUnion(found)
        }
        #expect(seen.count == 1, "a mixed set: \(seen.sorted())", sourceLocation: sourceLocation)
        return seen.first
    }

    func strays(_ out: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: out).filter { !Self.names.contains($0) }.sorted()
    }

    /// Starts the tool and sends `signal` after `delay` seconds; returns how it ended.
    func interrupted(_ arguments: [String], signal: Int32, after delay: TimeInterval) throws -> Process {
        // Through python3, which clears the signal mask first: a child of the test runner
        // may inherit SIGTERM and SIGINT blocked, and then no signal would arrive at all.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
            try CLI.requireBinary().path,
        ] + arguments
        process.environment = CLI.environment(home: NSTemporaryDirectory(), [:])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process
    }

    @Test("SIGTERM and SIGINT at any moment leave the old set or the new one, and no temporary file", arguments: [SIGTERM, SIGINT])
    func signals(_ signal: Int32) throws {
        let scratch = try Scratch("signals")
        let out = try scratch.dir("out")
        let first = try CLI.run(arguments(out, now: Self.times[0]), timeout: 60)
        #expect(first.status == 0, "\(first.stderr)")
        var interruptedRuns = 0
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            let delay = Double.random(in: 0...0.12, using: &generator)
            let process = try interrupted(arguments(out, now: Self.times[(round + 1) % 2]), signal: signal, after: delay)
            if process.terminationReason == .uncaughtSignal {
                interruptedRuns += 1
                #expect(process.terminationStatus == signal, "killed by the signal it was sent")
            }
            _ = try setTime(out)
            let left = try strays(out)
            #expect(left == [], "round \(round), \(delay) s: \(left)")
        }
        #expect(interruptedRuns > 0, "no run was interrupted: the test did not test anything")
    }

    @Test("temporary files of a killed run are removed by the next run, and only ours")
    func staleFilesRemoved() throws {
        let scratch = try Scratch("stale")
        let out = try scratch.dir("out")
        for name in [".migration-plan.md.Ab12Cd", ".migration-plan.json.zz99ZZ", ".coord-migrate.q1w2e3"] {
            _ = try scratch.file("out/" + name, "left by a run killed with SIGKILL")
        }
        let theirs = [".migration-plan.md.backup-1", "notes.txt", ".migration-plan.md.ab"]
        for name in theirs { _ = try scratch.file("out/" + name, "the user's") }
        let run = try CLI.run(arguments(out, now: Self.times[0]), timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try strays(out) == theirs.sorted())
    }

    @Test("two runs writing into one folder at once leave one run's whole set")
    func concurrentRuns() throws {
        let scratch = try Scratch("concurrent")
        let out = try scratch.dir("out")
        for _ in 0..<50 {
            let group = DispatchGroup()
            for time in Self.times {
                group.enter()
                let arguments = arguments(out, now: time)
                DispatchQueue.global().async {
                    _ = try? CLI.run(arguments, timeout: 60)
                    group.leave()
                }
            }
            group.wait()
            _ = try setTime(out)
            #expect(try strays(out) == [])
        }
    }

    @Test("a run waits for the output folder's lock before it writes anything into it")
    func waitsForTheLock() throws {
        let scratch = try Scratch("lock")
        let out = try scratch.dir("out")
        let folder = open(out, O_RDONLY | O_DIRECTORY)
        #expect(folder >= 0)
        defer { close(folder) }
        #expect(flock(folder, LOCK_EX) == 0)
        let process = Process()
        process.executableURL = try CLI.requireBinary()
        process.arguments = arguments(out, now: Self.times[0])
        process.environment = CLI.environment(home: NSTemporaryDirectory(), [:])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Long enough for a run of the sample to have finished, had it not waited.
        Thread.sleep(forTimeInterval: 1.5)
        #expect(process.isRunning, "the run did not wait for the lock")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { Self.names.contains($0) } == [],
                "reports were written while another writer held the folder")
        flock(folder, LOCK_UN)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try setTime(out) == Self.times[0])
    }

    @Test("a replaced report keeps its mode")
    func keepsMode() throws {
        let scratch = try Scratch("mode")
        let out = try scratch.dir("out")
        #expect(try CLI.run(arguments(out, now: Self.times[0])).status == 0)
        chmod(out + "/migration-plan.json", 0o600)
        chmod(out + "/migration-plan.md", 0o640)
        #expect(try CLI.run(arguments(out, now: Self.times[1])).status == 0)
        let mode = { (name: String) in
            ((try? FileManager.default.attributesOfItem(atPath: out + "/" + name)[.posixPermissions]) as? Int) ?? -1
        }
        #expect(mode("migration-plan.json") == 0o600)
        #expect(mode("migration-plan.md") == 0o640)
        #expect(try setTime(out) == Self.times[1])
    }

    @Test("a report name too long for a temporary name beside it still writes")
    func longName() throws {
        let scratch = try Scratch("long")
        let name = String(repeating: "r", count: 250) + ".md"
        let run = try CLI.run(["--path", sampleURL("agent-bridge").path, "--output", scratch.absolute(name), "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: scratch.absolute(name)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == [name])
    }

    @Test("one file named twice in a set is refused before anything is written")
    func sameFileTwice() throws {
        let scratch = try Scratch("twice")
        let url = URL(fileURLWithPath: scratch.absolute("plan.md"))
        let other = URL(fileURLWithPath: scratch.absolute("./sub/../plan.md"))
        _ = try scratch.dir("sub")
        #expect(throws: EmitError.self) { try AtomicFile.writeAll([(Data("a".utf8), url), (Data("b".utf8), other)]) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test("--discover names folders that read alike apart: no system's reports are lost")
    func discoverNamesUnique() throws {
        let scratch = try Scratch("alike")
        _ = try scratch.dir("repo/a b/inbox/alice")
        _ = try scratch.file("repo/a b/events.log", "one\n")
        _ = try scratch.dir("repo/a-b/inbox/bob")
        _ = try scratch.file("repo/a-b/events.log", "two\n")
        _ = try scratch.dir("repo/a-b-2/inbox/carol")
        let out = try scratch.dir("out")
        let run = try CLI.run(["--path", scratch.absolute("repo"), "--discover", "--format", "json", "--output-dir", out,
                               "--quiet", "--now", Self.times[0]])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.count == 3, "\(files)")
        var targets = Set<String>()
        for file in files {
            let report = try MigrationReport.decode(Data(contentsOf: URL(fileURLWithPath: out + "/" + file)))
            targets.insert(report.detection.discovery?.chosen ?? "")
        }
        #expect(targets == ["a b/", "a-b/", "a-b-2/"])
    }

    @Test("the names given to discovered systems", arguments: [
        (["a b/", "a-b/"], ["a-b", "a-b-2"]),
        (["a b/", "a-b/", "a-b-2/"], ["a-b", "a-b-3", "a-b-2"]),
        (["bridge/", "ops/"], ["bridge", "ops"]),
        (["x/y/", "x y/"], ["x-y", "x-y-2"]),
    ])
    func slugs(_ folders: [String], _ expected: [String]) {
        #expect(SystemSlug.unique(folders) == expected)
    }

    @Test("an empty --path is refused instead of analysing the working folder")
    func emptyPath() throws {
        let run = try CLI.run(["--path", "", "--output", "-"])
        #expect(run.status == 2)
        #expect(run.stderrLines.count == 1 && run.stderr.contains("the path is empty"), "\(run.stderr)")
    }

    @Test("huge numbers in a report or a JSON config are out of range, not malformed")
    func hugeNumbers() throws {
        let scratch = try Scratch("huge")
        let good = scratch.absolute("good.json")
        #expect(try CLI.run(["--path", sampleURL("agent-bridge").path, "--format", "json", "--output", good]).status == 0)
        let text = try String(contentsOfFile: good, encoding: .utf8)
        for number in ["1e999", "123456789012345678901234567890"] {
            let bad = try scratch.file("bad.json", text.replacingOccurrences(
                of: #""estimated_hours" : 6"#, with: #""estimated_hours" : "# + number))
            let run = try CLI.run(["render", bad, "--output", "-"])
            #expect(run.status == 2)
            #expect(run.stderr.contains("a number is out of range: \(number)"), "\(run.stderr)")
        }
        _ = try scratch.file("tree/config.json", "{\"agents\": {\"a\": {\"limit\": 1e999}}}")
        let report = try CLI.report(scratch.absolute("tree"))
        #expect(report.detection.warnings.contains { $0.message == "a number is out of range: 1e999" && $0.line == 1 },
                "\(report.detection.warnings)")
    }
}
