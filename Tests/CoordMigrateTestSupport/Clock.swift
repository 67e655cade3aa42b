public import Foundation

/// 2026-11-25T08:00:00Z: the report time every deterministic test uses.
public let fixedNow = Date(timeIntervalSince1970: 1_795_593_600)

/// `fixedNow` as the tool's `--now` takes it.
public let fixedNowText = "2026-11-25T08:00:00Z"

public let day: TimeInterval = 24 * 60 * 60
