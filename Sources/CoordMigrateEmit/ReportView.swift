import CoordMigrateModel
/// The report flattened into the values the Mustache templates print.
///
/// Every string taken from the analysed tree (paths, names, config values,
/// warnings) is either passed as plain text, which the template's content type
/// escapes, or pre-formatted here as a code span (keys ending in `Code`).
enum ReportView {
    static func context(for report: MigrationReport) -> [String: Any] {
        let detection = report.detection
        let complexity = report.complexity
        let plan = report.plan

        func mark(_ present: Bool) -> String { present ? "✅" : "❌" }
        func evidence(for subject: String) -> [[String: Any]] {
            detection.evidence.filter { $0.subject.rawValue == subject }.map(evidenceItem)
        }

        func stateMark(_ finding: PatternFinding) -> String { finding.skippedReason != nil ? "⏭️" : mark(finding.present) }
        // The reason with who answers for the skip and until when, as the reports print it.
        let skipTerms = Dictionary(report.skips.compactMap { skip in skip.terms.map { (skip.id, $0) } }, uniquingKeysWith: { first, _ in first })
        func skippedReason(_ finding: PatternFinding) -> String {
            guard let reason = finding.skippedReason else { return "" }
            return skipTerms[finding.id].map { "\(reason) (\($0))" } ?? reason
        }
        let patterns = detection.patterns.map { finding -> [String: Any] in
            [
                "skipped": finding.skippedReason != nil, "skippedReason": skippedReason(finding),
                "id": finding.id, "idCode": MarkdownText.codeSpan(finding.id), "title": finding.title,
                "present": finding.present, "mark": stateMark(finding), "summary": finding.summary,
                "remediation": finding.remediation,
                "kinds": finding.evidenceKinds.map(\.rawValue).joined(separator: ", "),
                "hasKinds": !finding.evidenceKinds.isEmpty,
                "hasConfidence": finding.confidence != nil, "confidence": finding.confidence?.rawValue ?? "",
                "confidenceReason": finding.confidenceReason ?? "",
                "evidence": evidence(for: finding.id),
                "hasEvidence": !evidence(for: finding.id).isEmpty,
                "evidenceCount": evidence(for: finding.id).count,
                "documentation": PatternID(rawValue: finding.id)?.documentationAnchor ?? "",
            ]
        }
        let custom = detection.customPatterns.map { finding -> [String: Any] in
            [
                "id": finding.id, "idCode": MarkdownText.codeSpan(finding.id), "title": finding.title,
                "present": finding.present, "mark": stateMark(finding), "summary": finding.summary,
                "skipped": finding.skippedReason != nil, "skippedReason": skippedReason(finding),
                "remediation": finding.remediation, "evidence": evidence(for: finding.id),
                "hasDocumentation": finding.documentation != nil, "documentation": finding.documentation ?? "",
                "kinds": finding.evidenceKinds.map(\.rawValue).joined(separator: ", "),
                "hasKinds": !finding.evidenceKinds.isEmpty,
                "hasConfidence": finding.confidence != nil, "confidence": finding.confidence?.rawValue ?? "",
                "confidenceReason": finding.confidenceReason ?? "",
            ]
        }
        let infrastructureRows: [[String: Any]] = [
            ["label": "Message system", "mark": mark(detection.hasMessageSystem),
             "value": messageSystemLabel(detection), "present": detection.hasMessageSystem, "evidence": evidence(for: "message-system")],
            ["label": "Event log", "mark": mark(detection.hasEventLog),
             "value": detection.hasEventLog ? "found" : "missing", "present": detection.hasEventLog, "evidence": evidence(for: "event-log")],
            ["label": "Inbox structure", "mark": mark(detection.hasInboxStructure),
             "value": detection.hasInboxStructure ? "found" : "missing", "present": detection.hasInboxStructure, "evidence": evidence(for: "inbox-structure")],
            ["label": "Agent configuration", "mark": mark(detection.hasAgentConfig),
             "value": detection.hasAgentConfig ? "found" : "missing", "present": detection.hasAgentConfig, "evidence": evidence(for: "agent-config")],
        ]
        // Each fact's confidence beside it (absent in reports written before it was kept).
        let factConfidence = Dictionary(
            (detection.infrastructureConfidence ?? []).map { ($0.fact, $0) }, uniquingKeysWith: { first, _ in first })
        let infrastructure = zip(infrastructureRows, ["message-system", "event-log", "inbox-structure", "agent-config"]).map { row, fact in
            var row = row
            row["hasConfidence"] = factConfidence[fact] != nil
            row["confidence"] = factConfidence[fact]?.confidence.rawValue ?? ""
            row["confidenceReason"] = factConfidence[fact]?.reason ?? ""
            return row
        }
        let parts: [[String: Any]] = (detection.parts ?? []).map { part in
            ["path": part.path, "pathCode": MarkdownText.codeSpan(part.path), "findings": part.findings.joined(separator: ", ")]
        }
        let metricNames: [(ScoreFactor.Metric, String)] = [
            (.complexity, "Complexity score"), (.hours, "Seed formula hours"), (.risk, "Risk score"),
        ]
        let breakdown = metricNames.map { metric, title -> [String: Any] in
            let factors = complexity.breakdown.filter { $0.metric == metric }
            let total: String =
                switch metric {
                case .complexity: "\(complexity.complexityScore) → \(complexity.complexityLevel.displayName)"
                case .hours: "\(complexity.estimatedHours) hours"
                case .risk: "\(complexity.riskScore) → \(complexity.riskLevel.rawValue)"
                }
            return [
                "title": title, "total": total, "hasFactors": !factors.isEmpty,
                "factors": factors.map { factor -> [String: Any] in
                    ["term": term(factor), "reason": factor.reason, "factor": factor.factor]
                },
            ]
        }
        let steps = plan.steps.map { step -> [String: Any] in
            [
                "number": step.number, "title": step.title, "phase": step.phase.rawValue,
                "duration": step.duration,
                "durationHoursLow": formatHours(step.durationHours.low), "durationHoursHigh": formatHours(step.durationHours.high),
                "durationHours": step.durationHours.text, "risk": step.risk.rawValue.uppercased(), "riskLevel": step.risk.rawValue,
                "description": step.description,
                "hasCommands": !step.commands.isEmpty, "commands": block(step.commands),
                "fence": MarkdownText.fence(for: step.commands),
                "documentation": step.documentation ?? "", "hasDocumentation": step.documentation != nil,
                "documentationCode": step.documentation.map(MarkdownText.codeSpan) ?? "",
            ].merging(touchPointKeys(step)) { first, _ in first }
        }
        let rollback = plan.rollbackStrategy.stages.enumerated().map { index, stage -> [String: Any] in
            [
                "number": index + 1, "title": stage.title, "actions": stage.actions,
                "hasCommands": !stage.commands.isEmpty, "commands": block(stage.commands),
                "indentedCommands": block(stage.commands.map { "   " + $0 }),
                "fence": MarkdownText.fence(for: stage.commands),
            ]
        }
        let testing = [plan.testingStrategy.unit, plan.testingStrategy.integration, plan.testingStrategy.performance]
            .map { suite -> [String: Any] in
                [
                    "name": suite.name, "purpose": suite.purpose, "checks": suite.checks,
                    "hasCommands": !suite.commands.isEmpty, "commands": block(suite.commands),
                    "fence": MarkdownText.fence(for: suite.commands),
                ]
            }
        let phases = plan.timeline.phases.map { phase -> [String: Any] in
            [
                "phase": phase.phase.rawValue, "title": phase.phase.rawValue.prefix(1).uppercased() + phase.phase.rawValue.dropFirst(),
                "percent": phase.percent, "hours": formatHours(phase.hours), "hoursValue": phase.hours,
                "hoursText": phase.range.text, "stepsText": plural(phase.steps, "step"),
            ]
        }
        let warnings = detection.warnings.map { warning -> [String: Any] in
            [
                "locationCode": MarkdownText.codeSpan(warning.line.map { "\(warning.path):\($0)" } ?? warning.path),
                "location": warning.line.map { "\(warning.path):\($0)" } ?? warning.path,
                "message": warning.message,
            ]
        }
        let strategy = plan.recommendedStrategy
        let discovery: [String: Any]? = detection.discovery.map { discovery in
            [
                "reason": discovery.reason, "requestedPath": discovery.requestedPath,
                "requestedCode": MarkdownText.codeSpan(discovery.requestedPath),
                "chosen": discovery.chosen ?? "", "chosenCode": MarkdownText.codeSpan(discovery.chosen ?? ""),
                "candidates": discovery.candidates.map { candidate -> [String: Any] in
                    [
                        "path": candidate.path, "pathCode": MarkdownText.codeSpan(candidate.path),
                        "markers": candidate.markers.joined(separator: ", "), "strength": candidate.strength,
                    ]
                },
            ]
        }
        var context: [String: Any] = [
            "hasDiscovery": discovery != nil,
            "toolName": report.tool.name, "toolVersion": report.tool.version,
            "schemaVersion": report.schemaVersion,
            "generatedAt": report.generatedAt,
            "targetPath": report.targetPath, "targetCode": MarkdownText.codeSpan(report.targetPath),
            "existingCount": detection.existingPatterns.count, "patternCount": detection.patterns.count,
            "gapCount": detection.gaps.count,
            "messageSystem": messageSystemLabel(detection),
            "scale": detection.estimatedScale.rawValue, "scaleUpper": detection.estimatedScale.rawValue.uppercased(),
            "platform": detection.platform,
            "agents": detection.estimatedAgents, "users": detection.estimatedUsers,
            "messagesPerDay": detection.estimatedMessagesPerDay, "messageFiles": detection.messageFiles,
            "recentMessageFiles": detection.recentMessageFiles,
            // The counts with their nouns, singular for one ("1 message per day").
            "agentsText": plural(detection.estimatedAgents, "agent"), "usersText": plural(detection.estimatedUsers, "user"),
            "messagesPerDayText": plural(detection.estimatedMessagesPerDay, "message") + " per day",
            "messageFilesText": plural(detection.messageFiles, "message file"),
            "recentMessageFilesText": plural(detection.recentMessageFiles, "message file"),
            "breakingText": plural(complexity.breakingChanges.count, "breaking change"),
            "complexity": complexity.complexityLevel.displayName,
            "complexityUpper": complexity.complexityLevel.rawValue.uppercased(),
            "complexityLevel": complexity.complexityLevel.rawValue,
            "complexityScore": complexity.complexityScore,
            "hours": complexity.estimatedHours,
            "risk": complexity.riskLevel.rawValue, "riskUpper": complexity.riskLevel.rawValue.uppercased(),
            "riskScore": complexity.riskScore,
            "breakingChanges": complexity.breakingChanges, "breakingCount": complexity.breakingChanges.count,
            "hasBreakingChanges": !complexity.breakingChanges.isEmpty,
            "dataMigration": report.dataMigrationSummary,
            "dataMigrationRequired": complexity.dataMigrationRequired,
            "timeline": plan.estimatedTimeline,
            "effortMeaning": EffortWording.headline,
            "effort": plan.stepHoursTotal.text, "effortEstimate": plan.timeline.effortEstimate,
            "seedFormulaMeaning": EffortWording.seedFormula,
            "planRisk": plan.riskAssessment.level.rawValue, "planRiskUpper": plan.riskAssessment.level.rawValue.uppercased(),
            "riskRule": plan.riskAssessment.rule,
            "hasSteps": !plan.steps.isEmpty, "noSystem": plan.noSystem ?? "",
            "stepHoursTotal": plan.stepHoursTotal.text,
            "stepHoursLow": formatHours(plan.stepHoursTotal.low), "stepHoursHigh": formatHours(plan.stepHoursTotal.high),
            "stepTotalMeaning": EffortWording.stepTotal,
            "stepCount": plan.steps.count,
            "strategyName": strategy.name, "strategyId": strategy.strategy.rawValue,
            "strategyReason": strategy.reason, "strategyApproach": strategy.approach,
            "strategyTimeline": strategy.timeline,
            "infrastructure": infrastructure,
            "hasParts": !parts.isEmpty, "parts": parts, "partCount": parts.count,
            "hasSystemMap": !(detection.systemMap?.isEmpty ?? true),
            "systemMapCount": detection.systemMap?.countLine ?? "",
            "systemMapAgents": (detection.systemMap?.nodes(.agent) ?? []).map(\.label).joined(separator: ", "),
            "hasSystemMapAgents": !(detection.systemMap?.nodes(.agent) ?? []).isEmpty,
            "systemMapChannels": systemMapChannels(detection.systemMap),
            "systemMapPrograms": systemMapPrograms(detection.systemMap),
            "systemMapTable": detection.systemMap.map(SystemMapText.markdownTable) ?? "",
            "systemMapMermaid": detection.systemMap.map(SystemMapText.mermaid) ?? "",
            "patterns": patterns,
            "existingPatterns": patterns.filter { $0["present"] as? Bool == true },
            "missingPatterns": patterns.filter { $0["present"] as? Bool == false && $0["skipped"] as? Bool == false },
            "skippedPatterns": patterns.filter { $0["skipped"] as? Bool == true },
            "hasSkipped": detection.patterns.contains { $0.skippedReason != nil },
            "hasPolicy": report.policy != nil, "policySource": report.policy?.source ?? "",
            "policySourceCode": MarkdownText.codeSpan(report.policy?.source ?? ""),
            "policyChanges": report.policy?.changes ?? [],
            "hasExisting": !detection.existingPatterns.isEmpty, "hasGaps": !detection.gaps.isEmpty,
            "customPatterns": custom, "hasCustomPatterns": !custom.isEmpty,
            "breakdown": breakdown,
            "steps": steps,
            "rollbackStages": rollback,
            "rollbackTime": plan.rollbackStrategy.timeToRollback,
            "dataLossRisk": plan.rollbackStrategy.dataLossRisk,
            "testSuites": testing,
            "targetMessagesPerDay": plan.testingStrategy.targetMessagesPerDay,
            "acceptanceCriteria": plan.testingStrategy.acceptanceCriteria,
            "phases": phases,
            "mitigations": plan.riskAssessment.mitigations,
            "successCriteria": plan.successCriteria,
            "warnings": warnings, "hasWarnings": !warnings.isEmpty, "warningCount": warnings.count,
            "scanFiles": report.scan.files, "scanDirectories": report.scan.directories,
            "scanSkipped": report.scan.skipped, "scanElapsedMs": report.scan.elapsedMs,
        ]
        context["messagesFromDatabase"] = detection.messageVolumeFromDatabase
        context["messagesPerDayBasis"] = detection.database?.messagesPerDayBasis ?? ""
        context["hasDatabase"] = detection.database != nil
        context["hasDataVolume"] = plan.timeline.dataVolume != nil
        context["dataVolume"] = plan.timeline.dataVolume?.summary ?? ""
        // Mustache treats a present key as true, even when it holds nil.
        if let discovery { context["discovery"] = discovery }
        if let database = detection.database { context["database"] = databaseContext(database) }
        return context
    }

