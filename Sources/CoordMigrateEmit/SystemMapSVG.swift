package import CoordMigrateModel

/// A ``SystemMap`` drawn as one inline SVG element, laid out here: programs on the
/// left, the channels they write and read in the middle, the agents the channels
/// belong to on the right. No script and no external resource: the element is
/// meant to sit inside an HTML report and to print.
///
/// Every label, path and detail comes from the analysed tree, so all of it is
/// escaped and cleaned of the characters XML 1.0 forbids; element ids are built
/// from indexes only.
package enum SystemMapSVG {
    /// The diagram as an `<svg>` element; "" for an empty map. `idPrefix` starts
    /// every id in the element (letters, digits and `-` are kept), so that two
    /// diagrams on one page do not share ids.
    package static func render(_ map: SystemMap, idPrefix: String = "system-map") -> String {
        guard !map.isEmpty else { return "" }
        return SVGWriter(layout: layout(map), map: map, prefix: sanitizedPrefix(idPrefix)).document()
    }

    /// Where each box and connection goes.
    static func layout(_ map: SystemMap) -> SystemMapLayout {
        SystemMapLayout(map)
    }

    static func sanitizedPrefix(_ prefix: String) -> String {
        let kept = String(prefix.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        guard let first = kept.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
            return "system-map" + (kept.isEmpty ? "" : "-" + kept)
        }
        return kept
    }
}

// MARK: - Layout

/// The geometry of a map's diagram, in SVG user units (CSS pixels).
struct SystemMapLayout: Sendable, Equatable {
    /// The font the labels are set in, and a per-character width no glyph of it exceeds.
    static let fontSize = 12.0
    static let characterWidth = 7.3
    /// Each box is one row; rows are further apart than boxes are high.
    static let rowHeight = 30.0
    static let boxHeight = 22.0
    static let padding = 8.0
    /// A label longer than this many character widths is cut in the middle with "…".
    static let labelLimit = 36
    /// A column shows at most this many boxes; beyond that, the last one stands for the rest.
    static let columnLimit = 24
    static let margin = 16.0
    static let columnGap = 140.0
    static let headerHeight = 28.0
    static let minimumBoxWidth = 48.0

    /// The three columns, left to right.
    enum Column: Int, CaseIterable, Sendable {
        case programs = 0, channels, agents

        init(_ kind: SystemMap.NodeKind) {
            switch kind {
            case .program: self = .programs
            case .channel: self = .channels
            case .agent: self = .agents
            }
        }

        var kind: SystemMap.NodeKind {
            switch self {
            case .programs: .program
            case .channels: .channel
            case .agents: .agent
            }
        }

        var heading: String {
            switch self {
            case .programs: "Programs"
            case .channels: "Channels"
            case .agents: "Agents"
            }
        }

        var plural: String {
            switch self {
            case .programs: "programs"
            case .channels: "channels"
            case .agents: "agents"
            }
        }
    }

    /// One drawn node, or the group node standing for a column's overflow.
    struct Box: Sendable, Equatable {
        var column: Column
        /// The map's nodes this box stands for: one, or the grouped ones (sorted by id).
        var nodeIDs: [String]
        var isGroup: Bool
        /// The text shown, cleaned and perhaps cut.
        var label: String
        /// The whole cleaned label, before any cut.
        var fullLabel: String
        var x: Double
        var y: Double
        var width: Double
        var height: Double
        var labelX: Double { x + SystemMapLayout.padding }
        var centerY: Double { y + height / 2 }
    }

    /// One drawn connection between two boxes, standing for one or more edges.
    struct Link: Sendable, Equatable {
        /// Indexes into ``boxes``.
        var from: Int
        var to: Int
        var kind: SystemMap.EdgeKind
        /// Indexes into the map's edges.
        var edges: [Int]
    }

    struct Heading: Sendable, Equatable {
        var text: String
        var x: Double
        var y: Double
    }

    var boxes: [Box]
    var links: [Link]
    var headings: [Heading]
    var width: Double
    var height: Double
    /// Where the legend starts.
    var legendY: Double

    static let legendHeight = 74.0

