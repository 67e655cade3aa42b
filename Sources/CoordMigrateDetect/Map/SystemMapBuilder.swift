import CoordMigrateModel
import Foundation

/// Draws the system map from what detection found: agents from the inbox folders, the
/// configuration and the registries; channels from the folders, logs, tables and routes on
/// disk, in the database or in code; programs from what their code reads and writes.
///
/// A program's write or read is attached to a channel seen on disk when the literal on its
/// line names it (`inbox/${to}/` → `inbox/`, `>> events.log` → `events.log`), or when the
/// line names none and there is only one channel of that kind; otherwise the channel is the
/// one the code names, seen in code only (medium confidence).
enum SystemMapBuilder {
    typealias Node = SystemMap.Node
    typealias Edge = SystemMap.Edge

    static func build(_ inventory: WalkInventory, _ facts: SystemFacts, evidence: [Evidence]) -> SystemMap {
        // Outside a file-based system, `inbox/<agent>` in code is a route or a key, not a folder
        // (as for the inbox structure): per-agent paths then attach only to folders on disk.
        var drawing = Drawing(foldersInCode: facts.messageSystemType == .fileBased || facts.messageSystemType == .none)
        drawing.addAgentsAndInboxes(inventory, evidence: evidence)
        drawing.addLanes(evidence)
        drawing.addLogsAndTables(inventory, facts)
        // Endpoints first, so a client read before its server still finds the route it calls.
        for program in inventory.mapSources.programs { drawing.addEndpoints(program) }
        for program in inventory.mapSources.programs { drawing.add(program) }
        drawing.deliverToDeclaredAgents()
        drawing.assignRoles()
        return SystemMap(
            nodes: drawing.nodes.values.map { $0 }, edges: drawing.edges,
            omittedNodes: inventory.mapSources.programsLeftOut, stores: stores(inventory, drawing))
    }

    /// Where the system keeps its data: the measured database, SQLite files in the tree, the
    /// channels' folders and files on disk, and the home-folder paths and database files its
    /// programs name (outside the tree: named, never read).
    static func stores(_ inventory: WalkInventory, _ drawing: Drawing) -> [SystemMap.Store] {
        var stores: [SystemMap.Store] = []
        let messageTables = drawing.nodes.values.filter { $0.id.hasPrefix("channel:table:") }.map(\.label).sorted()
        if let database = inventory.database {
            let tables = database.tables.map(\.name)
            if database.engine == "sqlite" {
                let inside = !database.location.hasPrefix("/") && !database.location.hasPrefix("~") && !database.location.hasPrefix("..")
                stores.append(SystemMap.Store(
                    kind: .sqlite, location: database.location, inside: inside, tables: tables, path: database.source,
                    detail: "the database measured, read-only"))
            } else {
                stores.append(SystemMap.Store(
                    kind: .postgresql, location: database.location, inside: false, tables: tables, path: database.source,
                    detail: "the database measured, read-only"))
            }
        }
        let files = inventory.mapSources.databaseFiles
        for file in files {
            stores.append(SystemMap.Store(
                kind: .sqlite, location: file, inside: true, tables: files.count == 1 ? messageTables : [], path: file,
                detail: "SQLite database file in the tree"))
        }
        for node in drawing.nodes.values where node.kind == .channel && node.confidence == .high && node.channelKind != .endpoint
            && !node.id.hasPrefix("channel:table:")
        {
            let folder = node.path.hasSuffix("/")
            stores.append(SystemMap.Store(
                kind: folder ? .folder : .file, location: node.path, inside: true, path: node.path,
                detail: "\(node.role?.rawValue ?? "messages") \(folder ? "folder" : "file") on disk, in the archive of the tree"))
        }
        for program in inventory.mapSources.programs where program.aboutMessages {
            for fact in program.facts {
                switch fact.kind {
                case .namesHomePath(let path) where !Self.homeToolPath(path):
                    let kind: SystemMap.StoreKind =
                        CodeFactExtractor.isDatabaseFile(path) ? .sqlite
                        : (path.split(separator: "/").last?.contains(".") == true && !path.hasSuffix("/")) && path.split(separator: "/").count > 2 ? .file : .folder
                    stores.append(SystemMap.Store(
                        kind: kind, location: path, inside: false, path: program.path, line: fact.line,
                        detail: "a path in the home folder the code names"))
                case .namesDatabaseFile(let name):
                    // A file named in code is the one on disk it ends like, if there is one; one only
                    // created at run time is where the program runs, which the tree does not say.
                    if files.contains(where: { $0 == name || $0.hasSuffix("/" + name) }) { continue }
                    if name.hasPrefix("/") {
                        stores.append(SystemMap.Store(
                            kind: .sqlite, location: name, inside: false, tables: messageTables, path: program.path, line: fact.line,
                            detail: "a database file the code names"))
                    }
                default: break
                }
            }
        }
        return stores
    }

