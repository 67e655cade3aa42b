@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("InputFile: bounded reads of settings, templates and reports")
struct InputFileTests {
    @Test("a file of exactly the limit is read; one byte more is refused with its size and the limit")
    func limit() throws {
        let tree = try TempTree("input-limit")
        let exact = try tree.bytes("exact", [UInt8](repeating: 0x61, count: 100))
        let over = try tree.bytes("over", [UInt8](repeating: 0x61, count: 101))
        #expect(try InputFile.read(exact, limit: 100).count == 100)
        let error = #expect(throws: InputFile.ReadError.self) { _ = try InputFile.read(over, limit: 100) }
        #expect(error?.problem == .tooLarge(size: 101, limit: 100))
        #expect(error?.description == "\(over): the file is 101 bytes, more than the limit of 100 bytes")
    }

    @Test("a sparse file of 1 TiB is refused from its size, without reading")
    func sparseTebibyte() throws {
        let tree = try TempTree("input-sparse")
        let path = try tree.file("huge.yaml", "a: 1\n")
        #expect(truncate(path, off_t(1) << 40) == 0, "\(errnoText())")
        let started = Date()
        let error = #expect(throws: InputFile.ReadError.self) { _ = try InputFile.read(path, limit: InputFile.settingsLimit) }
        #expect(error?.problem == .tooLarge(size: 1 << 40, limit: 1 << 20))
        #expect(error?.reason.contains("1 TiB") == true, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test("a file whose size fstat does not tell (/proc) is read to the limit and no further")
    func procFile() throws {
        // /proc/self/maps says 0 bytes but holds far more than 16.
        let error = #expect(throws: InputFile.ReadError.self) { _ = try InputFile.read("/proc/self/maps", limit: 16) }
        #expect(error?.problem == .tooLarge(size: nil, limit: 16))
        #expect(try InputFile.read("/proc/self/maps", limit: 1 << 20).count > 16)
    }

    @Test("a FIFO with no writer, a folder and a device are refused at once")
    func specialFiles() throws {
        let tree = try TempTree("input-special")
        let fifo = try tree.fifo("pipe")
        let folder = try tree.dir("folder")
        let expected: [(String, InputFile.ReadError.Problem)] = [
            (fifo, .notRegularFile("a FIFO")), (folder, .notRegularFile("a folder")), ("/dev/zero", .notRegularFile("a character device")),
        ]
        for (path, problem) in expected {
            let seen = ProblemBox()
            // The watchdog's unblock opens the FIFO for writing, releasing a read that waits for a writer.
            let done = finishes(within: 10, unblock: {
                let descriptor = open(fifo, O_WRONLY | O_NONBLOCK)
                if descriptor >= 0 { close(descriptor) }
            }) {
                do throws(InputFile.ReadError) { _ = try InputFile.read(path, limit: 1 << 20) } catch { seen.set(error.problem) }
            }
            #expect(done, "reading \(path) blocked")
            #expect(seen.get() == problem, "\(path)")
        }
    }

    @Test("a symbolic link is followed by default and refused when links are refused, even to a regular file")
    func symbolicLinks() throws {
        let tree = try TempTree("input-link")
        let target = try tree.file("target.yaml", "a: 1\n")
        try tree.symlink("link.yaml", to: target)
        let link = tree.absolute("link.yaml")
        #expect(try InputFile.readText(link, limit: 100) == "a: 1\n")
        let error = #expect(throws: InputFile.ReadError.self) { _ = try InputFile.read(link, limit: 100, links: .refuse) }
        #expect(error?.problem == .symbolicLink)
        #expect(try InputFile.readText(target, limit: 100, links: .refuse) == "a: 1\n")
    }

    @Test("missing files and text that is not UTF-8 are named as such")
    func missingAndNotText() throws {
        let tree = try TempTree("input-text")
        let latin = try tree.bytes("latin1", [0x61, 0xE9, 0xFF])
        #expect(throws: InputFile.ReadError(path: latin, problem: .notUTF8)) { _ = try InputFile.readText(latin, limit: 100) }
        let missing = tree.absolute("nope")
        #expect(throws: InputFile.ReadError(path: missing, problem: .missing)) { _ = try InputFile.read(missing, limit: 100) }
    }

    @Test("the project file in the analysed folder: absent is nil; a link or FIFO is refused, never followed")
    func projectFileInFolder() throws {
        let tree = try TempTree("input-project")
        let outside = try tree.file("outside.yaml", "formats: [json]\n")
        let root = try tree.dir("root")
        #expect(try ProjectConfig.load(inFolder: root) == nil)
        try tree.symlink("root/.coord-migrate.yaml", to: outside)
        let linked = #expect(throws: SettingsError.self) { _ = try ProjectConfig.load(inFolder: root) }
        #expect(linked?.message.contains("symbolic link") == true, "\(String(describing: linked))")
        #expect(try ProjectConfig.load(tree.absolute("root/.coord-migrate.yaml")).formats == ["json"], "--config follows it")
        try FileManager.default.removeItem(atPath: tree.absolute("root/.coord-migrate.yaml"))
        _ = try tree.fifo("root/.coord-migrate.yaml")
        let fifo = #expect(throws: SettingsError.self) { _ = try ProjectConfig.load(inFolder: root) }
        #expect(fifo?.message.contains("not a regular file") == true, "\(String(describing: fifo))")
        try FileManager.default.removeItem(atPath: tree.absolute("root/.coord-migrate.yaml"))
        _ = try tree.file("root/.coord-migrate.yaml", "formats: [md]\n")
        #expect(try ProjectConfig.load(inFolder: root)?.formats == ["md"])
    }
}

private final class ProblemBox: @unchecked Sendable {
    private let lock = NSLock()
    private var problem: InputFile.ReadError.Problem?
    func set(_ value: InputFile.ReadError.Problem) { lock.withLock { problem = value } }
    func get() -> InputFile.ReadError.Problem? { lock.withLock { problem } }
}
