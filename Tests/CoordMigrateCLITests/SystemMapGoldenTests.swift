import CoordMigrateTestSupport
import Foundation
import Testing

/// The system maps of the golden reports, read as a reviewer would: every path a node,
/// an edge or a touch point names exists in the sample, and the line it names says what
/// the map claims there. The JSON is read with JSONSerialization, not the tool's types.
@Suite("System maps of the samples, checked against the trees")
struct SystemMapGoldenTests {
    struct Golden {
        var sample: String
        var root: URL
        var report: [String: Any]
    }

    static func goldens() throws -> [Golden] {
        try sampleNames().compactMap { name in
            let url = packageRoot.appendingPathComponent("samples/expected/\(name)/migration-plan.json")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let target = try #require(report["target_path"] as? String)
            let root = URL(fileURLWithPath: target.replacingOccurrences(of: "${ROOT}", with: sampleURL(name).path))
            return Golden(sample: name, root: root, report: report)
        }
    }

    static func map(_ golden: Golden) -> (nodes: [[String: Any]], edges: [[String: Any]])? {
        guard let detection = golden.report["detection"] as? [String: Any], let map = detection["system_map"] as? [String: Any] else {
            return nil
        }
        return (map["nodes"] as? [[String: Any]] ?? [], map["edges"] as? [[String: Any]] ?? [])
    }