    init(_ map: SystemMap) {
        // Which box each node goes in: per column, the best-connected nodes keep their
        // own box and the rest share the column's group box.
        var degree: [String: Int] = [:]
        for edge in map.edges where edge.from != edge.to {
            degree[edge.from, default: 0] += 1
            degree[edge.to, default: 0] += 1
        }
        var members: [[[String]]] = []  // column → box → node ids
        var groups: [Bool] = []
        for column in Column.allCases {
            let nodes = map.nodes(column.kind).map(\.id).sorted()
            guard nodes.count > Self.columnLimit else {
                members.append(nodes.map { [$0] })
                groups.append(false)
                continue
            }
            let ranked = nodes.sorted { (-(degree[$0] ?? 0), $0) < (-(degree[$1] ?? 0), $1) }
            let shown = ranked.prefix(Self.columnLimit - 1).sorted()
            let rest = ranked.dropFirst(Self.columnLimit - 1).sorted()
            members.append(shown.map { [$0] } + [rest])
            groups.append(true)
        }

        // Box numbers in reading order of the columns before ordering; a node id → its column and slot.
        var slotOf: [String: (column: Int, slot: Int)] = [:]
        for (column, boxes) in members.enumerated() {
            for (slot, ids) in boxes.enumerated() {
                for id in ids { slotOf[id] = (column, slot) }
            }
        }

        // Connections between slots, deduplicated per kind.
        struct Key: Hashable { var from: Int, fromSlot: Int, to: Int, toSlot: Int, kind: SystemMap.EdgeKind }
        var linkEdges: [Key: [Int]] = [:]
        var keys: [Key] = []
        for (index, edge) in map.edges.enumerated() {
            guard let from = slotOf[edge.from], let to = slotOf[edge.to], (from.column, from.slot) != (to.column, to.slot) else { continue }
            let key = Key(from: from.column, fromSlot: from.slot, to: to.column, toSlot: to.slot, kind: edge.kind)
            if linkEdges[key] == nil { keys.append(key) }
            linkEdges[key, default: []].append(index)
        }

        // Order each column by the barycentre of its neighbours' rows, two sweeps:
        // programs and agents by channels, channels by both, then the sides again.
        let rowCounts = members.map(\.count)
        let tallest = rowCounts.max() ?? 0
        func offset(_ column: Int) -> Double { Double(tallest - rowCounts[column]) / 2 }
        var order: [[Int]] = rowCounts.map { Array(0..<$0) }  // column → row → slot
        var rowOf: [[Int]] = order  // column → slot → row
        var neighbours: [[[(column: Int, slot: Int)]]] = rowCounts.map { Array(repeating: [], count: $0) }
        for key in keys {
            neighbours[key.from][key.fromSlot].append((key.to, key.toSlot))
            neighbours[key.to][key.toSlot].append((key.from, key.fromSlot))
        }
        func reorder(_ column: Int) {
            let count = rowCounts[column]
            guard count > 1 else { return }
            let pinned = groups[column] ? count - 1 : nil
            let free = (0..<count).filter { $0 != pinned }
            func position(_ slot: Int) -> Double {
                let around = neighbours[column][slot]
                guard !around.isEmpty else { return Double(rowOf[column][slot]) + offset(column) }
                return around.reduce(0.0) { $0 + Double(rowOf[$1.column][$1.slot]) + offset($1.column) } / Double(around.count)
            }
            let positions = Dictionary(uniqueKeysWithValues: free.map { ($0, position($0)) })
            let firstID = members[column].map { $0.first ?? "" }
            var sorted = free.sorted { (positions[$0]!, firstID[$0]) < (positions[$1]!, firstID[$1]) }
            if let pinned { sorted.append(pinned) }
            order[column] = sorted
            for (row, slot) in sorted.enumerated() { rowOf[column][slot] = row }
        }
        for column in [0, 2, 1, 0, 2] { reorder(column) }

        // Boxes: one column after another, each column as wide as its widest box.
        let nodesByID = Dictionary(map.nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var boxIndex: [[Int]] = rowCounts.map { Array(repeating: 0, count: $0) }  // column → slot → box
        var boxes: [Box] = []
        var headings: [Heading] = []
        var x = Self.margin
        let top = Self.margin + Self.headerHeight
        for column in Column.allCases where rowCounts[column.rawValue] > 0 {
            var columnBoxes: [Box] = []
            for slot in order[column.rawValue] {
                let ids = members[column.rawValue][slot]
                let isGroup = groups[column.rawValue] && slot == rowCounts[column.rawValue] - 1
                let full = isGroup ? "+ \(ids.count) more \(column.plural)" : SVGText.clean(nodesByID[ids[0]]?.label ?? ids[0])
                let shown = SVGText.truncated(full, to: Self.labelLimit)
                let width = max(Self.minimumBoxWidth, (Double(SVGText.columns(shown)) * Self.characterWidth + 2 * Self.padding).rounded(.up))
                let row = Double(rowOf[column.rawValue][slot]) + offset(column.rawValue)
                let y = top + row * Self.rowHeight + (Self.rowHeight - Self.boxHeight) / 2
                boxIndex[column.rawValue][slot] = boxes.count + columnBoxes.count
                columnBoxes.append(Box(column: column, nodeIDs: ids, isGroup: isGroup, label: shown, fullLabel: full, x: x, y: y, width: width, height: Self.boxHeight))
            }
            let headingWidth = Double(column.heading.count) * Self.characterWidth
            let columnWidth = max(headingWidth, columnBoxes.map(\.width).max() ?? 0)
            // Programs flush right towards the channels, agents flush left, channels centred.
            for index in columnBoxes.indices {
                let spare = columnWidth - columnBoxes[index].width
                switch column {
                case .programs: columnBoxes[index].x += spare
                case .channels: columnBoxes[index].x += (spare / 2).rounded(.down)
                case .agents: break
                }
            }
            let headingX: Double = switch column {
            case .programs: x + columnWidth - headingWidth
            case .channels: x + ((columnWidth - headingWidth) / 2).rounded(.down)
            case .agents: x
            }
            headings.append(Heading(text: column.heading, x: headingX, y: Self.margin + Self.fontSize))
            boxes += columnBoxes
            x += columnWidth + Self.columnGap
        }
        let diagramWidth = x - Self.columnGap + Self.margin
        let legendY = top + Double(tallest) * Self.rowHeight + Self.margin

        self.boxes = boxes
        self.links = keys.map { key in
            Link(from: boxIndex[key.from][key.fromSlot], to: boxIndex[key.to][key.toSlot], kind: key.kind, edges: linkEdges[key] ?? [])
        }.sorted { ($0.from, $0.to, $0.kind.rawValue) < ($1.from, $1.to, $1.kind.rawValue) }
        self.headings = headings
        self.legendY = legendY
        self.width = max(diagramWidth, SVGWriter.legendWidth + 2 * Self.margin)
        self.height = legendY + Self.legendHeight + Self.margin
    }
}

// MARK: - Text

/// Text from the analysed tree, made safe and measured for the diagram.
enum SVGText {
    /// Line breaks and tabs become spaces, other control characters U+FFFD, and the
    /// noncharacters XML 1.0 forbids are dropped.
    static func clean(_ text: String) -> String {
        XMLText.clean(MarkdownText.clean(text))
    }

