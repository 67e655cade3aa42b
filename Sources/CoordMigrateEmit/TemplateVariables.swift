import CoordMigrateModel
import Foundation

/// One value a report template can print (`{{name}}`) or open as a section (`{{#name}}…{{/name}}`).
package struct TemplateVariable: Sendable, Equatable {
    /// What a template gets under the name.
    package enum Kind: Sendable, Equatable {
        /// Text: `{{name}}` escapes it for the format, `{{{name}}}` inserts it as is.
        case text
        /// A whole number, or hours with up to two decimals where the meaning says so.
        case number
        /// True or false: `{{#name}}` renders when true, `{{^name}}` when false.
        case flag
        /// A list of texts: inside `{{#name}}…{{/name}}`, `{{.}}` is each one.
        case textList
        /// A list of objects, each with the keys of the named item scope.
        case list(of: String)
        /// One object with the keys of the named scope; absent when the report has none.
        case object(String)

        /// The kind in the reference's words.
        package var label: String {
            switch self {
            case .text: "text"
            case .number: "number"
            case .flag: "flag"
            case .textList: "list of texts"
            case let .list(scope): "list of " + TemplateVariables.scope(named: scope).title
            case let .object(scope): "object: " + TemplateVariables.scope(named: scope).title
            }
        }
    }

    /// The key templates use.
    package var name: String
    /// What the template gets under it.
    package var kind: Kind
    /// One sentence on what it holds.
    package var meaning: String
    /// The JSON report's field it shows (`detection.gaps`), when it shows one.
    package var json: String?
}

/// The keys of one object templates see: the report itself, or the items of a list.
package struct TemplateScope: Sendable {
    /// How other entries refer to it.
    package var name: String
    /// A few words for the reference (`plan steps`).
    package var title: String
    /// One sentence on where it appears.
    package var summary: String
    /// Its keys, in the order the reference lists them.
    package var variables: [TemplateVariable]
}

