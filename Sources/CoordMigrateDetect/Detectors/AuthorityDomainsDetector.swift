import CoordMigrateModel
import CoordMigrateScan
/// `authority-domains`: an agent in the agent configuration declares `authority_domains`.
final class AuthorityDomainsDetector: PatternDetector {
    static let pattern: PatternID = .authorityDomains

    func visit(_ entry: ScanEntry, context: DetectionContext) {}

    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        let agents = facts.agentsWithAuthorityDomains
        let summary: String
        if !agents.isEmpty {
            let keys = facts.authorityKeys.sorted().joined(separator: " or ")
            summary = "\(plural(agents.count, "agent")) \(agents.count == 1 ? "declares" : "declare") \(keys)"
        } else if facts.hasAgentConfig {
            summary = "the agent configuration declares no authority_domains"
        } else {
            summary = "no agent configuration found"
        }
        return finding(present: !agents.isEmpty, summary: summary, kinds: [.config])
    }
}
