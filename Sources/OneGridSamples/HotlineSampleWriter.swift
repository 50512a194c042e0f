import OneGridModel

/// Writes `hotline/12345_YYYYMMDD.csv[.gz]`: one file a day, each in its own export style,
/// orders reappearing in later files as they progress.
final class HotlineSampleWriter {
    private struct DayFile {
        let file: OutputFile
        let style: HotlineFileStyle
        /// For each written column, its index in `SampleCatalog.hotlineColumns` (-1: the extra one).
        let layout: [Int]
        var rows = 0
        var rng: SplitMix64
    }

    private let context: GenerationContext
    private let truth: TruthWriter
    private var days: [DayFile] = []
    private var sequence: [Int] = []
    private(set) var files: [String] = []
    private(set) var rows = 0

    init(context: GenerationContext, truth: TruthWriter) throws {
        self.context = context
        self.truth = truth
        guard context.options.hotlineRecords > 0 else { return }
        try FileSystem.makeDirectories(context.directory + "/hotline")
        for day in 0..<context.hotlineDays {
            var rng = SplitMix64(seed: context.options.seed, stream: 20, index: UInt64(day))
            let style = context.options.hotlineStyles.map { $0[day % $0.count] }
                ?? HotlineFileStyle.rotation(day: day, quirks: context.quirks, gzipAll: context.options.gzipAll)
            let name = "hotline/12345_\(context.ymd(day: day)).csv" + (style.gzip ? ".gz" : "")
            let file = try OutputFile(path: context.directory + "/" + name, encoding: style.encoding, gzip: style.gzip)
            files.append(name)
            let columns = SampleCatalog.hotlineColumns
            var layout = Array(columns.indices)
            if style.olderExport { layout.removeAll { columns[$0] == "紧急程度" } }
            if style.shuffledColumns {
                // Keep the key first, as every export does; shuffle the rest.
                var rest = Array(layout.dropFirst())
                rng.shuffle(&rest)
                layout = [layout[0]] + rest
            }
            if style.extraColumn { layout.insert(-1, at: min(layout.count, 3 + rng.below(layout.count - 3))) }
            let headers = layout.map { i -> String in
                if i < 0 { return SampleCatalog.hotlineExtraColumn }
                var h = columns[i]
                if style.olderExport, let alias = SampleCatalog.hotlineAliases[h] { h = alias }
                if style.decoratedHeaders {
                    switch h {
                    case "经度": h = "经度（GCJ-02）"
                    case "纬度": h = " 纬度 "
                    case "工单状态": h = "工单状态 "
                    default: break
                    }
                }
                return h
            }
            try file.write(headers.map(Fmt.csvField).joined(separator: ",") + (style.crlf ? "\r\n" : "\n"))
            days.append(DayFile(file: file, style: style, layout: layout, rng: rng))
            sequence.append(0)
        }
    }

    /// The lifecycle of one order: each state and when it was reached.
    private enum State: Int { case pending, dispatched, processing, closed, visited, returned, withdrawn }

