import CoordMigrateEmit
import CoordMigrateModel
import CoordMigrateTestSupport
import Foundation
import Testing

// The system map's SVG as a browser draws it: headless Chromium takes screenshots
// of a page holding it, in light and dark mode, and dumps the DOM it built.

@Suite("SystemMapSVG: drawn by headless Chromium")
struct SystemMapSVGRenderTests {
    /// A map of `count` programs, channels and agents each, with a hostile name among them.
    static func map(_ count: Int) -> SystemMap {
        var nodes: [SystemMap.Node] = []
        var edges: [SystemMap.Edge] = []
        for index in 0..<count {
            let program = index == 0 ? "<svg onload=alert(1)>.sh" : "bin/send-\(index).sh"
            nodes.append(.init(id: "program:\(index)", kind: .program, label: program, path: program, line: 2, detail: "a script", confidence: .medium))
            nodes.append(.init(id: "channel:\(index)", kind: .channel, channelKind: .inbox, label: "inbox/agent-\(index)/",
                               path: "inbox/agent-\(index)/", detail: "a folder", confidence: .high, messages: index))
            nodes.append(.init(id: "agent:\(index)", kind: .agent, label: "agent-\(index)", path: "inbox/agent-\(index)/", detail: "", confidence: .high))
            edges.append(.init(from: "program:\(index)", to: "channel:\((index * 7 + 3) % count)", kind: .writes, path: program, line: 4,
                               detail: "writes", confidence: .medium))
            edges.append(.init(from: "program:\(index)", to: "channel:\((index * 5) % count)", kind: .reads, path: program, line: 9,
                               detail: "reads", confidence: .medium))
            edges.append(.init(from: "channel:\(index)", to: "agent:\(index)", kind: .belongsTo, path: "inbox/agent-\(index)/",
                               detail: "inbox", confidence: .high))
        }
        return SystemMap(nodes: nodes, edges: edges)
    }

    static func page(_ body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>map</title>"
            + "<style>body{margin:16px;background:#fff}@media (prefers-color-scheme: dark){body{background:#0d1117}}</style>"
            + "</head><body>\n\(body)\n</body></html>\n"
    }

    /// The pixels of a PNG, decoded by Python's zlib: how many differ from the top-left
    /// pixel, how many distinct colours there are, and the most common colours.
    struct Pixels: Decodable {
        var width: Int
        var height: Int
        var differing: Int
        var colours: Int
        var common: [[Int]]
    }

    static let decoder = """
        import json, struct, sys, zlib
        from collections import Counter
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'
        pos, idat, head = 8, b'', None
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR': head = struct.unpack('>IIBBBBB', body)
            if kind == b'IDAT': idat += body
            pos += 12 + length
        width, height, depth, colour, _, _, interlace = head
        assert depth == 8 and interlace == 0 and colour in (2, 6), head
        channels = 3 if colour == 2 else 4
        raw = zlib.decompress(idat)
        stride = width * channels
        rows, previous, at = [], bytearray(stride), 0
        for _ in range(height):
            kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
            at += 1 + stride
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                if kind == 1: line[i] = (line[i] + a) & 255
                elif kind == 2: line[i] = (line[i] + b) & 255
                elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            rows.append(bytes(line))
            previous = line
        counts = Counter()
        for row in rows:
            for x in range(0, stride, channels):
                counts[row[x:x + 3]] += 1
        first = rows[0][:3]
        print(json.dumps({'width': width, 'height': height, 'differing': width * height - counts[first],
                          'colours': len(counts), 'common': [list(c) for c, _ in counts.most_common(8)]}))
        """

    static func browser() throws -> String {
        let found = Consumer.candidates("chromium").first ?? Consumer.candidates("chromium-browser").first
            ?? Consumer.candidates("google-chrome").first
        return try #require(found, "headless Chromium is needed to check the system map renders (scripts/deps.sh installs it)")
    }

