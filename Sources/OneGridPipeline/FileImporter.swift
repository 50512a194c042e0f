import Crypto
import Foundation
import OneGridCodecs
import OneGridFeeds
import OneGridMapping
import OneGridModel
import OneGridPrivacy
import OneGridWarehouse

/// The outcome of one file, for logs, summaries and exit codes.
public struct FileResult: Sendable, Codable, Hashable {
    public enum State: String, Sendable, Codable {
        case loaded
        case alreadyLoaded = "already_loaded"
        case failed
        case overThreshold = "over_threshold"
        /// Not a regular file (a FIFO, device, directory, or a symlink not followed): never
        /// opened as a feed, no `source_file` row, the reason in `message`.
        case skipped
    }

    public var path: String
    public var feed: String
    public var state: State
    public var counts: FileCounts
    public var encoding: String?
    public var gzip: Bool
    public var message: String?
    public var seconds: Double
    public var bytes: Int64
    /// Failed because the file changed while it was read: leave it where it is and try it
    /// again on the next run, when it is complete (not part of the JSON log line).
    public var retryLater = false

    enum CodingKeys: String, CodingKey {
        case path, feed, state, counts, encoding, gzip, message, seconds, bytes
    }

    public init(path: String, feed: String, state: State, counts: FileCounts, encoding: String?, gzip: Bool,
                message: String?, seconds: Double, bytes: Int64) {
        self.path = path
        self.feed = feed
        self.state = state
        self.counts = counts
        self.encoding = encoding
        self.gzip = gzip
        self.message = message
        self.seconds = seconds
        self.bytes = bytes
    }

    /// `12345_20200623.csv: read 120 = new 100 + updated 10 + unchanged 0 + rejected 8 + skipped 2`
    public var reconciliationLine: String {
        let c = counts
        let name = (path as NSString).lastPathComponent
        switch state {
        case .alreadyLoaded: return "\(name): already loaded (same SHA-256), skipped"
        case .failed: return "\(name): FAILED: \(message ?? "")"
        case .skipped: return "\(name): skipped: \(message ?? "")"
        default:
            var line = "\(name): read \(c.read) = new \(c.new) + updated \(c.updated) + unchanged \(c.unchanged) + rejected \(c.rejected) + skipped \(c.skipped)"
            if state == .overThreshold { line += " — OVER REJECT THRESHOLD, nothing loaded: \(message ?? "")" }
            return line
        }
    }
}

/// The per-file reject limit (as DataX's errorLimit): a count and a share, the share
/// applying once `minimumRecords` have been read. Crossing either fails the file whole.
public struct RejectThreshold: Sendable, Hashable, Codable {
    public var maxRejected: Int?
    public var maxShare: Double?
    public var minimumRecords: Int

    public init(maxRejected: Int? = nil, maxShare: Double? = nil, minimumRecords: Int = 100) {
        self.maxRejected = maxRejected
        self.maxShare = maxShare
        self.minimumRecords = minimumRecords
    }

    public static let none = RejectThreshold()

    func isCrossed(_ c: FileCounts) -> String? {
        if let maxRejected, c.rejected > maxRejected {
            return "\(c.rejected) rejected records exceed the limit of \(maxRejected)"
        }
        if let maxShare, c.read >= minimumRecords, Double(c.rejected) / Double(max(1, c.read)) > maxShare {
            let share = Double(c.rejected) / Double(c.read) * 100
            return String(format: "%.1f%% rejected exceeds the limit of %.1f%% (after %d records)", share, maxShare * 100, c.read)
        }
        return nil
    }
}

/// Reads, maps, resolves and loads files of one feed: the heart of `import`, `run`,
/// `reload` and (without writing) `dry-run`.
public final class FileImporter {
    public let workspace: Workspace
    public let mapping: Mapping
    private let resolutionSource: () throws -> Resolution
    private var builtResolution: Resolution?
    let tokenizer: PersonTokenizer
    let sealer: RecordSealer
    public var threshold: RejectThreshold = .none
    /// Reprocessing under a changed mapping: records of the same version replace the
    /// current ones (see `FileLoad.remapping`).
    public var remapping = false
    /// Called every few thousand records with (records, bytes consumed, file size).
    public var progress: ((Int, Int64, Int64) -> Void)?

