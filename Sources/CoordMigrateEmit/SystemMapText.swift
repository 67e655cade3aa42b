package import CoordMigrateModel
import Foundation

/// The system map as text: a Markdown table of what each program writes and reads, a
/// Mermaid `flowchart` (GitHub draws it), and Graphviz DOT. Every name comes from a
/// stranger's tree, so each format gets it escaped its own way: table cells as code
/// spans with `|` escaped, Mermaid labels as entity codes, DOT labels as quoted strings.
///
/// Arrows follow the data: a program's write points at the channel, a read points from
/// the channel at the program, and a channel points at the agents it delivers to.
package enum SystemMapText {
    /// One row per program: the channels it writes and the channels it reads.
    package static func markdownTable(_ map: SystemMap) -> String {
        let programs = map.nodes(.program)
        guard !programs.isEmpty else { return "" }
        var lines = ["| Program | Writes | Reads |", "| --- | --- | --- |"]
        for program in programs {
            func channels(_ kind: SystemMap.EdgeKind) -> String {
                let cells = map.edges(from: program.id, kind).compactMap { edge in
                    map.node(edge.to).map { cell(MarkdownText.codeSpan($0.label)) + " (line \(edge.line.map(String.init) ?? "?"))" }
                }
                return cells.isEmpty ? "—" : cells.joined(separator: ", ")
            }
            lines.append("| \(cell(MarkdownText.codeSpan(program.label))) | \(channels(.writes)) | \(channels(.reads)) |")
        }
        return lines.joined(separator: "\n")
    }

    /// A code span made safe inside a table cell: GitHub splits cells on every unescaped `|`, even in code.
    static func cell(_ span: String) -> String {
        span.replacingOccurrences(of: "|", with: "\\|")
    }

    /// A Mermaid `flowchart LR` of the map (without the fence): agents as stadiums,
    /// channels as cylinders, programs as boxes; nodes are `n0`, `n1`… in map order.
    package static func mermaid(_ map: SystemMap) -> String {
        guard !map.isEmpty else { return "" }
        let ids = nodeIDs(map)
        var lines = ["flowchart LR"]
        for node in map.nodes {
            let label = mermaidLabel(node.label)
            let id = ids[node.id] ?? "n0"
            switch node.kind {
            case .agent: lines.append("    \(id)([\"\(label)\"])")
            case .channel: lines.append("    \(id)[(\"\(label)\")]")
            case .program: lines.append("    \(id)[\"\(label)\"]")
            }
        }
        for edge in map.edges {
            guard let from = ids[edge.from], let to = ids[edge.to] else { continue }
            switch edge.kind {
            case .writes: lines.append("    \(from) -->|writes| \(to)")
            case .reads: lines.append("    \(to) -.->|read by| \(from)")
            case .belongsTo: lines.append("    \(from) --> \(to)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The short id each node is drawn under, `n0`, `n1`… in map order (both diagram formats use them).
    static func nodeIDs(_ map: SystemMap) -> [String: String] {
        Dictionary(map.nodes.enumerated().map { ($1.id, "n\($0)") }, uniquingKeysWith: { first, _ in first })
    }

    /// A label Mermaid prints as text: letters, digits and a few safe marks as they are, every
    /// other character as an entity code (`#60;`), so no name can close the label or the block.
    static func mermaidLabel(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(120) {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", " ", ".", "/", "-", "_", ":": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "#65533;" } else { out += "#\(scalar.value);" }
            }
        }
        return out
    }

    /// The map as a Graphviz `digraph`: `dot -Tsvg` draws it.
    package static func dot(_ map: SystemMap) -> String {
        let ids = nodeIDs(map)
        var lines = ["digraph system_map {", "    rankdir=LR;", "    node [fontname=\"Helvetica\"];"]
        for node in map.nodes {
            let shape =
                switch node.kind {
                case .agent: "ellipse"
                case .channel: "cylinder"
                case .program: "box"
                }
            lines.append("    \(ids[node.id] ?? "n0") [label=\(dotString(node.label)), shape=\(shape)];")
        }
        for edge in map.edges {
            guard let from = ids[edge.from], let to = ids[edge.to] else { continue }
            switch edge.kind {
            case .writes: lines.append("    \(from) -> \(to) [label=\"writes\"];")
            case .reads: lines.append("    \(to) -> \(from) [label=\"read by\", style=dashed];")
            case .belongsTo: lines.append("    \(from) -> \(to) [color=gray];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A DOT quoted string: `"` and `\` escaped, line breaks and control characters replaced.
    static func dotString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars.prefix(120) {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// What a channel is and holds, in a few words: "inbox, 7 messages, 6 agents".
    package static func channelSummary(_ channel: SystemMap.Node, in map: SystemMap) -> String {
        var parts = [channel.channelKind?.rawValue ?? "channel"]
        if let held = channel.holdings { parts.append(held) }
        let agents = map.edges(from: channel.id, .belongsTo).count
        if agents > 0 { parts.append("for \(plural(agents, "agent"))") }
        let writers = Set(map.edges(to: channel.id, .writes).map(\.from)).count
        let readers = Set(map.edges(to: channel.id, .reads).map(\.from)).count
        if writers > 0 { parts.append("written by \(plural(writers, "program"))") }
        if readers > 0 { parts.append("read by \(plural(readers, "program"))") }
        parts.append(channel.confidence == .high ? "seen on disk" : "seen in code")
        return parts.joined(separator: ", ")
    }

    /// The map as a Markdown document of its own (`coord-migrate map`).
    package static func markdownDocument(_ map: SystemMap, target: String) -> String {
        var lines = ["# System map", "", "Of \(MarkdownText.codeSpan(target)): \(map.countLine).", ""]
        guard !map.isEmpty else {
            lines.append("No agents, channels or programs that move messages were found there.")
            return lines.joined(separator: "\n") + "\n"
        }
        let agents = map.nodes(.agent)
        if !agents.isEmpty {
            lines.append("- **Agents:** " + agents.map { MarkdownText.inline($0.label) }.joined(separator: ", "))
        }
        for channel in map.nodes(.channel) {
            lines.append("- **Channel \(MarkdownText.codeSpan(channel.label)):** \(channelSummary(channel, in: map)) · \(MarkdownText.codeSpan(channel.location))")
        }
        let table = markdownTable(map)
        if !table.isEmpty { lines += ["", table] }
        lines += ["", "```mermaid", mermaid(map), "```"]
        return lines.joined(separator: "\n") + "\n"
    }
}
