import ArgumentParser
import CoordMigrate
import Foundation

struct Templates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Print the variables a custom template can use, or a built-in template to start one from.",
        discussion: """
            Without options, prints the template variable reference (docs/template-variables.md): every key \
            --template and --html-template files can use, its kind and meaning, and the JSON report field it shows.
            """)

    @Flag(name: .long, help: "Print the template variable reference (the default).")
    var variables = false

    @Option(name: .long, help: ArgumentHelp("Print the built-in template of this format: md or html.", valueName: "FORMAT"))
    var show: String?

    func run() throws {
        if variables, show != nil { throw UsageError("use either --variables or --show FORMAT, not both") }
        let text: String
        switch show?.lowercased() {
        case nil: text = TemplateVariables.reference
        case "md", "markdown": text = MarkdownEmitter.defaultTemplate
        case "html": text = HTMLEmitter.defaultTemplate
        case let other?:
            let hint = Suggestion.hint(for: other, in: ["md", "html"])
            throw UsageError("no built-in template for '\(other)'\(hint); choose md or html (the other formats take no template)")
        }
        try checkStandardOutput(what: "the template reference")
        try writeStandardOutput(Data(text.utf8), what: "the template reference")
    }
}