    /// A screenshot of `file` at 1200×1600, decoded.
    static func screenshot(_ file: String, dark: Bool = false, in scratch: Scratch) throws -> Pixels {
        let browser = try browser()
        let profile = try Scratch("chromium")
        let png = scratch.absolute((file as NSString).lastPathComponent + (dark ? "-dark" : "") + ".png")
        var arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile.path)",
                         "--screenshot=\(png)", "--window-size=1200,1600"]
        if dark { arguments += ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"] }
        let result = try runProcess(URL(fileURLWithPath: browser), arguments + ["file://\(file)"], environment: Consumer.callerEnvironment, timeout: 120)
        #expect(result.status == 0, "chromium failed: \(result.stderr)")
        let size = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
        try #require(size > 0, "chromium wrote no screenshot: \(result.stderr)")
        return try Consumer.python(Pixels.self, decoder, [png])
    }

    @Test("a page with the map shows a picture: many pixels differ from the background, in several colours, light and dark")
    func screenshots() throws {
        let scratch = try Scratch("svg-render")
        let map = Self.map(30)
        let svg = SystemMapSVG.render(map)
        let mapPage = try scratch.file("map.html", Self.page(svg))
        let emptyPage = try scratch.file("empty.html", Self.page(""))

        let empty = try Self.screenshot(emptyPage, in: scratch)
        #expect(empty.width == 1200 && empty.height == 1600)
        #expect(empty.differing == 0 && empty.colours == 1, "the empty page is one colour: \(empty.common)")

        let drawn = try Self.screenshot(mapPage, in: scratch)
        #expect(drawn.width == 1200 && drawn.height == 1600)
        #expect(drawn.colours > 20, "text is anti-aliased, boxes filled: \(drawn.colours) colours")
        #expect(drawn.differing > 1200 * 1600 / 50, "only \(drawn.differing) pixels drawn")
        // The node fills of light mode, exactly as the stylesheet sets them.
        let common = Set(drawn.common)
        #expect(common.contains([0xE3, 0xF4, 0xE8]) || common.contains([0xFF, 0xF4, 0xD6]) || common.contains([0xEE, 0xF2, 0xF7]), "\(drawn.common)")

        let dark = try Self.screenshot(mapPage, dark: true, in: scratch)
        #expect(dark.differing > 1200 * 1600 / 50)
        #expect(dark.common.first == [0x0D, 0x11, 0x17], "the page's dark background: \(dark.common)")
        #expect(Set(dark.common).contains([0x12, 0x30, 0x1C]) || Set(dark.common).contains([0x3A, 0x2F, 0x10]) || Set(dark.common).contains([0x1F, 0x26, 0x30]),
                "dark node fills: \(dark.common)")
    }

    @Test("Chromium's DOM keeps the svg element whole: every node, every connection, no handler from a name")
    func dumpedDOM() throws {
        let scratch = try Scratch("svg-render")
        let map = Self.map(20)
        let svg = SystemMapSVG.render(map)
        let file = try scratch.file("map.html", Self.page(svg))
        let profile = try Scratch("chromium")
        let dom = try runProcess(
            URL(fileURLWithPath: try Self.browser()),
            ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)", "--dump-dom", "file://\(file)"],
            environment: Consumer.callerEnvironment, timeout: 120)
        #expect(dom.status == 0, "chromium failed: \(dom.stderr)")
        let rendered = dom.stdoutText
        #expect(rendered.components(separatedBy: "<svg ").count - 1 == 1)
        #expect(rendered.contains("class=\"system-map\""))
        #expect(rendered.components(separatedBy: "class=\"sm-node ").count - 1 == map.nodes.count)
        #expect(rendered.components(separatedBy: "class=\"sm-link sm-").count - 1 == map.edges.count + 3, "the legend's three lines aside")
        #expect(rendered.components(separatedBy: "<marker ").count - 1 == 3)
        #expect(!rendered.contains("<svg onload"), "a name became an element")
        #expect(rendered.contains("&lt;svg onload=alert(1)&gt;.sh"))
        #expect(rendered.contains("</svg>"))
    }
}