    public convenience init(workspace: Workspace, mapping: Mapping, resolution: Resolution) {
        self.init(workspace: workspace, mapping: mapping, resolving: { resolution })
    }

    /// Builds the resolution indexes with `resolving` when a file first needs them, so a run
    /// whose files are all loaded already never pays for them (a city's address list takes
    /// a second or two to index).
    public init(workspace: Workspace, mapping: Mapping, resolving: @escaping () throws -> Resolution) {
        self.workspace = workspace
        self.mapping = mapping
        resolutionSource = resolving
        tokenizer = PersonTokenizer(key: workspace.key)
        sealer = RecordSealer(key: workspace.key)
    }

    /// The resolution indexes, built on first use.
    func resolution() throws -> Resolution {
        if let builtResolution { return builtResolution }
        let built = try resolutionSource()
        builtResolution = built
        return built
    }

    struct Stop: Error { var state: FileResult.State; var message: String; var counts: FileCounts }

    /// Imports one file in one transaction. Already-loaded files (same SHA-256, loaded)
    /// are skipped unless `force`.
    public func importFile(_ path: String, runID: Int64?, force: Bool = false) -> FileResult {
        let started = Date()
        var result = FileResult(path: path, feed: mapping.feed, state: .loaded, counts: FileCounts(), encoding: nil,
                                gzip: false, message: nil, seconds: 0, bytes: 0)
        let warehouse = workspace.warehouse
        let sha: String
        do {
            sha = try FileFingerprint.sha256(path: path)
            result.bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        } catch {
            // A FIFO, device or directory named like a feed file is passed over, never read.
            let kind = (error as? ByteIOError)?.kind
            result.state = kind == .notRegularFile ? .skipped : .failed
            result.retryLater = kind == .changedWhileRead
            result.message = SourceValueMask.standard.wholeText("\(error)")
            return result
        }
        if !force, (try? warehouse.isLoaded(sha256: sha)) == true {
            result.state = .alreadyLoaded
            return result
        }
        let info = SourceFileInfo(feed: mapping.feed, path: path, sha256: sha, size: result.bytes, encoding: nil,
                                  gzip: false, mappingHash: mapping.hash, exportDate: mapping.exportDate(fileName: path))
        do {
            // Built before the write: building reads the warehouse, and GRDB is not reentrant.
            let rules = try resolution().linkingRules
            let tap = FingerprintTap()
            let reader = try FeedReaders.open(path: path, format: mapping.format, options: mapping.readOptions, tap: tap)
            result.encoding = reader.encoding.rawValue
            result.gzip = reader.isGzip
            var fileInfo = info
            fileInfo.encoding = reader.encoding.rawValue
            fileInfo.gzip = reader.isGzip
            fileInfo.headerRaw = reader.recordContext
            result.counts = try warehouse.loadFile(runID: runID, file: fileInfo, rules: rules, now: Int64(Date().timeIntervalSince1970),
                                                   unlessLoaded: !force, bulk: true) { load -> FileCounts in
                load.remapping = remapping
                let mapper = try RecordMapper(mapping: mapping, header: reader.header, file: path)
                var counts = FileCounts()
                try process(reader: reader, mapper: mapper, counts: &counts, redacting: true) { item in
                    switch item {
                    case .event(let event):
                        // Already redacted by the workers (`redacting: true`).
                        return try load.load(event)
                    case .reject(let position, let reason, let field, let message, let raw, _):
                        try load.reject(position: position, reason: reason, field: field, message: SourceValueMask.standard.wholeText(message),
                                        sealedRaw: sealer.seal(raw))
                        return nil
                    }
                }
                // The ledger keeps the fingerprint taken before reading: the bytes loaded must be those.
                guard tap.count == result.bytes, tap.sha256 == sha else {
                    throw FeedError(kind: .changedWhileRead, position: SourcePosition(file: path, line: 0),
                                    message: "the file changed after it was fingerprinted (\(result.bytes) bytes then, \(tap.count) read): try again when it is complete")
                }
                try load.finish(counts: counts, state: .loaded, message: nil, now: Int64(Date().timeIntervalSince1970))
                return counts
            }
        } catch let stop as Stop {
            result.state = stop.state
            result.message = SourceValueMask.standard.wholeText(stop.message)
            result.counts = stop.counts
            recordFailure(info, result: result, runID: runID)
        } catch is Warehouse.AlreadyLoaded {
            // Another process loaded the same bytes between the fingerprint and this transaction.
            result.state = .alreadyLoaded
        } catch let error as FeedError where error.kind == .notRegularFile {
            result.state = .skipped
            result.message = error.description
        } catch let error as FeedError {
            result.state = .failed
            result.message = SourceValueMask.standard.wholeText(error.description)
            result.retryLater = error.kind == .changedWhileRead
            recordFailure(info, result: result, runID: runID)
        } catch {
            result.state = .failed
            result.message = SourceValueMask.standard.wholeText("\(path): \(error)")
            recordFailure(info, result: result, runID: runID)
        }
        result.seconds = Date().timeIntervalSince(started)
        return result
    }

