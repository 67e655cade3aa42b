public import CoordMigrateModel
public import CoordMigrateScan
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates the user's declarative rules (``CustomRule``) in the shared walk.
package final class RuleDetector: Detector {
    static let contentFileLimit = 1000

    private let rules: [CustomRule]
    /// Per rule, per condition: the evidence found so far.
    private var hits: [[EvidenceSample]]
    private var contentFilesRead = 0

    package init(rules: [CustomRule]) {
        self.rules = rules
        hits = rules.map { rule in rule.conditions.map { _ in EvidenceSample(limit: 3) } }
    }

    package func visit(_ entry: ScanEntry, context: DetectionContext) {
        var lines: [Substring]?
        for (r, rule) in rules.enumerated() {
            for (c, condition) in rule.conditions.enumerated() {
                switch condition {
                case let .pathExists(glob):
                    let path = entry.kind == .directory ? entry.path + "/" : entry.path
                    if fnmatch(glob, entry.path, 0) == 0 || fnmatch(glob, path, 0) == 0 {
                        hits[r][c].offer(Evidence(subject: rule.id, kind: .disk, path: path, detail: "matches \(glob)"))
                    }
                case let .fileName(regex):
                    if entry.kind == .file, Self.matches(regex, entry.name) {
                        hits[r][c].offer(Evidence(
                            subject: rule.id, kind: .disk, path: entry.path, detail: "name matches \(regex.pattern)"))
                    }
                case let .content(glob, regex):
                    guard entry.kind == .file, fnmatch(glob, entry.path, 0) == 0 else { continue }
                    if lines == nil {
                        guard contentFilesRead < Self.contentFileLimit, let bytes = entry.contentPrefix() else { continue }
                        contentFilesRead += 1
                        lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    }
                    if let number = lines?.firstIndex(where: { Self.matches(regex, String($0)) }) {
                        hits[r][c].offer(Evidence(
                            subject: rule.id, kind: .code, path: entry.path, line: number + 1,
                            detail: "matches \(regex.pattern)"))
                    }
                case .configKey:
                    continue
                }
            }
        }
    }

    package func finish(context: DetectionContext) {
        for (r, rule) in rules.enumerated() {
            for (c, condition) in rule.conditions.enumerated() {
                guard case let .configKey(path) = condition else { continue }
                for config in context.configDocuments where Self.has(path[...], in: config.document) {
                    hits[r][c].offer(Evidence(
                        subject: rule.id, kind: .config, path: config.path, detail: "declares \(path.joined(separator: "."))"))
                }
            }
            let held = hits[r].map { $0.count > 0 }
            let present = rule.requiresAll ? held.allSatisfy { $0 } : held.contains(true)
            let evidence = hits[r].flatMap(\.items)
            if present { context.addEvidence(evidence) }
            let kinds = EvidenceKind.allCases.filter { kind in evidence.contains { $0.kind == kind } }
            let summary: String
            if present {
                summary = rule.description.isEmpty
                    ? "\(held.filter { $0 }.count) of \(held.count) conditions hold"
                    : rule.description
            } else {
                summary = rule.requiresAll
                    ? "\(held.filter { $0 }.count) of \(held.count) conditions hold; all are required"
                    : "none of \(held.count) conditions holds"
            }
            var finding = PatternFinding(
                id: rule.id, title: rule.title, present: present, summary: summary,
                evidenceKinds: present ? kinds : [], remediation: rule.remediation)
            finding.documentation = rule.documentation
            context.addCustomFinding(finding)
        }
    }

    private static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// True when the key path exists; `*` matches any key of a mapping or any item of a list.
    static func has(_ path: ArraySlice<String>, in value: ConfigValue) -> Bool {
        guard let key = path.first else { return true }
        let rest = path.dropFirst()
        switch value {
        case let .mapping(pairs):
            return pairs.contains { (key == "*" || $0.key == key) && has(rest, in: $0.value) }
        case let .list(items):
            if key == "*" { return items.contains { has(rest, in: $0) } }
            if let index = Int(key), items.indices.contains(index) { return has(rest, in: items[index]) }
            return false
        case .scalar, .null:
            return false
        }
    }
}