    /// Writes every version of one order and its truth; returns its 工单编号.
    func emit(_ plan: IncidentPlan, _ report: IncidentPlan.Report, day: Int, repeatOf: String?) throws -> String {
        var rng = context.rng(.hotline, plan, report)
        let q = context.quirks
        sequence[day] += 1
        let key = "NJ12345-\(context.ymd(day: day))-\(Fmt.pad(sequence[day], 6))"
        let address = context.registry.addresses[plan.addressIndex]
        let place = context.place(plan.addressIndex)
        let person = context.person(report.personIndex)
        let issue = plan.issue
        let t0 = report.time

        // Lifecycle.
        var states: [(State, Int64)] = [(.pending, t0)]
        let outcome = rng.weighted([86, 3, 3, 3, 5])
        let dispatch = t0 + Int64(rng.int(in: 600...3 * 3600))
        let close = dispatch + Int64(rng.int(in: 4 * 3600...5 * 86_400))
        let visit = close + Int64(rng.int(in: 6 * 3600...2 * 86_400))
        var titleVoided = false
        switch outcome {
        case 0:
            states += [(.dispatched, dispatch), (.processing, dispatch + (close - dispatch) / 3), (.closed, close), (.visited, visit)]
        case 1:
            states += [(.dispatched, dispatch), (.returned, dispatch + Int64(rng.int(in: 3600...86_400)))]
        case 2 where q.contains(.voided):
            states += [(.withdrawn, t0 + Int64(rng.int(in: 300...7200)))]
        case 3 where q.contains(.voided):
            titleVoided = true
            states += [(.dispatched, dispatch), (.closed, dispatch + 3600)]
        default:
            break // still waiting to be accepted
        }
        // The snapshots exported: the creation day, then (for some orders) every later day it changed.
        var snapshotDays = [day]
        if q.contains(.updates) && rng.chance(0.4) {
            for (_, at) in states.dropFirst() {
                let d = Int((at - context.start) / 86_400)
                if d > snapshotDays.last!, d < context.hotlineDays { snapshotDays.append(d) }
            }
        }

        // Fields that do not change between versions, by column name.
        var cells = [String](repeating: "", count: SampleCatalog.hotlineColumns.count)
        func set(_ column: String, _ value: String) { cells[SampleCatalog.hotlineColumns.firstIndex(of: column)!] = value }
        set("工单编号", key)
        set("诉求渠道", SampleCatalog.hotlineChannels[rng.weighted([70, 8, 12, 8, 2])])
        set("诉求类型", SampleCatalog.hotlineNatures[rng.weighted([8, 20, 50, 10, 5, 1, 1, 5])])
        set("紧急程度", SampleCatalog.urgencies[rng.weighted([90, 8, 2])])
        let partial = q.contains(.partialNames)
        switch rng.weighted(partial ? [80, 12, 5, 3] : [1, 0, 0, 0]) {
        case 0: set("来电人", context.isHeldOut ? context.heldOutName(person.name, &rng) : person.name)
        case 1: set("来电人", person.politeName)
        case 2: set("来电人", "")
        default: set("来电人", "匿名")
        }
        let phone = person.landline.flatMap { rng.chance(0.6) ? $0 : nil } ?? person.mobile
        set("来电号码", context.phoneText(phone, &rng, excel: true))
        set("证件号码", rng.chance(0.3) ? context.idText(person, &rng, excel: true) : "")
        let complaint = rng.pick(issue.complaints)
        let whereText = place.compound ?? (place.road + "\(place.number)号")
        set("标题", (titleVoided ? "[作废]" : "") + "反映" + whereText + context.titleWording(issue, feed: .hotline) + "问题")
        let free = context.freeAddress(place, &rng)
        var content = "来电人反映：" + free + "，" + complaint + "。"
        if q.contains(.multilineText) {
            if rng.chance(0.5) { content += "\n已多次反映,一直没有解决。" }
            if rng.chance(0.25) { content += "\n来电人称\"再不处理就向上级反映\"，要求尽快处理。" }
            content += rng.chance(0.6) ? "\n诉求：请相关部门尽快核实处理。" : "诉求：请尽快处理。"
        } else {
            content += "诉求：请相关部门尽快核实处理。"
        }
        set("诉求内容", content)
        let divisions = q.contains(.divisionNames)
        switch divisions ? rng.weighted([90, 5, 5]) : 0 {
        case 0: set("所属区", place.districtName)
        case 1: set("所属区", String(place.districtName.dropLast()))
        default: set("所属区", "")
        }
        switch divisions ? rng.weighted([85, 6, 4, 5]) : 0 {
        case 0: set("所属街道", place.streetName)
        case 1: set("所属街道", place.streetName + "办事处")
        case 2: set("所属街道", String(place.streetName.dropLast(2)))
        default: set("所属街道", "")
        }
        set("所属社区", divisions && rng.chance(0.12) ? "" : place.communityName)
        set("事发地址", free)
        if !(q.contains(.missingCoordinates) && rng.chance(0.2)) {
            let gcj = Datums.gcj02(fromWGS84: address.location!)
            set("经度", Fmt.fixed(gcj.lng, 6))
            set("纬度", Fmt.fixed(gcj.lat, 6))
        }
        set("承办单位", context.department(issue, place))
        let isRepeat = repeatOf != nil && context.quirks.contains(.repeats) && rng.chance(0.8)
        set("是否重复件", isRepeat ? "是" : "否")
        set("关联工单编号", isRepeat ? repeatOf! : "")
        var result = rng.pick(issue.results)
        if q.contains(.multilineText) && rng.chance(0.5) { result = "经核实,情况属实。\n" + result + "。\n已电话回复来电人，来电人表示\"认可\"。" }
        let satisfaction = SampleCatalog.satisfactions[rng.weighted([30, 40, 10, 8, 4, 8, 0])]
        let extra = "ZX" + Fmt.pad(rng.int(in: 1...420), 4)
        let separatorDash = rng.chance(0.3)
        let categoryPath = context.hotlinePath(issue, &rng)

        try truth.event(.hotline, key: key, address: address, incident: plan.id, people: [person.personID])
        for snapshotDay in snapshotDays {
            let asOf = context.dayEnd(snapshotDay)
            let current = states.last { $0.1 <= asOf }!
            var row = cells
            let style = days[snapshotDay].style
            func put(_ column: String, _ value: String) { row[SampleCatalog.hotlineColumns.firstIndex(of: column)!] = value }
            func date(_ t: Int64) -> String {
                var s = style.dateStyle
                if style.mixedDates && days[snapshotDay].rng.chance(0.05) { s = HotlineDateStyle.allCases[days[snapshotDay].rng.below(5)] }
                switch s {
                case .dashed: return Fmt.dashed(t)
                case .slashed: return Fmt.slashed(t)
                case .chinese: return Fmt.chinese(t)
                case .compact: return Fmt.compact(t)
                case .excelSerial: return Fmt.excelSerial(t)
                }
            }
            put("受理时间", date(t0))
            put("问题分类", categoryPath.joined(separator: style.olderExport ? (separatorDash ? "-" : "/") : ">"))
            let reached = states.filter { $0.1 <= asOf }.map(\.0)
            if let d = states.first(where: { $0.0 == .dispatched }), reached.contains(.dispatched) { put("派单时间", date(d.1)) }
            if let c = states.first(where: { $0.0 == .closed }), reached.contains(.closed) {
                put("办结时间", date(c.1))
                put("办理结果", titleVoided ? "重复登记，作废。" : result)
                put("满意度", reached.contains(.visited) ? satisfaction : "未评价")
            }
            if current.0 == .returned { put("办理结果", "非本单位职责，申请退单。") }
            put("工单状态", SampleCatalog.hotlineStatuses[current.0.rawValue])
            try writeRow(row, extra: extra, day: snapshotDay)
        }
        return key
    }

