import Foundation
import OneGridFeeds
import OneGridMapping
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// Runs the import path without writing: read, map, resolve and classify against the
/// current warehouse opened read-only (or an empty one when none exists).
public struct DryRun {
    public let mapping: Mapping
    public let paths: WorkspacePaths
    /// Examples kept per reject reason, and fully mapped records kept.
    public var examplesPerReason = 3
    public var sampleCount = 3

    public init(mapping: Mapping, paths: WorkspacePaths) {
        self.mapping = mapping
        self.paths = paths
    }

    /// The report of reading `files`, at most `limit` records each.
    public func run(files: [String], limit: Int? = nil) throws -> DryRunReport {
        // Never create or migrate anything: an existing warehouse is opened read-only and
        // immutable (no -wal/-shm files either); none at all means every record is new.
        let warehouse: Warehouse
        if FileManager.default.fileExists(atPath: paths.warehouse) {
            warehouse = try Warehouse(readOnlyPath: paths.warehouse)
        } else {
            warehouse = try Warehouse(inMemory: ())
        }
        let key = (try? PIIKey.load(path: paths.keyFile)) ?? PIIKey.generate()
        let workspace = Workspace(paths: paths, warehouse: warehouse, key: key)
        let resolution = try Resolution(warehouse: warehouse)
        let importer = FileImporter(workspace: workspace, mapping: mapping, resolution: resolution)

        var tally = Tally()
        var report = DryRunReport(feed: mapping.feed, format: mapping.format.rawValue, mappingPath: mapping.path,
                                  mappingHash: mapping.hash, limit: limit)
        for path in files {
            var fileReport = DryRunReport.FileReport(path: path, encoding: nil, gzip: false, counts: FileCounts(), failure: nil,
                                                     missingSources: [], unusedSources: [])
            var usage = SourceFieldUsage()
            do {
                try warehouse.classifyFile(feed: mapping.feed, exportDate: mapping.exportDate(fileName: path),
                                           rules: resolution.linkingRules) { classifier in
                    let reader = try FeedReaders.open(path: path, format: mapping.format, options: mapping.readOptions)
                    fileReport.encoding = reader.encoding.rawValue
                    fileReport.gzip = reader.isGzip
                    let mapper = try RecordMapper(mapping: mapping, header: reader.header, file: path)
                    fileReport.missingSources = mapper.headerReport.missing
                    fileReport.unusedSources = mapper.headerReport.unknown
                    var counts = FileCounts()
                    try importer.process(reader: reader, mapper: mapper, counts: &counts, observe: { record, mapped, event in
                        if let record { usage.observe(record) }
                        switch mapped {
                        case .skipped(let reason)?:
                            tally.skips[reason, default: 0] += 1
                        case .rejected?:
                            break
                        case .event(let draft, let findings)?:
                            guard let event else { return }
                            tally.add(draft, findings: findings, event: event)
                            if report.samples.count < sampleCount { report.samples.append(Coverage.sample(event)) }
                        case nil:
                            break
                        }
                    }, limit: limit) { outcome in
                        switch outcome {
                        case .event(let event):
                            return try classifier.classify(event)
                        case .reject(let position, let reason, let field, let message, let raw, let value):
                            tally.reject(reason: reason, keep: examplesPerReason, example: .init(
                                file: path, line: position.line, field: field, value: value.map(FreeText.redact), message: message,
                                record: FreeText.redact(String(decoding: raw.prefix(160), as: UTF8.self))))
                            return nil
                        }
                    }
                    fileReport.counts = counts
                }
            } catch {
                fileReport.failure = (error as? FeedError)?.description ?? "\(error)"
            }
            if mapping.format != .csv {
                fileReport.missingSources = usage.missing(from: mapping)
                fileReport.unusedSources = usage.unused(by: mapping).map(\.path)
            }
            report.totals.read += fileReport.counts.read
            report.totals.new += fileReport.counts.new
            report.totals.updated += fileReport.counts.updated
            report.totals.unchanged += fileReport.counts.unchanged
            report.totals.rejected += fileReport.counts.rejected
            report.totals.skipped += fileReport.counts.skipped
            report.totals.findings += fileReport.counts.findings
            report.files.append(fileReport)
        }
        tally.finish(into: &report, mapping: mapping)
        return report
    }
}

/// The running counts of a dry-run, turned into the report's sorted lists at the end.
struct Tally {
    var events = 0
    var noGrid = 0
    var filled: [String: Int] = [:]
    var unmapped: [String: [String: Int]] = [:]
    var matches: [String: Int] = [:]
    var skips: [String: Int] = [:]
    var rejects: [String: DryRunReport.RejectGroup] = [:]

    mutating func add(_ draft: EventDraft, findings: [Finding], event: ResolvedEvent) {
        events += 1
        for name in Coverage.filled(draft) { filled[name, default: 0] += 1 }
        for f in findings where f.code == "unmapped_value" {
            unmapped[f.field, default: [:]][f.rawValue ?? "", default: 0] += 1
        }
        matches[event.place.method.rawValue, default: 0] += 1
        if event.place.gridCode == nil { noGrid += 1 }
    }

