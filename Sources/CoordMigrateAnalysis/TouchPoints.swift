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

    /// The step's touch points, likeliest first (the line that does what the step changes: the
    /// query that takes the next message before one that reads by id, a write before a read),
    /// at most ``limit``, and how many more there were. Only channels that carry messages or
    /// events count: telemetry, state and registry files are not where a message is sent.
    static func of(_ pattern: PatternID, in map: SystemMap) -> (points: [TouchPoint], omitted: Int) {
        var points: [(point: TouchPoint, rank: Int)] = []
        var seen = Set<String>()
        func add(_ rank: Int, _ path: String, _ line: Int?, _ why: String) {
            if seen.insert("\(path):\(line ?? 0)").inserted { points.append((TouchPoint(path: path, line: line, why: why), rank)) }
        }
        let carriers = Set(map.messageChannels.map(\.id))
        let messages = Set(map.messageChannels.filter { $0.role != .events }.map(\.id))
        func label(_ id: String) -> String { map.node(id)?.label ?? id }
        /// Edges of `kind` into channels in `into`, a count of rows left out: it moves nothing.
        func edges(_ kind: SystemMap.EdgeKind, into: Set<String>) -> [SystemMap.Edge] {
            map.edges.filter { $0.kind == kind && into.contains($0.to) && !$0.detail.hasPrefix("counts ") }
        }
        /// How surely a read is where the next message is taken: a query with an order or a limit,
        /// then a listing or read of a folder or file, then a read by id or filter.
        func readRank(_ edge: SystemMap.Edge) -> Int {
            if edge.detail.hasPrefix("takes the next") { return 3 }
            return edge.detail.hasPrefix("selects from") ? 1 : 2
        }
        let programs = map.nodes(.program)
        let writers = Set(edges(.writes, into: messages).map(\.from))

        switch pattern {
        case .priorityQueue, .deferQueue:
            let what = pattern == .priorityQueue ? "take the priority lane first" : "skip work deferred until later, and release it when due"
            let readers = edges(.reads, into: messages)
            for edge in readers {
                // A query says what it does (`takes the next rows of messages`); any other read names its channel.
                let does = map.node(edge.to)?.channelKind == .table ? edge.detail : "reads \(label(edge.to))"
                add(readRank(edge), edge.path, edge.line, "\(does); here, \(what)")
            }
            if readers.isEmpty {
                for edge in edges(.writes, into: messages) {
                    add(1, edge.path, edge.line, "writes \(label(edge.to)), which nothing in the map reads; where it is read, \(what)")
                }
            }
        case .collisionFreeMessaging, .contentAddressedDAG:
            let what = pattern == .collisionFreeMessaging ? "use a full UUID (or a timestamp plus one)" : "name the message by the SHA-256 of its content"
            for edge in edges(.writes, into: messages) where [.inbox, .messageStore].contains(map.node(edge.to)?.channelKind) {
                add(3, edge.path, edge.line, "builds the name of a message written to \(label(edge.to)); \(what)")
            }
            for program in programs {
                for site in program.sites ?? [] where site.kind == .namesMessage {
                    add(writers.contains(program.id) ? 2 : 0, program.path, site.line, "\(site.detail); \(what)")
                }
            }
        case .eventSourcing:
            for edge in edges(.writes, into: messages) { add(3, edge.path, edge.line, "sends through \(label(edge.to)); here, append a sent event") }
            for edge in edges(.reads, into: messages) {
                add(readRank(edge), edge.path, edge.line, "receives from \(label(edge.to)); here, append a received event")
            }
        case .faultTolerantWrappers:
            for program in programs where !(program.sites ?? []).contains(where: { $0.kind == .retries }) {
                for site in program.sites ?? [] where site.kind == .crossesBoundary {
                    add(writers.contains(program.id) ? 3 : 2, program.path, site.line, "\(site.detail), and the program never retries; wrap the call with retries and backoff")
                }
                for edge in map.edges(from: program.id, .writes) where carriers.contains(edge.to) {
                    add(1, edge.path, edge.line, "writes \(label(edge.to)), and the program never retries; wrap the write")
                }
            }
        case .authorityDomains:
            for edge in edges(.writes, into: messages) where map.node(edge.to)?.channelKind != .lane {
                add(3, edge.path, edge.line, "delivers to agents through \(label(edge.to)); here, check the sender's authority domains")
            }
            if let agent = map.nodes(.agent).first(where: { $0.detail.contains("configuration") || $0.detail.contains("registry") }) {
                add(2, agent.path, agent.line, "declares the agents: add each one's authority_domains")
            }
        case .tlaVerification:
            for edge in map.edges where edge.kind != .belongsTo && carriers.contains(edge.to) && !edge.detail.hasPrefix("counts ") {
                add(edge.kind == .writes ? 2 : 1, edge.path, edge.line, "\(edge.kind == .writes ? "writes" : "reads") \(label(edge.to)): an action the specification models")
            }
        }
        let sorted = points.sorted { ($1.rank, $0.point.path, $0.point.line ?? 0) < ($0.rank, $1.point.path, $1.point.line ?? 0) }.map(\.point)
        return (Array(sorted.prefix(limit)), max(0, sorted.count - limit))
    }

    /// The channels the data step moves, with what each holds: "`inbox/<agent>/` (7 message files)".
    static func channelsToMove(_ map: SystemMap) -> [String] {
        map.nodes(.channel).filter { $0.confidence == .high && $0.channelKind != .endpoint }.map { channel in
            MarkdownText.codeSpan(channel.label) + (channel.holdings.map { " (\($0))" } ?? "")
        }
    }
}