    /// Cleaned and escaped for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        XMLText.clean(PortfolioEmitter.escape(text))
    }

    /// Lines for a `<title>`: each cleaned and escaped, joined by line feeds.
    static func lines(_ lines: [String]) -> String {
        lines.map(escape).joined(separator: "\n")
    }

    /// Character widths of `text` in a monospace font: East Asian wide characters
    /// and emoji count two, a combining sequence counts as its widest part.
    static func columns(_ text: String) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    static func columns(of character: Character) -> Int {
        character.unicodeScalars.contains(where: isWide) ? 2 : 1
    }

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
             0x2600...0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F000...0x1FAFF, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// `text` if it fits in `limit` columns, else its start and end around "…".
    static func truncated(_ text: String, to limit: Int) -> String {
        guard columns(text) > limit else { return text }
        let characters = Array(text)
        let budget = limit - 1
        let headBudget = budget / 2
        var head = 0, used = 0
        while head < characters.count, used + columns(of: characters[head]) <= headBudget {
            used += columns(of: characters[head])
            head += 1
        }
        var tail = characters.count
        while tail > head, used + columns(of: characters[tail - 1]) <= budget {
            used += columns(of: characters[tail - 1])
            tail -= 1
        }
        return String(characters[..<head]) + "…" + String(characters[tail...])
    }
}

