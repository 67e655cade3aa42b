import CoordMigrate
import Foundation

/// A one-line live display of a long scan on a terminal: entries per second and
/// the folder being read. Silent for the first second, so short scans print nothing.
final class ProgressLine {
    private let terminal: Terminal
    private var lastDraw: Duration = .zero
    private var drawn = false

    init(terminal: Terminal) { self.terminal = terminal }

    func update(_ progress: ScanProgress) {
        guard progress.elapsed >= .seconds(1), progress.elapsed - lastDraw >= .milliseconds(200) else { return }
        lastDraw = progress.elapsed
        let seconds = Double(progress.elapsed.components.seconds)
            + Double(progress.elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(progress.entries) / seconds) : 0
        var folder = Terminal.sanitize(progress.currentFolder.isEmpty ? "." : progress.currentFolder)
        if folder.count > 40 { folder = "…" + folder.suffix(39) }
        terminal.raw("\r\u{1B}[2K  scanning: \(progress.entries) entries, \(rate)/s  \(folder)")
        drawn = true
    }

    func clear() {
        if drawn { terminal.raw("\r\u{1B}[2K") }
    }
}
