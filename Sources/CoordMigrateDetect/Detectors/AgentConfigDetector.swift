import CoordMigrateModel
import CoordMigrateScan
/// Finds and reads the agent configuration at the root: `config.yaml`,
/// `config.json`, `agents.yaml`, `agents.json` and their `.yml` spellings.
final class AgentConfigDetector: InventoryCollector {
    static let fileNames = ["config.yaml", "config.yml", "config.json", "agents.yaml", "agents.yml", "agents.json"]

    private var files: [(path: String, summary: AgentConfigSummary?)] = []
    private var documents: [ConfigDocument] = []

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.depth == 1, entry.isFileLike, Self.fileNames.contains(entry.name) else { return }
        guard entry.kind == .file else {
            context.addWarning(ScanWarning(path: entry.path, message: "agent configuration\(entry.kindNote); counted as present"))
            files.append((entry.path, nil))
            return
        }
        guard let bytes = entry.contentPrefix(limit: ConfigParser.readLimit) else {
            files.append((entry.path, nil))
            return
        }
        if entry.wasTruncated {
            context.addWarning(ScanWarning(
                path: entry.path, message: "larger than \(ConfigParser.readLimit / 1024) KiB; only the start was read"))
        }
        do {
            let document = try ConfigParser.parse(bytes, fileExtension: entry.fileExtension)
            let summary = AgentConfigSummary(document, isAgentsFile: entry.name.hasPrefix("agents."))
            files.append((entry.path, summary))
            documents.append(ConfigDocument(path: entry.path, document: document))
        } catch {
            context.addWarning(ScanWarning(path: entry.path, line: error.line, message: error.message))
            files.append((entry.path, nil))
        }
    }

    func collect(into inventory: inout WalkInventory) {
        inventory.configFiles = files.sorted { $0.path < $1.path }
        inventory.configDocuments = documents
    }

    /// Whether there is agent configuration, the agents it declares (registries
    /// included), who has authority domains, and a database declaration.
    func decide(_ inventory: WalkInventory, _ facts: inout SystemFacts, _ output: inout PhaseOutput) {
        let files = inventory.configFiles
        facts.hasAgentConfig = !files.isEmpty
        facts.authorityKeys = inventory.registryAuthorityKeys
        var agents: [String] = []
        var authority: [String] = []
        for (path, summary) in files {
            let declared = summary.map { "\(plural($0.agents.count, "agent")) declared" } ?? "present, not readable"
            output.add(Evidence(subject: .agentConfig, kind: .config, path: path, detail: declared))
            guard let summary else { continue }
            for agent in summary.agents where !agents.contains(agent) { agents.append(agent) }
            for agent in summary.agentsWithAuthorityDomains where !authority.contains(agent) { authority.append(agent) }
            if !summary.agentsWithAuthorityDomains.isEmpty { facts.authorityKeys.insert("authority_domains") }
            if summary.declaresDatabase, facts.databaseType == nil {
                facts.databaseType = summary.databaseType ?? "unspecified"
                output.add(Evidence(
                    subject: .messageSystem, kind: .config, path: path,
                    detail: "database declared (type \(summary.databaseType ?? "unspecified"))"))
            }
        }
        // Agent registries (see AgentRegistryDetector) count as agent configuration too.
        if !inventory.registryAgents.isEmpty {
            facts.hasAgentConfig = true
            for agent in inventory.registryAgents where !agents.contains(agent) { agents.append(agent) }
            for agent in inventory.registryAgentsWithAuthority where !authority.contains(agent) { authority.append(agent) }
        }
        // An agent registry the code keeps in a table counts as agent configuration too.
        if !facts.hasAgentConfig, let table = inventory.declaredSchema.agentTables.first {
            facts.hasAgentConfig = true
            output.add(Evidence(
                subject: .agentConfig, kind: .code, path: table.evidence.path, line: table.evidence.line,
                detail: "keeps an agent registry in table \(table.name)"))
        }
        if !inventory.agentSettingsFiles.isEmpty { facts.hasAgentConfig = true }
        // So does a registry that programs write: a JSON record per agent or session.
        if !facts.hasAgentConfig, let write = inventory.codeSignals[.registryWrite]?.first {
            facts.hasAgentConfig = true
            output.add(Evidence(subject: .agentConfig, kind: .code, path: write.path, line: write.line, detail: write.detail))
        }
        if !agents.isEmpty { facts.configuredAgents = agents.count }
        facts.agentsWithAuthorityDomains = authority.sorted()
        if !authority.isEmpty,
            let path = files.first(where: { ($0.summary?.agentsWithAuthorityDomains.isEmpty == false) })?.path
                ?? output.evidence.first(where: { $0.subject == .agentConfig })?.path
        {
            output.add(Evidence(
                subject: .pattern(.authorityDomains), kind: .config, path: path,
                detail: "\(facts.authorityKeys.sorted().joined(separator: ", ")) declared for \(authority.sorted().joined(separator: ", "))"))
        }
    }
}
