import Foundation
import OneGridCodecs
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
    /// Examples kept per reject reason (and per dropped field and reason), and fully mapped
    /// records kept.
    public var examplesPerReason = 3
    public var sampleCount = 3
    /// Unmatched place texts listed.
    public var unmatchedPlaceCount = 20

    public init(mapping: Mapping, paths: WorkspacePaths) {
        self.mapping = mapping
        self.paths = paths
    }

    /// The report of reading `files`, at most `limit` records each.
    public func run(files: [String], limit: Int? = nil) throws -> DryRunReport {
        // Never create, migrate or touch anything of the warehouse; none at all means every
        // record is new.
        let snapshot = try WarehouseSnapshot(path: paths.warehouse)
        defer { snapshot.remove() }
        let warehouse = snapshot.warehouse
        let key = (try? PIIKey.load(path: paths.keyFile)) ?? PIIKey.generate()
        let workspace = Workspace(paths: paths, warehouse: warehouse, key: key)
        let resolution = try Resolution(warehouse: warehouse)
        let importer = FileImporter(workspace: workspace, mapping: mapping, resolution: resolution)

        var tally = Tally()
        var report = DryRunReport(feed: mapping.feed, format: mapping.format.rawValue, mappingPath: mapping.path,
                                  mappingHash: mapping.hash, limit: limit)
        // Keys carry from file to file, as the warehouse carries them from one import to the next.
        let seen = try SeenKeys()
        for path in mapping.loadOrder(files) {
            var fileReport = DryRunReport.FileReport(path: path, encoding: nil, gzip: false, counts: FileCounts(), failure: nil,
                                                     missingSources: [], unusedSources: [])
            var usage = SourceFieldUsage()
            do {
                try warehouse.classifyFile(feed: mapping.feed, exportDate: mapping.exportDate(fileName: path),
                                           rules: resolution.linkingRules, seen: seen) { classifier in
                    let reader = try FeedReaders.open(path: path, format: mapping.format, options: mapping.readOptions)
                    fileReport.encoding = reader.encoding.rawValue
                    fileReport.gzip = reader.isGzip
                    let mapper = try RecordMapper(mapping: mapping, header: reader.header, file: path)
                    fileReport.missingSources = mapper.headerReport.missing
                    fileReport.unusedSources = mapper.headerReport.unknown
                    var counts = FileCounts()
                    let nameColumns = mapping.personNameColumns
                    var rejectedNames: [String] = []
                    try importer.process(reader: reader, mapper: mapper, counts: &counts, observe: { record, mapped, event in
                        if let record { usage.observe(record) }
                        switch mapped {
                        case .skipped(let reason)?:
                            tally.skips[reason, default: 0] += 1
                        case .rejected?:
                            // The names in the record, for the example's raw record below: the
                            // name columns' cells, and what the party name rules read (XML, JSON).
                            if let record {
                                rejectedNames = mapper.personNames(in: record)
                                if case .row(let cells) = record.content {
                                    rejectedNames += zip(reader.header ?? [], cells)
                                        .filter { nameColumns.contains(TextNormalization.clean($0.0) ?? $0.0) }.map(\.1)
                                }
                            }
                        case .event(let draft, let findings)?:
                            guard let event else { return }
                            // The report shows what the warehouse would store: texts masked.
                            let shown = event.freeTextRedacted
                            tally.add(draft, findings: shown.findings, event: shown)
                            let line = record?.position.line ?? event.position.line
                            for f in findings where !f.isCrosswalkSuggestion {
                                tally.drop(f, keep: examplesPerReason, example: .init(
                                    file: path, line: line, value: f.rawValue.map { SourceValueMask.standard.show($0, as: .text) },
                                    message: SourceValueMask.standard.wholeText(f.message)))
                            }
                            if report.samples.count < sampleCount { report.samples.append(Coverage.sample(shown)) }
                        case nil:
                            break
                        }
                    }, limit: limit) { outcome in
                        switch outcome {
                        case .event(let event):
                            return try classifier.classify(event)
                        case .reject(let position, let reason, let field, let message, let raw, let value):
                            // Shown only through the masking rule: the whole record decoded in the
                            // file's encoding, then masked and cut (never bytes cut mid-character).
                            let mask = SourceValueMask.standard
                            var record = RawRecordText.decode(raw, encoding: fileReport.encoding)
                            for name in rejectedNames.sorted(by: { $0.count > $1.count }) where !name.isEmpty {
                                record = record.replacingOccurrences(of: name, with: mask.show(name, as: .personName))
                            }
                            rejectedNames = []
                            tally.reject(reason: reason, keep: examplesPerReason, example: .init(
                                file: path, line: position.line, field: field, value: value.map { mask.show($0, as: .text) },
                                message: mask.wholeText(message),
                                record: SourceValueMask(limit: 160).show(record, as: .text)))
                            return nil
                        }
                    }
                    fileReport.counts = counts
                    fileReport.paddedRows = reader.paddedRows
                }
            } catch {
                fileReport.failure = SourceValueMask.standard.wholeText((error as? FeedError)?.description ?? "\(error)")
            }
            if fileReport.failure == nil { try seen.keepFile() } else { try seen.forgetFile() }
            if mapping.format.addressing == .paths {
                fileReport.missingSources = usage.missing(from: mapping)
                fileReport.unusedSources = usage.unused(by: mapping).map(\.path)
            }
            // Header cells are source values too: a file without its header row offers a
            // record's cells (a name, a phone) as column names.
            fileReport.unusedSources = fileReport.unusedSources.map { SourceValueMask.standard.show($0, as: .text) }
            report.totals.read += fileReport.counts.read
            report.totals.new += fileReport.counts.new
            report.totals.updated += fileReport.counts.updated
            report.totals.unchanged += fileReport.counts.unchanged
            report.totals.rejected += fileReport.counts.rejected
            report.totals.skipped += fileReport.counts.skipped
            report.totals.findings += fileReport.counts.findings
            report.files.append(fileReport)
        }
        tally.finish(into: &report, mapping: mapping, places: unmatchedPlaceCount)
        return report
    }
}

