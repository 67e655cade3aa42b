import CoordMigrateModel
import CoordMigrateScan
/// `tla-verification`: a TLA+ specification anywhere in the tree: a `*.tla` file with a
/// `---- MODULE Name ----` header. An empty or headerless `.tla` file (what `touch`
/// makes) is not a specification and does not count.
final class TLAVerificationDetector: PatternDetector {
    static let pattern: PatternID = .tlaVerification
    /// How much of a `.tla` file is read for its header: comments may come first.
    static let headerReadLimit = 64 * 1024

    private var specs = EvidenceSample()
    private var headerless = 0

    func visit(_ entry: ScanEntry, context: DetectionContext) {
        guard entry.kind == .file, entry.extensionKey == FileExtension.tla else { return }
        guard let bytes = entry.contentPrefix(limit: Self.headerReadLimit), Self.hasModuleHeader(bytes) else {
            headerless += 1
            return
        }
        specs.offer(Evidence(
            subject: .pattern(.tlaVerification), kind: .disk, path: entry.path, detail: "TLA+ specification (MODULE header)"))
    }

    /// True when a line starts with four or more dashes, then `MODULE` and a name.
    static func hasModuleHeader(_ bytes: [UInt8]) -> Bool {
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            var rest = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            let dashes = rest.prefix { $0 == UInt8(ascii: "-") }.count
            guard dashes >= 4 else { continue }
            rest = rest.dropFirst(dashes).drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard rest.starts(with: Array("MODULE".utf8)) else { continue }
            rest = rest.dropFirst(6)
            guard let first = rest.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") else { continue }
            let name = rest.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if let letter = name.first, (letter >= 65 && letter <= 90) || (letter >= 97 && letter <= 122) || letter == 95 || (letter >= 48 && letter <= 57) {
                return true
            }
        }
        return false
    }

    func decide(_ inventory: WalkInventory, _ facts: SystemFacts, _ output: inout PhaseOutput) -> PatternFinding {
        output.add(specs.items)
        var summary = specs.count == 0 ? "no TLA+ module found" : plural(specs.count, "TLA+ specification")
        if headerless > 0 {
            summary += "; \(plural(headerless, "*.tla file")) without a MODULE header not counted"
        }
        return finding(present: specs.count > 0, summary: summary, kinds: [.disk])
    }
}
