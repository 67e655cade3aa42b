@testable import CoordMigrateModel
@testable import CoordMigrateScan
@testable import CoordMigrateDetect
@testable import CoordMigrateAnalysis
@testable import CoordMigrateEmit
@testable import CoordMigrateSettings
@testable import CoordMigrate
import Foundation
import Testing

@Suite("Timestamp: every Date gives a four-digit-year ISO 8601 time")
struct TimestampTests {
    static let shape = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"#

    @Test("ordinary times, before 1970, and years below 1000 are written as they are", arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (1_795_593_600.9, "2026-11-25T08:00:00Z"),
        (-1.0, "1969-12-31T23:59:59Z"),
        (-0.5, "1969-12-31T23:59:59Z"),
        (-30_610_310_400.0, "0999-12-31T00:00:00Z"),
        (Timestamp.earliest, "0001-01-01T00:00:00Z"),
        (Timestamp.latest, "9999-12-31T23:59:59Z"),
    ])
    func exact(_ seconds: Double, _ expected: String) {
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test("times no four-digit year can hold, infinities and NaN are clamped, never trapped on", arguments: [
        (253_402_300_800.0, "9999-12-31T23:59:59Z"),
        (1e16, "9999-12-31T23:59:59Z"),
        (9_223_372_036_854_775_807.0, "9999-12-31T23:59:59Z"),
        (1e300, "9999-12-31T23:59:59Z"),
        (Double.infinity, "9999-12-31T23:59:59Z"),
        (Double.greatestFiniteMagnitude, "9999-12-31T23:59:59Z"),
        (-62_135_596_801.0, "0001-01-01T00:00:00Z"),
        (-1e16, "0001-01-01T00:00:00Z"),
        (-Double.infinity, "0001-01-01T00:00:00Z"),
        (Double.nan, "1970-01-01T00:00:00Z"),
    ])
    func clamped(_ seconds: Double, _ expected: String) {
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test("distantPast and distantFuture keep the shape")
    func distant() {
        for date in [Date.distantPast, Date.distantFuture] {
            #expect(Timestamp.iso8601(date).range(of: Self.shape, options: .regularExpression) != nil, "\(Timestamp.iso8601(date))")
        }
    }
}
