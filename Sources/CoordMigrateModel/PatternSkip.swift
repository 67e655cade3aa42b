package import Foundation

/// One pattern or rule the user chose not to check: why, who answers for it and
/// until when. A skip with an `expires` date stops applying on that date (at
/// 00:00 UTC, by the run's clock): the pattern is checked again and the report
/// warns that the skip expired, so an accepted gap is tracked instead of
/// silently skipped for ever.
public struct PatternSkip: Codable, Sendable, Hashable {
    /// The pattern or rule id.
    public var id: String
    /// Why it is not checked.
    public var reason: String
    /// Who answers for the skip (a person or a team), when given.
    public var owner: String?
    /// The day the skip stops applying, `YYYY-MM-DD`, when given.
    public var expires: String?
    /// True when `expires` had passed at the report time: the pattern was checked.
    public var expired: Bool
    /// Where the skip was declared: the project file (relative to the analysed folder
    /// when it lies inside it) or `--skip-pattern`.
    public var source: String
    /// The 1-based line of the entry in `source`, when it is a file.
    public var line: Int?

    /// A skip as declared; ``expired`` is decided by ``evaluated(at:)``.
    public init(
        id: String, reason: String, owner: String? = nil, expires: String? = nil, source: String, line: Int? = nil
    ) {
        self.id = id
        self.reason = reason
        self.owner = owner
        self.expires = expires
        self.expired = false
        self.source = source
        self.line = line
    }

    /// A skip of the built-in pattern `pattern`, as declared.
    public init(
        pattern: PatternID, reason: String, owner: String? = nil, expires: String? = nil, source: String, line: Int? = nil
    ) {
        self.init(id: pattern.rawValue, reason: reason, owner: owner, expires: expires, source: source, line: line)
    }

    /// The built-in pattern skipped; nil when ``id`` names a custom finding or rule.
    public var pattern: PatternID? { PatternID(rawValue: id) }

    /// The first instant at which a skip that `expires` on `day` no longer applies:
    /// 00:00:00 UTC of that day; nil when `day` is not a real `YYYY-MM-DD` date.
    package static func expiryInstant(_ day: String) -> Date? {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
            (1...12).contains(month), dayOfMonth >= 1
        else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard dayOfMonth <= lengths[month - 1] else { return nil }
        // Days from 1970-01-01 by the civil-calendar algorithm (proleptic Gregorian).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + dayOfMonth - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
    }

    /// This skip with ``expired`` set for a run at `now`.
    package func evaluated(at now: Date) -> PatternSkip {
        var copy = self
        copy.expired = expires.flatMap(Self.expiryInstant).map { now >= $0 } ?? false
        return copy
    }

    /// Who and until when, for reports: `owner: ops; expires 2027-01-31`, or nil when neither is given.
    package var terms: String? {
        let parts = [owner.map { "owner: \($0)" }, expires.map { (expired ? "expired " : "expires ") + $0 }].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// The warning an expired skip gives, in every format: where it was declared and what to do.
    package var expiryWarning: ScanWarning {
        ScanWarning(
            path: source, line: line,
            message: "the skip of '\(id)'\(owner.map { " (owner: \($0))" } ?? "") expired on \(expires ?? "?"), "
                + "so the pattern is checked again; renew its expires date or remove it from skip_patterns")
    }
}
