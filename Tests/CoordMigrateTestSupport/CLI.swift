public import CoordMigrate
public import Foundation
import Testing

/// The built `coord-migrate`, found and run the way every end-to-end test runs it.
public enum CLI {
    /// The `coord-migrate` built next to this test bundle.
    public static let binary: URL? = {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["COORD_MIGRATE_BINARY"] {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        let argumentFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(argumentFolder.appendingPathComponent("coord-migrate"))
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("coord-migrate"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("coord-migrate"))
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("coord-migrate"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    public static func requireBinary() throws -> URL {
        try #require(
            binary,
            "coord-migrate was not found next to the test bundle (\(CommandLine.arguments[0])); build it first with `swift build`")
    }

    /// A clean environment: nothing from the caller's (NO_COLOR, SOURCE_DATE_EPOCH) leaks in.
    public static func environment(home: String, _ extra: [String: String]) -> [String: String] {
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8"]
        for (key, value) in extra { env[key] = value }
        return env
    }

    /// Runs the tool with `arguments`; stdout and stderr go to files, so nothing can block.
    /// With `timeout`, a run that has not ended by then is killed (its status is then not 0).
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:],
        timeout: TimeInterval? = nil
    ) throws -> CLIResult {
        let binary = try requireBinary()
        let home = try Scratch("home")
        return try withExtendedLifetime(home) {
            try runProcess(binary, arguments, environment: environment(home: home.path, extra), in: directory, timeout: timeout)
        }
    }

    /// Runs the tool and decodes the JSON report it prints.
    public static func report(_ path: String, extra: [String] = [], environment: [String: String] = [:]) throws -> MigrationReport {
        let result = try run(["--path", path, "--output", "-", "--format", "json", "--now", fixedNowText, "--quiet"] + extra,
                             environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try MigrationReport.jsonDecoder().decode(MigrationReport.self, from: result.stdout)
    }
}
