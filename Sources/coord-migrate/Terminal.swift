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
    /// False when the locale's character set is not UTF-8: boxes, marks and names are
    /// then written in plain ASCII.
    let unicode: Bool
    /// The columns the panels may take: the terminal's width (or `COLUMNS`), at most 80.
    let columns: Int

    /// `--color`: `auto` follows the terminal, `NO_COLOR` and `FORCE_COLOR`.
    enum ColorChoice: String, CaseIterable, Sendable {
        case auto, always, never
    }

    init(descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.descriptor = descriptor
        isTerminal = isatty(descriptor) == 1 && environment["TERM"] != "dumb"
        colorEnabled = Self.color(.auto, isTerminal: isTerminal, environment: environment)
        unicode = Self.localeIsUTF8(environment)
        var width = 80
        var size = winsize()
        if isatty(descriptor) == 1, ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            width = Int(size.ws_col)
        } else if let text = environment["COLUMNS"], let value = Int(text), value > 0 {
            width = value
        }
        columns = max(40, min(80, width))
    }

    /// Colour or not: `never` and `always` decide; with `auto`, `NO_COLOR` turns it off,
    /// `FORCE_COLOR` (anything but empty or 0) on, else only a terminal gets colour.
    static func color(_ choice: ColorChoice, isTerminal: Bool, environment: [String: String]) -> Bool {
        switch choice {
        case .never: return false
        case .always: return true
        case .auto:
            if let value = environment["NO_COLOR"], !value.isEmpty { return false }
            if let value = environment["FORCE_COLOR"], !value.isEmpty, value != "0", value.lowercased() != "false" { return true }
            return isTerminal
        }
    }

    /// The locale's character set, as `LC_ALL`, then `LC_CTYPE`, then `LANG` name it:
    /// UTF-8 when the first one set says so; none set is the C locale, ASCII.
    static func localeIsUTF8(_ environment: [String: String]) -> Bool {
        guard let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else {
            return false
        }
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8")
    }

    /// `text`, or `ascii` when the locale is not UTF-8.
    func glyph(_ text: String, _ ascii: String) -> String { unicode ? text : ascii }

    /// A name from the tree made safe for this terminal: control characters escaped
    /// and, without UTF-8, every non-ASCII character too.
    func safe(_ text: String) -> String {
        guard !unicode else { return Self.sanitize(text) }
        let sanitized = Self.sanitize(Self.transliterate(text))
        var out = ""
        for scalar in sanitized.unicodeScalars {
            if scalar.isASCII { out.unicodeScalars.append(scalar) } else { out += "\\u{" + String(scalar.value, radix: 16) + "}" }
        }
        return out
    }

    func raw(_ text: String) {
        write(Data(text.utf8))
    }

    func line(_ text: String = "") {
        write(Data(((unicode ? text : Self.transliterate(text)) + "\n").utf8))
    }

    /// The punctuation this tool writes, in ASCII for a terminal that is not UTF-8.
    static func transliterate(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var out = text
        for (from, to) in [("–", "-"), ("—", "-"), ("→", "->"), ("…", "..."), ("·", "-"), ("✓", "v"), ("✗", "x"), ("⚠️", "!"), ("⏭️", ">>"), ("−", "-")] {
            out = out.replacingOccurrences(of: from, with: to)
        }
        return out
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
        line(style("coord-migrate: error: ", .red) + safe(message))
    }

    func warning(_ message: String) {
        line(style("warning: ", .yellow) + safe(message))
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
