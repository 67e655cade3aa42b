package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ISO 8601 timestamps without a formatter's locale surprises.
package enum Timestamp {
    /// 0001-01-01T00:00:00Z, the first second with a four-digit year.
    package static let earliest: TimeInterval = -62_135_596_800
    /// 9999-12-31T23:59:59Z, the last second with a four-digit year.
    package static let latest: TimeInterval = 253_402_300_799

    /// `2026-11-25T08:00:00Z`: UTC, whole seconds, always a four-digit year.
    ///
    /// Any `Date` is accepted: times before ``earliest`` or after ``latest`` (and
    /// NaN, which reads as 1970) are clamped to that range, so the text always
    /// has the same shape; a caller that must refuse such times checks the range itself.
    package static func iso8601(_ date: Date) -> String {
        let raw = date.timeIntervalSince1970
        let clamped = raw.isNaN ? 0 : min(max(raw.rounded(.down), earliest), latest)
        var seconds = time_t(clamped)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "1970-01-01T00:00:00Z" }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(parts.tm_year + 1900)
        let paddedYear = String(repeating: "0", count: max(0, 4 - year.count)) + year
        return "\(paddedYear)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
