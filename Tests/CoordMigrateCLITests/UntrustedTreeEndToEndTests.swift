import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL server on loopback that completes the handshake and then never
/// answers (`Fixtures/stalling-postgres.py`); it records what it was sent.
final class StallingServer {
    let process = Process()
    let port: Int
    let log: String
    private let scratch: Scratch

    init(lifetime: Int = 40, silent: Bool = false) throws {
        scratch = try Scratch("stall")
        log = scratch.absolute("received")
        let script = packageRoot.appendingPathComponent("Tests/CoordMigrateCLITests/Fixtures/stalling-postgres.py")
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, log, "\(lifetime)"] + (silent ? ["silent"] : [])
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        port = try #require(Int(String(decoding: line, as: UTF8.self)), "the stalling server printed no port")
    }

    deinit {
        // SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Everything received so far.
    var received: Data { (try? Data(contentsOf: URL(fileURLWithPath: log))) ?? Data() }
    var connections: Int { String(decoding: received, as: UTF8.self).components(separatedBy: "<connect>").count - 1 }
}

@Suite("An untrusted tree in CI, end to end")
struct UntrustedTreeEndToEndTests {
    let token = "ghp_e2eTokenNeverSent0123"
    let password = "Pg-e2e-password-never-sent"

    /// A system whose config names the server at `port`, its settings from the environment.
    func tree(port: Int, password: Bool = true) throws -> Scratch {
        let scratch = try Scratch("untrusted")
        _ = try scratch.file("system/config.yaml", """
            database:
              type: postgresql
              host: 127.0.0.1
              port: \(port)
              dbname: ${GITHUB_TOKEN}
              user: ${GITHUB_TOKEN}
            \(password ? "  password: ${PGPASSWORD}" : "")
            agents: {intake: {}, triage: {}}
            """)
        return scratch
    }

    @Test("the tree's config.yaml opens no connection and reads no variable without --connect-database")
    func noConnection() throws {
        let server = try StallingServer()
        let scratch = try tree(port: server.port)
        let run = try CLI.run(
            ["--path", scratch.absolute("system"), "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet"],
            environment: ["GITHUB_TOKEN": token, "PGPASSWORD": password], timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: run.stdout)
        #expect(report.detection.messageSystemType == .database, "the declaration still counts")
        #expect(report.detection.database == nil)
        #expect(report.detection.warnings.contains { $0.message.contains("--connect-database --allow-env GITHUB_TOKEN --allow-env PGPASSWORD") },
                "\(report.detection.warnings)")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(server.connections == 0, "the tool connected to the tree's server")
        for text in [run.stdoutText, run.stderr] {
            #expect(!text.contains(token) && !text.contains(password))
        }
    }

    @Test("a server that stops answering after the handshake ends at the --database-timeout, and no secret reached it")
    func stallingServer() throws {
        let server = try StallingServer()
        let scratch = try tree(port: server.port, password: false)
        let start = Date()
        let run = try CLI.run(
            ["--path", scratch.absolute("system"), "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet",
             "--connect-database", "--allow-env", "GITHUB_TOKEN", "--database-timeout", "2"],
            environment: ["GITHUB_TOKEN": token, "PGPASSWORD": password], timeout: 60)
        let elapsed = Date().timeIntervalSince(start)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(elapsed < 20, "the run took \(elapsed) s against a 2 s deadline")
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: run.stdout)
        #expect(report.detection.database == nil)
        #expect(report.detection.warnings.contains { $0.message.contains("no answer within 2 s") }, "\(report.detection.warnings)")
        #expect(server.connections >= 1, "the allowed connection was made")
        // The allowed token went to the server, as the user allowed (PGPASSWORD's isolation is
        // checked against a real server in DatabaseEndToEndTests).
        #expect(String(decoding: server.received, as: UTF8.self).contains(token))
        for text in [run.stdoutText, run.stderr] {
            #expect(!text.contains(token) && !text.contains(password), "a secret was printed")
        }
    }

    @Test("a host list of silent hosts costs one deadline, not 5 s each")
    func silentHosts() throws {
        let scratch = try Scratch("silent")
        // Ten hosts, all a server that accepts and then says nothing: 5 s of connect_timeout each.
        let server = try StallingServer(silent: true)
        let hosts = Array(repeating: "127.0.0.1", count: 10).joined(separator: ",")
        _ = try scratch.file("system/config.yaml", """
            database: {type: postgresql, host: '\(hosts)', port: \(server.port), dbname: w, user: u}
            """)
        let start = Date()
        let run = try CLI.run(
            ["--path", scratch.absolute("system"), "--format", "json", "--output", "-", "--now", fixedNowText, "--quiet",
             "--connect-database", "--database-timeout", "3"], timeout: 60)
        let elapsed = Date().timeIntervalSince(start)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(elapsed < 15, "\(elapsed) s")
        #expect(server.connections >= 1, "the hosts were tried")
        let report = try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: run.stdout)
        #expect(report.detection.warnings.contains { $0.message.contains("no answer within 3 s") }, "\(report.detection.warnings)")
    }
}