// MARK: - Writing

private struct SVGWriter {
    let layout: SystemMapLayout
    let map: SystemMap
    let prefix: String

    static let legendWidth = 560.0

    func document() -> String {
        var out = ""
        let width = number(layout.width), height = number(layout.height)
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"system-map\" role=\"img\""
        out += " aria-labelledby=\"\(prefix)-title \(prefix)-desc\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\""
        out += " style=\"max-width:\(width)px;height:auto\" font-family=\"ui-monospace,Menlo,Consolas,'DejaVu Sans Mono',monospace\""
        out += " font-size=\"\(number(SystemMapLayout.fontSize))\">\n"
        out += "<title id=\"\(prefix)-title\">System map: \(SVGText.escape(map.countLine))</title>\n"
        out += "<desc id=\"\(prefix)-desc\">\(SVGText.escape(description()))</desc>\n"
        out += style()
        out += markers()
        out += "<g class=\"sm-headings\">"
        for heading in layout.headings {
            out += "<text class=\"sm-heading\" x=\"\(number(heading.x))\" y=\"\(number(heading.y))\">\(heading.text)</text>"
        }
        out += "</g>\n<g class=\"sm-links\">\n"
        for link in layout.links { out += self.link(link) }
        out += "</g>\n<g class=\"sm-nodes\">\n"
        for (index, box) in layout.boxes.enumerated() { out += node(box, index) }
        out += "</g>\n"
        out += legend()
        out += "</svg>\n"
        return out
    }

    func description() -> String {
        var text = "Programs on the left write to (solid lines) and read from (dashed lines) the channels in the middle;"
        text += " thin grey lines lead from each channel to the agents on the right it belongs to."
        let grouped = layout.boxes.filter(\.isGroup)
        if !grouped.isEmpty {
            let limit = SystemMapLayout.columnLimit
            text += " A column of more than \(limit) shows the \(limit - 1) best connected and one box for the rest: "
            text += grouped.map { plural($0.nodeIDs.count, $0.column.kind.rawValue) }.joined(separator: ", ") + "."
        }
        return text
    }

    func style() -> String {
        // Scoped to this kind of diagram: an inline <style> applies to the whole page.
        """
        <style>
        svg.system-map{color:#1b1f24;background:transparent}
        svg.system-map text{fill:currentColor}
        svg.system-map .sm-heading{font-weight:bold}
        svg.system-map .sm-box{stroke:currentColor;stroke-width:1}
        svg.system-map .sm-program .sm-box{fill:#eef2f7}
        svg.system-map .sm-channel .sm-box{fill:#fff4d6;stroke-width:2.5}
        svg.system-map .sm-channel .sm-tab{fill:#fff4d6;stroke:currentColor;stroke-width:1.5}
        svg.system-map .sm-agent .sm-box{fill:#e3f4e8}
        svg.system-map .sm-group .sm-box{stroke-dasharray:4 3;fill:#f6f8fa}
        svg.system-map .sm-link{fill:none;stroke:currentColor}
        svg.system-map .sm-writes{stroke-width:1.6}
        svg.system-map .sm-reads{stroke-width:1.6;stroke-dasharray:6 4}
        svg.system-map .sm-belongs-to{stroke:#8a929c;stroke-width:1}
        svg.system-map .sm-arrow{fill:currentColor;stroke:none}
        svg.system-map .sm-arrow-belongs-to{fill:#8a929c}
        svg.system-map .sm-note{font-style:italic}
        @media (prefers-color-scheme: dark){
        svg.system-map{color:#e6edf3}
        svg.system-map .sm-program .sm-box{fill:#1f2630}
        svg.system-map .sm-channel .sm-box,svg.system-map .sm-channel .sm-tab{fill:#3a2f10}
        svg.system-map .sm-agent .sm-box{fill:#12301c}
        svg.system-map .sm-group .sm-box{fill:#161b22}
        svg.system-map .sm-belongs-to{stroke:#8b949e}
        svg.system-map .sm-arrow-belongs-to{fill:#8b949e}
        }
        @media print{
        svg.system-map{color:#000}
        svg.system-map .sm-box,svg.system-map .sm-tab{fill:#fff}
        svg.system-map .sm-belongs-to{stroke:#555}
        svg.system-map .sm-arrow-belongs-to{fill:#555}
        }
        </style>

        """
    }

