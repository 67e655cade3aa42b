/// A picture of the analysed system as a whole: its agents, the channels their
/// messages travel through, the programs that write and read those channels, and
/// how they connect. Every node and edge carries where it was seen (a path and,
/// for code, a line) and how sure the tool is of it.
///
/// The map is bounded: at most ``nodeLimit`` nodes and ``edgeLimit`` edges are kept
/// (each kind in id order and sure of its share, ``quota``, so two hundred inbox folders
/// cannot crowd out the programs); ``omittedNodes`` and ``omittedEdges`` say how many were
/// left out. A decoded map is put through the same bounds.
public struct SystemMap: Codable, Sendable, Hashable {
    /// The most nodes a map keeps.
    package static let nodeLimit = 200
    /// The most edges a map keeps.
    package static let edgeLimit = 400

    /// What a node stands for.
    public enum NodeKind: String, Codable, Sendable, CaseIterable {
        /// An agent: a participant that receives messages.
        case agent
        /// A place messages travel through: a folder, a log, a table, an endpoint.
        case channel
        /// A script or service that writes or reads channels.
        case program
    }

    /// What kind of place a channel is.
    public enum ChannelKind: String, Codable, Sendable, CaseIterable {
        /// Per-agent inbox folders (`inbox/<agent>/`, `mailboxes/<agent>/`).
        case inbox
        /// A lane beside the inboxes: `priority/`, `defer/`, `archive/`, a queue folder.
        case lane
        /// An append-only event log: a file or an event table.
        case eventLog = "event-log"
        /// Another place messages are kept: a spool, `messages/`, a `.jsonl` file.
        case messageStore = "message-store"
        /// A database table the system's code declares or its database holds.
        case table
        /// An HTTP route or MCP tool the system serves.
        case endpoint
    }

    /// What a channel carries, which decides what a migration does with it: messages and
    /// events are moved and re-read by the new system; a registry becomes its agent
    /// configuration; state and telemetry are backed up and left alone.
    public enum ChannelRole: String, Codable, Sendable, CaseIterable {
        /// Messages or tasks between agents: inboxes, lanes, a spool, a message table, a messaging route.
        case messages
        /// An append-only record of what happened: an event log file or table.
        case events
        /// Who the agents are: a registry file or table.
        case registry
        /// Shared state the programs read and update in place (`state.json`, a status file, a lock table).
        case state
        /// Metrics, traces, usage and heartbeat files: written for people or dashboards, not between agents.
        case telemetry
        /// Anything else the programs write or read.
        case other
    }

    /// What kind of storage a store is, which decides how it is backed up and counted.
    public enum StoreKind: String, Codable, Sendable, CaseIterable {
        /// A SQLite database file: backed up with `sqlite3 FILE '.backup …'`, counted with `SELECT count(*)`.
        case sqlite
        /// A PostgreSQL database: backed up with `pg_dump`, counted through `psql`.
        case postgresql
        /// A folder of files: archived with `tar`, counted with `find`.
        case folder
        /// One file: copied.
        case file
    }

    /// A place the system keeps its live data: what the backup, the data step and the rollback
    /// cover. Stores inside the analysed folder were seen there; stores outside it (a path in the
    /// home folder, a database server) are only named by code or configuration and are never read.
    public struct Store: Codable, Sendable, Hashable {
        /// What kind of store it is.
        public var kind: StoreKind
        /// As the system names it: a path relative to the analysed folder, `~/.app/mail.db`, or a database's location.
        public var location: String
        /// Whether the store is inside the analysed folder (and so in its archive).
        public var inside: Bool
        /// The tables in it that carry messages or events, for databases.
        public var tables: [String]
        /// Where the store was seen or named, and how.
        public var path: String
        /// The 1-based line of `path`, when one line shows it.
        public var line: Int?
        /// What was seen there, in a few words.
        public var detail: String

        /// One store; `line` is 1-based.
        package init(kind: StoreKind, location: String, inside: Bool, tables: [String] = [], path: String, line: Int? = nil, detail: String) {
            self.kind = kind
            self.location = location
            self.inside = inside
            self.tables = tables
            self.path = path
            self.line = line
            self.detail = detail
        }
    }

    /// How two nodes are connected.
    public enum EdgeKind: String, Codable, Sendable, CaseIterable {
        /// A program writes into a channel (from program to channel).
        case writes
        /// A program reads a channel (from program to channel).
        case reads
        /// A channel delivers to an agent: the agent's inbox (from channel to agent).
        case belongsTo = "belongs-to"
    }

    /// What a line of a program does that a migration may change.
    public enum SiteKind: String, Codable, Sendable, CaseIterable {
        /// Builds the name or id of a message (a UUID, a digest, a timestamped file name).
        case namesMessage = "names-message"
        /// Calls across a process or network boundary (an HTTP request, `curl`, a socket).
        case crossesBoundary = "crosses-boundary"
        /// Retries: a loop that waits between tries.
        case retries
    }

    /// One line of a program and what it does there.
    public struct Site: Codable, Sendable, Hashable {
        /// What the program does on that line.
        public var kind: SiteKind
        /// 1-based.
        public var line: Int
        /// What is done there, in a few words.
        public var detail: String

