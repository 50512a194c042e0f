import OneGridModel

/// Writes `patrol/dlq_YYYYMMDD.jsonl[.gz]`: one JSON object a line, tickets reappearing with a
/// later `updated_at` (and sometimes an older version arriving in a later file).
final class PatrolSampleWriter {
    private struct DayFile {
        let file: OutputFile
        var rng: SplitMix64
        var lines = 0
    }

    private let context: GenerationContext
    private let truth: TruthWriter
    private var days: [DayFile] = []
    private var sequence: [String: Int] = [:]
    private(set) var files: [String] = []
    private(set) var lines = 0

    init(context: GenerationContext, truth: TruthWriter) throws {
        self.context = context
        self.truth = truth
        guard context.options.patrolRecords > 0 else { return }
        try FileSystem.makeDirectories(context.directory + "/patrol")
        for day in 0..<context.patrolDays {
            let gzip = context.options.gzipAll || (context.quirks.contains(.gzip) && day % 4 == 3)
            let name = "patrol/dlq_\(context.ymd(day: day)).jsonl" + (gzip ? ".gz" : "")
            days.append(DayFile(file: try OutputFile(path: context.directory + "/" + name, encoding: .utf8, gzip: gzip),
                                rng: SplitMix64(seed: context.options.seed, stream: 22, index: UInt64(day))))
            files.append(name)
        }
    }

    private struct State {
        var status: String
        var at: Int64
        var action: String
        var dept: String?
    }