    /// Home-folder paths of tools and shells, not of the system: keys, caches, package managers, shell set-up.
    static func homeToolPath(_ path: String) -> Bool {
        let rest = path.dropFirst(2).lowercased()
        let first = rest.split(separator: "/").first.map(String.init) ?? ""
        let tools: Set<String> = [
            ".ssh", ".aws", ".gnupg", ".npm", ".cache", ".cargo", ".rustup", ".bashrc", ".zshrc", ".profile", ".bash_profile",
            ".gitconfig", ".docker", ".kube", ".vscode", ".nvm", ".pyenv", ".local", "downloads", "desktop", "documents", ".oh-my-zsh",
            ".tmux.conf", ".npmrc", ".pypirc", ".netrc", "library", ".m2", ".gradle", "go",
        ]
        return tools.contains(first) || first.isEmpty
    }

    struct Drawing {
        var nodes: [String: Node] = [:]
        var edges: [Edge] = []
        /// Channels seen on disk, configuration or the database, by kind: what code is matched against.
        var known: [(node: Node, names: Set<String>)] = []
        /// Whether code that builds a per-agent path makes a folder channel of its own.
        var foldersInCode = true
        /// The endpoints, by route, in the order they were found (which is by program path).
        var endpoints: [(route: String, id: String)] = []

        mutating func addNode(_ node: Node, names: [String] = []) {
            guard nodes[node.id] == nil else { return }
            nodes[node.id] = node
            if node.kind == .channel, node.confidence == .high {
                known.append((node, Set(names.map { $0.lowercased() })))
            }
        }

