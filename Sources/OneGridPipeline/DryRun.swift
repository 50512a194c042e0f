import Foundation
import GRDB
import OneGridFeeds
import OneGridMapping
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// What a dry-run found: everything an import would do, nothing written.
public struct DryRunReport: Sendable, Codable {
    /// One file's findings.
    public struct FileReport: Sendable, Codable {
        public var path: String
        public var encoding: String?
        public var gzip: Bool
        public var counts: FileCounts
        public var failure: String?
        public var missingColumns: [String]
        public var unknownColumns: [String]
    }

    /// A reject reason with its count and first examples.
    public struct RejectGroup: Sendable, Codable {
        public var reason: String
        public var count: Int
        public var examples: [Example]
    }

    /// Where a reject happened and what it held (identifiers masked).
    public struct Example: Sendable, Codable {
        public var file: String
        public var line: Int
        public var field: String?
        public var value: String?
        public var message: String
    }

    public var feed: String
    public var mappingHash: String
    public var files: [FileReport] = []
    public var totals = FileCounts()
    public var rejects: [RejectGroup] = []
    /// Target field → share of mapped events where it is filled (0…1).
    public var coverage: [String: Double] = [:]
    /// Field → value → count of values missing from value maps and crosswalks.
    public var unmappedValues: [String: [String: Int]] = [:]
    /// Place match method → count.
    public var placeMatches: [String: Int] = [:]
    public var noGridShare: Double = 0
    /// A few fully mapped records, people masked.
    public var samples: [[String: String]] = []
}

/// Runs the import path without writing: read, map, resolve and classify against the
/// current warehouse opened read-only (or an empty one when none exists).
public struct DryRun {
    public let mapping: Mapping
    public let paths: WorkspacePaths

    public init(mapping: Mapping, paths: WorkspacePaths) {
        self.mapping = mapping
        self.paths = paths
    }

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

        var report = DryRunReport(feed: mapping.feed, mappingHash: mapping.hash)
        var groups: [String: DryRunReport.RejectGroup] = [:]
        var filled: [String: Int] = [:]
        var events = 0
        var noGrid = 0
        for path in files {
            var fileReport = DryRunReport.FileReport(path: path, encoding: nil, gzip: false, counts: FileCounts(), failure: nil,
                                                     missingColumns: [], unknownColumns: [])
            do {
                try warehouse.read { db in
                    let reader = try FeedReaders.open(path: path, format: mapping.format, options: mapping.readOptions)
                    fileReport.encoding = reader.encoding.rawValue
                    fileReport.gzip = reader.isGzip
                    let mapper = try RecordMapper(mapping: mapping, header: reader.header, file: path)
                    mapper.headerCellCount = reader.header?.count
                    fileReport.missingColumns = mapper.headerReport.missing
                    fileReport.unknownColumns = mapper.headerReport.unknown
                    let classifier = FileLoad(readOnly: db, feed: mapping.feed, exportDate: mapping.exportDate(fileName: path),
                                              rules: resolution.linkingRules)
                    var counts = FileCounts()
                    try importer.process(reader: reader, mapper: mapper, counts: &counts, observe: { _, mapped, event in
                        guard case .event(let draft, let findings)? = mapped, let event else { return }
                        events += 1
                        for name in Coverage.filled(draft) { filled[name, default: 0] += 1 }
                        for f in findings where f.code == "unmapped_value" {
                            report.unmappedValues[f.field, default: [:]][f.rawValue ?? "", default: 0] += 1
                        }
                        report.placeMatches[event.place.method.rawValue, default: 0] += 1
                        if event.place.gridCode == nil { noGrid += 1 }
                        if report.samples.count < 3 { report.samples.append(Coverage.sample(event)) }
                    }, limit: limit) { outcome in
                        switch outcome {
                        case .event(let event):
                            return try classifier.classify(event)
                        case .reject(let position, let reason, let field, let message, let raw):
                            var group = groups[reason] ?? DryRunReport.RejectGroup(reason: reason, count: 0, examples: [])
                            group.count += 1
                            if group.examples.count < 3 {
                                let value = String(decoding: raw.prefix(160), as: UTF8.self)
                                group.examples.append(.init(file: path, line: position.line, field: field,
                                                            value: FreeText.redact(value), message: message))
                            }
                            groups[reason] = group
                            return nil
                        }
                    }
                    fileReport.counts = counts
                }
            } catch {
                fileReport.failure = (error as? FeedError)?.description ?? "\(error)"
            }
            report.totals.read += fileReport.counts.read
            report.totals.new += fileReport.counts.new
            report.totals.updated += fileReport.counts.updated
            report.totals.unchanged += fileReport.counts.unchanged
            report.totals.rejected += fileReport.counts.rejected
            report.totals.skipped += fileReport.counts.skipped
            report.files.append(fileReport)
        }
        report.rejects = groups.values.sorted { $0.count > $1.count || ($0.count == $1.count && $0.reason < $1.reason) }
        report.coverage = Dictionary(uniqueKeysWithValues: Coverage.targets.map { ($0, events == 0 ? 0 : Double(filled[$0, default: 0]) / Double(events)) })
        report.noGridShare = events == 0 ? 0 : Double(noGrid) / Double(events)
        return report
    }
}

/// Which unified fields a draft fills, for coverage figures.
enum Coverage {
    static let targets = ["reported_at", "dispatched_at", "closed_at", "channel", "nature", "category", "status", "title",
                          "content", "handling_unit", "satisfaction", "place.address", "place.division", "place.point",
                          "grid_code", "parties", "parties.id_number", "parties.phone", "steps"]

    static func filled(_ d: EventDraft) -> [String] {
        var out: [String] = []
        func add(_ name: String, _ present: Bool) { if present { out.append(name) } }
        add("reported_at", d.reportedAt != nil)
        add("dispatched_at", d.dispatchedAt != nil)
        add("closed_at", d.closedAt != nil)
        add("channel", d.channel != nil)
        add("nature", d.nature != nil)
        add("category", d.category != nil)
        add("status", d.status != nil)
        add("title", d.title != nil)
        add("content", d.content != nil)
        add("handling_unit", d.handlingUnit != nil)
        add("satisfaction", d.satisfaction != nil)
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

    static func sample(_ e: ResolvedEvent) -> [String: String] {
        let d = e.draft
        var s: [String: String] = ["source_key": d.sourceKey]
        s["reported_at"] = d.reportedAt?.beijingText
        s["category"] = d.category
        s["status"] = d.status?.rawValue
        s["title"] = d.title
        s["place"] = d.place.address
        s["grid"] = e.place.gridCode
        s["match"] = e.place.method.rawValue
        s["people"] = zip(d.parties, e.people).map { "\($0.role):\($1.maskedName ?? "?")/\($1.maskedPhone ?? "-")" }.joined(separator: "; ")
        s["steps"] = d.steps.map { "\($0.action)@\($0.at?.beijingText ?? "?")" }.joined(separator: " → ")
        return s
    }
}
