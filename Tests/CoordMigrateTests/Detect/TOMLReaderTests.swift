@testable import CoordMigrateDetect
import Foundation
import Testing

/// The TOML subset agent settings use, and what a hostile settings file cannot do to it.
@Suite("Reading TOML settings")
struct TOMLReaderTests {
    @Test("tables, arrays of tables, dotted keys, strings, numbers and arrays over several lines")
    func subset() {
        let value = TOMLReader.parse("""
            title = "bus" # a comment
            [server]
            port = 8300
            [agents.claude]
            command = "claude"
            tools = [
              "read", # first
              "write",
            ]
            [[agents.list]]
            name = 'a#b'
            [[agents.list]]
            name = "c"
            """)
        #expect(value["title"]?.scalar == "bus")
        #expect(value["server"]?["port"]?.scalar == "8300")
        #expect(value["agents"]?["claude"]?["command"]?.scalar == "claude")
        #expect(value["agents"]?["claude"]?["tools"] == .list([.scalar("read"), .scalar("write")]))
        #expect(value["agents"]?["list"] == .list([.mapping([("name", .scalar("a#b"))]), .mapping([("name", .scalar("c"))])]))
    }

    @Test("a hostile file — arrays nested 200,000 deep, a table name of 100,000 parts, an array that never closes — is read in bounded time and stack")
    func hostile() {
        let deep = "a = " + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "\n"
        let dotted = "[" + Array(repeating: "x", count: 100_000).joined(separator: ".") + "]\nb = 1\n"
        let unclosed = "c = [\n" + String(repeating: "\"x\",\n", count: 200_000)
        let started = Date()
        let value = TOMLReader.parse(deep + dotted + "d = 2\n" + unclosed)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(value["a"] == nil, "a line longer than a value may be is not read")
        #expect(value["d"]?.scalar == "2", "lines after the hostile ones are still read")
        #expect(value["c"] == nil)
        let nested = TOMLReader.parse("e = " + String(repeating: "[", count: 40) + "1" + String(repeating: "]", count: 40) + "\n")
        #expect(nested["e"] != nil, "deep but short arrays are read up to the depth limit, the rest kept as text")
    }
}