    func markers() -> String {
        var out = "<defs>"
        for kind in SystemMap.EdgeKind.allCases {
            out += "<marker id=\"\(prefix)-arrow-\(kind.rawValue)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\""
            out += " markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
            out += "<path class=\"sm-arrow sm-arrow-\(kind.rawValue)\" d=\"M0,0 L10,5 L0,10 z\"/></marker>"
        }
        out += "</defs>\n"
        return out
    }

    /// Writes and belongs-to point the way the edge goes; reads point back at the
    /// program, the way the messages travel.
    func link(_ link: SystemMapLayout.Link) -> String {
        let fromBox = layout.boxes[link.from], toBox = layout.boxes[link.to]
        let (source, target) = link.kind == .reads ? (toBox, fromBox) : (fromBox, toBox)
        // A write and a read between the same two boxes are drawn side by side.
        let twin = layout.links.contains { $0.from == link.from && $0.to == link.to && $0.kind != link.kind && $0.kind != .belongsTo }
        let shift = twin ? (link.kind == .reads ? 3.0 : -3.0) : 0
        let y1 = source.centerY + shift, y2 = target.centerY + shift
        let d: String
        if source.column == target.column {
            let x1 = source.x + source.width, x2 = target.x + target.width
            let bulge = max(x1, x2) + 40
            d = "M\(number(x1)),\(number(y1)) C\(number(bulge)),\(number(y1)) \(number(bulge)),\(number(y2)) \(number(x2)),\(number(y2))"
        } else {
            let rightward = source.column.rawValue < target.column.rawValue
            let x1 = rightward ? source.x + source.width : source.x
            let x2 = rightward ? target.x : target.x + target.width
            let middle = (x1 + x2) / 2
            d = "M\(number(x1)),\(number(y1)) C\(number(middle)),\(number(y1)) \(number(middle)),\(number(y2)) \(number(x2)),\(number(y2))"
        }
        var out = "<path class=\"sm-link sm-\(link.kind.rawValue)\" d=\"\(d)\" marker-end=\"url(#\(prefix)-arrow-\(link.kind.rawValue))\">"
        out += "<title>\(SVGText.lines(linkTitle(link, fromBox, toBox)))</title></path>\n"
        return out
    }

    /// The tooltip's lines: what connects to what, then where each edge was seen.
    func linkTitle(_ link: SystemMapLayout.Link, _ from: SystemMapLayout.Box, _ to: SystemMapLayout.Box) -> [String] {
        let verb = switch link.kind {
        case .writes: "writes to"
        case .reads: "reads"
        case .belongsTo: "belongs to"
        }
        var lines = ["\(from.fullLabel) \(verb) \(to.fullLabel)"]
        for index in link.edges.prefix(5) {
            let edge = map.edges[index]
            var line = edge.location
            if !edge.detail.isEmpty { line += ": " + edge.detail }
            line += " (\(edge.confidence.rawValue) confidence)"
            lines.append(line)
        }
        if link.edges.count > 5 { lines.append("and \(plural(link.edges.count - 5, "more connection"))") }
        return lines
    }