    /// The database measurement, for the "Database" part of the current system.
    static func databaseContext(_ database: DatabaseMeasurement) -> [String: Any] {
        let tables = database.tables.map { table -> [String: Any] in
            [
                "name": table.name, "nameCode": MarkdownText.codeSpan(table.name), "role": table.role.rawValue,
                "matchedBy": table.matchedBy,
                "rows": table.rows.map { plural($0, "row") } ?? "rows not counted",
                "hasBytes": table.bytes != nil, "bytes": table.bytes.map(ByteCount.describe) ?? "",
                "hasTimestamp": table.timestampColumn != nil, "timestampColumn": table.timestampColumn ?? "",
                "timestampCode": MarkdownText.codeSpan(table.timestampColumn ?? ""),
            ]
        }
        return [
            "engine": database.engine, "location": database.location,
            "locationCode": MarkdownText.codeSpan(database.location),
            "source": database.source, "sourceCode": MarkdownText.codeSpan(database.source),
            "readOnly": database.readOnly, "tablesExamined": database.tablesExamined, "tablesExaminedText": plural(database.tablesExamined, "table"),
            "tables": tables, "hasTables": !tables.isEmpty,
            "messageRows": database.messageRows.map { "\($0)" } ?? "unknown", "eventRows": database.eventRows.map { "\($0)" } ?? "unknown",
            "perDay": database.messagesPerDay.map { "\($0)" } ?? "not measured",
            "perDayBasis": database.messagesPerDayBasis,
            "agents": database.agents.map { "\($0)" } ?? "not measured",
            "hasRange": database.firstTimestamp != nil && database.lastTimestamp != nil,
            "firstTimestamp": database.firstTimestamp ?? "", "lastTimestamp": database.lastTimestamp ?? "",
            "volume": database.volumeSummary,
            "hasDatabaseBytes": database.databaseBytes != nil,
            "databaseBytes": database.databaseBytes.map(ByteCount.describe) ?? "",
        ]
    }