        /// A site at 1-based `line`.
        package init(kind: SiteKind, line: Int, detail: String) {
            self.kind = kind
            self.line = line
            self.detail = detail
        }
    }

    /// One agent, channel or program.
    public struct Node: Codable, Sendable, Hashable {
        /// Unique within the map: the kind and the name, `agent:alice`, `channel:inbox/`, `program:send.sh`.
        public var id: String
        /// Agent, channel or program.
        public var kind: NodeKind
        /// For channels, what kind of place it is.
        public var channelKind: ChannelKind?
        /// For channels, what they carry (absent in maps written before roles were kept).
        public var role: ChannelRole?
        /// The name people know it by: the agent's name, the folder, the table, the route, the program's path.
        public var label: String
        /// Where it was seen, relative to the analysed folder.
        public var path: String
        /// The 1-based line it was seen on, for what code or configuration names.
        public var line: Int?
        /// What was seen there, in a few words.
        public var detail: String
        /// High when data or configuration on disk shows it, medium when only code does.
        public var confidence: Confidence
        /// For channels on disk, the message files (or rows) they hold.
        public var messages: Int?
        /// For programs, the lines a migration may change (sorted by line); absent when none.
        public var sites: [Site]?
        /// For tables, the columns the code or the database declares; absent when not known.
        public var columns: [String]?

        /// One node; `line` is 1-based.
        package init(
            id: String, kind: NodeKind, channelKind: ChannelKind? = nil, role: ChannelRole? = nil, label: String, path: String,
            line: Int? = nil, detail: String, confidence: Confidence, messages: Int? = nil, sites: [Site]? = nil
        ) {
            self.id = id
            self.kind = kind
            self.channelKind = channelKind
            self.role = role ?? channelKind.map(Self.defaultRole)
            self.label = label
            self.path = path
            self.line = line
            self.detail = detail
            self.confidence = confidence
            self.messages = messages
            self.sites = sites
        }

        /// `path` or `path:line`.
        public var location: String {
            if let line { "\(path):\(line)" } else { path }
        }

        /// What a channel of `kind` carries when nothing else tells: an event log events, the rest messages.
        package static func defaultRole(_ kind: ChannelKind) -> ChannelRole {
            kind == .eventLog ? .events : .messages
        }

        /// Whether this is a channel that carries messages or events between agents: what a
        /// migration moves (not state, telemetry or a registry).
        package var carriesMessages: Bool {
            kind == .channel && (role == .messages || role == .events || role == nil)
        }

        /// What a channel holds, in words: "7 message files", "252 rows" (a table); nil when not counted.
        package var holdings: String? {
            messages.map { plural($0, id.hasPrefix("channel:table:") ? "row" : "message file") }
        }
    }

    /// One connection between two nodes, by their ids.
    public struct Edge: Codable, Sendable, Hashable {
        /// The id of the node the connection starts at.
        public var from: String
        /// The id of the node it goes to.
        public var to: String
        /// What the connection is: a program writing or reading a channel, or a channel an agent's inbox.
        public var kind: EdgeKind
        /// Where the connection was seen: the program and line that writes or reads, or the folder.
        public var path: String
        /// The 1-based line of `path`, when one line shows it.
        public var line: Int?
        /// What was seen there, in a few words.
        public var detail: String
        /// How sure the connection is.
        public var confidence: Confidence

        /// One edge from node `from` to node `to`; `line` is 1-based.
        public init(from: String, to: String, kind: EdgeKind, path: String, line: Int? = nil, detail: String, confidence: Confidence) {
            self.from = from
            self.to = to
            self.kind = kind
            self.path = path
            self.line = line
            self.detail = detail
            self.confidence = confidence
        }

        /// `path` or `path:line`.
        public var location: String {
            if let line { "\(path):\(line)" } else { path }
        }
    }

    /// Agents first, then channels, then programs; each kind sorted by id.
    public var nodes: [Node]
    /// Sorted by source, target and kind.
    public var edges: [Edge]
    /// Nodes found and not kept (beyond ``nodeLimit``).
    public var omittedNodes: Int
    /// Edges found and not kept (beyond ``edgeLimit``, or touching a node not kept).
    public var omittedEdges: Int
    /// Where the system keeps its live data, inside the analysed folder first, each sorted by
    /// location; at most ``storeLimit``.
    public var stores: [Store] = []

    /// The most stores a map keeps.
    package static let storeLimit = 40

    /// A map of `nodes` and `edges`, put in the map's order and cut to its bounds: edges
    /// whose ends are not both kept are dropped, and counted as omitted.
    /// The nodes of each kind a map is sure to keep when there are that many; what one kind
    /// leaves unused goes to the others, agents first.
    package static let quota: [NodeKind: Int] = [.agent: 80, .channel: 60, .program: 60]