/// Every value the report templates can use: the one declaration the reference
/// (`docs/template-variables.md`, `coord-migrate templates --variables`) is written
/// from, and which tests check the view model against in both directions, so a key
/// added to the view without a line here, or a line here the view does not produce,
/// fails them.
package enum TemplateVariables {
    private static func text(_ name: String, _ meaning: String, json: String? = nil) -> TemplateVariable {
        TemplateVariable(name: name, kind: .text, meaning: meaning, json: json)
    }
    private static func number(_ name: String, _ meaning: String, json: String? = nil) -> TemplateVariable {
        TemplateVariable(name: name, kind: .number, meaning: meaning, json: json)
    }
    private static func flag(_ name: String, _ meaning: String, json: String? = nil) -> TemplateVariable {
        TemplateVariable(name: name, kind: .flag, meaning: meaning, json: json)
    }
    private static func texts(_ name: String, _ meaning: String, json: String? = nil) -> TemplateVariable {
        TemplateVariable(name: name, kind: .textList, meaning: meaning, json: json)
    }
    private static func list(_ name: String, of scope: String, _ meaning: String, json: String? = nil) -> TemplateVariable {
        TemplateVariable(name: name, kind: .list(of: scope), meaning: meaning, json: json)
    }
    private static func object(_ name: String, _ scope: String, _ meaning: String, json: String? = nil) -> TemplateVariable {
        TemplateVariable(name: name, kind: .object(scope), meaning: meaning, json: json)
    }

    /// The keys at the top of every template, Markdown and HTML.
    package static let report = TemplateScope(
        name: "report", title: "the report", summary: "The keys at the top of every template, Markdown and HTML.",
        variables: [
            text("toolName", "The tool's name.", json: "tool.name"),
            text("toolVersion", "The tool's version.", json: "tool.version"),
            text("schemaVersion", "The JSON report's schema version.", json: "schema_version"),
            text("generatedAt", "The report time, ISO 8601 in UTC.", json: "generated_at"),
            text("targetPath", "The analysed folder.", json: "target_path"),
            text("targetCode", "The analysed folder as a Markdown code span."),
            flag("hasDiscovery", "True when the folder showed no system and one below it was analysed instead."),
            object("discovery", "discovery", "How the analysed system was found below the folder named.", json: "detection.discovery"),
            text("messageSystem", "The message system: file-based, database (with its type), api or none.", json: "detection.message_system_type"),
            text("scale", "The estimated scale: individual, team, organization or enterprise.", json: "detection.estimated_scale"),
            text("scaleUpper", "The scale in capitals."),
            text("platform", "The platform reported (macos, linux, windows).", json: "detection.platform"),
            number("agents", "The estimated number of agents.", json: "detection.estimated_agents"),
            number("users", "The estimated number of users (agents / 3, at least 1).", json: "detection.estimated_users"),
            number("messagesPerDay", "The estimated messages per day.", json: "detection.estimated_messages_per_day"),
            number("messageFiles", "The message files counted.", json: "detection.message_files"),
            number("recentMessageFiles", "The message files changed in the 7 days before the report time.", json: "detection.recent_message_files"),
            text("agentsText", "The agent count with its noun (\"1 agent\", \"3 agents\")."),
            text("usersText", "The user count with its noun."),
            text("messagesPerDayText", "The messages per day with their noun (\"1 message per day\")."),
            text("messageFilesText", "The message file count with its noun."),
            text("recentMessageFilesText", "The recent message file count with its noun."),
            flag("messagesFromDatabase", "True when the messages per day were measured in the database, not from files."),
            text("messagesPerDayBasis", "How the database measurement counted messages per day; empty without a database.", json: "detection.database.messages_per_day_basis"),
            flag("hasDatabase", "True when a database was measured."),
            object("database", "database", "The read-only measurement of the system's database.", json: "detection.database"),
            list("infrastructure", of: "infrastructure", "The four infrastructure facts, in a fixed order."),
            flag("hasParts", "True when the system is made of parts in several folders."),
            list("parts", of: "part", "The folders the system is made of and what each holds.", json: "detection.parts"),
            number("partCount", "The number of parts."),
            flag("hasSystemMap", "True when the system map has at least one node.", json: "detection.system_map"),
            text("systemMapCount", "The map in one line: agents, channels, programs and connections.", json: "detection.system_map"),
            text("systemMapAgents", "The map's agents, comma-separated.", json: "detection.system_map.nodes"),
            flag("hasSystemMapAgents", "True when the map has at least one agent."),
            list("systemMapChannels", of: "mapChannel", "The map's channels, with what each holds.", json: "detection.system_map.nodes"),
            list("systemMapPrograms", of: "mapProgram", "The map's programs, with what each writes and reads.", json: "detection.system_map.nodes"),
            text("systemMapTable", "The programs as a Markdown table (program, writes, reads), for `{{{systemMapTable}}}`."),
            text("systemMapMermaid", "The map as a Mermaid flowchart, without its fence, for `{{{systemMapMermaid}}}`."),
            number("patternCount", "The number of built-in patterns checked or skipped."),
            number("existingCount", "The number of patterns present.", json: "detection.existing_patterns"),
            number("gapCount", "The number of patterns missing.", json: "detection.gaps"),
            flag("hasExisting", "True when at least one pattern is present."),
            flag("hasGaps", "True when at least one pattern is missing."),
            list("patterns", of: "pattern", "The eight patterns in their fixed order.", json: "detection.patterns"),
            list("existingPatterns", of: "pattern", "The patterns present.", json: "detection.existing_patterns"),
            list("missingPatterns", of: "pattern", "The patterns missing and not skipped: the gaps.", json: "detection.gaps"),
            list("skippedPatterns", of: "pattern", "The patterns skipped by the project file or the options.", json: "detection.skipped_patterns"),
            flag("hasSkipped", "True when at least one pattern is skipped."),
            list("customPatterns", of: "customPattern", "The findings of house rules and custom detectors.", json: "detection.custom_patterns"),
            flag("hasCustomPatterns", "True when there is at least one custom finding."),
            list("warnings", of: "warning", "What the scan could not read or understand.", json: "detection.warnings"),
            flag("hasWarnings", "True when there is at least one warning."),
            number("warningCount", "The number of warnings."),
            text("complexity", "The complexity level as words (\"very complex\").", json: "complexity.complexity_level"),
            text("complexityLevel", "The complexity level as the JSON writes it (very_complex).", json: "complexity.complexity_level"),
            text("complexityUpper", "The complexity level as the JSON writes it, in capitals."),
            number("complexityScore", "The complexity score.", json: "complexity.complexity_score"),
            number("hours", "The seed formula's hours (the original script's estimate, kept for comparison; the plan's effort is `effort`).", json: "complexity.estimated_hours"),
            text("risk", "The scored risk level: low, medium or high (the plan's overall risk is `planRisk`).", json: "complexity.risk_level"),
            text("planRisk", "The plan's overall risk: its riskiest step's.", json: "plan.risk_assessment.level"),
            text("planRiskUpper", "The plan's overall risk in capitals."),
            text("riskRule", "The rule the plan's overall risk follows, in one sentence.", json: "plan.risk_assessment.rule"),
            text("effort", "The plan's effort: its steps' durations added up, as a range (\"12.67–23.67 hours\").", json: "plan.step_hours_total"),
            text("effortEstimate", "The plan's effort in working days or weeks (\"2–3 working days\").", json: "plan.timeline.effort_estimate"),
            text("seedFormulaMeaning", "One sentence on what the seed formula's hours are."),
            flag("hasSteps", "True when the plan has migration steps (false when no coordination system was found)."),
            text("noSystem", "Why the plan has no steps, when it has none; empty otherwise.", json: "plan.no_system"),
            text("riskUpper", "The risk level in capitals."),
            number("riskScore", "The risk score.", json: "complexity.risk_score"),
            list("breakdown", of: "metric", "The three scores, each with the factors that add up to it.", json: "complexity.breakdown"),
            texts("breakingChanges", "The breaking changes.", json: "complexity.breaking_changes"),
            number("breakingCount", "The number of breaking changes."),
            text("breakingText", "The breaking change count with its noun."),
            flag("hasBreakingChanges", "True when there is at least one breaking change."),
            flag("dataMigrationRequired", "True when messages move from a database or an API to files.", json: "complexity.data_migration_required"),
            text("dataMigration", "One sentence on what happens to the existing messages."),
            text("timeline", "The seed formula's hours in words (\"1 day\", \"2 weeks\").", json: "plan.estimated_timeline"),
            text("effortMeaning", "One sentence on what the plan's effort means."),
            text("stepHoursTotal", "The steps' own durations added up, as a range (\"8.7–15.7\").", json: "plan.step_hours_total"),
            text("stepHoursLow", "The low end of the steps' total hours.", json: "plan.step_hours_total.low"),
            text("stepHoursHigh", "The high end of the steps' total hours.", json: "plan.step_hours_total.high"),
            text("stepTotalMeaning", "One sentence on what the steps' total means beside the estimated hours."),
            number("stepCount", "The number of plan steps."),
            list("steps", of: "step", "The plan's steps in order (HTML templates get HTML steps instead).", json: "plan.steps"),
            text("strategyName", "The recommended strategy's name (\"Parallel run\").", json: "plan.recommended_strategy.name"),
            text("strategyId", "The recommended strategy as the JSON writes it (greenfield, parallel, direct, hybrid).", json: "plan.recommended_strategy.strategy"),
            text("strategyReason", "Why that strategy was chosen.", json: "plan.recommended_strategy.reason"),
            texts("strategyApproach", "How the strategy is carried out, step by step.", json: "plan.recommended_strategy.approach"),
            text("strategyTimeline", "The strategy's timeline, as computed for this system.", json: "plan.recommended_strategy.timeline"),
            list("rollbackStages", of: "rollbackStage", "The rollback strategy's stages in order.", json: "plan.rollback_strategy.stages"),
            text("rollbackTime", "How long a rollback takes at this scale.", json: "plan.rollback_strategy.time_to_rollback"),
            text("dataLossRisk", "The risk of losing data in a rollback at this scale.", json: "plan.rollback_strategy.data_loss_risk"),
            list("testSuites", of: "testSuite", "The unit, integration and performance test suites.", json: "plan.testing_strategy"),
            number("targetMessagesPerDay", "The messages per day the performance tests must sustain.", json: "plan.testing_strategy.target_messages_per_day"),
            texts("acceptanceCriteria", "What must hold before the cutover.", json: "plan.testing_strategy.acceptance_criteria"),
            list("phases", of: "phase", "The plan's steps added up per phase, in step order.", json: "plan.timeline.phases"),
            flag("hasDataVolume", "True when the timeline was sized by the data to migrate."),
            text("dataVolume", "The data volume the timeline was sized by; empty when none.", json: "plan.timeline.data_volume"),
            texts("mitigations", "How each risk is kept small.", json: "plan.risk_assessment.mitigations"),
            texts("successCriteria", "The checklist that says the migration is done.", json: "plan.success_criteria"),
            flag("hasPolicy", "True when a scoring policy other than the default was used."),
            text("policySource", "The file the scoring policy came from.", json: "policy.source"),
            text("policySourceCode", "The policy file as a Markdown code span."),
            texts("policyChanges", "What the policy changed from the defaults.", json: "policy.changes"),
            number("scanFiles", "The files the scan saw.", json: "scan.files"),
            number("scanDirectories", "The folders the scan saw.", json: "scan.directories"),
            number("scanSkipped", "The entries the scan passed over.", json: "scan.skipped"),
            number("scanElapsedMs", "How long the analysis took, in milliseconds (0 when the clock is fixed).", json: "scan.elapsed_ms"),
        ])

    /// The keys HTML templates have besides ``report``'s (and in place of its `steps`).
    package static let html = TemplateScope(
        name: "html", title: "the HTML page", summary: "HTML templates see these too; their `steps` are HTML steps.",
        variables: [
            list("steps", of: "htmlStep", "The plan's steps in order, descriptions rendered as HTML.", json: "plan.steps"),
            text("styles", "The built-in stylesheet, for `<style>{{{styles}}}</style>`."),
            text("riskClass", "The plan's overall risk level, for a CSS class."),
            text("complexityClass", "The complexity level as the JSON writes it, for a CSS class."),
            object("timelineChart", "timelineChart", "The phase split drawn as SVG bars."),
            text("systemMapSVG", "The system map drawn as an inline SVG, for `{{{systemMapSVG}}}`; empty without a map.", json: "detection.system_map"),
            list("breakdownRows", of: "breakdownRow", "Every factor of the three scores, one row each.", json: "complexity.breakdown"),
        ])

    /// The objects inside lists and sections.
    package static let items: [TemplateScope] = [
        TemplateScope(
            name: "pattern", title: "patterns", summary: "Each item of `patterns`, `existingPatterns`, `missingPatterns` and `skippedPatterns`.",
            variables: [
                text("id", "The pattern's id (priority-queue).", json: "id"),
                text("idCode", "The id as a Markdown code span."),
                text("title", "The pattern's title.", json: "title"),
                flag("present", "True when the pattern was found.", json: "present"),
                text("mark", "✅ present, ❌ missing or ⏭️ skipped."),
                flag("skipped", "True when the pattern was not checked."),
                text("skippedReason", "Why it was skipped, with its owner and expiry date when given; empty when checked.", json: "skipped_reason"),
                text("summary", "What was found, in one line.", json: "summary"),
                text("remediation", "What to build when it is missing.", json: "remediation"),
                text("kinds", "The kinds of evidence it rests on, comma-separated (on disk, config, code).", json: "evidence_kinds"),
                flag("hasKinds", "True when it rests on at least one kind of evidence."),
                flag("hasConfidence", "True when it carries a confidence."),
                text("confidence", "high, medium or low; empty for a skipped pattern.", json: "confidence"),
                text("confidenceReason", "Why that confidence.", json: "confidence_reason"),
                list("evidence", of: "evidence", "The evidence for it.", json: "detection.evidence"),
                flag("hasEvidence", "True when there is at least one piece of evidence."),
                number("evidenceCount", "The number of pieces of evidence."),
                text("documentation", "Where the pattern is explained (docs/patterns.md#id)."),
            ]),
        TemplateScope(
            name: "customPattern", title: "custom findings", summary: "Each item of `customPatterns`.",
            variables: [
                text("id", "The rule's or detector's id.", json: "id"),
                text("idCode", "The id as a Markdown code span."),
                text("title", "Its title.", json: "title"),
                flag("present", "True when the finding holds.", json: "present"),
                text("mark", "✅ present, ❌ missing or ⏭️ skipped."),
                flag("skipped", "True when it was not checked."),
                text("skippedReason", "Why it was skipped; empty when checked.", json: "skipped_reason"),
                text("summary", "What was found, in one line.", json: "summary"),
                text("remediation", "What to do when it is missing.", json: "remediation"),
                flag("hasDocumentation", "True when the rule names a document."),
                text("documentation", "The rule's document; empty when none.", json: "documentation"),
                text("kinds", "The kinds of evidence it rests on, comma-separated.", json: "evidence_kinds"),
                flag("hasKinds", "True when it rests on at least one kind of evidence."),
                flag("hasConfidence", "True when it carries a confidence."),
                text("confidence", "high, medium or low; empty when none.", json: "confidence"),
                text("confidenceReason", "Why that confidence.", json: "confidence_reason"),
                list("evidence", of: "evidence", "The evidence for it.", json: "detection.evidence"),
            ]),
        TemplateScope(
            name: "evidence", title: "evidence", summary: "Each item of a pattern's, a custom finding's or an infrastructure fact's `evidence`.",
            variables: [
                text("kind", "on-disk, config or code.", json: "kind"),
                text("location", "The file or folder, with its line when one matched.", json: "path"),
                text("locationCode", "The location as a Markdown code span."),
                text("detail", "What was seen there.", json: "detail"),
                text("subject", "The pattern or fact it is evidence for.", json: "subject"),
            ]),
        TemplateScope(
            name: "infrastructure", title: "infrastructure facts", summary: "Each item of `infrastructure`.",
            variables: [
                text("label", "The fact's name (\"Event log\")."),
                text("mark", "✅ or ❌."),
                text("value", "found or missing; for the message system, its type."),
                flag("present", "True when the fact holds."),
                list("evidence", of: "evidence", "The evidence for it.", json: "detection.evidence"),
                flag("hasConfidence", "True when it carries a confidence (reports written before it was kept have none)."),
                text("confidence", "high, medium or low; empty when none.", json: "detection.infrastructure_confidence"),
                text("confidenceReason", "Why that confidence."),
            ]),
        TemplateScope(
            name: "part", title: "system parts", summary: "Each item of `parts`.",
            variables: [
                text("path", "The part's folder.", json: "path"),
                text("pathCode", "The folder as a Markdown code span."),
                text("findings", "What was found there, comma-separated.", json: "findings"),
            ]),
        TemplateScope(
            name: "warning", title: "warnings", summary: "Each item of `warnings`.",
            variables: [
                text("location", "The path, with its line when known.", json: "path"),
                text("locationCode", "The location as a Markdown code span."),
                text("message", "What went wrong there.", json: "message"),
            ]),
        TemplateScope(
            name: "metric", title: "scores", summary: "Each item of `breakdown`.",
            variables: [
                text("title", "The score's name (\"Risk score\")."),
                text("total", "The score and what it comes to (\"3 → medium\", \"6 hours\")."),
                flag("hasFactors", "True when at least one factor adds to it."),
                list("factors", of: "factor", "The factors, in the order they apply.", json: "complexity.breakdown"),
            ]),
        TemplateScope(
            name: "factor", title: "score factors", summary: "Each item of a score's `factors`.",
            variables: [
                text("factor", "What the factor is (\"gaps / 2\").", json: "factor"),
                text("term", "What it contributes (\"+1\", \"×1.5\")."),
                text("reason", "Why it applies.", json: "reason"),
            ]),
        TemplateScope(
            name: "step", title: "plan steps", summary: "Each item of `steps` in Markdown templates.",
            variables: [
                number("number", "The step's number, from 1.", json: "number"),
                text("title", "The step's title.", json: "title"),
                text("phase", "Its phase (preparation, configuration, data, infrastructure, patterns, validation, deployment).", json: "phase"),
                text("description", "What the step does, in CommonMark.", json: "description"),
                text("duration", "Its duration as written (\"2-4 hours\").", json: "duration"),
                text("durationHours", "Its duration in hours as a range (\"2–4\").", json: "duration_hours"),
                text("durationHoursLow", "The low end of its hours.", json: "duration_hours.low"),
                text("durationHoursHigh", "The high end of its hours.", json: "duration_hours.high"),
                text("risk", "Its risk in capitals (LOW, MEDIUM, HIGH)."),
                text("riskLevel", "Its risk as the JSON writes it.", json: "risk"),
                flag("hasCommands", "True when the step has commands.", json: "commands"),
                text("commands", "Its commands, one a line, for a code block.", json: "commands"),
                text("fence", "A code fence longer than any run of backticks in the commands."),
                flag("hasDocumentation", "True when the step points to a document."),
                text("documentation", "The document it points to; empty when none.", json: "documentation"),
                text("documentationCode", "The document as a Markdown code span."),
                flag("hasTouchPoints", "True when the system map shows where the step changes the system.", json: "touch_points"),
                list("touchPoints", of: "touchPoint", "The places to change, from the system map.", json: "touch_points"),
                flag("hasTouchPointsOmitted", "True when more places were found than are listed."),
                number("touchPointsOmitted", "How many places were found beyond those listed.", json: "touch_points_omitted"),
            ]),
        TemplateScope(
            name: "htmlStep", title: "HTML plan steps", summary: "Each item of `steps` in HTML templates.",
            variables: [
                number("number", "The step's number, from 1.", json: "number"),
                text("title", "The step's title.", json: "title"),
                text("phase", "Its phase.", json: "phase"),
                text("descriptionHTML", "What the step does, rendered from CommonMark to HTML (insert with {{{descriptionHTML}}})."),
                text("duration", "Its duration as written.", json: "duration"),
                text("risk", "Its risk as the JSON writes it (low, medium, high).", json: "risk"),
                flag("hasCommands", "True when the step has commands."),
                text("commands", "Its commands, one a line.", json: "commands"),
                flag("hasDocumentation", "True when the step points to a document."),
                text("documentation", "The document it points to; empty when none.", json: "documentation"),
                flag("hasTouchPoints", "True when the system map shows where the step changes the system.", json: "touch_points"),
                list("touchPoints", of: "touchPoint", "The places to change, from the system map.", json: "touch_points"),
                flag("hasTouchPointsOmitted", "True when more places were found than are listed."),
                number("touchPointsOmitted", "How many places were found beyond those listed.", json: "touch_points_omitted"),
            ]),
        TemplateScope(
            name: "touchPoint", title: "touch points", summary: "Each item of a step's `touchPoints`.",
            variables: [
                text("location", "The file, and the line for code (scripts/send.sh:12).", json: "path"),
                text("locationCode", "The location as a Markdown code span."),
                text("why", "What is there and what to change.", json: "why"),
            ]),
        TemplateScope(
            name: "mapChannel", title: "map channels", summary: "Each item of `systemMapChannels`.",
            variables: [
                text("label", "The channel's name (inbox/<agent>/, events.log, a table, a route).", json: "label"),
                text("labelCode", "The name as a Markdown code span."),
                text("summary", "What it is and holds, who writes and reads it, and whether disk or code shows it."),
                text("location", "Where it was seen.", json: "path"),
                text("locationCode", "Where it was seen, as a Markdown code span."),
            ]),
        TemplateScope(
            name: "mapProgram", title: "map programs", summary: "Each item of `systemMapPrograms`.",
            variables: [
                text("label", "The program's path.", json: "label"),
                text("labelCode", "The path as a Markdown code span."),
                text("writes", "The channels it writes, each with its line; — when none."),
                text("reads", "The channels it reads, each with its line; — when none."),
            ]),
        TemplateScope(
            name: "rollbackStage", title: "rollback stages", summary: "Each item of `rollbackStages`.",
            variables: [
                number("number", "The stage's number, from 1."),
                text("title", "The stage's title.", json: "title"),
                texts("actions", "What to do in it.", json: "actions"),
                flag("hasCommands", "True when the stage has commands."),
                text("commands", "Its commands, one a line.", json: "commands"),
                text("indentedCommands", "Its commands indented three spaces, for a code block inside a numbered list."),
                text("fence", "A code fence longer than any run of backticks in the commands."),
            ]),
        TemplateScope(
            name: "testSuite", title: "test suites", summary: "Each item of `testSuites`.",
            variables: [
                text("name", "The suite's name.", json: "name"),
                text("purpose", "What it proves.", json: "purpose"),
                texts("checks", "What it checks.", json: "checks"),
                flag("hasCommands", "True when the suite has commands."),
                text("commands", "Its commands, one a line.", json: "commands"),
                text("fence", "A code fence longer than any run of backticks in the commands."),
            ]),
        TemplateScope(
            name: "phase", title: "timeline phases", summary: "Each item of `phases`.",
            variables: [
                text("phase", "The phase as the JSON writes it.", json: "phase"),
                text("title", "The phase capitalised."),
                number("percent", "Its share of the plan's effort (the middle of each range), in percent.", json: "percent"),
                text("hours", "The middle of its range of hours, with up to two decimals.", json: "hours"),
                number("hoursValue", "The middle of its range of hours as a number.", json: "hours"),
                text("hoursText", "Its steps' durations added up, as a range (\"8–16 hours\").", json: "range"),
                text("stepsText", "How many steps it has, with the noun (\"4 steps\").", json: "steps"),
            ]),
        TemplateScope(
            name: "discovery", title: "discovery", summary: "The keys of `discovery`.",
            variables: [
                text("reason", "Why a folder below was analysed.", json: "reason"),
                text("requestedPath", "The folder named.", json: "requested_path"),
                text("requestedCode", "The folder named, as a Markdown code span."),
                text("chosen", "The folder analysed; empty when none was chosen.", json: "chosen"),
                text("chosenCode", "The folder analysed, as a Markdown code span."),
                list("candidates", of: "candidate", "The folders that showed a system.", json: "candidates"),
            ]),
        TemplateScope(
            name: "candidate", title: "discovery candidates", summary: "Each item of `discovery.candidates`.",
            variables: [
                text("path", "The candidate folder.", json: "path"),
                text("pathCode", "The folder as a Markdown code span."),
                text("markers", "What was seen there, comma-separated.", json: "markers"),
                number("strength", "How many markers it showed.", json: "strength"),
            ]),
        TemplateScope(
            name: "database", title: "the database measurement", summary: "The keys of `database`.",
            variables: [
                text("engine", "sqlite or postgresql.", json: "engine"),
                text("location", "The database file or server (password masked).", json: "location"),
                text("locationCode", "The location as a Markdown code span."),
                text("source", "Where the database was declared.", json: "source"),
                text("sourceCode", "The source as a Markdown code span."),
                flag("readOnly", "True when it was opened read-only (always, by design).", json: "read_only"),
                number("tablesExamined", "The tables looked at.", json: "tables_examined"),
                text("tablesExaminedText", "The tables looked at, with their noun."),
                list("tables", of: "table", "The tables that hold messages or events.", json: "tables"),
                flag("hasTables", "True when at least one such table was found."),
                text("messageRows", "The message rows counted, or \"unknown\".", json: "message_rows"),
                text("eventRows", "The event rows counted, or \"unknown\".", json: "event_rows"),
                text("perDay", "The messages per day measured, or \"not measured\".", json: "messages_per_day"),
                text("perDayBasis", "How the messages per day were measured.", json: "messages_per_day_basis"),
                text("agents", "The agents counted in the database, or \"not measured\".", json: "agents"),
                flag("hasRange", "True when the first and last timestamps are known."),
                text("firstTimestamp", "The oldest message's time; empty when unknown.", json: "first_timestamp"),
                text("lastTimestamp", "The newest message's time; empty when unknown.", json: "last_timestamp"),
                text("volume", "The data to migrate, in one line."),
                flag("hasDatabaseBytes", "True when the database's size is known."),
                text("databaseBytes", "The database's size (\"1.2 MiB\"); empty when unknown.", json: "database_bytes"),
            ]),
        TemplateScope(
            name: "table", title: "database tables", summary: "Each item of `database.tables`.",
            variables: [
                text("name", "The table's name.", json: "name"),
                text("nameCode", "The name as a Markdown code span."),
                text("role", "What it holds: messages or events.", json: "role"),
                text("matchedBy", "Why it was taken for that.", json: "matched_by"),
                text("rows", "Its rows with their noun, or \"rows not counted\".", json: "rows"),
                flag("hasBytes", "True when its size is known."),
                text("bytes", "Its size; empty when unknown.", json: "bytes"),
                flag("hasTimestamp", "True when it has a timestamp column."),
                text("timestampColumn", "The timestamp column; empty when none.", json: "timestamp_column"),
                text("timestampCode", "The timestamp column as a Markdown code span."),
            ]),
        TemplateScope(
            name: "timelineChart", title: "the timeline chart", summary: "The keys of `timelineChart` (SVG user units).",
            variables: [
                text("width", "The chart's width."),
                text("height", "The chart's height."),
                list("rows", of: "chartRow", "One bar per phase."),
            ]),
        TemplateScope(
            name: "chartRow", title: "chart bars", summary: "Each item of `timelineChart.rows`.",
            variables: [
                text("phase", "The phase as the JSON writes it."),
                text("label", "The phase capitalised."),
                text("hours", "Its steps' hours added up, as a range with the unit (\"8–16 hours\")."),
                number("percent", "Its share in percent."),
                text("x", "The bar's left edge."),
                text("y", "The bar's top."),
                text("textY", "The baseline of its label."),
                text("width", "The bar's width."),
                text("valueX", "Where the hours are written, right of the bar."),
            ]),
        TemplateScope(
            name: "breakdownRow", title: "score table rows", summary: "Each item of `breakdownRows`.",
            variables: [
                text("metric", "The score the factor adds to (\"risk score\")."),
                text("factor", "What the factor is.", json: "factor"),
                text("term", "What it contributes."),
                text("reason", "Why it applies.", json: "reason"),
            ]),
    ]

    /// Every scope: the report, the HTML page's keys, then the items.
    package static var scopes: [TemplateScope] { [report, html] + items }

    /// The scope called `name`.
    package static func scope(named name: String) -> TemplateScope {
        guard let scope = scopes.first(where: { $0.name == name }) else { preconditionFailure("no template scope \(name)") }
        return scope
    }

    /// The keys at the top of a template of `format` (`md` or `html`).
    package static func root(for format: String) -> [TemplateVariable] {
        guard format == "html" else { return report.variables }
        let replaced = Set(html.variables.map(\.name))
        return report.variables.filter { !replaced.contains($0.name) } + html.variables
    }

    /// The reference as Markdown: `docs/template-variables.md`.
    package static var reference: String {
        var out = """
            # Template variables

            The keys a custom template (`--template FILE` for Markdown, `--html-template FILE`
            for HTML) can use, generated from the declaration the report's view is checked
            against (`coord-migrate templates --variables` prints this page). Where a key shows a
            field of the JSON report, the JSON column names it (`detection.gaps`; inside a list,
            the field of each item).

            Kinds: **text** prints with `{{key}}` (escaped for the format) or `{{{key}}}` (as
            is); a **flag** opens `{{#key}}…{{/key}}` when true and `{{^key}}…{{/key}}` when
            false; a **list** repeats `{{#key}}…{{/key}}` for each item, whose keys are listed
            below (inside it the outer keys stay visible); in a **list of texts**, `{{.}}` is
            each text; an **object** opens `{{#key}}…{{/key}}` only when the report has one.
            Start from a built-in template: `coord-migrate templates --show md` (or `html`).

            """
        for scope in scopes {
            out += "\n## \(scope.name == "report" ? "Every template" : scope.name == "html" ? "HTML templates" : heading(scope))\n\n"
            out += scope.summary + "\n\n"
            out += "| key | kind | meaning | JSON |\n|---|---|---|---|\n"
            for variable in scope.variables {
                let json = variable.json.map { "`\($0)`" } ?? ""
                out += "| `\(variable.name)` | \(kindCell(variable.kind)) | \(variable.meaning.replacingOccurrences(of: "|", with: "\\|")) | \(json) |\n"
            }
        }
        return out
    }

    /// Checks a view's values against the declaration: `object`'s keys against
    /// `variables`, lists' items against their scopes, recursively. Each key met is added
    /// to `produced` as `scope.key` (`owner` names the scope of a top-level key); a key
    /// the declaration lacks, or a value of another kind, is added to `problems`.
    static func audit(
        _ object: [String: Any], against variables: [TemplateVariable], owner: (String) -> String,
        produced: inout Set<String>, problems: inout [String], path: String = ""
    ) {
        let declared = Dictionary(variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (key, value) in object {
            let place = path.isEmpty ? key : path + "." + key
            guard let variable = declared[key] else {
                problems.append("\(place) is not declared in TemplateVariables (\(owner(key)))")
                continue
            }
            produced.insert(owner(key) + "." + key)
            switch variable.kind {
            case .text:
                if !(value is String) { problems.append("\(place) is declared text but holds \(type(of: value))") }
            case .number:
                if !(value is Int || value is Double) { problems.append("\(place) is declared a number but holds \(type(of: value))") }
            case .flag:
                if !(value is Bool) { problems.append("\(place) is declared a flag but holds \(type(of: value))") }
            case .textList:
                if !(value is [String]) { problems.append("\(place) is declared a list of texts but holds \(type(of: value))") }
            case let .list(name):
                guard let items = value as? [[String: Any]] else {
                    problems.append("\(place) is declared a list of \(name) but holds \(type(of: value))")
                    continue
                }
                for item in items {
                    audit(item, against: scope(named: name).variables, owner: { _ in name }, produced: &produced, problems: &problems, path: place + "[]")
                }
            case let .object(name):
                guard let fields = value as? [String: Any] else {
                    problems.append("\(place) is declared an object (\(name)) but holds \(type(of: value))")
                    continue
                }
                audit(fields, against: scope(named: name).variables, owner: { _ in name }, produced: &produced, problems: &problems, path: place)
            }
        }
    }

    /// Every declared key as `scope.key`, as ``audit(_:against:owner:produced:problems:path:)`` records them.
    static var declaredKeys: Set<String> {
        Set(scopes.flatMap { scope in scope.variables.map { scope.name + "." + $0.name } })
    }

    private static func heading(_ scope: TemplateScope) -> String {
        scope.title.prefix(1).uppercased() + scope.title.dropFirst()
    }

    private static func anchor(_ scope: TemplateScope) -> String {
        heading(scope).lowercased().replacingOccurrences(of: " ", with: "-")
    }

    private static func kindCell(_ kind: TemplateVariable.Kind) -> String {
        switch kind {
        case let .list(name):
            let scope = scope(named: name)
            return "list of [\(scope.title)](#\(anchor(scope)))"
        case let .object(name):
            let scope = scope(named: name)
            return "object: [\(scope.title)](#\(anchor(scope)))"
        default: return kind.label
        }
    }
}
