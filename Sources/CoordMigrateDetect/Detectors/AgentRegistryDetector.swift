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
    static func isSettingsFile(_ ext: Substring) -> Bool { ext == "json" || ext == "yaml" || ext == "yml" }
    static let authorityKeys = ["authority_domains", "capabilities", "permissions", "scopes", "authority", "domains"]
    static let fileLimit = 500

    private var files = 0
    private var agents: [String] = []
    private var withAuthority: [String] = []
    private var keysSeen = Set<String>()
    private var evidence = EvidenceSample(limit: 3)

    /// Folders that hold a system's settings, where an `agents.*` registry may live.
    static let settingsFolders: Set<Substring> = ["registry", "config", "conf", "configs", "settings"]

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        if entry.kind == .file, entry.fileExtension == "md", files < Self.fileLimit {
            visitDefinition(entry)
            return
        }
        guard entry.kind == .file, Self.isSettingsFile(entry.fileExtension), files < Self.fileLimit else { return }
        let parts = entry.path.split(separator: "/")
        let perAgentFile =
            (parts.count == 3 && parts[0] == "registry" && parts[1] == "agents")
            || (parts.count == 2 && parts[0] == "agents")
            || (parts.count == 3 && parts[0].hasPrefix(".") && parts[1] == "agents")
            || (parts.count == 4 && parts[0].hasPrefix(".") && parts[1] == "registry" && parts[2] == "agents")
        let registryFile =
            (parts.count == 2 && (Self.settingsFolders.contains(parts[0]) || parts[0].hasPrefix(".")) && entry.name.hasPrefix("agents."))
        guard perAgentFile || registryFile else { return }
        files += 1
        guard let bytes = entry.contentPrefix(limit: ConfigParser.readLimit) else { return }
        let document: ConfigValue
        do {
            document = try ConfigParser.parse(bytes, fileExtension: entry.fileExtension)
        } catch {
            context.addWarning(ScanWarning(path: entry.path, line: error.line, message: error.message))
            return
        }
        if perAgentFile {
            let stem = String(entry.name[..<(entry.name.lastIndex(of: ".") ?? entry.name.endIndex)])
            let name = document["name"]?.scalar ?? document["id"]?.scalar ?? stem
            agents.append(name)
            if let key = AgentConfigSummary.authorityKey(of: document, among: Self.authorityKeys) {
                withAuthority.append(name)
                keysSeen.insert(key)
            }
            evidence.offer(Evidence(subject: .agentConfig, kind: .config, path: entry.path, detail: "agent registry entry"))
        } else {
            let summary = AgentConfigSummary(document, isAgentsFile: true, authorityKeys: Self.authorityKeys)
            agents += summary.agents
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

    func collect(into inventory: inout WalkInventory) {
        guard !agents.isEmpty else { return }
        inventory.registryAgents = Array(Set(agents)).sorted()
        inventory.registryAgentsWithAuthority = Array(Set(withAuthority)).sorted()
        inventory.registryAuthorityKeys.formUnion(keysSeen)
    }

    /// The registry entries found, as agent-configuration evidence.
    func decide(_ inventory: WalkInventory, _ output: inout PhaseOutput) {
        guard !agents.isEmpty else { return }
        output.add(evidence.items)
    }
}
