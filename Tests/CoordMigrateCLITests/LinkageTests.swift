import CoordMigrateTestSupport
import Foundation
import Testing

/// The binary starts without libpq: PostgreSQL support is loaded on demand.
@Suite("What the binary links")
struct LinkageTests {
    @Test(
        "libpq and its dependencies are not linked; they are opened only to measure PostgreSQL",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ldd")))
    func libpqIsNotLinked() throws {
        let binary = try CLI.requireBinary()
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/ldd"), [binary.path], environment: [:])
        let libraries = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(libraries.contains("libxml2"), "ldd lists the linked libraries:\n\(libraries)")
        for unwanted in ["libpq", "libssl", "libkrb5", "libldap"] {
            #expect(!libraries.contains(unwanted), "\(unwanted) is linked:\n\(libraries)")
        }
    }
}
