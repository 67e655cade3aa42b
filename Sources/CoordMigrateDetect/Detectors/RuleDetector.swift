import CoordMigrateModel
package import CoordMigrateScan
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates the user's declarative rules (``CustomRule``) in the shared walk.
package final class RuleDetector: Detector {
    static let contentFileLimit = 1000
    /// The most time one rule's regular expressions may spend matching in a run: 2 s.
    /// A pattern like `^(a+)+$` backtracks exponentially (half a second a line here);
    /// past the budget the rule's regular expressions are no longer tried, and the
    /// report says its result may be incomplete.
    static let matchBudgetSeconds = 2.0

    private let rules: [CustomRule]
    private let matchBudget: UInt64
    /// Per rule, per condition: the evidence found so far.
    private var hits: [[EvidenceSample]]
    private var contentFilesRead = 0
    /// Per rule: nanoseconds spent matching its regular expressions.
    private var matchTime: [UInt64]
    /// Per rule: where its budget ran out, once it has.
    private var budgetSpentAt: [String?]

    package init(rules: [CustomRule], matchBudgetSeconds: Double = RuleDetector.matchBudgetSeconds) {
        self.rules = rules
        matchBudget = UInt64(max(0, min(matchBudgetSeconds, 1e9)) * 1e9)
        hits = rules.map { rule in rule.conditions.map { _ in EvidenceSample(limit: 3) } }
        matchTime = rules.map { _ in 0 }
        budgetSpentAt = rules.map { _ in nil }
    }

    package func visit(_ entry: ScanEntry, context: DetectionContext) {
        var lines: [Substring]?
        for (r, rule) in rules.enumerated() {
            for (c, condition) in rule.conditions.enumerated() {
                switch condition {
                case let .pathExists(glob):
                    let path = entry.kind == .directory ? entry.path + "/" : entry.path
                    if fnmatch(glob, entry.path, 0) == 0 || fnmatch(glob, path, 0) == 0 {
                        hits[r][c].offer(Evidence(subject: .custom(rule.id), kind: .disk, path: path, detail: "matches \(glob)"))
                    }
                case let .fileName(regex):
                    if entry.kind == .file, matches(regex, entry.name, rule: r, at: entry.path) {
                        hits[r][c].offer(Evidence(
                            subject: .custom(rule.id), kind: .disk, path: entry.path, detail: "name matches \(regex.pattern)"))
                    }
                case let .content(glob, regex):
                    guard entry.kind == .file, fnmatch(glob, entry.path, 0) == 0 else { continue }
                    if lines == nil {
                        guard contentFilesRead < Self.contentFileLimit, let bytes = entry.contentPrefix() else { continue }
                        contentFilesRead += 1
                        lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    }
                    if let number = lines?.firstIndex(where: { matches(regex, String($0), rule: r, at: entry.path) }) {
                        hits[r][c].offer(Evidence(
                            subject: .custom(rule.id), kind: .code, path: entry.path, line: number + 1,
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
            if let path = budgetSpentAt[r] {
                context.addWarning(ScanWarning(
                    path: path,
                    message: "rule '\(rule.id)': its regular expressions took more than \(Self.seconds(matchBudget)) "
                        + "to match and were stopped here, so its result may be incomplete; simplify the pattern "
                        + "(nested repetition such as (a+)+ backtracks without end)"))
            }
            for (c, condition) in rule.conditions.enumerated() {
                guard case let .configKey(path) = condition else { continue }
                for config in context.configDocuments where Self.has(path[...], in: config.document) {
                    hits[r][c].offer(Evidence(
                        subject: .custom(rule.id), kind: .config, path: config.path, detail: "declares \(path.joined(separator: "."))"))
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

    /// True when `regex` matches somewhere in `text`, charging the time to `rule`'s
    /// budget. Once the budget is spent the match is stopped (NSRegularExpression
    /// calls the block every fraction of a millisecond with `.reportProgress`, also
    /// inside one long match) and the rule matches nothing more this run.
    private func matches(_ regex: NSRegularExpression, _ text: String, rule: Int, at path: String) -> Bool {
        guard budgetSpentAt[rule] == nil else { return false }
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = started &+ (matchBudget &- min(matchTime[rule], matchBudget))
        var found = false
        var stopped = false
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) {
            result, _, stop in
            if result != nil {
                found = true
                stop.pointee = true
            } else if DispatchTime.now().uptimeNanoseconds > deadline {
                stopped = true
                stop.pointee = true
            }
        }
        matchTime[rule] &+= DispatchTime.now().uptimeNanoseconds &- started
        if stopped || matchTime[rule] > matchBudget { budgetSpentAt[rule] = path }
        return found
    }

    private static func seconds(_ nanoseconds: UInt64) -> String {
        let value = Double(nanoseconds) / 1e9
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
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
