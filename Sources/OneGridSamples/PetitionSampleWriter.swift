import OneGridModel

/// Writes `petition/xf_<unit>_YYYYMMDD.xml[.gz]`: one export a day, declared GB2312, UTF-8,
/// GBK or GB18030, petitions re-exported with more steps later, and a truncated copy of the
/// first file (`…_truncated.xml`).
final class PetitionSampleWriter {
    private struct DayFile {
        let file: OutputFile
        let declared: String
        var rng: SplitMix64
    }

    private let context: GenerationContext
    private let truth: TruthWriter
    private var days: [DayFile] = []
    private var truncated: OutputFile?
    private var truncatedCopies = 0
    private var sequence: [String: Int] = [:]
    private(set) var files: [String] = []
    private(set) var elements = 0

    init(context: GenerationContext, truth: TruthWriter) throws {
        self.context = context
        self.truth = truth
        guard context.options.petitionRecords > 0 else { return }
        try FileSystem.makeDirectories(context.directory + "/petition")
        let q = context.quirks
        for day in 0..<context.petitionDays {
            let declared = q.contains(.encodings) ? ["GB2312", "UTF-8", "GBK", "UTF-8", "GB18030"][day % 5] : "UTF-8"
            let gzip = context.options.gzipAll || (q.contains(.gzip) && day % 5 == 2)
            let base = "petition/xf_\(context.options.petitionUnitCode)_\(context.ymd(day: day))"
            let name = base + ".xml" + (gzip ? ".gz" : "")
            let encoding: SampleEncoding = declared == "UTF-8" ? .utf8 : .gb18030
            let file = try OutputFile(path: context.directory + "/" + name, encoding: encoding, gzip: gzip)
            files.append(name)
            try file.write(header(declared: declared, day: day))
            days.append(DayFile(file: file, declared: declared, rng: SplitMix64(seed: context.options.seed, stream: 21, index: UInt64(day))))
            if day == 0 && q.contains(.truncatedFile) {
                let tname = base + "_truncated.xml"
                truncated = try OutputFile(path: context.directory + "/" + tname, encoding: encoding, gzip: false)
                files.append(tname)
                try truncated!.write(header(declared: declared, day: day))
            }
        }
    }

    private func header(declared: String, day: Int) -> String {
        "<?xml version=\"1.0\" encoding=\"\(declared)\"?>\n"
            + "<XFExport xmlns=\"urn:njxf:exchange:1.0\" exportedAt=\"\(Fmt.isoOffset(context.dayStart(day) + 18 * 3600))\" unit=\"\(Fmt.xmlText(context.options.petitionUnitName))\">\n"
    }

    private struct Step {
        var at: Int64
        var action: String
        var unit: String
        var result: String?
        var status: String
    }

