package import CoordMigrateModel
package import Foundation

/// A portfolio in each of its formats: Markdown, a self-contained HTML page with the
/// patterns × systems heat map (a CSS grid, no scripts), and JSON.
///
/// Paths come from reports, which are untrusted: every one is escaped for the format
/// (control characters replaced, Markdown and HTML specials escaped).
package enum PortfolioEmitter {
    /// The formats `portfolio --format` takes, with their file extensions.
    package static let formats: [(identifier: String, fileExtension: String)] = [("md", "md"), ("html", "html"), ("json", "json")]

    /// The portfolio in the format `identifier` (`md`, `html` or `json`); nil for another name.
    package static func emit(_ portfolio: PortfolioReport, format identifier: String) throws -> Data? {
        switch identifier {
        case "md": Data(markdown(portfolio).utf8)
        case "html": Data(html(portfolio).utf8)
        case "json": try portfolio.jsonData()
        default: nil
        }
    }

    private static let symbols: [PatternState: String] = [.present: "✓", .missing: "✗", .skipped: "–"]

    // MARK: - Markdown

    /// The portfolio as CommonMark with GitHub tables.
    package static func markdown(_ portfolio: PortfolioReport) -> String {
        var lines: [String] = []
        let totals = portfolio.totals
        lines.append("# Migration portfolio")
        lines.append("")
        lines.append(
            "\(plural(totals.systems, "system")), \(plural(totals.hours, "hour")) of work in \(plural(totals.steps, "step")); "
                + "\(plural(totals.gaps, "missing pattern")); \(plural(totals.dataMigrations, "system")) with data to move.")
        lines.append("")
        lines.append("## Patterns")
        lines.append("")
        lines.append("| pattern | present | missing | skipped |")
        lines.append("|---|---:|---:|---:|")
        for count in portfolio.patternCounts {
            lines.append("| `\(count.id)` | \(count.present) | \(count.missing) | \(count.skipped) |")
        }
        lines.append("")
        lines.append("## Complexity and risk")
        lines.append("")
        lines.append("| complexity | systems |")
        lines.append("|---|---:|")
        for level in portfolio.complexityDistribution { lines.append("| \(level.level) | \(level.systems) |") }
        lines.append("")
        lines.append("| risk | systems |")
        lines.append("|---|---:|")
        for level in portfolio.riskDistribution { lines.append("| \(level.level) | \(level.systems) |") }
        lines.append("")
        lines.append("## Migration waves")
        lines.append("")
        lines.append("Rule: \(MarkdownText.inline(portfolio.waveRule)).")
        for wave in portfolio.waves {
            lines.append("")
            lines.append("### Wave \(wave.number): \(wave.criterion)")
            lines.append("")
            lines.append("\(plural(wave.systems.count, "system")), \(plural(wave.hours, "hour")).")
            lines.append("")
            for (index, path) in wave.systems.enumerated() { lines.append("\(index + 1). \(MarkdownText.inline(path))") }
        }
        lines.append("")
        lines.append("## Systems sharing the same gaps")
        for group in portfolio.gapGroups {
            lines.append("")
            let gaps = group.gaps.isEmpty ? "no gaps" : group.gaps.map { "`\($0)`" }.joined(separator: ", ")
            lines.append("### \(gaps)")
            lines.append("")
            lines.append("\(plural(group.systems.count, "system")), \(plural(group.hours, "hour")).")
            lines.append("")
            for path in group.systems { lines.append("- \(MarkdownText.inline(path))") }
        }
        lines.append("")
        lines.append("## Matrix")
        lines.append("")
        lines.append("✓ present, ✗ missing, – skipped. Columns: "
            + portfolio.patterns.enumerated().map { "\($0 + 1) `\($1)`" }.joined(separator: ", ") + ".")
        lines.append("")
        lines.append("| system | " + portfolio.patterns.indices.map { "\($0 + 1)" }.joined(separator: " | ")
            + " | readiness | hours | steps | complexity | risk | wave |")
        lines.append("|---|" + portfolio.patterns.map { _ in ":-:|" }.joined() + "---:|---:|---:|---|---|---:|")
        for system in portfolio.systems {
            let cells = system.patterns.map { symbols[$0]! }.joined(separator: " | ")
            lines.append(
                "| \(MarkdownText.inline(system.path)) | \(cells) | \(system.readiness)% | \(system.hours) | \(system.steps) | "
                    + "\(system.complexityLevel.rawValue) | \(system.riskLevel.rawValue) | \(system.wave) |")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    // MARK: - HTML

    /// The portfolio as one self-contained HTML page: no scripts, no external requests.
    package static func html(_ portfolio: PortfolioReport) -> String {
        let totals = portfolio.totals
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Migration portfolio</title>
            <style>\(styles)</style>
            </head>
            <body>
            <main>
            <h1>Migration portfolio</h1>
            <p class="summary">\(plural(totals.systems, "system")), \(plural(totals.hours, "hour")) of work in \
            \(plural(totals.steps, "step")); \(plural(totals.gaps, "missing pattern")); \
            \(plural(totals.dataMigrations, "system")) with data to move.</p>

            """
        out += "<section aria-labelledby=\"heat-map\">\n<h2 id=\"heat-map\">Patterns × systems</h2>\n"
        out += "<p class=\"legend\"><span class=\"cell present\">✓</span> present <span class=\"cell missing\">✗</span> missing "
            + "<span class=\"cell skipped\">–</span> skipped</p>\n"
        out += "<div class=\"matrix\" role=\"table\" aria-label=\"patterns by system\" style=\"--patterns: \(portfolio.patterns.count)\">\n"
        out += "<div class=\"row head\" role=\"row\"><span class=\"name\" role=\"columnheader\">system</span>"
        for (index, id) in portfolio.patterns.enumerated() {
            out += "<span class=\"col\" role=\"columnheader\" title=\"\(escape(id))\">\(index + 1)</span>"
        }
        out += "<span class=\"num\" role=\"columnheader\">ready</span><span class=\"num\" role=\"columnheader\">hours</span>"
            + "<span class=\"num\" role=\"columnheader\">wave</span></div>\n"
        for system in portfolio.systems {
            let path = escape(system.path)
            out += "<div class=\"row risk-\(system.riskLevel.rawValue)\" role=\"row\"><span class=\"name\" role=\"rowheader\" title=\"\(path)\">\(path)</span>"
            for (id, state) in zip(portfolio.patterns, system.patterns) {
                out += "<span class=\"cell \(state.rawValue)\" role=\"cell\" title=\"\(escape(id)): \(state.rawValue)\">\(symbols[state]!)</span>"
            }
            out += "<span class=\"num\" role=\"cell\">\(system.readiness)%</span><span class=\"num\" role=\"cell\">\(system.hours)</span>"
                + "<span class=\"num\" role=\"cell\">\(system.wave)</span></div>\n"
        }
        out += "</div>\n<ol class=\"columns\">"
        for count in portfolio.patternCounts {
            out += "<li><code>\(escape(count.id))</code> \(escape(count.title)): \(count.present) present, \(count.missing) missing, \(count.skipped) skipped</li>"
        }
        out += "</ol>\n</section>\n"

        out += "<section aria-labelledby=\"distribution\">\n<h2 id=\"distribution\">Complexity and risk</h2>\n<table>\n"
        out += "<tr><th>complexity</th><th>systems</th></tr>\n"
        for level in portfolio.complexityDistribution { out += "<tr><td>\(escape(level.level))</td><td>\(level.systems)</td></tr>\n" }
        out += "</table>\n<table>\n<tr><th>risk</th><th>systems</th></tr>\n"
        for level in portfolio.riskDistribution { out += "<tr><td>\(escape(level.level))</td><td>\(level.systems)</td></tr>\n" }
        out += "</table>\n</section>\n"

        out += "<section aria-labelledby=\"waves\">\n<h2 id=\"waves\">Migration waves</h2>\n<p>Rule: \(escape(portfolio.waveRule)).</p>\n"
        for wave in portfolio.waves {
            out += "<h3>Wave \(wave.number): \(escape(wave.criterion))</h3>\n"
            out += "<p>\(plural(wave.systems.count, "system")), \(plural(wave.hours, "hour")).</p>\n<ol class=\"systems\">"
            for path in wave.systems { out += "<li>\(escape(path))</li>" }
            out += "</ol>\n"
        }
        out += "</section>\n"

        out += "<section aria-labelledby=\"gap-groups\">\n<h2 id=\"gap-groups\">Systems sharing the same gaps</h2>\n"
        for group in portfolio.gapGroups {
            let gaps = group.gaps.isEmpty ? "no gaps" : group.gaps.map { "<code>\(escape($0))</code>" }.joined(separator: ", ")
            out += "<h3>\(gaps)</h3>\n<p>\(plural(group.systems.count, "system")), \(plural(group.hours, "hour")).</p>\n<ul class=\"systems\">"
            for path in group.systems { out += "<li>\(escape(path))</li>" }
            out += "</ul>\n"
        }
        out += "</section>\n</main>\n</body>\n</html>\n"
        return out
    }

    /// Text for HTML content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in MarkdownText.clean(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // One row per system, 1.1rem high, so 500 systems make a page a browser scrolls
    // through easily; long paths are cut with an ellipsis (the full path is the title).
    private static let styles = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
        main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem}
        h1{font-size:1.6rem}h2{margin-top:2rem}
        .matrix{display:grid;grid-template-columns:minmax(10rem,1fr) repeat(var(--patterns),1.6rem) 3.2rem 3.2rem 2.6rem;
        gap:1px;font-size:12px}
        .row{display:contents}
        .row>span{height:1.1rem;line-height:1.1rem;overflow:hidden}
        .head>span{font-weight:600;position:sticky;top:0;background:#fff}
        .name{white-space:nowrap;text-overflow:ellipsis;padding-right:.4rem;font-family:ui-monospace,monospace}
        .col,.cell{text-align:center}
        .num{text-align:right;padding-right:.2rem}
        .cell.present{background:#2da44e;color:#fff}
        .cell.missing{background:#cf222e;color:#fff}
        .cell.skipped{background:#d0d7de;color:#1b1f24}
        .legend .cell{display:inline-block;width:1.4rem}
        .risk-high .name{color:#a40e26}
        table{border-collapse:collapse;margin:.5rem 2rem .5rem 0;display:inline-table}
        td,th{border:1px solid #d0d7de;padding:.2rem .6rem;text-align:left}
        .systems{font-family:ui-monospace,monospace;font-size:12px;columns:2}
        """
}