/// The warehouse as a dry-run reads it, without writing a byte of its file, -wal or -shm.
///
/// A warehouse whose WAL is empty or absent is opened immutable (no lock, no -shm). One with
/// transactions still in its WAL (an import running, or one killed) cannot be: an immutable
/// open ignores the WAL (issue #12: "new 49" predicted for a file already loaded) and any
/// other open may write the -shm index. So the file and its WAL are copied into a private
/// scratch folder (0700, removed afterwards) and the copy is opened: SQLite rebuilds its
/// index from the copied WAL there. The WAL is copied before the file, and both are copied
/// again if either changed meanwhile: a checkpoint between the two copies only moves pages
/// the copied WAL holds anyway.
struct WarehouseSnapshot {
    let warehouse: Warehouse
    /// The scratch folder of a copy, nil when the warehouse was opened in place.
    let scratch: String?

    init(path: String) throws {
        let files = FileManager.default
        guard files.fileExists(atPath: path) else {
            warehouse = try Warehouse(inMemory: ())
            scratch = nil
            return
        }
        guard Self.size(path + "-wal") > 0 else {
            warehouse = try Warehouse(readOnlyPath: path)
            scratch = nil
            return
        }
        var template = Array((NSTemporaryDirectory() + "onegrid-dry-run-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        let folder = String(cString: made)
        let copy = folder + "/warehouse.sqlite"
        do {
            for attempt in 1...3 {
                let before = [Self.stamp(path + "-wal"), Self.stamp(path)]
                for suffix in ["", "-wal"] where files.fileExists(atPath: copy + suffix) { try files.removeItem(atPath: copy + suffix) }
                try files.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
                try files.copyItem(atPath: path, toPath: copy)
                if [Self.stamp(path + "-wal"), Self.stamp(path)] == before || attempt == 3 { break }
            }
            warehouse = try Warehouse(path: copy, create: false)
        } catch {
            try? files.removeItem(atPath: folder)
            throw error
        }
        scratch = folder
    }

    /// Removes the scratch copy, if any.
    func remove() {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
    }

    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Size and modification time, to tell whether a file changed while it was copied.
    static func stamp(_ path: String) -> [Double] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        return [Double(info.st_size), Double(info.st_mtim.tv_sec), Double(info.st_mtim.tv_nsec)]
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
    var dropped: [String: DryRunReport.DroppedValue] = [:]
    /// Unmatched place texts by count; at most `placeTextLimit` distinct texts are counted,
    /// later new ones only in `otherUnmatched`, so memory stays bounded on any file.
    var unmatchedPlaces: [String: Int] = [:]
    var otherUnmatched = 0
    static let placeTextLimit = 10_000

    mutating func add(_ draft: EventDraft, findings: [Finding], event: ResolvedEvent) {
        events += 1
        for name in Coverage.filled(draft) { filled[name, default: 0] += 1 }
        for f in findings where f.code == RejectReason.unmappedValue.code {
            unmapped[f.field, default: [:]][f.rawValue ?? "", default: 0] += 1
        }
        matches[event.place.method.rawValue, default: 0] += 1
        if event.place.gridCode == nil { noGrid += 1 }
        if event.place.method == .none, let text = TextNormalization.clean(event.draft.place.address) {
            if unmatchedPlaces[text] != nil || unmatchedPlaces.count < Self.placeTextLimit {
                unmatchedPlaces[text, default: 0] += 1
            } else {
                otherUnmatched += 1
            }
        }
    }

    mutating func drop(_ finding: Finding, keep: Int, example: DryRunReport.DroppedExample) {
        let id = finding.field + "\u{1F}" + finding.code
        var group = dropped[id] ?? DryRunReport.DroppedValue(field: finding.field, reason: finding.code, count: 0, examples: [])
        group.count += 1
        if group.examples.count < keep { group.examples.append(example) }
        dropped[id] = group
    }

    mutating func reject(reason: RejectReason, keep: Int, example: DryRunReport.Example) {
        var group = rejects[reason.code] ?? DryRunReport.RejectGroup(reason: reason.code, count: 0, examples: [])
        group.count += 1
        if group.examples.count < keep { group.examples.append(example) }
        rejects[reason.code] = group
    }

    func finish(into report: inout DryRunReport, mapping: Mapping, places: Int) {
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
        report.droppedValues = dropped.values.sorted { ($1.count, $0.field, $0.reason) < ($0.count, $1.field, $1.reason) }
        let ranked = unmatchedPlaces.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        report.unmatchedPlaces = ranked.prefix(places).map { .init(place: $0.key, count: $0.value) }
        report.unmatchedPlacesOther = otherUnmatched + ranked.dropFirst(places).reduce(0) { $0 + $1.value }
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

/// A raw record's bytes as text: decoded with its file's encoding (GB18030 through the
/// `Transcoder`), UTF-8 otherwise or when the bytes do not convert.
enum RawRecordText {
    static func decode(_ raw: [UInt8], encoding: String?) -> String {
        if encoding.flatMap(TextEncodingName.init(rawValue:)) == .gb18030,
           let utf8 = try? Transcoder(from: .gb18030, to: .utf8).convert(raw) {
            return String(decoding: utf8, as: UTF8.self)
        }
        return String(decoding: raw, as: UTF8.self)
    }
}