    static func messageSystemLabel(_ detection: DetectionResult) -> String {
        if let type = detection.databaseType, detection.messageSystemType == .database {
            return "database (\(type))"
        }
        return detection.messageSystemType.rawValue
    }

    static func evidenceItem(_ item: Evidence) -> [String: Any] {
        [
            "kind": item.kind.rawValue, "location": item.location,
            "locationCode": MarkdownText.codeSpan(item.location), "detail": item.detail, "subject": item.subject.rawValue,
        ]
    }

    /// Lines for a fenced code block, control characters neutralised.
    static func block(_ lines: [String]) -> String {
        lines.map { line in
            String(String.UnicodeScalarView(line.unicodeScalars.map { ShellQuoting.isControl($0) ? "\u{FFFD}" : $0 }))
        }.joined(separator: "\n")
    }

    static func term(_ factor: ScoreFactor) -> String {
        let value = formatNumber(factor.contribution)
        switch factor.operation {
        case .add: return factor.contribution < 0 ? "−\(formatNumber(-factor.contribution))" : "+\(value)"
        case .base: return value
        case .multiply: return "×\(value)"
        }
    }

    /// 6 → "6", 0.6 → "0.6", 2.25 → "2.25".
    static func formatHours(_ hours: Double) -> String { formatNumber(hours) }