    /// A failed file leaves a `source_file` row (nothing else) so `status` can show it.
    func recordFailure(_ info: SourceFileInfo, result: FileResult, runID: Int64?) {
        guard let rules = try? resolution().linkingRules else { return }
        _ = try? workspace.warehouse.loadFile(runID: runID, file: info, rules: rules, now: Int64(Date().timeIntervalSince1970)) { load in
            try load.finish(counts: result.counts, state: result.state == .overThreshold ? .overThreshold : .failed,
                            message: result.message, now: Int64(Date().timeIntervalSince1970))
        }
    }

    /// What the loop hands to its sink.
    enum Outcome {
        case event(ResolvedEvent)
        case reject(SourcePosition, reason: RejectReason, field: String?, message: String, raw: [UInt8], value: String?)
    }

    /// The shared read → map → resolve loop of import and dry-run. Reading, mapping and
    /// resolving run on their own threads (`StagedReading`); counting, the reject threshold,
    /// `observe` and `sink` run here, on the calling thread (the single SQLite writer of an
    /// import), in file order. Counts read, rejected and skipped; the sink counts new /
    /// updated / unchanged. The outcome is that of a one-thread loop: same order, same
    /// counts, same errors (a reader error or the reject threshold ends the file after the
    /// records before it). With `redacting`, the sink gets each event as the warehouse stores
    /// it (`freeTextRedacted`, computed on the workers) and `observe` still the clear one.
    func process(reader: any FeedReader, mapper: RecordMapper, counts: inout FileCounts,
                 observe: ((SourceRecord?, MappedRecord?, ResolvedEvent?) -> Void)? = nil,
                 limit: Int? = nil, redacting: Bool = false, sink: (Outcome) throws -> LoadOutcome?) throws {
        let front = StagingWork(importer: self, mapper: mapper, redacting: redacting)
        let fileSize = reader.fileSize
        let memoSize = PlaceMemo.totalLimit / max(1, workers)
        let resolution = try resolution()
        let staged = StagedReading(reader: reader, workers: workers, makeState: { PlaceMemo(resolution: resolution, limit: memoSize) },
                                   stage: { item, places in
                                       front.importer.stage(item, mapper: front.mapper, redacting: front.redacting, places: &places)
                                   })
        defer { staged.stop() }
        var bytes: Int64 = 0
        batches: while let batch = try staged.next() {
            bytes = batch.bytesConsumed
            for item in batch.items {
                counts.read += 1
                switch item {
                case .skippedByReader(let reason):
                    counts.skipped += 1
                    observe?(nil, .skipped(reason: reason), nil)
                case .unreadable(let bad):
                    counts.rejected += 1
                    _ = try sink(.reject(bad.position, reason: bad.reason.rejectReason, field: bad.position.field, message: bad.reason.description, raw: bad.raw, value: nil))
                case .notAnEvent(let record, let mapped):
                    observe?(record, mapped, nil)
                    if case .rejected(let r) = mapped {
                        counts.rejected += 1
                        _ = try sink(.reject(record.position.with(field: r.field), reason: r.reason, field: r.field, message: r.message, raw: record.raw, value: r.rawValue))
                    } else {
                        counts.skipped += 1
                    }
                case .event(let record, let mapped, let event, let stored):
                    observe?(record, mapped, event)
                    if let outcome = try sink(.event(stored ?? event)) { counts.count(outcome) }
                    counts.findings += event.findings.count
                }
                if let reason = threshold.isCrossed(counts) {
                    throw Stop(state: .overThreshold, message: reason, counts: counts)
                }
                if counts.read % 4096 == 0 { progress?(counts.read, bytes, fileSize) }
                if let limit, counts.read >= limit { break batches }
            }
        }
        progress?(counts.read, bytes, fileSize)
    }

