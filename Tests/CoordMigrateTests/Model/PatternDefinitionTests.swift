@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
@testable import CoordMigrateDetect
@testable import CoordMigrateModel
import CoordMigrateTestSupport
import Foundation
import Testing

/// Each pattern is defined once; these check that the one definition is complete and
/// that its detector judges the definition's own example trees right.
@Suite("One definition per pattern")
struct PatternDefinitionTests {
    @Test("every pattern id has exactly one definition and exactly one detector, in the same order")
    func oneEach() {
        #expect(PatternDefinition.all.map(\.id) == PatternID.allCases)
        #expect(BuiltInDetectors.patterns().map { type(of: $0).pattern } == PatternID.allCases)
    }

    @Test("every definition says what it is, what is looked for, what to build, and has trees with and without it",
          arguments: PatternDefinition.all.map(\.id))
    func complete(_ id: PatternID) {
        let definition = id.definition
        for text in [definition.title, definition.rule, definition.summary, definition.remediation, definition.description] {
            #expect(!text.isEmpty)
        }
        #expect(!definition.lookedFor.isEmpty && !definition.firstMoves.isEmpty)
        #expect(definition.examples.contains { $0.present } && definition.examples.contains { !$0.present })
        // The texts other stages show come from the definition.
        #expect(PatternGuidance.for(id).remediation == definition.remediation)
        #expect(PatternCatalog.describe(id).summary == definition.summary)
    }

    @Test("the detector judges each example tree of its pattern right, through the whole pipeline",
          arguments: PatternDefinition.all.flatMap { definition in definition.examples.map { (definition.id, $0.name) } })
    func examples(_ id: PatternID, _ name: String) throws {
        let example = try #require(id.definition.examples.first { $0.name == name })
        let tree = try TempTree("example")
        for folder in example.folders { try tree.dir(folder) }
        for (path, content) in example.files { try tree.file(path, content) }
        let detection = try analyze(tree.path, discover: false).detection
        #expect(detection.existingPatterns.contains(id) == example.present,
                "\(id.rawValue), \(name): \(detection.patterns.first { $0.id == id.rawValue }?.summary ?? "")")
    }
}
