@testable import CoordMigrateEmit
@testable import CoordMigrateModel
import CoordMigrateTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Generated maps for the diagram's tests.
enum SystemMapSamples {
    /// `programs` programs, `channels` channels and `agents` agents, wired in a fixed
    /// scramble: each program writes two channels and reads one, each agent owns a
    /// channel, some channels belong to a second agent. Every fifth program has a
    /// path longer than a label may be.
    static func map(programs: Int, channels: Int, agents: Int) -> SystemMap {
        var nodes: [SystemMap.Node] = []
        var edges: [SystemMap.Edge] = []
        for index in 0..<programs {
            let label = index % 5 == 0
                ? "scripts/deliver/very/long/path/to/the/relay-daemon-number-\(index).sh" : "bin/send-\(index).sh"
            nodes.append(.init(id: "program:p\(index)", kind: .program, label: label, path: label, line: index + 1, detail: "a script", confidence: .medium))
        }
        let kinds = SystemMap.ChannelKind.allCases
        for index in 0..<channels {
            let label = index % 4 == 0 ? "inbox/team-\(index)/" : "queue-\(index)/"
            nodes.append(.init(id: "channel:c\(index)", kind: .channel, channelKind: kinds[index % kinds.count], label: label,
                               path: label, detail: "a folder", confidence: .high, messages: index))
        }
        for index in 0..<agents {
            let label = index % 3 == 0 ? "agent-with-a-longer-name-\(index)" : "a\(index)"
            nodes.append(.init(id: "agent:a\(index)", kind: .agent, label: label, path: "inbox/\(label)/", detail: "an inbox", confidence: .high))
        }
        guard channels > 0 else { return SystemMap(nodes: nodes, edges: edges) }
        for index in 0..<programs {
            edges.append(.init(from: "program:p\(index)", to: "channel:c\((index * 7 + 1) % channels)", kind: .writes,
                               path: "bin/send-\(index).sh", line: 3, detail: "writes a message", confidence: .medium))
            edges.append(.init(from: "program:p\(index)", to: "channel:c\((index * 5 + 3) % channels)", kind: .writes,
                               path: "bin/send-\(index).sh", line: 9, detail: "appends", confidence: .medium))
            edges.append(.init(from: "program:p\(index)", to: "channel:c\((index * 3) % channels)", kind: .reads,
                               path: "bin/send-\(index).sh", line: 14, detail: "polls", confidence: .medium))
        }
        for index in 0..<agents {
            edges.append(.init(from: "channel:c\(index % channels)", to: "agent:a\(index)", kind: .belongsTo,
                               path: "inbox/a\(index)/", detail: "the agent's inbox", confidence: .high))
            if index % 4 == 1 {
                edges.append(.init(from: "channel:c\((index * 5 + 2) % channels)", to: "agent:a\(index)", kind: .belongsTo,
                                   path: "inbox/a\(index)/", detail: "a lane", confidence: .medium))
            }
        }
        return SystemMap(nodes: nodes, edges: edges)
    }
}

/// What an XML parser reads back from the diagram: the root's attributes, each
/// node group's box, label and title, each connection's path.
final class SVGReading: NSObject, XMLParserDelegate {
    struct Node {
        var classes: [String]
        var id: String
        var x = 0.0, y = 0.0, width = 0.0, height = 0.0
        var textX = 0.0, textY = 0.0
        var text = ""
        var title = ""
        var kind: String { classes.first { ["sm-agent", "sm-channel", "sm-program"].contains($0) } ?? "" }
        var isGroup: Bool { classes.contains("sm-group") }
    }

    struct Link {
        var classes: [String]
        var d: String
        var marker: String
        var title = ""
    }

    var root: [String: String] = [:]
    var rootTitle = ""
    var rootDescription = ""
    var nodes: [Node] = []
    var links: [Link] = []
    var ids: [String] = []
    var elementNames: Set<String> = []
    var error: Error?
    private var stack: [String] = []
    private var inNode = false, inLinks = false

