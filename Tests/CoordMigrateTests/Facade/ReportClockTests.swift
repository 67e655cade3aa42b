import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import CoordMigrate

/// `--now` is read by the tool's own RFC 3339 reader; Foundation's Gregorian calendar in
/// UTC is the oracle for what each accepted text means.
@Suite("Reading the report time given with --now")
struct ReportClockTests {
    private static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// The instant the calendar gives for these fields, in UTC, `offset` seconds east.
    private func expected(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0, offset: Int = 0)
        -> TimeInterval
    {
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return Self.utc.date(from: components)!.timeIntervalSince1970 - TimeInterval(offset)
    }

    @Test("times, dates, fractions and offsets mean what the calendar says")
    func accepted() throws {
        let cases: [(String, TimeInterval)] = [
            ("2025-11-25T08:00:00Z", expected(2025, 11, 25, 8)),
            ("2025-11-25t08:00:00z", expected(2025, 11, 25, 8)),
            ("2025-11-25 08:00:00Z", expected(2025, 11, 25, 8)),
            ("2025-11-25", expected(2025, 11, 25)),
            ("2024-02-29T23:59:59Z", expected(2024, 2, 29, 23, 59, 59)),
            ("2000-02-29", expected(2000, 2, 29)),
            ("1970-01-01T00:00:00Z", 0),
            ("9999-12-31T23:59:59Z", expected(9999, 12, 31, 23, 59, 59)),
            ("2025-11-25T08:00:00+02:00", expected(2025, 11, 25, 8, offset: 7_200)),
            ("2025-11-25T08:00:00+0230", expected(2025, 11, 25, 8, offset: 9_000)),
            ("2025-11-25T08:00:00-05", expected(2025, 11, 25, 8, offset: -18_000)),
            ("2025-11-25T08:00:00-00:00", expected(2025, 11, 25, 8)),
            ("1969-12-31T23:59:59Z", -1),
        ]
        for (text, instant) in cases {
            let date = try #require(ReportClock.parse(text), "\(text)")
            #expect(date.timeIntervalSince1970 == instant, "\(text)")
        }
        let fraction = try #require(ReportClock.parse("2025-11-25T08:00:00.25+01:00"))
        #expect(fraction.timeIntervalSince1970 == expected(2025, 11, 25, 8, offset: 3_600) + 0.25)
    }

    /// What C's `timegm` makes of the fields, and whether they name a real day: it carries
    /// the 30th of February over into March, and that is how an impossible date shows.
    private func timegmOracle(_ year: Int, _ month: Int, _ day: Int) -> TimeInterval? {
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month - 1)
        fields.tm_mday = Int32(day)
        fields.tm_hour = 13
        fields.tm_min = 37
        fields.tm_sec = 42
        let seconds = timegm(&fields)
        guard fields.tm_mday == Int32(day), fields.tm_mon == Int32(month - 1) else { return nil }
        return TimeInterval(seconds)
    }

    private func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    @Test("every day of 1970–2100, and the end of February and of the year up to 9999, as C's timegm counts them")
    func everyDay() {
        var days: [(Int, Int, Int)] = []
        for year in 1970...2100 {
            for month in 1...12 { for day in 1...31 { days.append((year, month, day)) } }
        }
        for year in 2101...9999 {
            days += [(year, 2, 28), (year, 2, 29), (year, 2, 30), (year, 12, 31)]
        }
        var valid = 0
        for (year, month, day) in days {
            let text = "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T13:37:42Z"
            let oracle = timegmOracle(year, month, day)
            #expect(ReportClock.parse(text)?.timeIntervalSince1970 == oracle, "\(text)")
            if oracle != nil { valid += 1 }
        }
        // Both kinds were met: real days and impossible ones.
        #expect(valid > 50_000 && valid < days.count)
    }

    @Test("impossible dates and times, leap seconds, junk and other shapes are refused", arguments: [
        "", "next tuesday", "2025-02-29", "2025-02-30", "2025-04-31", "2025-13-01", "2025-00-10", "2025-11-00",
        "2025-11-25T24:00:00Z", "2025-11-25T23:60:00Z", "2025-11-25T23:59:60Z", "2025-11-25T08:00:00",
        "2025-11-25T08:00Z", "2025-11-25T08:00:00Zjunk", "2025-11-25T08:00:00.Z", "2025-11-25T08:00:00+25:00",
        "2025-11-25T08:00:00+02:60", "2025-11-25T08:00:00+02:", "2025-11-25T08:00:00,5Z", "20251125T080000Z", "12025-01-01",
        "2025-1-5", "2025-11-25T8:00:00Z", " 2025-11-25", "2025-11-25 ", "2025-11-25Z", "+2025-11-25", "2025-11-25T",
    ])
    func refused(_ text: String) {
        #expect(ReportClock.parse(text) == nil, "\(text)")
    }
}
