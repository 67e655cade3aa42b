import Foundation
import CoordMigrateModel
import CoordMigrateScan
/// Agent registries: one file per agent under `registry/agents/`, `agents/` or
/// `.<name>/agents/`, or a single `registry/agents.{json,yaml}`. Real registries
/// describe what an agent may do as `capabilities`, `permissions` or `scopes`
/// rather than `authority_domains`; a list of such tokens counts as authority domains
/// here (free-text descriptions do not, see ``AgentConfigSummary/authorityKey(of:among:)``).
///
/// Root-level `config.yaml` and friends are left to ``AgentConfigDetector``,
/// which keeps the original tool's reading.
final class AgentRegistryDetector: InventoryCollector {
    static func isSettingsFile(_ ext: Substring) -> Bool { isSettingsFile(key: FileExtension.key(ext.utf8)) }
    static func isSettingsFile(key: UInt64) -> Bool {
        key != 0 && (key == FileExtension.json || key == FileExtension.yaml || key == FileExtension.yml || key == FileExtension.toml)
    }
    static let authorityKeys = ["authority_domains", "capabilities", "permissions", "scopes", "authority", "domains"]
    static let fileLimit = 500

    private var files = 0
    private var agents: [String] = []
    private var withAuthority: [String] = []
    private var keysSeen = Set<String>()
    private var evidence = EvidenceSample(limit: 3)
    /// Settings files named for agents that declare no agent list.
    private var namedSettings: [String] = []

    /// The entries under a document's `agents` key that are themselves settings (mappings).
    static func declaredAgents(_ document: ConfigValue) -> [ConfigValue] {
        switch document["agents"] {
        case let .mapping(pairs)?: pairs.map(\.value).filter { if case .mapping = $0 { true } else { false } }
        case let .list(items)?: items.filter { if case .mapping = $0 { true } else { false } }
        default: []
        }
    }

