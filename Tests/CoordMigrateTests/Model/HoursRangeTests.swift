@testable import CoordMigrateModel
import Testing

@Suite("Durations as numbers, and the nearest known word")
struct HoursRangeTests {
    @Test("durations in words read as hours", arguments: [(String, Double, Double)](arrayLiteral:
        ("30 minutes", 0.5, 0.5), ("10 minutes", 1.0 / 6, 1.0 / 6), ("1 hour", 1, 1), ("2-4 hours", 2, 4),
        ("1–2 hours", 1, 2), ("90min", 1.5, 1.5), ("1.5 h", 1.5, 1.5), ("1 day", 8, 8), ("2-3 days", 16, 24), ("1 week", 40, 40)
    ))
    func parses(_ text: String, _ low: Double, _ high: Double) throws {
        let range = try #require(HoursRange(duration: text))
        #expect(abs(range.low - low) < 1e-9 && abs(range.high - high) < 1e-9, "\(text): \(range)")
    }

    @Test("text that is not a duration is refused", arguments: ["soon", "", "4-2 hours", "2- hours", "-1 hour", "1 fortnight", "a b c", "1e3 hours"])
    func refuses(_ text: String) {
        #expect(HoursRange(duration: text) == nil, "\(text)")
    }

    @Test("rounded to hundredths, summed, and written in words")
    func roundingAndText() {
        #expect(HoursRange(duration: "10 minutes")?.rounded == HoursRange(low: 0.17, high: 0.17))
        #expect(HoursRange.sum([HoursRange(low: 0.5, high: 0.5), HoursRange(low: 2, high: 4)]) == HoursRange(low: 2.5, high: 4.5))
        #expect(HoursRange(low: 8.67, high: 15.67).text == "8.67–15.67 hours")
        #expect(HoursRange(low: 1, high: 1).text == "1 hour")
        #expect(HoursRange(low: 0.5, high: 0.5).text == "0.5 hours")
        #expect(HoursRange(duration: "4 days", dayHours: 6)?.low == 24, "a day is the policy's working day")
    }

    @Test("did you mean: the nearest id within a typo's distance, nothing when none is near")
    func suggestions() {
        let ids = PatternID.allCases.map(\.rawValue)
        #expect(Suggestion.closest(to: "prority-queue", in: ids) == "priority-queue")
        #expect(Suggestion.closest(to: "defer-qeueu", in: ids) == "defer-queue")
        #expect(Suggestion.closest(to: "Event-Sourcing2", in: ids) == "event-sourcing")
        #expect(Suggestion.closest(to: "banana", in: ids) == nil)
        #expect(Suggestion.closest(to: "defer-queue", in: ids) == nil, "an exact match needs no suggestion")
        #expect(Suggestion.hint(for: "jsn", in: ["md", "json"]) == " (did you mean 'json'?)")
    }
}
