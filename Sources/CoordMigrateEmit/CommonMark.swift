import CoordMigrateModel
internal import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CommonMark to HTML through cmark.
enum CommonMark {
    /// Renders `markdown` as an HTML fragment. Raw HTML in the input is never
    /// passed through (cmark's safe default: it becomes a comment) and
    /// `javascript:`-style link targets are dropped; invalid UTF-8 is replaced.
    static func html(_ markdown: String) -> String {
        guard !markdown.isEmpty else { return "" }
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        let utf8 = Array(markdown.utf8)
        guard let rendered = utf8.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { cmark_markdown_to_html($0.baseAddress, $0.count, options) }
        }) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}