    static func read(_ svg: String) throws -> SVGReading {
        let reading = SVGReading()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reading
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if !ok || reading.error != nil {
            throw TreeError("not well-formed XML: \(String(describing: parser.parserError ?? reading.error))")
        }
        return reading
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elementNames.insert(name)
        if let id = attributes["id"] { ids.append(id) }
        let classes = (attributes["class"] ?? "").split(separator: " ").map(String.init)
        if stack.isEmpty { root = attributes }
        if name == "g", classes.contains("sm-node") {
            nodes.append(Node(classes: classes, id: attributes["id"] ?? ""))
            inNode = true
        } else if name == "g", classes.contains("sm-links") {
            inLinks = true
        } else if inNode, name == "rect", classes.contains("sm-box") {
            nodes[nodes.count - 1].x = Double(attributes["x"] ?? "") ?? .nan
            nodes[nodes.count - 1].y = Double(attributes["y"] ?? "") ?? .nan
            nodes[nodes.count - 1].width = Double(attributes["width"] ?? "") ?? .nan
            nodes[nodes.count - 1].height = Double(attributes["height"] ?? "") ?? .nan
        } else if inNode, name == "text" {
            nodes[nodes.count - 1].textX = Double(attributes["x"] ?? "") ?? .nan
            nodes[nodes.count - 1].textY = Double(attributes["y"] ?? "") ?? .nan
        } else if inLinks, name == "path" {
            links.append(Link(classes: classes, d: attributes["d"] ?? "", marker: attributes["marker-end"] ?? ""))
        }
        stack.append(name)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
        if name == "g", inNode, stack.last == "g" { inNode = false }
        if name == "g", inLinks, !inNode { inLinks = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard let current = stack.last else { return }
        let parent = stack.dropLast().last
        if inNode, current == "text" { nodes[nodes.count - 1].text += string }
        if inNode, current == "title", parent == "g" { nodes[nodes.count - 1].title += string }
        if inLinks, current == "title", parent == "path" { links[links.count - 1].title += string }
        if stack.count == 2, current == "title" { rootTitle += string }
        if stack.count == 2, current == "desc" { rootDescription += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }

    /// The viewBox's width and height.
    var viewBox: (width: Double, height: Double) {
        let parts = (root["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
        return parts.count == 4 ? (parts[2], parts[3]) : (.nan, .nan)
    }
}

@Suite("SystemMapSVG: the system map drawn as SVG")
struct SystemMapSVGTests {
    static let characterWidth = 7.3

    /// Width of a label in a monospace font, wide characters counted twice.
    static func estimatedWidth(_ text: String) -> Double {
        Double(text.reduce(0) { $0 + (isWide($1) ? 2 : 1) }) * characterWidth
    }

    static func isWide(_ character: Character) -> Bool {
        let wide: [ClosedRange<UInt32>] = [0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60, 0x1F000...0x1FAFF]
        return character.unicodeScalars.contains { scalar in wide.contains { $0.contains(scalar.value) } }
    }

    /// No two node boxes meet; each label's estimated extent is inside its box; the
    /// columns do not overlap; everything is inside the viewBox.
    static func checkGeometry(_ reading: SVGReading, sourceLocation: SourceLocation = #_sourceLocation) {
        let nodes = reading.nodes
        for node in nodes {
            #expect(node.width > 0 && node.height > 0, "\(node.text)", sourceLocation: sourceLocation)
            #expect(node.textX >= node.x, "\(node.text) starts before its box", sourceLocation: sourceLocation)
            #expect(node.textX + estimatedWidth(node.text) <= node.x + node.width, "\(node.text) runs past its box", sourceLocation: sourceLocation)
            // The baseline, and a 12px font's ascent above it, inside the box.
            #expect(node.textY <= node.y + node.height && node.textY - 9 >= node.y, "\(node.text) outside its box vertically", sourceLocation: sourceLocation)
            #expect(node.x >= 0 && node.y >= 0 && node.x + node.width <= reading.viewBox.width && node.y + node.height <= reading.viewBox.height,
                    "\(node.text) outside the picture", sourceLocation: sourceLocation)
        }
        for (i, a) in nodes.enumerated() {
            for b in nodes[(i + 1)...] {
                let apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
                #expect(apart, "\(a.text) and \(b.text) overlap", sourceLocation: sourceLocation)
            }
        }
        let order = ["sm-program", "sm-channel", "sm-agent"]
        for (left, right) in zip(order, order.dropFirst()) {
            let leftEdge = nodes.filter { $0.kind == left }.map { $0.x + $0.width }.max()
            let rightStart = nodes.filter { $0.kind == right }.map(\.x).min()
            if let leftEdge, let rightStart {
                #expect(leftEdge < rightStart, "\(left) column reaches into \(right)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("an empty map draws nothing")
    func emptyMap() {
        #expect(SystemMapSVG.render(.empty) == "")
        #expect(SystemMapSVG.render(SystemMap(nodes: [], edges: [])) == "")
    }

    @Test("40 nodes: one box each, one line per edge, nothing overlaps, long labels cut with the full text in the title")
    func fortyNodes() throws {
        let map = SystemMapSamples.map(programs: 10, channels: 12, agents: 18)
        #expect(map.nodes.count == 40)
        let svg = SystemMapSVG.render(map)
        let reading = try SVGReading.read(svg)
        #expect(reading.nodes.count == 40)
        #expect(reading.nodes.filter(\.isGroup).isEmpty)
        #expect(reading.nodes.filter { $0.kind == "sm-program" }.count == 10)
        #expect(reading.nodes.filter { $0.kind == "sm-channel" }.count == 12)
        #expect(reading.nodes.filter { $0.kind == "sm-agent" }.count == 18)
        #expect(reading.links.count == map.edges.count)
        for kind in SystemMap.EdgeKind.allCases {
            #expect(reading.links.filter { $0.classes.contains("sm-\(kind.rawValue)") }.count == map.edges.count { $0.kind == kind })
        }
        Self.checkGeometry(reading)

        // Every label shown, in full or cut in the middle; the title starts with the whole label.
        let labels = Set(map.nodes.map(\.label))
        for node in reading.nodes {
            let full = String(node.title.split(separator: "\n").first ?? "")
            #expect(labels.contains(full), "\(node.title)")
            if full.count > SystemMapLayout.labelLimit {
                #expect(node.text.count == SystemMapLayout.labelLimit && node.text.contains("…"), "\(node.text)")
                let halves = node.text.split(separator: "…", omittingEmptySubsequences: false)
                #expect(halves.count == 2 && full.hasPrefix(halves[0]) && full.hasSuffix(halves[1]), "\(node.text)")
            } else {
                #expect(node.text == full)
            }
        }
        #expect(reading.nodes.contains { $0.text.contains("…") }, "the sample has labels to cut")

        // Shapes: agents are pills, channels heavier boxes with a tab, programs plain.
        #expect(svg.contains("@media (prefers-color-scheme: dark)"))
        #expect(reading.root["role"] == "img" && reading.root["width"] == "100%")
        #expect(reading.rootTitle == "System map: " + map.countLine)
        #expect(!reading.rootDescription.isEmpty)
        #expect(reading.elementNames.isSuperset(of: ["style", "marker", "title", "desc", "rect", "text", "path"]))
        #expect(!reading.elementNames.contains("script") && !reading.elementNames.contains("foreignObject"))
    }

    @Test("70 nodes: crowded columns end in a group box, connections to it drawn once, height bounded")
    func seventyNodes() throws {
        let map = SystemMapSamples.map(programs: 30, channels: 10, agents: 30)
        #expect(map.nodes.count == 70)
        let reading = try SVGReading.read(SystemMapSVG.render(map))
        Self.checkGeometry(reading)
        let limit = SystemMapLayout.columnLimit
        for (kind, count, word) in [("sm-program", 30, "programs"), ("sm-agent", 30, "agents")] {
            let column = reading.nodes.filter { $0.kind == kind }
            #expect(column.count == limit)
            let groups = column.filter(\.isGroup)
            #expect(groups.count == 1)
            #expect(groups.first?.text == "+ \(count - limit + 1) more \(word)")
            // The group is the column's last box.
            #expect(groups.first?.y == column.map(\.y).max())
            // Its title names the grouped nodes.
            #expect(groups.first.map { $0.title.split(separator: "\n").count } == 1 + count - limit + 1)
        }
        #expect(reading.nodes.filter { $0.kind == "sm-channel" }.count == 10)
        #expect(reading.rootDescription.hasSuffix("one box for the rest: 7 programs, 7 agents."), "\(reading.rootDescription)")
        // Deduplicated: no two connections of one kind drawn along the same line.
        var seen = Set<String>()
        for link in reading.links { #expect(seen.insert(link.classes.joined(separator: " ") + link.d).inserted, "\(link.d) drawn twice") }
        #expect(reading.links.count < map.edges.count)
        // Fewer than 25 rows, a heading and a legend.
        let height = reading.viewBox.height
        let bound: Double = 44 + 24 * 30 + 16 + 74 + 16
        #expect(height <= bound)
        #expect(height < 900)

        // Three times the nodes: the height does not grow.
        let bigger = SystemMapSamples.map(programs: 60, channels: 60, agents: 60)
        let big = try SVGReading.read(SystemMapSVG.render(bigger))
        #expect(big.viewBox.height == height)
        #expect(big.nodes.count == 3 * limit)
        Self.checkGeometry(big)
    }

    @Test("names from the tree are text: markup, CDATA ends, NUL and other control characters")
    func hostileNames() throws {
        let names: [(label: String, shown: String)] = [
            ("<svg onload=alert(1)>.sh", "<svg onload=alert(1)>.sh"),
            ("a & b", "a & b"),
            ("]]>", "]]>"),
            ("nul\u{0}here", "nul\u{FFFD}here"),
            ("bell\u{7}esc\u{1B}[31m", "bell\u{FFFD}esc\u{FFFD}[31m"),
            ("quote\"s 'single'", "quote\"s 'single'"),
            ("line\nbreak\ttab", "line break tab"),
            ("non\u{FFFE}char\u{FFFF}", "nonchar"),
            ("del\u{7F}c1\u{85}", "del\u{FFFD}c1\u{FFFD}"),
            ("<!-- x --><![CDATA[", "<!-- x --><![CDATA["),
        ]
        var nodes: [SystemMap.Node] = []
        var edges: [SystemMap.Edge] = []
        for (index, name) in names.enumerated() {
            let kind = SystemMap.NodeKind.allCases[index % 3]
            nodes.append(.init(id: "\(kind.rawValue):\(name.label)", kind: kind, label: name.label, path: "<script>alert(\(index))</script>/\(name.label)",
                               line: index, detail: "]]> & \u{0} \(name.label)", confidence: .medium))
        }
        for from in nodes where from.kind == .program {
            for to in nodes where to.kind == .channel {
                edges.append(.init(from: from.id, to: to.id, kind: .writes, path: from.label, line: 1, detail: "<b>\u{0}]]>", confidence: .medium))
            }
        }
        for from in nodes where from.kind == .channel {
            for to in nodes where to.kind == .agent {
                edges.append(.init(from: from.id, to: to.id, kind: .belongsTo, path: "\"'&", detail: "\u{1}", confidence: .high))
            }
        }
        let map = SystemMap(nodes: nodes, edges: edges)
        let svg = SystemMapSVG.render(map, idPrefix: "\"><script>alert(1)</script>")
        let reading = try SVGReading.read(svg)
        #expect(!svg.contains("<svg onload"))
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("]]>"))
        #expect(!svg.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!svg.contains("\u{FFFE}") && !svg.contains("\u{FFFF}"))
        #expect(reading.elementNames.isSubset(of: ["svg", "title", "desc", "style", "defs", "marker", "path", "g", "text", "rect"]))
        #expect(Set(reading.nodes.map(\.text)) == Set(names.map(\.shown)))
        for node in reading.nodes {
            #expect(node.title.split(separator: "\n").first.map(String.init) == node.text)
        }
        #expect(reading.links.count == edges.count)
        #expect(reading.links.allSatisfy { $0.title.contains("<b>\u{FFFD}]]>") || $0.title.contains("\"'&") })
        // Ids are built from indexes and a cleaned prefix, never from names.
        #expect(!reading.ids.isEmpty)
        for id in reading.ids {
            #expect(id.range(of: "^[A-Za-z][A-Za-z0-9-]*$", options: .regularExpression) != nil, "\(id)")
        }
        #expect(Set(reading.ids).count == reading.ids.count)
        Self.checkGeometry(reading)
    }

    @Test("what the map left out is said under the legend; odd edges and a second prefix keep the document whole")
    func omissionsAndOddEdges() throws {
        let base = SystemMapSamples.map(programs: 2, channels: 2, agents: 2)
        // An edge between two programs, and one whose far end was not kept.
        let odd = base.edges + [
            .init(from: "program:p0", to: "program:p1", kind: .writes, path: "bin/send-0.sh", detail: "calls", confidence: .low),
            .init(from: "program:p0", to: "channel:gone", kind: .writes, path: "bin/send-0.sh", detail: "", confidence: .low),
        ]
        let map = SystemMap(nodes: base.nodes, edges: odd, omittedNodes: 3)
        #expect(map.omittedEdges == 1)
        let svg = SystemMapSVG.render(map, idPrefix: "second")
        let reading = try SVGReading.read(svg)
        #expect(svg.contains("Not drawn: 3 nodes and 1 connection beyond the map&#39;s limits."))
        #expect(reading.links.count == map.edges.count)
        #expect(reading.links.contains { $0.title.hasPrefix("scripts/deliver/very/long/path/to/the/relay-daemon-number-0.sh writes to bin/send-1.sh\n") })
        #expect(reading.ids.allSatisfy { $0.hasPrefix("second-") })
        #expect(reading.links.allSatisfy { $0.marker.hasPrefix("url(#second-arrow-") })
        Self.checkGeometry(reading)
        #expect(!SystemMapSVG.render(base).contains("Not drawn"))
    }

    @Test("a label with wide characters is measured by them")
    func wideLabels() throws {
        let labels = ["エージェント・アルファ・ベータ・ガンマ・デルタ", "代理人", "🤖-bot-👩‍💻", "e\u{301}e\u{301}e\u{301}"]
        let nodes = labels.enumerated().map { SystemMap.Node(id: "agent:\($0.offset)", kind: .agent, label: $0.element, path: "x", detail: "", confidence: .high) }
        let reading = try SVGReading.read(SystemMapSVG.render(SystemMap(nodes: nodes, edges: [])))
        #expect(reading.nodes.count == labels.count)
        Self.checkGeometry(reading)
        let long = try #require(reading.nodes.first { $0.text.hasPrefix("エ") })
        #expect(long.text.contains("…"))
        #expect(Self.estimatedWidth(long.text) <= Double(SystemMapLayout.labelLimit) * Self.characterWidth)
        #expect(reading.nodes.contains { $0.text == "代理人" && $0.width >= 6 * Self.characterWidth + 2 * SystemMapLayout.padding })
    }

    @Test("the same map gives the same bytes, whatever order its parts came in")
    func determinism() {
        let map = SystemMapSamples.map(programs: 10, channels: 12, agents: 18)
        let first = SystemMapSVG.render(map)
        #expect(first == SystemMapSVG.render(map))
        var generator = SplitMix64(seed: 7)
        for _ in 0..<3 {
            let shuffled = SystemMap(nodes: map.nodes.shuffled(using: &generator), edges: map.edges.shuffled(using: &generator))
            #expect(SystemMapSVG.render(shuffled) == first)
        }
        let crowded = SystemMapSamples.map(programs: 30, channels: 10, agents: 30)
        let crowdedSVG = SystemMapSVG.render(crowded)
        #expect(SystemMapSVG.render(SystemMap(nodes: crowded.nodes.reversed(), edges: crowded.edges.reversed())) == crowdedSVG)
        // A different map is a different picture.
        #expect(SystemMapSVG.render(SystemMapSamples.map(programs: 10, channels: 12, agents: 17)) != first)
    }

    @Test("neighbours are ordered by their barycentre: a map drawable without crossings is drawn without them")
    func crossingReduction() throws {
        // By id the programs would sit a, b, c against channels x, y, z in the reverse order of their connections.
        var nodes: [SystemMap.Node] = []
        var edges: [SystemMap.Edge] = []
        for name in ["a", "b", "c"] {
            nodes.append(.init(id: "program:\(name)", kind: .program, label: "\(name).sh", path: name, detail: "", confidence: .medium))
        }
        for name in ["x", "y", "z"] {
            nodes.append(.init(id: "channel:\(name)", kind: .channel, label: "\(name)/", path: name, detail: "", confidence: .high))
        }
        for name in ["p", "q", "r"] {
            nodes.append(.init(id: "agent:\(name)", kind: .agent, label: name, path: name, detail: "", confidence: .high))
        }
        for (program, channel) in [("a", "z"), ("b", "y"), ("c", "x")] {
            edges.append(.init(from: "program:\(program)", to: "channel:\(channel)", kind: .writes, path: program, detail: "", confidence: .medium))
        }
        for (channel, agent) in [("x", "r"), ("y", "p"), ("z", "q")] {
            edges.append(.init(from: "channel:\(channel)", to: "agent:\(agent)", kind: .belongsTo, path: channel, detail: "", confidence: .high))
        }
        let layout = SystemMapSVG.layout(SystemMap(nodes: nodes, edges: edges))
        #expect(Self.crossings(layout) == 0)
        #expect(layout.links.count == 6)

        // The 40-node sample: fewer crossings than the boxes in id order would give.
        let sample = SystemMapSVG.layout(SystemMapSamples.map(programs: 10, channels: 12, agents: 18))
        var unordered = sample
        for column in SystemMapLayout.Column.allCases {
            let indexes = unordered.boxes.indices.filter { unordered.boxes[$0].column == column }
            let ys = indexes.map { unordered.boxes[$0].y }.sorted()
            let byID = indexes.sorted { unordered.boxes[$0].nodeIDs[0] < unordered.boxes[$1].nodeIDs[0] }
            for (box, y) in zip(byID, ys) { unordered.boxes[box].y = y }
        }
        #expect(Self.crossings(sample) < Self.crossings(unordered))
    }

    /// Pairs of links between the same two columns whose ends are in opposite orders.
    static func crossings(_ layout: SystemMapLayout) -> Int {
        let ends = layout.links.map { (layout.boxes[$0.from], layout.boxes[$0.to]) }
        var count = 0
        for (i, a) in ends.enumerated() {
            for b in ends[(i + 1)...] where a.0.column == b.0.column && a.1.column == b.1.column {
                if (a.0.y - b.0.y) * (a.1.y - b.1.y) < 0 { count += 1 }
            }
        }
        return count
    }

    @Test("reads point back at the program, writes and belongs-to forwards; each kind has its own line style")
    func directions() throws {
        let map = SystemMapSamples.map(programs: 3, channels: 3, agents: 3)
        let reading = try SVGReading.read(SystemMapSVG.render(map))
        let channelLefts = Set(reading.nodes.filter { $0.kind == "sm-channel" }.map(\.x))
        let programRights = Set(reading.nodes.filter { $0.kind == "sm-program" }.map { $0.x + $0.width })
        func start(_ d: String) -> Double? { Double(d.dropFirst().prefix { $0 != "," }) }
        let reads = reading.links.filter { $0.classes.contains("sm-reads") }
        let writes = reading.links.filter { $0.classes.contains("sm-writes") }
        #expect(!reads.isEmpty && !writes.isEmpty)
        for link in reads { #expect(start(link.d).map(channelLefts.contains) == true, "\(link.d)") }
        for link in writes { #expect(start(link.d).map(programRights.contains) == true, "\(link.d)") }
        for link in reading.links {
            let kind = try #require(link.classes.first { $0 != "sm-link" })
            #expect(link.marker == "url(#system-map-arrow-\(kind.dropFirst(3)))")
        }
        // Not by colour alone: the stylesheet dashes reads and not writes.
        let svg = SystemMapSVG.render(map)
        #expect(svg.contains(".sm-reads{stroke-width:1.6;stroke-dasharray:6 4}"))
        #expect(svg.contains(".sm-writes{stroke-width:1.6}"))
    }
}