    /// Writes every export of one petition and its truth; returns its id.
    func emit(_ plan: IncidentPlan, _ report: IncidentPlan.Report, day: Int, repeatOf: String?) throws -> String {
        var rng = context.rng(.petition, plan, report)
        let q = context.quirks
        let address = context.registry.addresses[plan.addressIndex]
        let place = context.place(plan.addressIndex)
        let issue = plan.issue
        let t0 = report.time
        let seqKey = place.districtCode + context.ymd(day: day)
        sequence[seqKey, default: 0] += 1
        let id = "XF" + place.districtCode + context.ymd(day: day) + Fmt.pad(sequence[seqKey]!, 4)

        // Petitioners: one, or a collective with a lead and a few named members.
        let collective = q.contains(.collective) && rng.chance(0.1)
        var people = [context.person(report.personIndex)]
        if collective {
            for _ in 0..<rng.int(in: 1...3) {
                let other = context.person(rng.below(context.population))
                if !people.contains(where: { $0.personID == other.personID }) { people.append(other) }
            }
        }
        let leadPosition = collective && people.count > 1 && rng.chance(0.25) ? 1 : 0
        if leadPosition == 1 { people.swapAt(0, 1) }
        let headcount = collective ? rng.int(in: max(5, people.count)...40) : 1

        // Handling steps.
        let bureau = place.districtName + "信访局"
        var steps: [Step] = [Step(at: t0, action: "登记", unit: bureau, result: nil, status: "登记")]
        var t = t0 + Int64(rng.int(in: 1800...86_400))
        if rng.chance(0.05) {
            steps.append(Step(at: t, action: "不予受理", unit: bureau, result: "不属于信访受理范围，已告知信访人向有关部门反映。", status: "不予受理"))
        } else {
            steps.append(Step(at: t, action: "受理", unit: bureau, result: nil, status: "受理"))
            t += Int64(rng.int(in: 3600...2 * 86_400))
            steps.append(Step(at: t, action: "交办", unit: place.streetName, result: nil, status: "办理中"))
            t += Int64(rng.int(in: 86_400...6 * 86_400))
            steps.append(Step(at: t, action: "调查核实", unit: context.department(issue, place), result: nil, status: "办理中"))
            t += Int64(rng.int(in: 86_400...8 * 86_400))
            steps.append(Step(at: t, action: "办结", unit: place.streetName, result: rng.pick(issue.results) + "，已书面答复信访人。", status: "办结"))
        }
        var exportDays = [day]
        if q.contains(.updates) && rng.chance(0.3) {
            for s in steps.dropFirst() {
                let d = Int((s.at - context.start) / 86_400)
                if d > exportDays.last!, d < context.petitionDays { exportDays.append(d) }
            }
        }

        // Fixed parts.
        let timeStyle = q.contains(.timeForms) ? rng.weighted([60, 20, 20]) : 0
        func time(_ t: Int64) -> String {
            switch timeStyle {
            case 0: return Fmt.dashedMinutes(t)
            case 1: return Fmt.isoOffset(t)
            default: return Fmt.isoLocal(t)
            }
        }
        let variants = q.contains(.elementVariants)
        let form = SampleCatalog.petitionForms[rng.weighted([30, 35, 30, 5])]
        var petitionersXML = "    <Petitioners>\n"
        for (i, p) in people.enumerated() {
            petitionersXML += "      <Person" + (collective ? " lead=\"\(i == 0)\"" : (rng.chance(0.5) ? " lead=\"true\"" : "")) + ">\n"
            petitionersXML += "        <Name>\(Fmt.xmlText(context.isHeldOut ? context.heldOutName(p.name, &rng) : p.name))</Name>\n"
            if variants && rng.chance(0.1) {
                petitionersXML += rng.chance(0.5) ? "        <IdNo></IdNo>\n" : "        <IdNo/>\n"
            } else if !(variants && rng.chance(0.05)) {
                petitionersXML += "        <IdNo>\(Fmt.xmlText(context.idText(p, &rng, excel: false)))</IdNo>\n"
            }
            if !(variants && rng.chance(0.1)) {
                petitionersXML += "        <Phone>\(Fmt.xmlText(context.phoneText(p.landline.flatMap { rng.chance(0.5) ? $0 : nil } ?? p.mobile, &rng, excel: false)))</Phone>\n"
            }
            if !(variants && rng.chance(0.15)) {
                let home = context.registry.addresses[p.homeAddressIndex].address
                petitionersXML += "        <Address>\(Fmt.xmlText(rng.chance(0.5) ? home : String(home.dropFirst(3))))</Address>\n"
            }
            petitionersXML += "      </Person>\n"
        }
        petitionersXML += "    </Petitioners>\n"
        let whereText = place.compound ?? (place.road + "\(place.number)号")
        let subject = "    <Subject>\(Fmt.xmlText("反映" + whereText + context.titleWording(issue, feed: .petition) + "问题"))</Subject>\n"
        var content = "信访人反映：" + context.freeAddress(place, &rng) + rng.pick(issue.complaints) + "。"
        if q.contains(.markupInContent) && rng.chance(0.2) {
            content += rng.pick(["<附>现场照片3张</附>", "夜间噪声<55分贝的标准 & 白天<65分贝", "要求：1.立即整改 & 2.赔偿损失 <急>"])
        }
        content += "\n要求有关部门依法处理并答复。"
        let contentXML = "    <Content><![CDATA[\(content)]]></Content>\n"
        let category = context.petitionCategory(issue, &rng)
        let categoryXML = "    <Category code=\"\(category.code)\">\(Fmt.xmlText(category.label))</Category>\n"
        var attrs = " district=\"\(place.districtName)\""
        if !(variants && rng.chance(0.1)) { attrs += " street=\"\(place.streetName)\"" }
        if !(variants && rng.chance(0.15)) { attrs += " community=\"\(place.communityName)\"" }
        let locationText = place.compound.map { c in c + (place.building.map { context.building($0, &rng) } ?? "") } ?? (place.road + "\(place.number)号")
        let locationXML = "    <Location\(attrs)>\(Fmt.xmlText(locationText))</Location>\n"
        let repeatXML = repeatOf != nil && q.contains(.repeats) ? "    <RepeatOf>\(repeatOf!)</RepeatOf>\n" : ""
        let attachmentCount = q.contains(.attachments) && rng.chance(context.options.attachmentRate) ? rng.int(in: 1...2) : 0
        let shuffleSteps = q.contains(.stepOrder) && rng.chance(0.1)
        let nullStep = q.contains(.timeForms) && rng.chance(0.1) ? rng.below(2) : -1
        let subjectFirst = variants && rng.chance(0.1)
        let statusFirst = variants && rng.chance(0.08)
        let missingForm = variants && rng.chance(0.03)
        let attachmentSeed = rng.next()

        try truth.event(.petition, key: id, address: address, incident: plan.id, people: people.map(\.personID))
        for exportDay in exportDays {
            let asOf = context.dayEnd(exportDay)
            var shown = steps.enumerated().filter { $0.element.at <= asOf }
            let status = shown.last!.element.status
            if shuffleSteps && shown.count >= 2 { shown.swapAt(shown.count - 1, shown.count - 2) }
            var handling = "    <Handling>\n"
            for (index, s) in shown {
                let at = index == nullStep ? "0001-01-01T00:00:00" : time(s.at)
                handling += "      <Step at=\"\(at)\" action=\"\(s.action)\" unit=\"\(Fmt.xmlText(s.unit))\""
                handling += s.result.map { "><Result>\(Fmt.xmlText($0))</Result></Step>\n" } ?? "/>\n"
            }
            handling += "    </Handling>\n"
            let statusXML = "    <Status>\(status)</Status>\n"
            var xml = "  <Petition id=\"\(id)\">\n    <RegisteredAt>\(time(t0))</RegisteredAt>\n"
            if !missingForm { xml += "    <Form>\(form)</Form>\n" }
            xml += "    <Collective" + (collective ? " headcount=\"\(headcount)\">true" : ">false") + "</Collective>\n"
            xml += subjectFirst ? subject + contentXML + petitionersXML : petitionersXML + subject + contentXML
            xml += categoryXML + locationXML
            xml += statusFirst ? statusXML + handling : handling + statusXML
            xml += repeatXML
            let file = days[exportDay].file
            if attachmentCount > 0 {
                try file.write(xml)
                try writeAttachments(count: attachmentCount, seed: attachmentSeed, to: file)
                try file.write("  </Petition>\n")
            } else {
                xml += "  </Petition>\n"
                try file.write(xml)
            }
            elements += 1
            if exportDay == 0, let truncated, !truncated.isCut {
                truncatedCopies += 1
                if truncatedCopies == 3 { truncated.truncate(after: xml.utf8.count / 2) }
                try truncated.write(xml)
                if attachmentCount > 0 { try writeAttachments(count: attachmentCount, seed: attachmentSeed, to: truncated) }
                try truncated.write("  </Petition>\n")
            }
        }
        return id
    }

