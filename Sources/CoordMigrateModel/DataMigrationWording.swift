extension MigrationReport {
    /// The data migration in words that agree with the plan's steps: a file-based system
    /// needs no database → files conversion, yet its message files are still moved by the
    /// "Migrate existing messages" step, and the words say so.
    package var dataMigrationSummary: String {
        let step = plan.steps.first { $0.phase == .data }.map { "step \($0.number)" }
        switch detection.messageSystemType {
        case .database:
            return "required: database → files conversion" + (step.map { " (\($0))" } ?? "")
        case .api:
            return "required: API → files conversion" + (step.map { " (\($0))" } ?? "")
        case .fileBased:
            return "no database → files conversion; " + (step.map { "\($0) moves" } ?? "move") + " the existing message files"
        case .none:
            return "none: there are no existing messages to carry over"
        }
    }
}
