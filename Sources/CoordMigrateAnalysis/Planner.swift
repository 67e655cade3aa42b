package import CoordMigrateModel
import Foundation

/// Turns a detection and its score into the migration plan.
package enum Planner {
    /// Where backups go: outside the analysed tree, so archiving never includes itself.
    /// Each system has its own folder in it, and each backup a new dated folder in that.
    static let backupsRoot = "$HOME/coord-migrate-backups"

    /// A folder outside the analysed one that evidence came from: a nested system's
    /// parent `scripts/`, seen as `../scripts/…` (or `../../scripts/…` one level deeper).
    struct OutsideFolder: Hashable, Comparable {
        /// How many levels above the analysed folder the folder that holds it is.
        var levels: Int
        var name: String
        /// As the evidence names it: `../scripts`, `../../scripts`.
        var relative: String { String(repeating: "../", count: levels) + name }
        static func < (a: Self, b: Self) -> Bool { (a.levels, a.name) < (b.levels, b.name) }
    }

    /// The folders that hold outside folders, nearest first, each with its folders and
    /// the name of its archive in the backup folder.
    struct OutsideGroup {
        var ancestor: String
        var folders: [String]
        var archive: String
    }

    /// Folders outside the analysed one that evidence came from: any number of leading
    /// `../`, then the folder's name. Its backup and rollback cover them.
    static func outsideFolders(_ detection: DetectionResult) -> [OutsideFolder] {
        let folders = detection.evidence.compactMap { item -> OutsideFolder? in
            var levels = 0
            for part in components(item.path) {
                switch part {
                case "..": levels += 1
                case ".": continue
                default: return levels == 0 ? nil : OutsideFolder(levels: levels, name: part)
                }
            }
            return nil
        }
        return Array(Set(folders)).sorted()
    }

    /// The outside folders grouped by the folder that holds them, computed from the
    /// absolute, standardized target path (an ancestor above `/` is `/`). One group's
    /// archive is `beside.tar.gz`; with several, each is named by its levels up.
    static func outsideGroups(_ outside: [OutsideFolder], targetPath: String) -> [OutsideGroup] {
        var groups: [OutsideGroup] = []
        var levelsOf: [String: Int] = [:]
        for folder in outside.sorted() {
            let ancestor = ancestor(of: targetPath, levels: folder.levels)
            if let index = groups.firstIndex(where: { $0.ancestor == ancestor }) {
                if !groups[index].folders.contains(folder.name) { groups[index].folders.append(folder.name) }
            } else {
                levelsOf[ancestor] = folder.levels
                groups.append(OutsideGroup(ancestor: ancestor, folders: [folder.name], archive: ""))
            }
        }
        for index in groups.indices {
            groups[index].archive = groups.count == 1 ? "beside.tar.gz" : "beside-\(levelsOf[groups[index].ancestor]!).tar.gz"
        }
        return groups
    }

    /// The non-empty components of a path, split on the byte `/` (never inside a
    /// grapheme cluster).
    static func components(_ path: String) -> [String] {
        path.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The path made absolute (against the current folder) and standardized: no `.`,
    /// `..`, repeated or trailing slashes. `/` stays `/`.
    static func absolutePath(_ path: String) -> String {
        let full = path.utf8.first == UInt8(ascii: "/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [String] = []
        for part in components(full) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The target's ancestor `levels` levels up; never above `/`.
    static func ancestor(of targetPath: String, levels: Int) -> String {
        let parts = components(absolutePath(targetPath))
        return "/" + parts.dropLast(min(levels, parts.count)).joined(separator: "/")
    }

    /// The system's folder name under $HOME/coord-migrate-backups: the analysed
    /// folder's name with everything but `A-Z a-z 0-9 . _ -` replaced by `-`.
    static func backupSlug(_ targetPath: String) -> String {
        let name = components(absolutePath(targetPath)).last ?? ""
        let slug = String(name.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character)) ? character : "-"
        })
        return slug.isEmpty || slug == "." || slug == ".." ? "system" : slug
    }

    /// The system's backup folder, double-quoted for the shell (the slug needs no escaping).
    static func backupFolder(_ targetPath: String) -> String { "\(backupsRoot)/\(backupSlug(targetPath))" }

    /// Builds the plan for a scored detection: steps, rollback, testing, timeline, risk
    /// assessment and recommended strategy. `targetPath` is the folder the steps' commands
    /// work in and the backup archives; the policy gives the step durations and the timeline's units.
    package static func plan(
        detection: DetectionResult, complexity: ComplexityResult, targetPath: String, policy: ScoringPolicy = .seed
    ) -> MigrationPlan {
        plan(detection: detection, complexity: complexity, targetPath: targetPath, policy: policy, commands: SystemCommands())
    }

    /// The plan, with testing commands that use the system's own send script and agents.
    package static func plan(
        detection: DetectionResult, complexity: ComplexityResult, targetPath: String, policy: ScoringPolicy = .seed,
        commands system: SystemCommands
    ) -> MigrationPlan {
        var steps: [MigrationStep] = []
        func add(
            _ phase: Phase, _ title: String, _ description: String, _ commands: [String], _ duration: String,
            _ risk: RiskLevel, pattern: PatternID? = nil
        ) {
            steps.append(MigrationStep(
                number: steps.count + 1, phase: phase, title: title, description: description, commands: commands,
                duration: duration,
                durationHours: (HoursRange(duration: duration, dayHours: policy.dayHours, weekHours: policy.weekHours) ?? .zero).rounded,
                risk: risk, pattern: pattern, documentation: pattern?.documentationAnchor))
        }
        let target = ShellQuoting.quote(targetPath)
        let outside = outsideFolders(detection)
        let view = SystemView(detection)

        // No coordination system: nothing to back up, move or cut over.
        if noSystem(detection) {
            let effort = HoursRange.zero
            let timeline = Timeline(
                totalHours: complexity.estimatedHours, estimate: policy.timeline(hours: complexity.estimatedHours), effort: effort,
                effortEstimate: EffortWording.words(effort, dayHours: policy.dayHours, weekHours: policy.weekHours), phases: [])
            var plan = MigrationPlan(
                steps: [],
                rollbackStrategy: RollbackStrategy(stages: [], timeToRollback: "nothing to roll back", dataLossRisk: "none"),
                testingStrategy: testing(detection: detection, commands: system, view: view, noSystem: true),
                estimatedTimeline: timeline.estimate, timeline: timeline,
                riskAssessment: RiskAssessment(
                    level: .low, score: complexity.riskScore, rule: RiskAssessment.riskiestStepRule, breakingChanges: [], mitigations: []),
                successCriteria: [],
                recommendedStrategy: recommend(detection: detection, complexity: complexity, estimate: timeline.effortEstimate))
            plan.noSystem = Self.noSystemText
            return plan
        }

        add(
            .preparation, "Backup existing system", backupDescription(targetPath: targetPath, outside: outside, stores: view.stores),
            backupCommands(targetPath: targetPath, outside: outside, stores: view.stores),
            policy.stepDurations[.backup], .low)
        add(
            .preparation, "Install coordination system",
            "Put the coordination system's scripts and folder layout next to the existing system, without switching anything over yet.",
            [
                "cd \(target)",
                "mkdir -p inbox scripts",
            ],
            policy.stepDurations[.install], .low)
        if !detection.hasAgentConfig {
            add(
                .configuration, "Create agent configuration",
                "Write `config.yaml` listing every agent, what it is for and the authority domains it decides on. Everything later reads this file.",
                [
                    "cd \(target)",
                    "printf 'agents:\\n  example:\\n    role: describe the agent\\n    authority_domains: [example]\\n' > config.yaml",
                ],
                policy.stepDurations[.agentConfig], .low)
        }
        if detection.hasMessageSystem {
            let (what, commands) = dataStep(detection: detection, view: view, target: target)
            add(.data, "Migrate existing messages", what, commands, policy.stepDurations[.migrateMessages], .medium)
        }
        if !detection.hasEventLog {
            add(
                .infrastructure, "Initialize event log",
                "Create the append-only event log that every later operation writes to.",
                ["cd \(target)", "touch events.log"],
                policy.stepDurations[.eventLog], .low)
        }
        for gap in detection.gaps {
            let guidance = PatternGuidance.for(gap)
            let touch: (points: [TouchPoint], omitted: Int) = detection.systemMap.map { TouchPoints.of(gap, in: $0) } ?? ([], 0)
            var (description, moves) = patternGuidance(gap, guidance: guidance, view: view, touch: touch.points)
            if let first = touch.points.first {
                let count = touch.points.count + touch.omitted
                description += count == 1
                    ? " In this system the place to change is \(MarkdownText.codeSpan(first.location)) (listed with the step)."
                    : touch.omitted > 0
                    ? " In this system the system map shows \(count) places to change; the \(touch.points.count) likeliest are listed with the step, starting at \(MarkdownText.codeSpan(first.location)), and `coord-migrate map` lists the rest."
                    : " In this system the system map shows \(count) places to change, listed with the step; start at \(MarkdownText.codeSpan(first.location))."
            }
            moves = ["coord-migrate patterns --explain \(gap.rawValue) --path \(target)   # what is looked for; see also \(gap.documentationAnchor) in the coord-migrate repository"] + moves
            add(.patterns, "Implement \(gap.rawValue)", description, moves, policy.stepDurations[.pattern], .medium, pattern: gap)
            if !touch.points.isEmpty {
                steps[steps.count - 1].touchPoints = touch.points
                steps[steps.count - 1].touchPointsOmitted = touch.omitted > 0 ? touch.omitted : nil
            }
        }
        let newLog = !detection.hasEventLog
        add(
            .validation, "Test migration",
            "Run the testing strategy below against the migrated system: unit, integration and performance checks, then the acceptance criteria.",
            ["cd \(target)", "ls inbox/", view.eventLogCommand(hasEventLog: !newLog, follow: false)],
            policy.stepDurations[.test], .low)
        // The cutover is where the system's scored risk comes due: it carries that risk, and the
        // plan's overall risk is its riskiest step's, so the two can never disagree.
        add(
            .deployment, "Production cutover",
            "Stop the old system, start the new one, watch the event log and the inboxes closely for the first hours, and keep the rollback strategy at hand.",
            ["cd \(target)", view.eventLogCommand(hasEventLog: !newLog, follow: true)],
            policy.stepDurations[.cutover], max(complexity.riskLevel, .medium))

        let effort = HoursRange.sum(steps.map(\.durationHours)).rounded
        var timeline = Timeline(
            totalHours: complexity.estimatedHours, estimate: policy.timeline(hours: complexity.estimatedHours), effort: effort,
            effortEstimate: EffortWording.words(effort, dayHours: policy.dayHours, weekHours: policy.weekHours),
            phases: PhaseEstimate.split(steps))
        if complexity.dataMigrationRequired, let database = detection.database {
            timeline.dataVolume = dataVolume(database)
        }
        return MigrationPlan(
            steps: steps,
            rollbackStrategy: rollback(scale: detection.estimatedScale, targetPath: targetPath, outside: outside, stores: view.stores),
            testingStrategy: testing(detection: detection, commands: system, view: view),
            estimatedTimeline: timeline.estimate,
            timeline: timeline,
            riskAssessment: riskAssessment(complexity: complexity, detection: detection, steps: steps),
            successCriteria: successCriteria(detection: detection),
            recommendedStrategy: recommend(detection: detection, complexity: complexity, estimate: timeline.effortEstimate))
    }

    /// What the plan says instead of steps when no coordination system was found.
    static let noSystemText =
        "No coordination system was found here: no message system, event log, inbox folders, agent configuration or pattern. There is nothing to back up, move or cut over, so the plan has no migration steps. Point coord-migrate at the folder that holds the agents' scripts and data, or build the new system from scratch."

    /// Whether the tree holds no coordination system at all.
    static func noSystem(_ detection: DetectionResult) -> Bool {
        !detection.hasMessageSystem && !detection.hasEventLog && !detection.hasInboxStructure && !detection.hasAgentConfig
            && detection.existingPatterns.isEmpty
    }

    /// The data step's text and commands, from the channels that carry messages: row counts for
    /// tables, file counts for folders, line counts for files, the route for endpoints.
    static func dataStep(detection: DetectionResult, view: SystemView, target: String) -> (String, [String]) {
        var what: String
        switch detection.messageSystemType {
        case .fileBased:
            let folders = view.folders + view.files
            what = folders.isEmpty
                ? "Move the existing messages (\(plural(detection.messageFiles, "message file")) counted) into the new layout, renaming them to collision-free ids and keeping sender, recipient and time."
                : "Move the existing messages from \(view.named(folders)) into the new layout, renaming them to collision-free ids and keeping sender, recipient and time; compare the counts before and after (the commands below count them)."
        case .database:
            if let database = detection.database {
                let tables = database.tables.map { MarkdownText.codeSpan($0.name) }
                let volume = tables.isEmpty
                    ? "no message or event table was found in it, so check what else it holds."
                    : "\(MarkdownText.inline(database.volumeSummary)) in \(tables.count == 1 ? "table" : "tables") \(tables.joined(separator: ", ")), measured read-only."
                what = "Export messages and events from the \(MarkdownText.inline(detection.databaseType ?? database.engine)) database \(MarkdownText.codeSpan(database.location)): \(volume) Convert each row into a message file with a collision-free id, and compare the row counts before and after (the commands below count them, read-only)."
            } else {
                let tables = view.tables.isEmpty ? "" : " (\(view.named(view.tables)))"
                let place = view.database.map { " \(MarkdownText.codeSpan($0.location))" } ?? ""
                what = "Export the message and event rows\(tables) from the \(MarkdownText.inline(detection.databaseType ?? "existing")) database\(place), convert each row into a message file with a collision-free id, and compare the row counts before and after (the commands below count them, read-only)."
            }
        case .api:
            let routes = view.endpoints.isEmpty ? "" : " (\(view.named(view.endpoints)))"
            what = "Drain the server's pending messages through its own routes\(routes), convert them into message files with collision-free ids, and keep the server read-only until cutover."
        case .none:
            what = ""
        }
        var commands = ["cd \(target)"]
        let counted = view.tables + view.folders + view.files
        if detection.messageSystemType == .database, let database = detection.database, !database.tables.isEmpty {
            commands += countCommands(database)
        } else {
            commands += counted.compactMap(view.countCommand)
        }
        for endpoint in view.endpoints.prefix(3) {
            commands.append("# \(endpoint.node.label), served by \(endpoint.node.path): read what is pending through it before the switch")
        }
        if commands.count == 1, let database = view.database {
            commands.append(database.engine == "sqlite"
                ? "sqlite3 -readonly \(SystemView.shellPath(database.location)) .tables   # then count the message and event rows of each table"
                : "psql \"$DATABASE_URL\" -c '\\dt'   # \(database.location): then count the message and event rows of each table")
        }
        if commands.count == 1 {
            commands.append("# the system map names no message folder, file or table: count the messages where the agents keep them, before and after")
        }
        return (what, commands)
    }

    /// A pattern step's guidance fitted to where the messages are: lanes become a column and an
    /// `ORDER BY` (or a `WHERE`) when messages are rows, and the reader the map found is named.
    static func patternGuidance(
        _ gap: PatternID, guidance: PatternGuidance, view: SystemView, touch: [TouchPoint]
    ) -> (String, [String]) {
        let rows = view.tables.filter { $0.node.role == .messages }
        guard let table = rows.first, view.messageFolders.isEmpty, gap == .priorityQueue || gap == .deferQueue else {
            return (guidance.description, guidance.firstMoves)
        }
        let name = MarkdownText.codeSpan(table.node.label)
        let reader = touch.first.map { " (the reader at \(MarkdownText.codeSpan($0.location)))" } ?? ""
        let quoted = SQLText.quoteIdentifier(table.node.label)
        let database = view.database.map { SystemView.shellPath($0.location) } ?? "\"$DB\""
        let sqlite = !(view.database?.engine ?? view.engine ?? "sqlite").hasPrefix("postgres")
        func alter(_ sql: String) -> String {
            sqlite ? "sqlite3 \(database) \(ShellQuoting.quote(sql))" : "psql \"$DATABASE_URL\" -c \(ShellQuoting.quote(sql))"
        }
        let columns = Set((table.node.columns ?? []).map { $0.lowercased() })
        if gap == .priorityQueue {
            let has = columns.first { ["priority", "urgency", "importance"].contains($0) }
            let column = has ?? "priority"
            let text = has != nil
                ? "Urgent work must not wait behind a backlog. The messages are rows of \(name), which already has a \(MarkdownText.codeSpan(column)) column: make every query that takes the next message\(reader) order by it first (`ORDER BY \(column) DESC`, then the time)."
                : "Urgent work must not wait behind a backlog. The messages are rows of \(name): add a `priority` column and make every query that takes the next message\(reader) order by it first (`ORDER BY priority DESC`, then the time)."
            var moves = has == nil ? [alter("ALTER TABLE \(quoted) ADD COLUMN priority INTEGER NOT NULL DEFAULT 0")] : []
            moves.append("# then, in each query that takes the next message: ORDER BY \(column) DESC, <time column>")
            return (text, moves)
        }
        let has = columns.first { ["visible_at", "not_before", "deliver_after", "available_at", "scheduled_at", "run_at"].contains($0) }
        let column = has ?? "visible_at"
        let text = has != nil
            ? "Work that cannot be done yet should be parked, not lost or retried in a loop. The messages are rows of \(name), which has a \(MarkdownText.codeSpan(column)) column: make every query that takes the next message\(reader) skip rows whose time has not come, and let a sender set it."
            : "Work that cannot be done yet should be parked, not lost or retried in a loop. The messages are rows of \(name): add a `visible_at` time, set it when work is deferred, and make every query that takes the next message\(reader) skip rows whose time has not come."
        var moves = has == nil ? [alter("ALTER TABLE \(quoted) ADD COLUMN visible_at TEXT")] : []
        moves.append("# then, in each query that takes the next message: WHERE \(column) IS NULL OR \(column) <= <now>")
        return (text, moves)
    }

    /// The rows and bytes the data phase moves, as measured in the database.
    static func dataVolume(_ database: DatabaseMeasurement) -> DataVolume {
        let tables = database.tables.map(\.name)
        let summary = database.tables.isEmpty
            ? "no message or event table was found in the \(database.engine) database \(database.location)"
            : "\(database.volumeSummary) in \(tables.count == 1 ? "table" : "tables") \(tables.joined(separator: ", ")) of the \(database.engine) database \(database.location)"
        return DataVolume(rows: database.rowsToMove, bytes: database.dataBytes, tables: tables, summary: summary)
    }

    /// Read-only row counts to compare before and after the data migration. The
    /// PostgreSQL URL is left to an environment variable, so no password is printed.
    static func countCommands(_ database: DatabaseMeasurement) -> [String] {
        database.tables.map { table in
            let sql = "SELECT count(*) FROM \(table.name.split(separator: ".").map { SQLText.quoteIdentifier(String($0)) }.joined(separator: "."))"
            switch database.engine {
            case "sqlite":
                return "sqlite3 -readonly \(ShellQuoting.quote(database.location)) \(ShellQuoting.quote(sql))"
            default:
                return "psql \"$DATABASE_URL\" -c \(ShellQuoting.quote(sql))   # $DATABASE_URL: \(database.location)"
            }
        }
    }

    static func backupDescription(targetPath: String, outside: [OutsideFolder], stores: [SystemMap.Store] = []) -> String {
        let groups = outsideGroups(outside, targetPath: targetPath)
        var text = "Before anything changes, archive the whole analysed folder into a new dated folder under `\(backupFolder(targetPath))/`, outside the analysed folder. Then check that the archive reads back. A `latest` link there points at the newest backup, and the rollback restores from it. Keep the backup until the new system has run cleanly for a while."
        if !outside.isEmpty {
            let names = outside.map { MarkdownText.codeSpan($0.relative) }.joined(separator: ", ")
            text += groups.count == 1
                ? " The folders outside it that the system relies on (\(names)) go into a second archive in the same dated folder."
                : " The folders outside it that the system relies on (\(names)) go into one more archive per folder that holds them, in the same dated folder."
        }
        let databases = stores.filter { $0.inside && $0.kind == .sqlite }
        if !databases.isEmpty {
            text += " The SQLite \(databases.count == 1 ? "database" : "databases") \(databases.map { MarkdownText.codeSpan($0.location) }.joined(separator: ", ")) \(databases.count == 1 ? "is" : "are") also copied with SQLite's own backup, since an archive taken while a program writes can catch a half-written page."
        }
        let away = stores.filter { !$0.inside }
        if !away.isEmpty {
            text += " The system also keeps live data outside the analysed folder, named by its code or configuration and not read by coord-migrate: \(away.map { MarkdownText.codeSpan($0.location) + " (\($0.kind.rawValue), \(MarkdownText.inline($0.path))\($0.line.map { ":\($0)" } ?? ""))" }.joined(separator: ", ")). The commands below copy \(away.count == 1 ? "it" : "each") into the same dated folder; check the \(away.count == 1 ? "path" : "paths") first."
        }
        return text
    }

    /// The name a store's copy has in the backup folder: `store-1-mail.db`.
    static func storeArchive(_ store: SystemMap.Store, _ index: Int) -> String {
        let base = components(store.location).last ?? "store"
        let slug = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        let name = slug.isEmpty || slug == "." || slug == ".." ? "store" : slug
        return store.kind == .folder ? "store-\(index)-\(name).tar.gz" : store.kind == .postgresql ? "store-\(index)-postgres.sql" : "store-\(index)-\(name)"
    }

    /// The stores that need a copy of their own: SQLite files in the tree, and everything outside it.
    static func copiedStores(_ stores: [SystemMap.Store]) -> [(SystemMap.Store, String)] {
        stores.filter { !$0.inside || $0.kind == .sqlite }.enumerated().map { ($1, storeArchive($1, $0 + 1)) }
    }

    /// A store's path for the shell, absolute for one inside the tree.
    static func storePath(_ store: SystemMap.Store, targetPath: String) -> String {
        store.inside ? ShellQuoting.quote(absolutePath(targetPath) + "/" + store.location) : SystemView.shellPath(store.location)
    }

    /// Pasted line by line into one shell: the first line names a new dated folder.
    static func backupCommands(targetPath: String, outside: [OutsideFolder], stores: [SystemMap.Store] = []) -> [String] {
        let folder = backupFolder(targetPath)
        let target = ShellQuoting.quote(absolutePath(targetPath))
        let groups = outsideGroups(outside, targetPath: targetPath)
        let copies = copiedStores(stores).map { store, archive -> String in
            let path = storePath(store, targetPath: targetPath)
            switch store.kind {
            case .sqlite: return "sqlite3 -readonly \(path) \".backup '$backup/\(archive)'\""
            case .postgresql:
                let tables = store.tables.map { " --table=\(ShellQuoting.quote($0))" }.joined()
                return "pg_dump \"$DATABASE_URL\" --clean --if-exists\(tables) > \"$backup/\(archive)\"   # $DATABASE_URL: \(store.location)"
            case .folder:
                let parent = store.location.hasSuffix("/") ? String(store.location.dropLast()) : store.location
                return "tar -czf \"$backup/\(archive)\" \(SystemView.shellPath(parent))"
            case .file: return "cp \(path) \"$backup/\(archive)\""
            }
        }
        return ["backup=\"\(folder)/$(date +%Y%m%d-%H%M%S)\"", "mkdir -p \"$backup\"", "tar -czf \"$backup/system.tar.gz\" -C \(target) ."]
            + groups.map { group in
                "tar -czf \"$backup/\(group.archive)\" -C \(ShellQuoting.quote(group.ancestor)) \(group.folders.map { ShellQuoting.quote("./" + $0) }.joined(separator: " "))"
            }
            + copies
            + ["ln -sfn \"$backup\" \"\(folder)/latest\"", "tar -tzf \"$backup/system.tar.gz\" > /dev/null && echo 'backup readable'"]
            + groups.map { group in
                "tar -tzf \"$backup/\(group.archive)\" > /dev/null && echo '\(group.archive) readable'"
            }
    }

    static func rollback(scale: Scale, targetPath: String, outside: [OutsideFolder] = [], stores: [SystemMap.Store] = []) -> RollbackStrategy {
        let absolute = absolutePath(targetPath)
        let target = ShellQuoting.quote(absolute)
        let latest = backupFolder(targetPath) + "/latest"
        // The folders outside the analysed one are moved aside too, then unpacked from
        // their archive into the folder that holds them.
        let outsideCommands = outsideGroups(outside, targetPath: targetPath).flatMap { group in
            let base = group.ancestor == "/" ? "/" : group.ancestor + "/"
            return group.folders.map { name in
                "mv \(ShellQuoting.quote(base + name)) \(ShellQuoting.quote(base + name + ".failed"))"
            } + ["tar -xzf \"\(latest)/\(group.archive)\" -C \(ShellQuoting.quote(group.ancestor))"]
        }
        // Each store copied on its own is put back from its copy, after the folder it may be in.
        let copied = copiedStores(stores)
        let storeCommands = copied.map { store, archive -> String in
            let path = storePath(store, targetPath: targetPath)
            switch store.kind {
            case .sqlite, .file: return "cp \"\(latest)/\(archive)\" \(path)"
            case .postgresql: return "psql \"$DATABASE_URL\" -f \"\(latest)/\(archive)\"   # $DATABASE_URL: \(store.location)"
            case .folder: return "tar -xzf \"\(latest)/\(archive)\" -C /"
            }
        }
        let (time, loss): (String, String) =
            switch scale {
            case .individual: ("5-10 minutes", "minimal")
            case .team: ("15-30 minutes", "low")
            case .organization: ("30-60 minutes", "low-medium")
            case .enterprise: ("1-2 hours", "medium")
            }
        return RollbackStrategy(
            stages: [
                RollbackStage(
                    title: "Stop the new system",
                    actions: ["Stop every coordination process and scheduled job", "Keep the new system's state for debugging"],
                    commands: []),
                RollbackStage(
                    title: "Restore the backup",
                    actions: ["Move the migrated folder aside", "Unpack the newest backup from step 1 (the latest link in its backup folder) into the original location"]
                        + (outside.isEmpty ? [] : ["Do the same for the folders outside it: \(outside.map(\.relative).joined(separator: ", "))"])
                        + (copied.isEmpty ? [] : ["Put back each store copied on its own: \(copied.map(\.0.location).joined(separator: ", "))"]),
                    commands: [
                        "mv \(target) \(ShellQuoting.quote(absolute + ".failed"))",
                        "mkdir -p \(target)",
                        "tar -xzf \"\(latest)/system.tar.gz\" -C \(target)",
                    ] + outsideCommands + storeCommands),
                RollbackStage(
                    title: "Restart the old system",
                    actions: ["Start the old agents and scripts", "Check that messages flow and the data is intact"],
                    commands: []),
                RollbackStage(
                    title: "Analyse the failure",
                    actions: ["Read the logs of the failed attempt", "Find the root cause", "Fix it before trying again"],
                    commands: []),
            ],
            timeToRollback: time, dataLossRisk: loss)
    }

    /// The commands that exercise the system: its own send script with its real agent
    /// names; the original tool's `message.sh` forms only where that script exists.
    struct TestCommands {
        var unit: [String]
        var integration: [String]
        var performance: [String]
    }

    static func testCommands(_ system: SystemCommands, detection: DetectionResult) -> TestCommands {
        // The agents and their inbox folders: the walk's inbox/<agent>/, else the inbox evidence.
        var system = system
        if let map = detection.systemMap {
            // The agents messages are delivered to: an inbox shows them, or the system's configuration
            // declares them (not a registry of assistant helpers).
            if system.agents.isEmpty {
                system.agents = map.nodes(.agent).filter { agent in
                    !map.edges(to: agent.id, .belongsTo).isEmpty || agent.detail == "declared in the agent configuration"
                }.map(\.label)
            }
            // The map's sender: the program that writes the per-agent folders, when the walk named no send script.
            if system.sendScript == nil, let sender = map.edges.first(where: { edge in
                edge.kind == .writes && map.node(edge.to)?.channelKind == .inbox && map.node(edge.from)?.kind == .program
                    && !edge.path.hasPrefix("..") && ["sh", "bash"].contains(edge.path.split(separator: ".").last.map(String.init) ?? "")
            }) {
                system.sendScript = sender.path
            }
        }
        let agents = system.agents.isEmpty ? agentFolders(detection) : system.agents.map { ($0, agentFolder($0, detection)) }
        let to = agents.first.map { ShellQuoting.quote($0.0) } ?? "AGENT"
        let from = agents.dropFirst().first.map { ShellQuoting.quote($0.0) } ?? "OTHER_AGENT"
        let inbox = agents.first.map { "ls \(ShellQuoting.quote($0.1))" } ?? (detection.hasInboxStructure ? "ls inbox/" : "ls inbox/ 2>/dev/null")
        let log = detection.hasEventLog ? [SystemView(detection).eventLogCommand(hasEventLog: true, follow: false)] : []
        guard let script = system.sendScript else {
            // Where the system has no folder per agent, what it holds is counted where it is.
            let view = SystemView(detection)
            let look = detection.hasInboxStructure ? [inbox] : (view.tables + view.folders + view.files).prefix(2).compactMap(view.countCommand)
            let seen = look.isEmpty ? [inbox] : look
            let log = log.filter { !seen.contains($0) }
            let none = "# no send command was found in this system: write a small one that sends a message to \(to) the way the agents do (a script or a request to the system's own route), then"
            return TestCommands(
                unit: [none] + seen + log,
                integration: ["# with that command, send a request to \(to) and its reply back to \(from), then"] + seen + log,
                performance: ["# with that command, send 100 messages to \(to) in a loop, timed, then"] + seen.map { "time \($0)" })
        }
        let send = ShellQuoting.quote("./" + script)
        if system.isMessageScript {
            return TestCommands(
                unit: ["\(send) send \(from) \(to) \"Test\" \"Body\"", "\(send) inbox \(to)", "\(send) log"],
                integration: ["\(send) send \(from) \(to) \"Request\" \"Body\"", "\(send) send \(to) \(from) \"Reply\" \"Body\"",
                              "\(send) inbox \(from)"],
                performance: ["time (for i in $(seq 1 100); do \(send) send \(from) \(to) \"Perf $i\" \"Body\"; done)",
                              "time \(send) inbox \(to)"])
        }
        return TestCommands(
            unit: ["\(send) \(to) \"Test\"", inbox] + log,
            integration: ["\(send) \(to) \"Request\"", "\(send) \(from) \"Reply\"", inbox] + log,
            performance: ["time (for i in $(seq 1 100); do \(send) \(to) \"Perf $i\"; done)", "time \(inbox)"])
    }

    /// An agent's inbox folder: the map's belongs-to edge names it, else `inbox/<agent>/`.
    static func agentFolder(_ agent: String, _ detection: DetectionResult) -> String {
        detection.systemMap?.edges(to: "agent:\(agent)", .belongsTo).first { $0.confidence == .high }?.path ?? "inbox/\(agent)/"
    }

    /// Agents and their folders from the inbox evidence (`mailboxes/alice/` → `alice`),
    /// lanes left out, sorted by name.
    static func agentFolders(_ detection: DetectionResult) -> [(String, String)] {
        let lanes: Set<String> = ["high", "low", "normal", "priority", "urgent", "defer", "deferred", "archive", "new", "cur", "tmp"]
        var folders: [String: String] = [:]
        for item in detection.evidence where item.subject == .inboxStructure && item.path.hasSuffix("/") && !item.path.hasPrefix("..") {
            guard let name = components(item.path).last, !lanes.contains(name.lowercased()), name != "inbox" else { continue }
            folders[name] = folders[name].map { min($0, item.path) } ?? item.path
        }
        return folders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func testing(
        detection: DetectionResult, commands system: SystemCommands = SystemCommands(), view: SystemView? = nil, noSystem: Bool = false
    ) -> TestingStrategy {
        let perDay = detection.estimatedMessagesPerDay
        let view = view ?? SystemView(detection)
        var commands = testCommands(system, detection: detection)
        if noSystem { commands = TestCommands(unit: [], integration: [], performance: []) }
        // Where the messages are rows, sending adds a row; the new system's inboxes are checked after the move.
        let sendCheck = view.messageFolders.isEmpty && !view.tables.isEmpty
            ? "Sending a message adds exactly one row to \(view.tables.first { $0.node.role == .messages }?.node.label ?? view.tables[0].node.label) (before the move) and one file to the recipient's inbox (after it)"
            : "Sending a message creates exactly one file in the recipient's inbox"
        return TestingStrategy(
            unit: TestSuitePlan(
                name: "Unit tests",
                purpose: "Each operation works on its own.",
                checks: [sendCheck,
                         "Reading an inbox lists every waiting message", "Every operation appends one event"],
                commands: commands.unit),
            integration: TestSuitePlan(
                name: "Integration tests",
                purpose: "Whole workflows work across agents.",
                checks: ["A complete workflow runs from request to result",
                         "An agent cannot act outside its authority domains",
                         "Priority messages are handled before normal ones"],
                commands: commands.integration),
            performance: TestSuitePlan(
                name: "Performance tests",
                purpose: "The system keeps up with today's volume.",
                checks: [detection.messageVolumeFromDatabase
                         ? "Sustain the measured \(plural(perDay, "message")) per day (measured in the database: \(detection.database!.messagesPerDayBasis)) with room to spare"
                         : "Sustain the measured \(plural(perDay, "message")) per day (estimated from \(plural(detection.messageFiles, "message file"))) with room to spare",
                         "Listing an inbox stays fast with a day's backlog in it"],
                commands: commands.performance),
            targetMessagesPerDay: perDay,
            acceptanceCriteria: [
                "Every message sent during the test run is delivered exactly once",
                "The event log holds one entry per operation",
                "Message counts before and after the migration match",
            ])
    }

    static func riskAssessment(complexity: ComplexityResult, detection: DetectionResult, steps: [MigrationStep] = []) -> RiskAssessment {
        var mitigations = ["Keep the backup from step 1 until the new system has run cleanly for a week"]
        if complexity.dataMigrationRequired, let database = detection.database, let rows = database.rowsToMove, rows > 0 {
            mitigations.append("Compare message counts and checksums before and after the data migration (\(plural(rows, "row")) measured)")
        } else if complexity.dataMigrationRequired {
            mitigations.append("Compare message counts and checksums before and after the data migration")
        }
        if !detection.hasEventLog {
            mitigations.append("Start the event log before cutover so the first day is recorded")
        }
        if detection.estimatedScale >= .team {
            mitigations.append("Rehearse the migration on a copy of the system in staging first")
        }
        if complexity.riskLevel == .high {
            mitigations.append("Migrate in a low-traffic window with the people who can roll back at hand")
        }
        if detection.gaps.count >= 4 {
            mitigations.append("Add the missing patterns one at a time, testing after each")
        }
        // One rule: the plan is as risky as its riskiest step (the cutover carries the scored risk).
        let level = steps.map(\.risk).max() ?? complexity.riskLevel
        return RiskAssessment(
            level: level, score: complexity.riskScore, rule: RiskAssessment.riskiestStepRule,
            breakingChanges: complexity.breakingChanges, mitigations: mitigations)
    }

    /// The checklist; a skipped pattern is not asked for (the skip says why).
    static func successCriteria(detection: DetectionResult) -> [String] {
        let skipped = detection.patterns.filter { $0.skippedReason != nil }.map(\.id)
        let patterns = skipped.isEmpty
            ? "All 8 universal patterns implemented"
            : "All \(8 - skipped.count) universal patterns that are not skipped implemented (skipped: \(skipped.joined(separator: ", ")))"
        return [
            "All messages delivered successfully",
            "Event log captures all operations",
            "No data loss during migration",
            "Performance meets \(detection.estimatedScale.rawValue) requirements",
            patterns,
            "Rollback tested and verified",
        ]
    }

    /// The strategy that suits the system; its timeline starts from `estimate`, the plan's
    /// own estimate in words, so the two never disagree.
    static func recommend(detection: DetectionResult, complexity: ComplexityResult, estimate: String) -> RecommendedStrategy {
        let nothingToMigrate = !detection.hasMessageSystem && !detection.hasEventLog && !detection.hasInboxStructure
            && !detection.hasAgentConfig && detection.existingPatterns.isEmpty
        if nothingToMigrate {
            return RecommendedStrategy(
                strategy: .greenfield, name: "Greenfield",
                reason: "No message system, event log, inboxes, agent configuration or pattern was found, so there is nothing to carry over: build the new system from scratch.",
                approach: ["Generate a fresh coordination system", "Move the agents' work onto it", "Retire the old scripts"],
                timeline: "minutes to set up; there is nothing to migrate")
        }
        if complexity.dataMigrationRequired, complexity.complexityLevel >= .complex {
            return RecommendedStrategy(
                strategy: .hybrid, name: "Hybrid",
                reason: "Messages live in a \(detection.messageSystemType.rawValue) system and the migration is \(complexity.complexityLevel.displayName): keep that store as the backing store while the patterns arrive one by one.",
                approach: ["Implement the patterns incrementally on top of the existing store",
                           "Keep the \(detection.messageSystemType.rawValue) system as the backing store at first",
                           "Move to file-based storage later, once the patterns are proven"],
                timeline: "about \(estimate) of work for the patterns; the move off the existing store comes later")
        }
        if complexity.riskLevel == .high || detection.estimatedScale >= .organization || complexity.dataMigrationRequired {
            let why: String
            if complexity.riskLevel == .high {
                why = "The risk is high"
            } else if detection.estimatedScale >= .organization {
                why = "At \(detection.estimatedScale.rawValue) scale, downtime is expensive"
            } else {
                why = "Existing data must be moved"
            }
            return RecommendedStrategy(
                strategy: .parallel, name: "Parallel",
                reason: "\(why): run the new system beside the old one and move workflows over gradually, validating each before the final cutover.",
                approach: ["Build the new system alongside the existing one", "Move workflows over one at a time",
                           "Validate each before switching the next", "Cut over once everything runs on the new system"],
                timeline: "about \(estimate) of work, spread out while workflows move over one at a time")
        }
        return RecommendedStrategy(
            strategy: .direct, name: "Direct",
            reason: "The existing system is compatible (\(detection.existingPatterns.count) of 8 patterns present, no data to move out of a database or a server, \(detection.estimatedScale.rawValue) scale) and can tolerate a brief downtime: back up, follow the steps in order, validate and cut over.",
            approach: ["Back up the existing system", "Execute the migration steps in order", "Validate, then cut over"],
            timeline: "about \(estimate), the estimate above")
    }
}
