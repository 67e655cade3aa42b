public import CoordMigrateEmit
import CoordMigrateModel
import Foundation

/// What a user asked `render` for, as the command line spells it: the formats, where
/// the reports go and the users' templates. ``resolve()`` checks it and returns the
/// outputs ``ReportWriter/write(_:to:standardOutput:)`` takes, refusing anything wrong
/// before any work starts, by the same rules as ``AnalysisRequest`` (without a project
/// file: a saved report has no analysed folder to read one from).
public struct RenderRequest: Sendable {
    /// Format names (`md`, `html,json`, …); empty: the `output` file's extension, else Markdown.
    public var formats: [String] = []
    /// One report file, or `-` for standard output.
    public var output: String?
    /// The folder for one report per format (created when missing).
    public var outputDirectory: String?
    /// A user's Mustache template for Markdown (`--template`).
    public var markdownTemplate: String?
    /// A user's Mustache template for HTML (`--html-template`).
    public var htmlTemplate: String?
    /// The formats to choose from; nil: ``EmitterRegistry/all``.
    public var emitters: [EmitterRegistry.Entry]?

    /// An empty request: Markdown to `migration-plan.md`.
    public init() {}

    /// The formats in order, each with its emitter and where its report goes.
    public func resolve() throws(RequestError) -> [ReportWriter.Output] {
        var request = AnalysisRequest()
        request.formats = formats
        request.output = output
        request.emitters = emitters
        let entries = try request.resolveFormats(project: nil)
        var templates: [String: String?] = [:]
        let templateFiles = [("md", markdownTemplate), ("html", htmlTemplate)].reduce(into: [String: String]()) { files, pair in
            if let file = pair.1 { files[pair.0] = file }
        }
        if let markdownTemplate { templates["md"] = try AnalysisRequest.template(markdownTemplate, flag: "--template") }
        if let htmlTemplate { templates["html"] = try AnalysisRequest.template(htmlTemplate, flag: "--html-template") }
        return try ReportWriter.destinations(
            for: entries, output: output, outputDirectory: outputDirectory, templates: templates,
            templateFiles: templateFiles)
    }
}