        mutating func addAgentsAndInboxes(_ inventory: WalkInventory, evidence: [Evidence]) {
            let sources = inventory.mapSources
            if sources.inboxExists {
                let agents = sources.inboxFolders.keys.filter { !MailboxLayoutDetector.notAgents.contains($0.lowercased()) }.sorted()
                let total = sources.inboxFolders.values.reduce(0, +)
                addInbox(root: "inbox/", path: "inbox/", agents: agents.map { ($0, "inbox/\($0)/") }, messages: total, detail: "per-agent inbox folders")
                // Lane folders directly under inbox/ are lanes of the intake, not agents.
                for lane in sources.inboxFolders.keys.sorted() where MailboxLayoutDetector.notAgents.contains(lane.lowercased()) {
                    addNode(Node(
                        id: "channel:inbox/\(lane)/", kind: .channel, channelKind: .lane, label: "inbox/\(lane)/", path: "inbox/\(lane)/",
                        detail: "lane folder", confidence: .high, messages: sources.inboxFolders[lane]), names: [lane, "inbox/\(lane)"])
                }
            } else if let layout = inventory.inboxLayout {
                let root = layout.root.hasSuffix("/") ? layout.root : layout.root + "/"
                let agents: [(String, String)] =
                    switch layout.kind {
                    case .inverted: layout.agents.map { ($0, "\($0)/inbox/") }
                    default: layout.agents.map { ($0, root + "\($0)/") }
                    }
                // `<agent>/inbox/` has no one folder: the first agent's inbox stands for the layout.
                let shown = layout.kind == .inverted ? agents.first?.1 ?? root : root
                addInbox(root: root, path: shown, agents: agents, messages: layout.messageFiles, detail: layout.detail)
            }
            // Agents the configuration or a registry declares, where no inbox shows them.
            for (path, summary) in inventory.configFiles {
                for agent in summary?.agents ?? [] where !agent.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    addNode(Node(id: "agent:\(agent)", kind: .agent, label: agent, path: path, detail: Self.declaredDetail, confidence: .high))
                }
            }
            for agent in inventory.registryAgents where !agent.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                guard let path = inventory.registryAgentSources[agent] else { continue }
                addNode(Node(id: "agent:\(agent)", kind: .agent, label: agent, path: path, detail: "agent registry entry", confidence: .high))
            }
        }

        private mutating func addInbox(root: String, path: String, agents: [(name: String, path: String)], messages: Int, detail: String) {
            let channel = "channel:\(root)"
            let bare = String(root.dropLast())
            let last = bare.split(separator: "/").last.map(String.init) ?? bare
            addNode(
                Node(id: channel, kind: .channel, channelKind: .inbox, label: root.hasPrefix("*/") ? "<agent>/" + root.dropFirst(2) : "\(root)<agent>/", path: path, detail: detail, confidence: .high, messages: messages),
                names: [bare, last, "inbox", "inboxes", "mailbox", "mailboxes"])
            for agent in agents where !agent.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                addNode(Node(id: "agent:\(agent.name)", kind: .agent, label: agent.name, path: agent.path, detail: "has an inbox folder", confidence: .high))
                edges.append(Edge(from: channel, to: "agent:\(agent.name)", kind: .belongsTo, path: agent.path, detail: "inbox folder", confidence: .high))
            }
        }

        mutating func addLanes(_ evidence: [Evidence]) {
            for item in evidence where item.kind == .disk && (item.subject == .pattern(.priorityQueue) || item.subject == .pattern(.deferQueue)) {
                let path = item.path.hasSuffix("/") ? item.path : item.path + "/"
                let bare = String(path.dropLast())
                addNode(
                    Node(id: "channel:\(path)", kind: .channel, channelKind: .lane, label: path, path: path, detail: item.detail, confidence: .high),
                    names: [bare, bare.split(separator: "/").last.map(String.init) ?? bare])
            }
        }

        mutating func addLogsAndTables(_ inventory: WalkInventory, _ facts: SystemFacts) {
            for item in facts.eventLogEvidence where item.kind == .disk {
                let last = item.path.split(separator: "/").last.map(String.init) ?? item.path
                addNode(
                    Node(id: "channel:\(item.path)", kind: .channel, channelKind: .eventLog, label: item.path, path: item.path, detail: item.detail, confidence: .high),
                    names: [item.path, last])
            }
            if let database = inventory.database {
                for table in database.tables where table.role == .messages || table.role == .events {
                    addNode(
                        Node(
                            id: "channel:table:\(table.name.lowercased())", kind: .channel, channelKind: table.role == .events ? .eventLog : .table,
                            label: table.name, path: database.location, detail: "\(table.role.rawValue) table in the database", confidence: .high,
                            messages: table.rows),
                        names: [table.name])
                }
            }
            let declared = inventory.declaredSchema
            // The columns the code declares, for tables the database showed too.
            for table in declared.messageTables + declared.eventTables where !table.columns.isEmpty {
                nodes["channel:table:\(table.name.lowercased())"]?.columns = table.columns
            }
            for (tables, kind) in [(declared.messageTables, SystemMap.ChannelKind.table), (declared.eventTables, .eventLog)] {
                for table in tables {
                    let id = "channel:table:\(table.name.lowercased())"
                    guard nodes[id] == nil else { continue }
                    var node = Node(
                        id: id, kind: .channel, channelKind: kind, label: table.name, path: table.evidence.path, line: table.evidence.line,
                        detail: kind == .eventLog ? "event table the code creates" : "message table the code creates", confidence: .medium)
                    node.columns = table.columns.isEmpty ? nil : table.columns
                    nodes[id] = node
                }
            }
        }

        /// The channel a write or read names: one seen on disk that the literal names (or the only
        /// one of that kind, when the line names none), else one seen in code only.
        mutating func channel(_ kind: SystemMap.ChannelKind, named name: String?, program: String, line: Int) -> String? {
            let wanted = name.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            if let wanted {
                // The whole path, then its last part, then its leading folders (`queue/high` → `high` → `queue`).
                let parts = wanted.split(separator: "/").map(String.init)
                var tries = [wanted] + (parts.count > 1 ? [parts[parts.count - 1]] : [])
                if parts.count > 1 { tries += (1..<parts.count).reversed().map { parts[0..<$0].joined(separator: "/") } }
                for candidate in tries {
                    // The least id among equals, so the walk's order never decides.
                    let matches = known.filter { $0.names.contains(candidate) }.sorted { $0.node.id < $1.node.id }
                    if let match = matches.first(where: { $0.node.channelKind == kind }) ?? matches.first { return match.node.id }
                }
            } else {
                let ofKind = known.filter { $0.node.channelKind == kind }
                if ofKind.count == 1 { return ofKind[0].node.id }
                // Per-agent folders named through a variable are the one set of per-agent folders
                // code names, when it names just one: a system keeps one mailbox set, however many
                // programs reach it.
                if kind == .inbox, ofKind.isEmpty {
                    let named = nodes.values.filter { $0.channelKind == .inbox && $0.id.hasPrefix("channel:code:") && !$0.id.contains("@") }
                    if named.count == 1 { return named[0].id }
                }
            }
            // Seen in code only: one node per name, whichever fact named it first.
            if kind == .inbox || kind == .lane, !foldersInCode { return nil }
            // A channel named only through a variable is this program's own: two programs'
            // unnamed logs are not known to be one.
            // Per-agent folders are shared by every program that writes or lists them: one channel for
            // all those named through variables, not one per program.
            let shared = kind == .inbox && wanted == nil
            let unnamed = shared
                ? "per-agent folders (path set through variables)"
                : "\(Self.unnamed[kind] ?? kind.rawValue) (\(program.split(separator: "/").last.map(String.init) ?? program))"
            let key = wanted ?? unnamed
            let id = wanted.map { "channel:code:\($0)" } ?? (shared ? "channel:code:inbox@shared" : "channel:code:\(kind.rawValue)@\(program)")
            if nodes[id] == nil {
                nodes[id] = Node(
                    id: id, kind: .channel, channelKind: kind, label: kind == .inbox && wanted != nil ? "\(key)/<agent>/" : key,
                    path: program, line: line, detail: name == nil ? "named through a variable in code" : "named in code",
                    confidence: .medium)
            }
            return id
        }

        static let declaredDetail = "declared in the agent configuration"

        /// What each channel carries, from what it is and what it is called: logs carry events;
        /// telemetry, state and registry files are named so (`metrics.jsonl`, `state.json`,
        /// `agents.json`); the rest carry messages.
        mutating func assignRoles() {
            for (id, node) in nodes where node.kind == .channel {
                nodes[id]?.role = Self.role(of: node)
            }
        }

        static func role(of node: Node) -> SystemMap.ChannelRole {
            if node.id.hasPrefix("channel:table:") { return node.channelKind == .eventLog ? .events : .messages }
            let name = node.label.lowercased()
            let last = name.split(separator: "/").last.map(String.init) ?? name
            func named(_ words: [String]) -> Bool { words.contains { last.contains($0) } }
            switch node.channelKind {
            case .inbox?, .lane?: return .messages
            case .endpoint?: return name.contains("event") ? .events : .messages
            default: break
            }
            if named(["telemetry", "metric", "stats", "usage", "trace", "heartbeat", "health", "cost", "token"]) { return .telemetry }
            if named(["state", "status", "session", "progress", "cursor", "offset", "checkpoint", "lock", "pid"]) { return .state }
            if named(["registry", "agents.json", "roster", "presence"]) { return .registry }
            if node.channelKind == .eventLog { return .events }
            return .messages
        }

        static let unnamed: [SystemMap.ChannelKind: String] = [
            .inbox: "per-agent folders", .eventLog: "event log", .messageStore: "message store", .lane: "lane folder",
        ]

        mutating func add(_ program: SystemMapSources.Program) {
            let id = "program:\(program.path)"
            var connections: [Edge] = []
            var sites: [SystemMap.Site] = []
            var routes = Set<String>()
            // The map keeps one edge per program, channel and direction: the line that most surely
            // moves messages (a query that takes the next rows before a read by id, a count last).
            var weight: [Int] = []
            func connect(_ channel: String?, _ kind: SystemMap.EdgeKind, _ fact: CodeFact, _ detail: String, weight rank: Int = 1) {
                guard let channel else { return }
                connections.append(Edge(from: id, to: channel, kind: kind, path: program.path, line: fact.line, detail: detail, confidence: .medium))
                weight.append(rank)
            }
            // A line that lists a per-agent folder builds its path to read it, not to write.
            let readLines = Set(program.facts.filter { $0.kind == .readsMessages }.map(\.line))
            for fact in program.facts where fact.direct {
                switch fact.kind {
                case .writesPerAgentPath where readLines.contains(fact.line): break
                case .writesPerAgentPath:
                    connect(channel(.inbox, named: fact.name, program: program.path, line: fact.line), .writes, fact, "writes a file per agent")
                case .writesMessageStore:
                    connect(channel(.messageStore, named: fact.name, program: program.path, line: fact.line), .writes, fact, "writes messages")
                case .appendsToLog, .appendsThrough:
                    connect(channel(.eventLog, named: fact.name, program: program.path, line: fact.line), .writes, fact, "appends to the log")
                case .writesThrough:
                    let kind: SystemMap.ChannelKind = fact.name.map(Self.namesFile) == true ? .messageStore : .inbox
                    connect(channel(kind, named: fact.name, program: program.path, line: fact.line), .writes, fact, "writes messages")
                case .readsMessages:
                    let kind: SystemMap.ChannelKind = fact.name.map(Self.namesFile) == true ? .messageStore : .inbox
                    connect(channel(kind, named: fact.name, program: program.path, line: fact.line), .reads, fact, "lists or reads messages")
                case .readsLog:
                    connect(channel(.eventLog, named: fact.name, program: program.path, line: fact.line), .reads, fact, "reads the log")
                case .movesToLane(let lane):
                    connect(channel(.lane, named: fact.name ?? lane.rawValue, program: program.path, line: fact.line), .writes, fact, "moves work into the \(lane.rawValue) lane")
                case .insertsInto(let table):
                    if let table = tableChannel(table) { connect(table, .writes, fact, "inserts into \(table.dropFirst("channel:table:".count))") }
                case let .selectsFrom(table, use):
                    if let table = tableChannel(table) {
                        let name = table.dropFirst("channel:table:".count)
                        switch use {
                        case .reads: connect(table, .reads, fact, "selects from \(name)")
                        case .takesNext: connect(table, .reads, fact, "takes the next rows of \(name)", weight: 2)
                        case .counts: connect(table, .reads, fact, "counts the rows of \(name)", weight: 0)
                        }
                    }
                case .servesRoute(let route) where program.aboutMessages && Self.carriesMessages(route):
                    routes.insert(route)
                    if nodes["channel:endpoint:\(route)"] != nil { connect("channel:endpoint:\(route)", .reads, fact, "serves \(route)") }
                case .retryLoop:
                    sites.append(SystemMap.Site(kind: .retries, line: fact.line, detail: "retries with a wait"))
                // Digests come from the facts (the sites keep the UUIDs, which are most lines).
                case .generatesID(let kind) where kind == .digest || kind == .digestFragment:
                    sites.append(SystemMap.Site(kind: .namesMessage, line: fact.line, detail: Self.idDetail[kind] ?? "generates an id"))
                default: break
                }
            }
            // Every call across a boundary and every UUID the program generates, a few of each.
            for fact in program.sites {
                switch fact.kind {
                case .callsNetwork:
                    sites.append(SystemMap.Site(kind: .crossesBoundary, line: fact.line, detail: fact.name.map { "calls \($0)" } ?? "calls across the network"))
                case .generatesID(let kind):
                    sites.append(SystemMap.Site(kind: .namesMessage, line: fact.line, detail: Self.idDetail[kind] ?? "generates an id"))
                default: break
                }
            }
            // A request to a route the system serves writes into that endpoint.
            if let call = program.facts.first(where: { $0.kind == .callsNetwork }), let path = call.name,
                let route = endpoints.filter({ !routes.contains($0.route) && Self.sameRoute($0.route, path) }).min(by: { $0.id < $1.id })
            {
                connect(route.id, .writes, call, "requests \(path)")
            }
            guard !connections.isEmpty else { return }
            var best: [String: Int] = [:]
            for (index, edge) in connections.enumerated() {
                let key = "\(edge.to)\u{0}\(edge.kind.rawValue)"
                if let kept = best[key], weight[kept] >= weight[index] { continue }
                best[key] = index
            }
            connections = best.values.sorted().map { connections[$0] }
            nodes[id] = Node(
                id: id, kind: .program, label: program.path, path: program.path, line: nil,
                detail: Self.summary(of: connections), confidence: .medium,
                sites: sites.isEmpty ? nil : sites.sorted { ($0.line, $0.kind.rawValue) < ($1.line, $1.kind.rawValue) })
            edges += connections
        }

        /// The routes and tools a program about messages serves, as endpoint channels: at most
        /// ``SystemMap/nodeLimit`` in all, since the map keeps no more.
        mutating func addEndpoints(_ program: SystemMapSources.Program) {
            guard program.aboutMessages else { return }
            for fact in program.facts {
                guard case .servesRoute(let route) = fact.kind, Self.carriesMessages(route) else { continue }
                let channel = "channel:endpoint:\(route)"
                if nodes[channel] == nil, endpoints.count < SystemMap.nodeLimit {
                    endpoints.append((route, channel))
                    nodes[channel] = Node(
                        id: channel, kind: .channel, channelKind: .endpoint, label: route, path: program.path, line: fact.line,
                        detail: "route or tool the code registers", confidence: .medium)
                }
            }
        }

        /// Agents the configuration declares, with no inbox folder on disk, receive through the one
        /// per-agent channel there is (the folder code writes per agent), when there is just one.
        mutating func deliverToDeclaredAgents() {
            let inboxes = nodes.values.filter { $0.channelKind == .inbox }
            guard inboxes.count == 1, let inbox = inboxes.first else { return }
            let served = Set(edges.filter { $0.kind == .belongsTo }.map(\.to))
            // Only agents the system's own configuration declares: a registry of coding-assistant
            // definitions (`.claude/agents/*.md`) names helpers, not this system's recipients.
            for agent in nodes.values where agent.kind == .agent && !served.contains(agent.id) && agent.detail == Self.declaredDetail {
                edges.append(Edge(
                    from: inbox.id, to: agent.id, kind: .belongsTo, path: agent.path, line: agent.line,
                    detail: "declared agent; its inbox is the per-agent folder", confidence: .medium))
            }
        }

        /// Words a route or tool that carries messages is named with: `/messages`, `send_message`,
        /// `/inbox/{agent}`, `/events`, `/mcp` (the transport MCP tool calls travel over). A settings,
        /// login or health route carries none.
        static let messageRouteWords = [
            "messag", "send", "inbox", "mail", "notif", "event", "publish", "deliver", "queue", "chat", "broadcast", "poll",
            "receive", "ack", "mcp", "post_", "reply", "dispatch", "enqueue", "subscribe",
        ]

        static func carriesMessages(_ route: String) -> Bool {
            let lowered = route.lowercased()
            return messageRouteWords.contains { lowered.contains($0) }
        }

        /// A table the system keeps messages or events in; other tables are not channels.
        private func tableChannel(_ name: String) -> String? {
            let id = "channel:table:\(name.lowercased())"
            return nodes[id] == nil ? nil : id
        }

        static let idDetail: [CodeFact.IDKind: String] = [
            .uuid: "generates a UUID", .uuidFragment: "generates a UUID cut short", .digest: "names by a SHA-256 digest",
            .digestFragment: "names by a digest cut short",
        ]

        /// Whether a request path reaches a route: equal, or the route is the request's last part
        /// (`/api/messages` reaches `/messages`), or the route's parameters match anything.
        static func sameRoute(_ route: String, _ path: String) -> Bool {
            // A method before the path (`POST /messages`) and parameters after it (`/messages/{id}`) aside.
            let bare = route.split(separator: " ").last.map(String.init) ?? route
            var trimmed = bare.split(separator: "{").first.map(String.init) ?? bare
            trimmed = trimmed.split(separator: ":").first.map(String.init) ?? trimmed
            while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
            guard trimmed.count > 1 else { return false }
            // Whole segments only: `send` is not `/resend`, `/mcp` is not `/mcp-health`.
            func boundary(_ text: Substring) -> Bool { text.isEmpty || text.hasPrefix("/") || text.hasPrefix("?") }
            if path == trimmed { return true }
            if path.hasPrefix(trimmed), boundary(path.dropFirst(trimmed.count)) { return true }
            if path.hasSuffix(trimmed) {
                let before = path.dropLast(trimmed.count)
                return trimmed.hasPrefix("/") || before.isEmpty || before.hasSuffix("/")
            }
            return false
        }

        /// Whether a path names a file (its last part has an extension), not a folder: `bus/queue.json`, not `~/.bus/inbox`.
        static func namesFile(_ path: String) -> Bool {
            guard let last = path.split(separator: "/").last else { return false }
            return last.dropFirst().contains(".")
        }

        static func summary(of edges: [Edge]) -> String {
            let writes = Set(edges.filter { $0.kind == .writes }.map(\.to)).count
            let reads = Set(edges.filter { $0.kind == .reads }.map(\.to)).count
            return [writes > 0 ? "writes \(plural(writes, "channel"))" : nil, reads > 0 ? "reads \(plural(reads, "channel"))" : nil]
                .compactMap { $0 }.joined(separator: ", ")
        }
    }
}
