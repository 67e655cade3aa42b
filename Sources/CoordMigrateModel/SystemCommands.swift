/// What the analysed system's own commands are, so the plan's commands can use them:
/// its send script and the names of its agents. Gathered in the walk; every name is
/// untrusted and is shell-quoted wherever it is written into a command.
package struct SystemCommands: Sendable, Hashable {
    /// The script that sends a message, relative to the analysed folder
    /// (`send.sh`, `scripts/message.sh`), when there is one.
    package var sendScript: String?
    /// Agent names (inbox folders), sorted.
    package var agents: [String]

    package init(sendScript: String? = nil, agents: [String] = []) {
        self.sendScript = sendScript
        self.agents = agents
    }

    /// The original tool's `message.sh`, whose commands are `send FROM TO SUBJECT BODY`,
    /// `inbox AGENT` and `log`.
    package var isMessageScript: Bool {
        guard let sendScript else { return false }
        let name = sendScript.split(separator: "/").last.map(String.init) ?? sendScript
        return name == "message.sh"
    }

    /// How a send script is named: `send.sh`, `send-message.py`, `message.sh`, `msg`;
    /// the lower the rank, the likelier it sends. Nil for other names.
    package static func sendRank(_ name: String) -> Int? {
        let lowered = name.lowercased()
        let stem = lowered.split(separator: ".").first.map(String.init) ?? lowered
        let ext = lowered.contains(".") ? String(lowered.split(separator: ".").last ?? "") : ""
        guard ["", "sh", "bash", "py"].contains(ext) else { return nil }
        if stem == "send" { return 0 }
        if stem == "message" || stem == "msg" { return 1 }
        if stem.hasPrefix("send") || stem.hasSuffix("send") { return 2 }
        if stem.contains("send") { return 3 }
        return nil
    }
}