    /// Threads that map and resolve records (the reading thread and the writer come on
    /// top): `ONEGRID_WORKERS` when set (to share a machine), else one per core but the
    /// writer's, up to 8 — a record costs the writer about what it costs a worker.
    public var workers = FileImporter.defaultWorkers
    public static var defaultWorkers: Int {
        if let text = ProcessInfo.processInfo.environment["ONEGRID_WORKERS"], let n = Int(text), n >= 1 { return min(n, 64) }
        return max(1, min(8, ProcessInfo.processInfo.activeProcessorCount - 1))
    }

    /// Maps and resolves one read item: pure, run on the worker threads.
    func stage(_ item: ReadItem, mapper: RecordMapper, redacting: Bool = false, places: inout PlaceMemo) -> StagedItem {
        switch item {
        case .skipped(_, let reason):
            return .skippedByReader(reason: reason)
        case .unreadable(let bad):
            // A footer is a short row: the mapping's skip rules judge a shape reject first.
            if let reason = mapper.skipReason(shapeReject: bad) { return .skippedByReader(reason: reason) }
            return .unreadable(bad)
        case .record(let record):
            let mapped = mapper.map(record)
            guard case .event(let draft, let findings) = mapped else { return .notAnEvent(record, mapped) }
            let event = resolve(draft, findings: findings, position: record.position, places: &places)
            return .event(record, mapped, event, stored: redacting ? event.freeTextRedacted : nil)
        }
    }

    /// What the workers share: the importer and the mapper, both read-only while a file is read.
    final class StagingWork: @unchecked Sendable {
        let importer: FileImporter
        let mapper: RecordMapper
        let redacting: Bool

        init(importer: FileImporter, mapper: RecordMapper, redacting: Bool) {
            self.importer = importer
            self.mapper = mapper
            self.redacting = redacting
        }
    }

    /// What a record gave about its place: the whole input of place resolution.
    struct PlaceInput: Hashable {
        var place: PlaceDraft
        var givenGridCode: String?
    }

    /// Places one worker resolved earlier (resolution is a pure function of `PlaceInput` and
    /// the reference registers read once per job): exports repeat the same addresses over
    /// and over, and normalising and matching one is the dearest step of a record. Bounded,
    /// so memory stays flat.
    struct PlaceMemo {
        private var places: [PlaceInput: ResolvedPlace] = [:]
        /// Places remembered by all workers together.
        static let totalLimit = 10_000
        let resolution: Resolution
        let limit: Int

        init(resolution: Resolution, limit: Int = PlaceMemo.totalLimit) {
            self.resolution = resolution
            self.limit = limit
        }

        mutating func place(for draft: EventDraft) -> ResolvedPlace {
            let input = PlaceInput(place: draft.place, givenGridCode: draft.givenGridCode)
            if let known = places[input] { return known }
            let place = resolution.place(for: draft)
            if places.count >= limit { places.removeAll(keepingCapacity: true) }
            places[input] = place
            return place
        }
    }

    func resolve(_ draft: EventDraft, findings: [Finding], position: SourcePosition, places: inout PlaceMemo) -> ResolvedEvent {
        let place = places.place(for: draft)
        let people = draft.parties.map { tokenizer.keys(for: $0) }
        let json = DraftJSON.encode(draft)
        let hash = Hex.encode(SHA256.hash(data: json).prefix(16))
        return ResolvedEvent(draft: draft, place: place, people: people, position: position, contentHash: hash,
                             sealedPayload: sealer.seal(json), findings: findings)
    }
}