    /// The 1-based line of a file, lower-cased; nil when the file has no such line.
    static func line(_ number: Int, of url: URL) -> String? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return number >= 1 && number <= lines.count ? lines[number - 1].lowercased() : nil
    }

    /// The variable an earlier line assigns a path naming one of `names` (`target="queue/high/…"` → `target`), lower-cased.
    static func assignment(naming names: [String], before number: Int, in url: URL) -> String? {
        for index in stride(from: number - 1, through: 1, by: -1) {
            guard let text = line(index, of: url), names.contains(where: { text.contains($0) }),
                let equals = text.firstIndex(of: "=")
            else { continue }
            let left = text[..<equals].split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).last
            if let left, !left.isEmpty { return String(left) }
        }
        return nil
    }

    /// What a line that touches a channel must name: the channel's folder, file, table or route.
    static func names(of channel: [String: Any]) -> [String] {
        let label = (channel["label"] as? String ?? "").lowercased()
        let parts = label.replacingOccurrences(of: "<agent>", with: "").split(separator: "/").map(String.init).filter { !$0.isEmpty && $0 != "*" }
        var names = parts
        if let last = parts.last, last.hasPrefix("*.") { names.append(String(last.dropFirst())) }
        return names
    }

    @Test("every sample has a map, and the ones with a message system have agents or channels")
    func everySampleHasAMap() throws {
        let goldens = try Self.goldens()
        #expect(goldens.count >= 10)
        for golden in goldens {
            let map = try #require(Self.map(golden), "\(golden.sample): no system_map")
            let detection = golden.report["detection"] as? [String: Any] ?? [:]
            if detection["has_message_system"] as? Bool == true {
                #expect(map.nodes.contains { $0["kind"] as? String == "channel" }, "\(golden.sample): a message system with no channel")
            }
        }
    }

    @Test("every node's and edge's path exists, and each line says what the map claims")
    func pathsAndLines() throws {
        var checkedLines = 0
        for golden in try Self.goldens() {
            guard let map = Self.map(golden) else { continue }
            let nodes = Dictionary(uniqueKeysWithValues: map.nodes.map { ($0["id"] as! String, $0) })
            for node in map.nodes {
                let path = try #require(node["path"] as? String)
                #expect(FileManager.default.fileExists(atPath: golden.root.appendingPathComponent(path).path), "\(golden.sample): node path \(path)")
                if node["kind"] as? String == "agent", !path.hasSuffix("/") {
                    // An agent declared in a file: its name is in that file.
                    let text = (try? String(contentsOf: golden.root.appendingPathComponent(path), encoding: .utf8)) ?? ""
                    #expect(text.contains(node["label"] as? String ?? "\u{0}"), "\(golden.sample): \(node["label"] ?? "") not in \(path)")
                }
            }
            for edge in map.edges {
                let from = try #require(nodes[edge["from"] as! String], "\(golden.sample): edge from a node not kept")
                let to = try #require(nodes[edge["to"] as! String], "\(golden.sample): edge to a node not kept")
                let path = try #require(edge["path"] as? String)
                #expect(FileManager.default.fileExists(atPath: golden.root.appendingPathComponent(path).path), "\(golden.sample): edge path \(path)")
                switch edge["kind"] as? String {
                case "writes", "reads":
                    #expect(from["kind"] as? String == "program" && to["kind"] as? String == "channel", "\(golden.sample): \(edge)")
                    #expect(path == from["path"] as? String, "\(golden.sample): the edge is seen in its program")
                    let number = try #require(edge["line"] as? Int, "\(golden.sample): a code edge without a line")
                    let text = try #require(Self.line(number, of: golden.root.appendingPathComponent(path)), "\(golden.sample): \(path):\(number) does not exist")
                    let names = Self.names(of: to)
                    // A channel code names through a variable has no name to find on the line.
                    if to["detail"] as? String != "named through a variable in code", !names.contains(where: { text.contains($0) }) {
                        // Through a variable: an earlier line of the file assigns it a path that names the channel.
                        let assigned = Self.assignment(naming: names, before: number, in: golden.root.appendingPathComponent(path))
                        #expect(assigned.map { text.contains($0) } == true,
                                "\(golden.sample): \(path):\(number) (\(text)) names none of \(names), nor a variable assigned one")
                    }
                    checkedLines += 1
                case "belongs-to":
                    #expect(from["kind"] as? String == "channel" && to["kind"] as? String == "agent", "\(golden.sample): \(edge)")
                default:
                    Issue.record("\(golden.sample): unknown edge kind in \(edge)")
                }
            }
            // Sites: the line that names a message generates an id there.
            for node in map.nodes {
                for site in node["sites"] as? [[String: Any]] ?? [] {
                    let number = try #require(site["line"] as? Int)
                    let text = try #require(Self.line(number, of: golden.root.appendingPathComponent(node["path"] as! String)))
                    switch site["kind"] as? String {
                    case "names-message": #expect(["uuid", "sha256", "sha-256", "digest", "hash"].contains { text.contains($0) }, "\(golden.sample): \(text)")
                    case "retries": #expect(["retry", "retries", "backoff", "attempt"].contains { text.contains($0) }, "\(golden.sample): \(text)")
                    case "crosses-boundary": #expect(["curl", "fetch", "http", "request", "urlopen"].contains { text.contains($0) }, "\(golden.sample): \(text)")
                    default: Issue.record("\(golden.sample): unknown site kind \(site)")
                    }
                }
            }
        }
        #expect(checkedLines >= 15, "too few code edges were checked: \(checkedLines)")
    }

    @Test("every touch point names a line of the map: an edge or a site of that program, or a declaring file")
    func touchPoints() throws {
        var seen = 0
        for golden in try Self.goldens() {
            guard let map = Self.map(golden) else { continue }
            let plan = golden.report["plan"] as? [String: Any] ?? [:]
            var known = Set<String>()
            for edge in map.edges { known.insert("\(edge["path"] as! String):\(edge["line"] as? Int ?? 0)") }
            for node in map.nodes {
                known.insert("\(node["path"] as! String):\(node["line"] as? Int ?? 0)")
                for site in node["sites"] as? [[String: Any]] ?? [] { known.insert("\(node["path"] as! String):\(site["line"] as! Int)") }
            }
            for step in plan["steps"] as? [[String: Any]] ?? [] {
                let points = step["touch_points"] as? [[String: Any]] ?? []
                if !points.isEmpty {
                    #expect(step["pattern"] is String, "\(golden.sample): touch points on a step that implements no pattern")
                    #expect((step["description"] as? String ?? "").contains("In this system"), "\(golden.sample): \(step["title"] ?? "")")
                }
                for point in points {
                    let path = try #require(point["path"] as? String)
                    let location = "\(path):\(point["line"] as? Int ?? 0)"
                    #expect(known.contains(location), "\(golden.sample): touch point \(location) is not in the map")
                    #expect(FileManager.default.fileExists(atPath: golden.root.appendingPathComponent(path).path))
                    if let number = point["line"] as? Int {
                        #expect(Self.line(number, of: golden.root.appendingPathComponent(path)) != nil, "\(golden.sample): \(location)")
                    }
                    seen += 1
                }
            }
        }
        #expect(seen >= 10, "the samples' plans name too few touch points: \(seen)")
    }
}