    /// Base64 attachments written in 48 KiB pieces, so megabytes never sit in memory at once.
    private func writeAttachments(count: Int, seed: UInt64, to file: OutputFile) throws {
        var rng = SplitMix64(seed: seed)
        try file.write("    <Attachments>\n")
        for i in 0..<count {
            let size = context.options.attachmentBytes ?? rng.int(in: 300...1500)
            let ext = rng.chance(0.7) ? "jpg" : "pdf"
            try file.write("      <File name=\"附件\(i + 1).\(ext)\">")
            var remaining = size
            var first = true
            while remaining > 0 {
                let n = min(remaining, 49_152)
                var chunk = [UInt8](repeating: 0, count: n)
                for j in 0..<n { chunk[j] = UInt8(truncatingIfNeeded: rng.next()) }
                if first && ext == "jpg" && n >= 4 { chunk[0] = 0xFF; chunk[1] = 0xD8; chunk[2] = 0xFF; chunk[3] = 0xE0 }
                if first && ext == "pdf" && n >= 5 { chunk.replaceSubrange(0..<5, with: Array("%PDF-".utf8)) }
                first = false
                var out: [UInt8] = []
                out.reserveCapacity(n / 3 * 4 + 4)
                Fmt.base64(chunk, into: &out)
                try file.raw(out)
                remaining -= n
            }
            try file.write("</File>\n")
        }
        try file.write("    </Attachments>\n")
    }

    func close() throws {
        for d in days {
            try d.file.write("</XFExport>\n")
            try d.file.close()
        }
        if let truncated {
            if !truncated.isCut { try truncated.write("  <Petition id=\"XF") }
            try truncated.close()
        }
    }
}
