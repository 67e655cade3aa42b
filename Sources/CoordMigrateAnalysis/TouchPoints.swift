import CoordMigrateModel

/// Where in this system each pattern step changes code, read from the system map: the
/// step's effort stays the seed's, but its text can name the programs and lines.
///
/// - priority and defer lanes: the programs that read the intake (inboxes, stores,
///   tables), since they choose what is handled next; the writers when nothing reads;
/// - collision-free messaging and content-addressed names: the lines that name
///   messages, and the writes that build a message's file name;
/// - event sourcing: the programs that send and receive, where an event is appended;
/// - retry wrappers: the calls across a process or network boundary, and the writes,
///   in programs that never retry;
/// - authority domains: the programs that deliver to agents, where the sender is checked;
/// - TLA+ verification: the programs whose writes and reads make the protocol.
enum TouchPoints {
    /// The most touch points a step lists.
    static let limit = 10

    static func of(_ pattern: PatternID, in map: SystemMap) -> (points: [TouchPoint], omitted: Int) {
        var points: [TouchPoint] = []
        var seen = Set<String>()
        func add(_ path: String, _ line: Int?, _ why: String) {
            if seen.insert("\(path):\(line ?? 0)").inserted { points.append(TouchPoint(path: path, line: line, why: why)) }
        }
        let intake: Set<SystemMap.ChannelKind> = [.inbox, .messageStore, .table, .lane, .endpoint]
        func label(_ id: String) -> String { map.node(id)?.label ?? id }
        func edges(_ kind: SystemMap.EdgeKind, into kinds: Set<SystemMap.ChannelKind>) -> [SystemMap.Edge] {
            map.edges.filter { $0.kind == kind && map.node($0.to)?.channelKind.map(kinds.contains) == true }
        }
        let programs = map.nodes(.program)

        switch pattern {
        case .priorityQueue, .deferQueue:
            let what = pattern == .priorityQueue ? "take the priority lane first" : "skip work deferred until later, and release it when due"
            let readers = edges(.reads, into: intake)
            for edge in readers { add(edge.path, edge.line, "reads \(label(edge.to)); here, \(what)") }
            if readers.isEmpty {
                for edge in edges(.writes, into: intake) {
                    add(edge.path, edge.line, "writes \(label(edge.to)), which nothing in the map reads; where it is read, \(what)")
                }
            }
        case .collisionFreeMessaging, .contentAddressedDAG:
            let what = pattern == .collisionFreeMessaging ? "use a full UUID (or a timestamp plus one)" : "name the message by the SHA-256 of its content"
            for program in programs {
                for site in program.sites ?? [] where site.kind == .namesMessage { add(program.path, site.line, "\(site.detail); \(what)") }
            }
            for edge in edges(.writes, into: [.inbox, .messageStore]) {
                add(edge.path, edge.line, "builds the name of a message written to \(label(edge.to)); \(what)")
            }
        case .eventSourcing:
            for edge in edges(.writes, into: intake) { add(edge.path, edge.line, "sends through \(label(edge.to)); here, append a sent event") }
            for edge in edges(.reads, into: intake) { add(edge.path, edge.line, "receives from \(label(edge.to)); here, append a received event") }
        case .faultTolerantWrappers:
            for program in programs where !(program.sites ?? []).contains(where: { $0.kind == .retries }) {
                for site in program.sites ?? [] where site.kind == .crossesBoundary {
                    add(program.path, site.line, "\(site.detail), and the program never retries; wrap the call with retries and backoff")
                }
                for edge in map.edges(from: program.id, .writes) {
                    add(edge.path, edge.line, "writes \(label(edge.to)), and the program never retries; wrap the write")
                }
            }
        case .authorityDomains:
            for edge in edges(.writes, into: [.inbox, .messageStore, .table, .endpoint]) {
                add(edge.path, edge.line, "delivers to agents through \(label(edge.to)); here, check the sender's authority domains")
            }
            if let agent = map.nodes(.agent).first(where: { $0.detail.contains("configuration") || $0.detail.contains("registry") }) {
                add(agent.path, agent.line, "declares the agents: add each one's authority_domains")
            }
        case .tlaVerification:
            for edge in map.edges where edge.kind != .belongsTo {
                add(edge.path, edge.line, "\(edge.kind == .writes ? "writes" : "reads") \(label(edge.to)): an action the specification models")
            }
        }
        let sorted = points.sorted { ($0.path, $0.line ?? 0) < ($1.path, $1.line ?? 0) }
        return (Array(sorted.prefix(limit)), max(0, sorted.count - limit))
    }

    /// The channels the data step moves, with what each holds: "`inbox/<agent>/` (7 message files)".
    static func channelsToMove(_ map: SystemMap) -> [String] {
        map.nodes(.channel).filter { $0.confidence == .high && $0.channelKind != .endpoint }.map { channel in
            MarkdownText.codeSpan(channel.label) + (channel.holdings.map { " (\($0))" } ?? "")
        }
    }
}