    /// Folders that hold a system's settings, where an `agents.*` registry may live.
    static let settingsFolders: Set<Substring> = ["registry", "config", "conf", "configs", "settings"]

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        if entry.kind == .file, entry.extensionKey == FileExtension.md, files < Self.fileLimit {
            visitDefinition(entry)
            return
        }
        // Every candidate below is at most four folders deep.
        guard entry.kind == .file, entry.depth <= 4, Self.isSettingsFile(key: entry.extensionKey), files < Self.fileLimit else { return }
        let parts = entry.path.split(separator: "/")
        let perAgentFile =
            (parts.count == 3 && parts[0] == "registry" && parts[1] == "agents")
            || (parts.count == 2 && parts[0] == "agents")
            || (parts.count == 3 && parts[0].hasPrefix(".") && parts[1] == "agents")
            || (parts.count == 4 && parts[0].hasPrefix(".") && parts[1] == "registry" && parts[2] == "agents")
        let registryFile =
            (parts.count == 2 && (Self.settingsFolders.contains(parts[0]) || parts[0].hasPrefix(".")) && entry.name.hasPrefix("agents."))
        // A settings file of a part of the system (`chat/config.toml`) that declares its agents under
        // `agents`, or one at the root named for the agents it configures (`agent-orchestrator.yaml`).
        let stem = entry.name.lowercased()
        let nestedSettings = (2...3).contains(parts.count) && (stem.hasPrefix("config.") || stem.hasPrefix("settings."))
            && !parts.dropLast().contains { ["tests", "test", "fixtures", "examples", "docs"].contains($0) }
        let namedForAgents = parts.count == 1 && stem.contains("agent") && !stem.hasPrefix("agents.")
        guard perAgentFile || registryFile || nestedSettings || namedForAgents else { return }
        files += 1
        guard let bytes = entry.contentPrefix(limit: ConfigParser.readLimit) else { return }
        let document: ConfigValue
        do {
            document = try ConfigParser.parse(bytes, fileExtension: entry.fileExtension)
        } catch {
            // Settings files found by name may be anything: only a registry's own file is worth a warning.
            if perAgentFile || registryFile { context.addWarning(ScanWarning(path: entry.path, line: error.line, message: error.message)) }
            return
        }
        if nestedSettings || namedForAgents, !perAgentFile, !registryFile {
            let declared = Self.declaredAgents(document)
            guard case let .mapping(pairs) = document, !pairs.isEmpty, !declared.isEmpty || namedForAgents else { return }
            for agent in declared {
                if let key = AgentConfigSummary.authorityKey(of: agent, among: Self.authorityKeys) { keysSeen.insert(key) }
            }
            let summary = AgentConfigSummary(.mapping([("agents", document["agents"] ?? .null)]), isAgentsFile: false, authorityKeys: Self.authorityKeys)
            agents += summary.agents
            noteSource(summary.agents, entry.path)
            withAuthority += summary.agentsWithAuthorityDomains
            let what = declared.isEmpty ? "agent settings" : "agent settings, \(plural(summary.agents.count, "agent"))"
            evidence.offer(Evidence(subject: .agentConfig, kind: .config, path: entry.path, detail: what))
            if declared.isEmpty { namedSettings.append(entry.path) }
            return
        }
        if perAgentFile {
            let stem = String(entry.name[..<(entry.name.lastIndex(of: ".") ?? entry.name.endIndex)])
            let name = document["name"]?.scalar ?? document["id"]?.scalar ?? stem
            agents.append(name)
            noteSource([name], entry.path)
            if let key = AgentConfigSummary.authorityKey(of: document, among: Self.authorityKeys) {
                withAuthority.append(name)
                keysSeen.insert(key)
            }
            evidence.offer(Evidence(subject: .agentConfig, kind: .config, path: entry.path, detail: "agent registry entry"))
        } else {
            let summary = AgentConfigSummary(document, isAgentsFile: true, authorityKeys: Self.authorityKeys)
            agents += summary.agents
            noteSource(summary.agents, entry.path)
            withAuthority += summary.agentsWithAuthorityDomains
            let declared: [ConfigValue] =
                switch document["agents"] ?? document {
                case let .mapping(pairs): pairs.map(\.value)
                case let .list(items): items
                default: []
                }
            for value in declared {
                if let key = AgentConfigSummary.authorityKey(of: value, among: Self.authorityKeys) { keysSeen.insert(key) }
            }
            evidence.offer(Evidence(
                subject: .agentConfig, kind: .config, path: entry.path,
                detail: "agent registry, \(plural(summary.agents.count, "agent"))"))
        }
    }

    /// A per-agent definition file: Markdown under `.claude/agents/` (or an `agents/`
    /// folder inside a hidden one) whose YAML front matter names the agent
    /// (`name:`), as coding-agent tools define their sub-agents.
    private func visitDefinition(_ entry: ScanEntry) {
        let parts = entry.path.split(separator: "/")
        guard parts.count >= 3, parts[parts.count - 2] == "agents", parts[parts.count - 3].hasPrefix(".") else { return }
        files += 1
        guard let bytes = entry.contentPrefix(limit: 16 * 1024), let name = Self.frontMatterName(bytes) else { return }
        agents.append(name)
        noteSource([name], entry.path)
        evidence.offer(Evidence(subject: .agentConfig, kind: .config, path: entry.path, detail: "agent definition (front matter)"))
    }

    /// The `name:` of a `---`-fenced YAML front matter at the very start of a file.
    static func frontMatterName(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("---\n") || text.hasPrefix("---\r\n") else { return nil }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed == "---" { return nil }
            if trimmed.hasPrefix("name:") {
                let value = trimmed.dropFirst(5).trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// The file each agent was first declared in (the least path, whatever the walk's order).
    private var sources: [String: String] = [:]

    private func noteSource(_ names: [String], _ path: String) {
        for name in names where sources[name].map({ path < $0 }) ?? true { sources[name] = path }
    }

    func collect(into inventory: inout WalkInventory) {
        inventory.agentSettingsFiles = namedSettings.sorted()
        guard !agents.isEmpty else { return }
        inventory.registryAgentSources = sources
        inventory.registryAgents = Array(Set(agents)).sorted()
        inventory.registryAgentsWithAuthority = Array(Set(withAuthority)).sorted()
        inventory.registryAuthorityKeys.formUnion(keysSeen)
    }

    /// The registry entries found, as agent-configuration evidence.
    func decide(_ inventory: WalkInventory, _ output: inout PhaseOutput) {
        guard !agents.isEmpty || !namedSettings.isEmpty else { return }
        output.add(evidence.items)
    }
}