/// SHA-256 of a whole file, streamed: the identity of a delivery whatever its name.
/// SHA-256 and length of the bytes a reader took from its file, to compare with the
/// fingerprint taken before reading.
final class FingerprintTap: ByteTap, @unchecked Sendable {
    private var hasher = SHA256()
    private(set) var count: Int64 = 0

    func consume(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
        count += Int64(bytes.count)
    }

    var sha256: String { Hex.encode(hasher.finalize()) }
}

public enum FileFingerprint {
    public static func sha256(path: String) throws -> String {
        let stream = try FileByteStream(path: path)
        var hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        while true {
            buffer.removeAll(keepingCapacity: true)
            let n = try stream.read(into: &buffer, maxCount: 1 << 20)
            if n == 0 { break }
            hasher.update(data: buffer)
        }
        return Hex.encode(hasher.finalize())
    }
}

extension ResolvedEvent {
    /// The event as the warehouse stores it: identifiers typed into any of its texts masked
    /// by `IdentifierScanner` (title, content, result, channel, nature, urgency, source
    /// category and status, handling unit, given grid code, the place as given and as
    /// resolved, party roles and worker ids, every step's action, unit and result) and the
    /// findings' messages and values shown as `SourceValueMask` shows them. The place was
    /// resolved from the clear text before this; the content hash and the sealed payload keep
    /// the clear draft, so masking never makes a record look changed. The source key and the
    /// key it repeats stay: they identify the record, and are a department's numbers.
    var freeTextRedacted: ResolvedEvent {
        var e = self
        let redact = IdentifierScanner.redact
        func mask(_ text: inout String?) { text = text.map(redact) }
        mask(&e.draft.title)
        mask(&e.draft.content)
        mask(&e.draft.result)
        mask(&e.draft.channel)
        mask(&e.draft.nature)
        mask(&e.draft.urgency)
        mask(&e.draft.sourceCategory)
        e.draft.sourceCategoryCode = e.draft.sourceCategoryCode.map(Self.maskCode)
        mask(&e.draft.sourceStatus)
        mask(&e.draft.handlingUnit)
        e.draft.givenGridCode = e.draft.givenGridCode.map(Self.maskCode)
        mask(&e.draft.place.address)
        mask(&e.draft.place.district)
        mask(&e.draft.place.street)
        mask(&e.draft.place.community)
        mask(&e.place.text)
        mask(&e.place.normalizedKey)
        mask(&e.place.compoundKey)
        // The key is stored as text (`compound:<community>|<compound>`…): masked in that form.
        e.place.incidentPlaceKey = e.place.incidentPlaceKey.map { IncidentPlaceKey(stored: redact($0.stored)) }
        mask(&e.place.conflict)
        for i in e.draft.parties.indices {
            e.draft.parties[i].role = redact(e.draft.parties[i].role)
            mask(&e.draft.parties[i].workerID)
        }
        for i in e.draft.steps.indices {
            e.draft.steps[i].action = redact(e.draft.steps[i].action)
            mask(&e.draft.steps[i].unit)
            mask(&e.draft.steps[i].result)
        }
        for i in e.findings.indices {
            e.findings[i].message = SourceValueMask.standard.wholeText(e.findings[i].message)
            e.findings[i].rawValue = e.findings[i].rawValue.map { SourceValueMask.standard.show($0, as: .text) }
        }
        return e
    }

    /// A code field (category code, grid code): identifiers masked as in text. A value that
    /// is no code — longer than 18 characters, or holding anything but letters, digits, `.`,
    /// `_` and `-` — is values glued together (a mapping's `concat` of shifted columns, which
    /// can join identifiers past what the scanner recognises): shown as a number field is.
    static func maskCode(_ code: String) -> String {
        let isCode = code.utf8.count <= 18 && code.utf8.allSatisfy { b in
            b &- 0x30 < 10 || (b | 0x20) &- 0x61 < 26 || b == 0x2E || b == 0x5F || b == 0x2D
        }
        return isCode ? IdentifierScanner.redact(code) : SourceValueMask.standard.show(code, as: .idNumber)
    }
}
