import CoordMigrate
import Foundation

/// Writes the human-facing output to stderr, coloured only on a terminal.
final class Terminal: @unchecked Sendable {
    static let standardError = Terminal(descriptor: STDERR_FILENO)
    static let standardOutput = Terminal(descriptor: STDOUT_FILENO)

    private let descriptor: Int32
    private let lock = NSLock()
    private var firstFailure: StandardOutput.WriteError?
    var colorEnabled: Bool
    /// True when the output goes to a terminal (live progress is drawn only then).
    let isTerminal: Bool

    init(descriptor: Int32) {
        self.descriptor = descriptor
        let environment = ProcessInfo.processInfo.environment
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        isTerminal = isatty(descriptor) == 1 && environment["TERM"] != "dumb"
        colorEnabled = isTerminal && !noColor
    }

    func raw(_ text: String) {
        write(Data(text.utf8))
    }

    func line(_ text: String = "") {
        write(Data((text + "\n").utf8))
    }

    /// The first write that failed (a closed descriptor, a full disk); nothing more
    /// is written after it. For stderr there is nowhere to report it; a command that
    /// prints to stdout checks it at the end.
    var failure: StandardOutput.WriteError? { lock.withLock { firstFailure } }

    /// With write(2), not FileHandle, whose write traps on any error.
    private func write(_ data: Data) {
        lock.withLock {
            guard firstFailure == nil else { return }
            do throws(StandardOutput.WriteError) {
                try StandardOutput.write(data, descriptor: descriptor)
            } catch {
                firstFailure = error
            }
        }
    }

    func error(_ message: String) {
        line(style("coord-migrate: error: ", .red) + Self.sanitize(message))
    }

    func warning(_ message: String) {
        line(style("warning: ", .yellow) + Self.sanitize(message))
    }

    enum Style: String {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case cyan = "36"
    }

    func style(_ text: String, _ styles: Style...) -> String {
        guard colorEnabled, !styles.isEmpty else { return text }
        return "\u{1B}[" + styles.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    /// Control characters from names become visible escapes, so nothing from
    /// the analysed tree drives the terminal.
    static func sanitize(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Columns a string takes in a terminal (emoji and wide characters count two).
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            switch scalar.value {
            case 0xFE00...0xFE0F, 0x200B...0x200F: total
            case 0x1100...0x115F, 0x2600...0x27BF, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
                0xFF00...0xFF60, 0x1F300...0x1FAFF:
                total + 2
            default: total + 1
            }
        }
    }
}
