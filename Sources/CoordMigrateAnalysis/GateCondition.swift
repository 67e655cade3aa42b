public import CoordMigrateModel
/// A condition that fails a CI run, given with `--fail-on`.
///
/// Grammar (spaces around the operator are allowed):
/// ```
/// risk>=low|medium|high
/// complexity>=simple|moderate|complex|very_complex
/// gaps>N, gaps>=N
/// hours>N, hours>=N
/// missing:<pattern-id>
/// expired-skips
/// ```
public enum GateCondition: Sendable, Hashable, CustomStringConvertible {
    /// `risk>=LEVEL`: holds when the risk level is `LEVEL` or higher.
    case riskAtLeast(RiskLevel)
    /// `complexity>=LEVEL`: holds when the complexity level is `LEVEL` or higher.
    case complexityAtLeast(ComplexityLevel)
    /// `gaps>N`: holds when more than `N` built-in patterns are missing (skipped ones do
    /// not count).
    case gapsAbove(Int)
    /// `gaps>=N`: holds when `N` or more built-in patterns are missing.
    case gapsAtLeast(Int)
    /// `hours>N`: holds when more than `N` hours are estimated.
    case hoursAbove(Int)
    /// `hours>=N`: holds when `N` or more hours are estimated.
    case hoursAtLeast(Int)
    /// `missing:ID`: holds when the pattern is missing; a skipped pattern is not.
    case missing(PatternID)
    /// `expired-skips`: holds when a skip in the project file has passed its `expires`
    /// date (the pattern is then checked again, and this gate says the baseline needs a look).
    case expiredSkips

    /// The grammar, for error messages and help.
    package static let grammar =
        "risk>=low|medium|high, complexity>=simple|moderate|complex|very_complex, gaps>N, gaps>=N, hours>N, hours>=N, missing:<pattern-id>, expired-skips"

    /// Why a condition does not parse.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// The condition as it was written.
        public var condition: String
        /// What is wrong with it.
        public var reason: String
        /// One line naming the condition (as `--fail-on`), the reason and the grammar.
        public var description: String {
            "--fail-on '\(condition)': \(reason); write one of \(GateCondition.grammar)"
        }
    }

    /// Parses one condition. Whitespace is ignored and case does not matter; `very-complex`
    /// reads as `very_complex`; `gaps` and `hours` take `>` and `>=`. A mistyped pattern
    /// id or level is answered with the nearest known one.
    public init(parsing text: String) throws(ParseError) {
        let compact = String(text.filter { !$0.isWhitespace }).lowercased()
        func fail(_ reason: String) -> ParseError { ParseError(condition: text, reason: reason) }
        if compact == "expired-skips" || compact == "expired_skips" {
            self = .expiredSkips
        } else if compact.hasPrefix("missing:") {
            let id = String(compact.dropFirst("missing:".count))
            guard let pattern = PatternID(rawValue: id) else {
                let ids = PatternID.allCases.map(\.rawValue)
                throw fail("unknown pattern '\(id)'\(Suggestion.hint(for: id, in: ids)) (patterns: \(ids.joined(separator: ", ")))")
            }
            self = .missing(pattern)
        } else if compact.hasPrefix("risk>=") {
            let value = String(compact.dropFirst("risk>=".count))
            guard let level = RiskLevel(rawValue: value) else {
                throw fail("unknown risk level '\(value)'\(Suggestion.hint(for: value, in: RiskLevel.allCases.map(\.rawValue)))")
            }
            self = .riskAtLeast(level)
        } else if compact.hasPrefix("complexity>=") {
            let value = String(compact.dropFirst("complexity>=".count)).replacingAll("-", with: "_")
            guard let level = ComplexityLevel(rawValue: value) else {
                throw fail("unknown complexity level '\(value)'\(Suggestion.hint(for: value, in: ComplexityLevel.allCases.map(\.rawValue)))")
            }
            self = .complexityAtLeast(level)
        } else if compact.hasPrefix("gaps>=") {
            self = .gapsAtLeast(try Self.count(compact.dropFirst("gaps>=".count), fail))
        } else if compact.hasPrefix("gaps>") {
            self = .gapsAbove(try Self.count(compact.dropFirst("gaps>".count), fail))
        } else if compact.hasPrefix("hours>=") {
            self = .hoursAtLeast(try Self.count(compact.dropFirst("hours>=".count), fail))
        } else if compact.hasPrefix("hours>") {
            self = .hoursAbove(try Self.count(compact.dropFirst("hours>".count), fail))
        } else {
            throw fail("not a condition")
        }
    }

    /// N of `gaps>N` and the like: a whole number from 0.
    private static func count(_ text: Substring, _ fail: (String) -> ParseError) throws(ParseError) -> Int {
        guard let n = Int(text), n >= 0 else { throw fail("N must be a whole number") }
        return n
    }

    /// The canonical spelling: also the JUnit testcase name, stable across runs.
    public var description: String {
        switch self {
        case let .riskAtLeast(level): "risk>=\(level.rawValue)"
        case let .complexityAtLeast(level): "complexity>=\(level.rawValue)"
        case let .gapsAbove(n): "gaps>\(n)"
        case let .gapsAtLeast(n): "gaps>=\(n)"
        case let .hoursAbove(n): "hours>\(n)"
        case let .hoursAtLeast(n): "hours>=\(n)"
        case let .missing(pattern): "missing:\(pattern.rawValue)"
        case .expiredSkips: "expired-skips"
        }
    }

    /// Evaluates the condition: the gate fails when the condition holds. `skips` are the
    /// report's skips, with ``PatternSkip/expired`` decided (only `expired-skips` reads them).
    package func evaluate(detection: DetectionResult, complexity: ComplexityResult, skips: [PatternSkip] = []) -> GateResult {
        let holds: Bool
        let actual: String
        switch self {
        case let .riskAtLeast(level):
            holds = complexity.riskLevel >= level
            actual = "risk is \(complexity.riskLevel.rawValue)"
        case let .complexityAtLeast(level):
            holds = complexity.complexityLevel >= level
            actual = "complexity is \(complexity.complexityLevel.rawValue)"
        case let .gapsAbove(n):
            holds = detection.gaps.count > n
            actual = "\(detection.gaps.count) patterns missing"
        case let .gapsAtLeast(n):
            holds = detection.gaps.count >= n
            actual = "\(detection.gaps.count) patterns missing"
        case let .hoursAbove(n):
            holds = complexity.estimatedHours > n
            actual = "\(complexity.estimatedHours) hours estimated"
        case let .hoursAtLeast(n):
            holds = complexity.estimatedHours >= n
            actual = "\(complexity.estimatedHours) hours estimated"
        case let .missing(pattern):
            holds = detection.gaps.contains(pattern)
            actual = holds ? "\(pattern.rawValue) is missing" : "\(pattern.rawValue) is present"
        case .expiredSkips:
            let expired = skips.filter(\.expired)
            holds = !expired.isEmpty
            actual = holds
                ? "\(expired.count) \(expired.count == 1 ? "skip" : "skips") expired: "
                    + expired.map { "\($0.id) (\($0.expires ?? "?"))" }.joined(separator: ", ")
                : "no skip has expired"
        }
        return GateResult(
            condition: description, failed: holds, actual: actual,
            message: holds ? "gate \(description) failed: \(actual)" : "gate \(description) passed: \(actual)")
    }
}