    mutating func reject(reason: String, keep: Int, example: DryRunReport.Example) {
        var group = rejects[reason] ?? DryRunReport.RejectGroup(reason: reason, count: 0, examples: [])
        group.count += 1
        if group.examples.count < keep { group.examples.append(example) }
        rejects[reason] = group
    }

    func finish(into report: inout DryRunReport, mapping: Mapping) {
        func share(_ n: Int) -> Double { events == 0 ? 0 : Double(n) / Double(events) }
        report.events = events
        report.rejects = rejects.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
        report.skips = skips.map { .init(reason: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
        let targets = Set(mapping.targetNames)
        report.coverage = Coverage.fields.map { field in
            let n = filled[field.name, default: 0]
            return .init(field: field.name, mapped: field.targets.contains { targets.contains($0) }, filled: n, share: share(n))
        }
        report.unmappedValues = unmapped.flatMap { field, values in values.map { .init(field: field, value: $0.key, count: $0.value) } }
            .sorted { ($0.field, -$0.count, $0.value) < ($1.field, -$1.count, $1.value) }
        report.placeMatches = PlaceMatchMethod.allCases.map { m in
            let n = matches[m.rawValue, default: 0]
            return .init(method: m.rawValue, count: n, share: share(n))
        }
        report.noGridShare = share(noGrid)
    }
}

/// Which unified fields a draft fills, for coverage figures.
enum Coverage {
    /// A coverage line: its name and the mapping targets that fill it.
    struct Field { var name: String; var targets: [String] }

    static let fields: [Field] = [
        .init(name: "reported_at", targets: ["reported_at"]), .init(name: "dispatched_at", targets: ["dispatched_at"]),
        .init(name: "closed_at", targets: ["closed_at"]), .init(name: "channel", targets: ["channel"]),
        .init(name: "nature", targets: ["nature"]), .init(name: "urgency", targets: ["urgency"]),
        .init(name: "source_category", targets: ["source_category", "source_category_code"]),
        .init(name: "category", targets: ["category"]), .init(name: "status", targets: ["status"]),
        .init(name: "title", targets: ["title"]), .init(name: "content", targets: ["content"]),
        .init(name: "handling_unit", targets: ["handling_unit"]), .init(name: "result", targets: ["result"]),
        .init(name: "satisfaction", targets: ["satisfaction"]), .init(name: "repeat_of", targets: ["repeat_of"]),
        .init(name: "place.address", targets: ["place.address"]),
        .init(name: "place.division", targets: ["place.district", "place.street", "place.community"]),
        .init(name: "place.point", targets: ["place.lng", "place.lat"]), .init(name: "grid_code", targets: ["grid_code"]),
        .init(name: "parties", targets: ["parties.name", "parties.id_number", "parties.phone", "parties.worker_id"]),
        .init(name: "parties.id_number", targets: ["parties.id_number"]), .init(name: "parties.phone", targets: ["parties.phone"]),
        .init(name: "steps", targets: ["steps.at", "steps.action"]),
    ]

    static func filled(_ d: EventDraft) -> [String] {
        var out: [String] = []
        func add(_ name: String, _ present: Bool) { if present { out.append(name) } }
        add("reported_at", d.reportedAt != nil)
        add("dispatched_at", d.dispatchedAt != nil)
        add("closed_at", d.closedAt != nil)
        add("channel", d.channel != nil)
        add("nature", d.nature != nil)
        add("urgency", d.urgency != nil)
        add("source_category", d.sourceCategory != nil || d.sourceCategoryCode != nil)
        add("category", d.category != nil)
        add("status", d.status != nil)
        add("title", d.title != nil)
        add("content", d.content != nil)
        add("handling_unit", d.handlingUnit != nil)
        add("result", d.result != nil)
        add("satisfaction", d.satisfaction != nil)
        add("repeat_of", d.repeatOf != nil)
        add("place.address", d.place.address != nil)
        add("place.division", d.place.district != nil || d.place.street != nil || d.place.community != nil)
        add("place.point", d.place.point != nil)
        add("grid_code", d.givenGridCode != nil)
        add("parties", !d.parties.isEmpty)
        add("parties.id_number", d.parties.contains { $0.idNumber != nil })
        add("parties.phone", d.parties.contains { $0.phone != nil })
        add("steps", !d.steps.isEmpty)
        return out
    }

    static func sample(_ e: ResolvedEvent) -> DryRunReport.Sample {
        let d = e.draft
        return .init(sourceKey: d.sourceKey, reportedAt: d.reportedAt?.beijingText, category: d.category,
                     status: d.status?.rawValue, title: d.title, place: d.place.address, grid: e.place.gridCode,
                     match: e.place.method.rawValue,
                     people: zip(d.parties, e.people).map { "\($0.role):\($1.maskedName ?? "?")/\($1.maskedPhone ?? "-")" }
                        .joined(separator: "; "),
                     steps: d.steps.map { "\($0.action)@\($0.at?.beijingText ?? "?")" }.joined(separator: " → "))
    }
}