    func node(_ box: SystemMapLayout.Box, _ index: Int) -> String {
        let kind = box.column.kind.rawValue
        var out = "<g class=\"sm-node sm-\(kind)\(box.isGroup ? " sm-group" : "")\" id=\"\(prefix)-node-\(index)\">"
        out += "<title>\(SVGText.lines(nodeTitle(box)))</title>"
        if box.column == .channels {
            // A folder's tab above the box, inside the gap between rows.
            let tabY = box.y - 3
            out += "<path class=\"sm-tab\" d=\"M\(number(box.x + 2)),\(number(box.y)) L\(number(box.x + 4)),\(number(tabY)) L\(number(box.x + 18)),\(number(tabY)) L\(number(box.x + 20)),\(number(box.y)) z\"/>"
        }
        let radius: Double = switch box.column {
        case .agents: box.height / 2
        case .channels: 2
        case .programs: 0
        }
        out += "<rect class=\"sm-box\" x=\"\(number(box.x))\" y=\"\(number(box.y))\" width=\"\(number(box.width))\" height=\"\(number(box.height))\""
        out += radius > 0 ? " rx=\"\(number(radius))\"/>" : "/>"
        out += "<text x=\"\(number(box.labelX))\" y=\"\(number(box.centerY + SystemMapLayout.fontSize * 0.35))\">\(SVGText.escape(box.label))</text>"
        out += "</g>\n"
        return out
    }

    /// The tooltip's lines: the whole label, then the kind, place, detail and confidence.
    func nodeTitle(_ box: SystemMapLayout.Box) -> [String] {
        if box.isGroup {
            let names = box.nodeIDs.prefix(20).map { map.node($0).map { SVGText.clean($0.label) } ?? SVGText.clean($0) }
            var lines = [box.fullLabel] + names
            if box.nodeIDs.count > 20 { lines.append("and \(box.nodeIDs.count - 20) more") }
            return lines
        }
        guard let node = map.node(box.nodeIDs[0]) else { return [box.fullLabel] }
        var kind = node.kind.rawValue
        if let channelKind = node.channelKind { kind += " (\(channelKind.rawValue))" }
        var lines = [SVGText.clean(node.label), "\(kind) at \(node.location)"]
        if !node.detail.isEmpty { lines.append(node.detail) }
        if let messages = node.messages { lines.append(plural(messages, "message file")) }
        lines.append("\(node.confidence.rawValue) confidence")
        return lines
    }

    func legend() -> String {
        let m = SystemMapLayout.margin
        var y = layout.legendY + 12
        var out = "<g class=\"sm-legend\">"
        var x = m
        for (kind, text) in [(SystemMap.EdgeKind.writes, "writes"), (.reads, "reads"), (.belongsTo, "belongs to")] {
            out += "<path class=\"sm-link sm-\(kind.rawValue)\" d=\"M\(number(x)),\(number(y)) L\(number(x + 36)),\(number(y))\" marker-end=\"url(#\(prefix)-arrow-\(kind.rawValue))\"/>"
            out += "<text x=\"\(number(x + 44))\" y=\"\(number(y + 4))\">\(text)</text>"
            x += 44 + Double(text.count) * SystemMapLayout.characterWidth + 28
        }
        y += 14
        x = m
        for (column, text) in [(SystemMapLayout.Column.programs, "program"), (.channels, "channel"), (.agents, "agent")] {
            out += "<g class=\"sm-\(column.kind.rawValue)\">"
            if column == .channels {
                out += "<path class=\"sm-tab\" d=\"M\(number(x + 2)),\(number(y + 3)) L\(number(x + 4)),\(number(y)) L\(number(x + 14)),\(number(y)) L\(number(x + 16)),\(number(y + 3)) z\"/>"
            }
            let radius = column == .agents ? " rx=\"7\"" : column == .channels ? " rx=\"2\"" : ""
            out += "<rect class=\"sm-box\" x=\"\(number(x))\" y=\"\(number(y + 3))\" width=\"36\" height=\"14\"\(radius)/></g>"
            out += "<text x=\"\(number(x + 44))\" y=\"\(number(y + 14))\">\(text)</text>"
            x += 44 + Double(text.count) * SystemMapLayout.characterWidth + 28
        }
        if map.omittedNodes + map.omittedEdges > 0 {
            let note = "Not drawn: \(plural(map.omittedNodes, "node")) and \(plural(map.omittedEdges, "connection")) beyond the map's limits."
            out += "<text class=\"sm-note\" x=\"\(number(m))\" y=\"\(number(y + 40))\">\(SVGText.escape(note))</text>"
        }
        out += "</g>\n"
        return out
    }

    /// A coordinate with at most one decimal, written the same way every time.
    func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let whole = tenths / 10, fraction = abs(tenths % 10)
        if fraction == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }
}