    private func writeRow(_ row: [String], extra: String, day: Int) throws {
        let eol = days[day].style.crlf ? "\r\n" : "\n"
        if context.quirks.contains(.blankLines) && days[day].rng.chance(0.015) { try days[day].file.write(eol) }
        var line = ""
        for (n, i) in days[day].layout.enumerated() {
            if n > 0 { line += "," }
            var value = i < 0 ? extra : row[i]
            if eol == "\r\n" && days[day].rng.chance(0.3) { value = value.replacingNewlines(with: "\r\n") }
            line += Fmt.csvField(value)
        }
        try days[day].file.write(line + eol)
        days[day].rows += 1
        rows += 1
    }

    func close() throws {
        for i in days.indices {
            let style = days[i].style
            let eol = style.crlf ? "\r\n" : "\n"
            if context.quirks.contains(.blankLines) && days[i].rng.chance(0.5) { try days[i].file.write(eol) }
            if style.footer {
                let padding = days[i].rng.chance(0.5) ? String(repeating: ",", count: days[i].layout.count - 1) : ""
                try days[i].file.write("合计：\(days[i].rows)条" + padding + eol)
            }
            try days[i].file.close()
        }
    }
}

extension String {
    func replacingNewlines(with eol: String) -> String {
        guard contains("\n") else { return self }
        return split(separator: "\n", omittingEmptySubsequences: false).joined(separator: eol)
    }
}
