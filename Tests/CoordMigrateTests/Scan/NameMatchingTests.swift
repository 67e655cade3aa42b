@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
import CoordMigrateTestSupport
import Foundation
import Testing

@testable import CoordMigrate

/// The one-pass name check agrees with the regular expressions it replaces.
@Suite("Message-id marks in file names")
struct NameMatchingTests {
    static let uuidRegex = try! NSRegularExpression(
        pattern: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
    static let shaRegex = try! NSRegularExpression(pattern: "[0-9a-fA-F]{64}")

    static func oracle(_ name: String) -> (Bool, Bool) {
        let range = NSRange(name.startIndex..., in: name)
        return (uuidRegex.firstMatch(in: name, range: range) != nil, shaRegex.firstMatch(in: name, range: range) != nil)
    }

    @Test("known names", arguments: [
        "2025-10-30T12:34:56-0600-code-550e8400-e29b-41d4-a716-446655440000.msg",
        "550E8400-E29B-41D4-A716-446655440000",
        "x123456789-e29b-41d4-a716-4466554400001234",
        "550e8400-e29b-41d4-a716-44665544000",
        "550e8400-e29b-41d4-a716--446655440000",
        "550e8400-e29b-41d4a-716-446655440000",
        "--550e8400-e29b-41d4-a716-446655440000--",
        String(repeating: "a", count: 64), String(repeating: "f", count: 63) + "-x",
        "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4.msg", "", "-", "a-b-c-d-e",
    ])
    func knownNames(_ name: String) {
        let marks = NameMatching.idMarks(in: name)
        let expected = Self.oracle(name)
        #expect(marks.uuid == expected.0)
        #expect(marks.sha256 == expected.1)
    }

    @Test("random names built from hex digits and dashes agree with the regular expressions")
    func randomNames() {
        var generator = SplitMix64(seed: 20261125)
        let alphabet = Array("0123456789abcdefABCDEF--g.")
        for _ in 0..<5000 {
            let length = Int.random(in: 0...90, using: &generator)
            let name = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let marks = NameMatching.idMarks(in: name)
            let expected = Self.oracle(name)
            #expect(marks.uuid == expected.0, "\(name)")
            #expect(marks.sha256 == expected.1, "\(name)")
        }
    }
}