    static func formatNumber(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100
        let fraction = abs(hundredths % 100)
        if fraction == 0 { return "\(whole)" }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10)" }
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The map's channels, each with what it is and holds and where it was seen.
    static func systemMapChannels(_ map: SystemMap?) -> [[String: Any]] {
        guard let map else { return [] }
        return map.nodes(.channel).map { channel in
            [
                "label": channel.label, "labelCode": MarkdownText.codeSpan(channel.label),
                "summary": SystemMapText.channelSummary(channel, in: map),
                "location": channel.location, "locationCode": MarkdownText.codeSpan(channel.location),
            ]
        }
    }

    /// A step's touch points, as both templates print them.
    static func touchPointKeys(_ step: MigrationStep) -> [String: Any] {
        [
            "hasTouchPoints": !(step.touchPoints ?? []).isEmpty,
            "touchPoints": (step.touchPoints ?? []).map { point -> [String: Any] in
                ["location": point.location, "locationCode": MarkdownText.codeSpan(point.location), "why": point.why]
            },
            "touchPointsOmitted": step.touchPointsOmitted ?? 0, "hasTouchPointsOmitted": (step.touchPointsOmitted ?? 0) > 0,
        ]
    }

    /// The map's programs, each with the channels it writes and reads ("inbox/<agent>/ (line 22)").
    static func systemMapPrograms(_ map: SystemMap?) -> [[String: Any]] {
        guard let map else { return [] }
        return map.nodes(.program).map { program in
            func channels(_ kind: SystemMap.EdgeKind) -> String {
                let names = map.edges(from: program.id, kind).compactMap { edge in
                    map.node(edge.to).map { "\($0.label) (line \(edge.line.map(String.init) ?? "?"))" }
                }
                return names.isEmpty ? "—" : names.joined(separator: ", ")
            }
            return ["label": program.label, "labelCode": MarkdownText.codeSpan(program.label), "writes": channels(.writes), "reads": channels(.reads)]
        }
    }
}