    package init(nodes: [Node], edges: [Edge], omittedNodes: Int = 0, omittedEdges: Int = 0, stores: [Store] = []) {
        var unique: [String: Node] = [:]
        // A node without a name cannot be drawn or told apart.
        for node in nodes where unique[node.id] == nil && !node.label.allSatisfy(\.isWhitespace) { unique[node.id] = node }
        let order: [NodeKind: Int] = [.agent: 0, .channel: 1, .program: 2]
        let sorted = unique.values.sorted { (order[$0.kind] ?? 3, $0.id) < (order[$1.kind] ?? 3, $1.id) }
        var byKind: [NodeKind: [Node]] = [:]
        for node in sorted { byKind[node.kind, default: []].append(node) }
        var take: [NodeKind: Int] = [:]
        for kind in NodeKind.allCases { take[kind] = min(byKind[kind]?.count ?? 0, Self.quota[kind] ?? 0) }
        var room = Self.nodeLimit - take.values.reduce(0, +)
        for kind in NodeKind.allCases where room > 0 {
            let more = min(room, (byKind[kind]?.count ?? 0) - (take[kind] ?? 0))
            take[kind, default: 0] += more
            room -= more
        }
        let kept = NodeKind.allCases.flatMap { (byKind[$0] ?? []).prefix(take[$0] ?? 0) }
        let ids = Set(kept.map(\.id))
        var seen = Set<String>()
        var inside: [Edge] = []
        var dropped = omittedEdges
        for edge in edges.sorted(by: { ($0.from, $0.to, $0.kind.rawValue, $0.line ?? 0, $0.path) < ($1.from, $1.to, $1.kind.rawValue, $1.line ?? 0, $1.path) }) {
            guard seen.insert("\(edge.from)\u{0}\(edge.to)\u{0}\(edge.kind.rawValue)").inserted else { continue }
            if ids.contains(edge.from), ids.contains(edge.to) { inside.append(edge) } else { dropped += 1 }
        }
        self.nodes = kept
        self.edges = Array(inside.prefix(Self.edgeLimit))
        self.omittedNodes = omittedNodes + (sorted.count - kept.count)
        self.omittedEdges = dropped + (inside.count - self.edges.count)
        var byLocation: [String: Store] = [:]
        for store in stores where !store.location.isEmpty && byLocation[store.location] == nil { byLocation[store.location] = store }
        self.stores = Array(byLocation.values.sorted { ($0.inside ? 0 : 1, $0.location) < ($1.inside ? 0 : 1, $1.location) }.prefix(Self.storeLimit))
    }

    private enum CodingKeys: String, CodingKey { case nodes, edges, omittedNodes, omittedEdges, stores }

    /// Reads a map and puts it through the same bounds as a drawn one: a saved report edited by
    /// hand (a node twice, an edge to nowhere, a thousand nodes) still renders.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let nodes = try c.decode([Node].self, forKey: .nodes)
        let edges = try c.decode([Edge].self, forKey: .edges)
        let omitted = try c.decodeIfPresent(Int.self, forKey: .omittedNodes) ?? 0
        let omittedEdges = try c.decodeIfPresent(Int.self, forKey: .omittedEdges) ?? 0
        let stores = try c.decodeIfPresent([Store].self, forKey: .stores) ?? []
        self.init(nodes: nodes, edges: edges, omittedNodes: max(0, omitted), omittedEdges: max(0, omittedEdges), stores: stores)
    }

    /// Writes the map in the report's JSON layout.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(nodes, forKey: .nodes)
        try c.encode(edges, forKey: .edges)
        try c.encode(omittedNodes, forKey: .omittedNodes)
        try c.encode(omittedEdges, forKey: .omittedEdges)
        try c.encode(stores, forKey: .stores)
    }

    /// The channels that carry messages or events between agents, in map order.
    public var messageChannels: [Node] { nodes.filter(\.carriesMessages) }

    /// An empty map: nothing was found to draw.
    package static let empty = SystemMap(nodes: [], edges: [])

    /// True when the map has no node.
    public var isEmpty: Bool { nodes.isEmpty }

    /// The node with `id`, if kept.
    public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }

    /// The nodes of one kind, in map order.
    public func nodes(_ kind: NodeKind) -> [Node] { nodes.filter { $0.kind == kind } }

    /// The edges leaving node `id` (of `kind`, when given).
    public func edges(from id: String, _ kind: EdgeKind? = nil) -> [Edge] {
        edges.filter { $0.from == id && (kind == nil || $0.kind == kind) }
    }

    /// The edges arriving at node `id` (of `kind`, when given).
    public func edges(to id: String, _ kind: EdgeKind? = nil) -> [Edge] {
        edges.filter { $0.to == id && (kind == nil || $0.kind == kind) }
    }

    /// "4 agents, 3 channels, 2 programs, 9 connections": the terminal's one line.
    package var countLine: String {
        var parts = [
            plural(nodes(.agent).count, "agent"), plural(nodes(.channel).count, "channel"),
            plural(nodes(.program).count, "program"), plural(edges.count, "connection"),
        ].joined(separator: ", ")
        if omittedNodes + omittedEdges > 0 {
            parts += " (\(plural(omittedNodes, "node")) and \(plural(omittedEdges, "connection")) left out)"
        }
        return parts
    }
}