    /// Writes every version of one ticket and its truth; returns its ticket_id.
    func emit(_ plan: IncidentPlan, _ report: IncidentPlan.Report, day: Int) throws -> String {
        var rng = context.rng(.patrol, plan, report)
        let q = context.quirks
        let address = context.registry.addresses[plan.addressIndex]
        let place = context.place(plan.addressIndex)
        let grid = address.gridCode!
        let seqKey = place.districtCode + context.ymd(day: day)
        sequence[seqKey, default: 0] += 1
        let ticket = "DLQ-\(place.districtCode)-\(context.ymd(day: day))-\(Fmt.pad(sequence[seqKey]!, 6))"

        // The reporter: a worker serving the grid, the full-time one most often.
        let rows = context.registry.workersByGrid[grid] ?? []
        let full = rows.filter { context.registry.workers[$0].role == .fullTime }
        let chosen = !full.isEmpty && rng.chance(0.7) ? full[0] : rows[rng.below(rows.count)]
        let worker = context.registry.workers[chosen]
        let workerPerson = context.registry.workerPeople[worker.workerID]!

        let t0 = report.time
        var states = [State(status: "reported", at: t0, action: "上报", dept: nil)]
        let selfResolved = rng.chance(0.3)
        if selfResolved {
            let done = t0 + Int64(rng.int(in: 300...3600))
            states.append(State(status: "closed", at: done, action: "自行处置", dept: nil))
            states.append(State(status: "closed", at: done + Int64(rng.int(in: 60...1800)), action: "结案", dept: nil))
        } else if rng.chance(0.05) {
            states.append(State(status: "rejected", at: t0 + Int64(rng.int(in: 1800...86_400)), action: "退回", dept: nil))
        } else {
            var t = t0 + Int64(rng.int(in: 600...3 * 3600))
            states.append(State(status: "dispatched", at: t, action: "派单", dept: context.department(plan.issue, place)))
            t += Int64(rng.int(in: 3600...2 * 86_400))
            states.append(State(status: "processing", at: t, action: "处置", dept: nil))
            t += Int64(rng.int(in: 3600...3 * 86_400))
            states.append(State(status: "closed", at: t, action: "结案", dept: nil))
        }
        // (file day, index of the last state shown)
        func lastState(asOf day: Int) -> Int { states.lastIndex { $0.at <= context.dayEnd(day) }! }
        var versions = [(day, lastState(asOf: day))]
        if q.contains(.updates) && rng.chance(0.3) {
            for s in states.dropFirst() {
                let d = Int((s.at - context.start) / 86_400)
                if d > versions.last!.0, d < context.patrolDays { versions.append((d, lastState(asOf: d))) }
            }
        }
        if q.contains(.outOfOrder) && rng.chance(0.08), versions.last!.1 > 0, versions.last!.0 + 1 < context.patrolDays {
            versions.append((versions.last!.0 + 1, versions.last!.1 - 1))
        }

        // Fixed parts.
        let gridField: String?
        if q.contains(.staleGrid) && rng.chance(0.05) {
            gridField = nil
        } else if q.contains(.staleGrid) && rng.chance(0.05), let other = context.registry.neighbours[grid]?.first {
            gridField = other
        } else {
            gridField = grid
        }
        let coordSys = q.contains(.coordSystems) ? rng.weighted([60, 20, 12, 8]) : 0
        let gcj = Datums.gcj02(fromWGS84: address.location!)
        let point: Coordinate
        switch coordSys {
        case 2: point = Datums.bd09(fromGCJ02: gcj)
        case 3: point = address.location!
        default: point = gcj
        }
        let epoch = q.contains(.epochTimes) && rng.chance(0.15)
        let numbersAsStrings = q.contains(.stringNumbers) && rng.chance(0.08)
        let extra = q.contains(.extraFields) && rng.chance(0.12)
        func time(_ t: Int64) -> String { epoch ? String(t * 1000) : Fmt.jsonString(Fmt.isoOffset(t)) }
        func number(_ v: Double) -> String { numbersAsStrings ? "\"\(Fmt.fixed(v, 6))\"" : Fmt.fixed(v, 6) }
        let description = rng.pick(plan.issue.findings) + "，" + context.shortAddress(place, &rng) + "。"
        let photos = rng.int(in: 0...3)
        let category = context.patrolCategory(plan.issue, &rng)

        try truth.event(.patrol, key: ticket, address: address, incident: plan.id, people: [workerPerson.personID])
        for (fileDay, upTo) in versions {
            let current = states[upTo]
            var line = "{\"ticket_id\":\"\(ticket)\","
            if let gridField { line += "\"grid_code\":\"\(gridField)\"," }
            line += "\"reporter\":{\"worker_id\":\"\(worker.workerID)\",\"name\":\(Fmt.jsonString(worker.name)),\"role\":\"\(worker.role.rawValue)\"},"
            line += "\"reported_at\":\(time(t0)),\"category\":\(Fmt.jsonString(category)),"
            line += "\"description\":\(Fmt.jsonString(description)),"
            line += "\"location\":{\"lng\":\(number(point.lng)),\"lat\":\(number(point.lat)),"
            switch coordSys {
            case 0: line += "\"coord_sys\":\"gcj02\","
            case 2: line += "\"coord_sys\":\"bd09\","
            case 3: line += "\"coord_sys\":\"wgs84\","
            default: break
            }
            line += "\"address\":\(Fmt.jsonString(context.shortAddress(place, &rng)))},"
            line += "\"self_resolved\":\(selfResolved),\"status\":\"\(current.status)\",\"updated_at\":\(time(current.at)),"
            line += "\"timeline\":[" + states[0...upTo].map { s in
                "{\"at\":\(time(s.at)),\"action\":\(Fmt.jsonString(s.action))" + (s.dept.map { ",\"dept\":\(Fmt.jsonString($0))" } ?? "") + "}"
            }.joined(separator: ",") + "],"
            line += "\"photos\":[" + (0..<photos).map { "\"photo/\(context.ymd(day: day))/\(ticket)-\($0 + 1).jpg\"" }.joined(separator: ",") + "]"
            if extra { line += ",\"app_version\":\"3.\(rng.int(in: 1...6)).\(rng.int(in: 0...9))\",\"device\":{\"os\":\"Android\",\"model\":\"HUAWEI\"}" }
            line += "}"
            var f = days[fileDay]
            if q.contains(.invalidLines) && (f.lines == 6 || f.rng.chance(0.02)) {
                if f.rng.chance(0.5) {
                    line = String(line.prefix(line.count * 2 / 3)) // cut short: a failed write
                } else {
                    line.removeLast()
                    line += ",}"
                }
            }
            if q.contains(.blankLines) && (f.lines == 3 || f.rng.chance(0.01)) { try f.file.write("\n") }
            f.lines += 1
            try f.file.write(line + "\n")
            days[fileDay].rng = f.rng
            days[fileDay].lines = f.lines
            lines += 1
        }
        return ticket
    }

    func close() throws {
        for d in days { try d.file.close() }
    }
}
