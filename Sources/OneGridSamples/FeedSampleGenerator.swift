import OneGridModel

/// The three departmental feeds, as the ground truth names them.
enum Feed: Int, CaseIterable {
    case hotline, petition, patrol
    var truthName: String { ["hotline", "petition", "patrol"][rawValue] }
}

/// One real matter: an issue at a standard address, reported 1–6 times across the feeds.
struct IncidentPlan {
    struct Report {
        var feed: Feed
        var time: Int64
        /// Index in the population (callers and petitioners; patrol reporters are workers).
        var personIndex: Int
        var ordinal: Int
    }
    var number: Int
    var id: String
    var addressIndex: Int
    var issue: IssueType
    var reports: [Report]
}

/// Generates the departmental feed files with their quirks, and the ground truth beside them.
///
/// Layout under the output directory: `hotline/12345_YYYYMMDD.csv[.gz]`,
/// `petition/xf_<unit>_YYYYMMDD.xml[.gz]` (plus `xf_<unit>_YYYYMMDD_truncated.xml`),
/// `patrol/dlq_YYYYMMDD.jsonl[.gz]`, `truth/events.csv`, `truth/parties.csv`.
///
/// Advice for hackers: every incident is regenerated from `(seed, incident number)` alone and
/// every record is written as soon as it is rendered, later versions straight into the later
/// day's file (all day files stay open), so memory stays flat whatever the counts. Records
/// come out in incident order, which follows time closely but not exactly, as exports do.
public struct FeedSampleGenerator {
    public let registry: SampleRegistry
    public let options: FeedSampleOptions

    public init(registry: SampleRegistry, options: FeedSampleOptions = FeedSampleOptions()) {
        self.registry = registry
        self.options = options
    }

    /// Writes all feed files and the truth under `directory`; returns what was written.
    @discardableResult
    public func write(to directory: String) throws -> FeedSampleSummary {
        let context = GenerationContext(registry: registry, options: options, directory: directory)
        var summary = FeedSampleSummary()
        try FileSystem.makeDirectories(directory + "/truth")
        let truth = try TruthWriter(directory: directory + "/truth")
        let hotline = try HotlineSampleWriter(context: context, truth: truth)
        let petition = try PetitionSampleWriter(context: context, truth: truth)
        let patrol = try PatrolSampleWriter(context: context, truth: truth)

        let targets = [options.hotlineRecords, options.petitionRecords, options.patrolRecords]
        var emitted = [0, 0, 0]
        var incident = 0
        var idle = 0
        var matters = OpenMatters()
        let feedDays = [context.hotlineDays, context.petitionDays, context.patrolDays]
        while zip(emitted, targets).contains(where: { $0 < $1 }) && idle < 10_000 {
            // Start where the feed furthest behind its target still has days to fill.
            var startDay = options.days - 1
            for f in 0..<3 where emitted[f] < targets[f] {
                let progress = Double(emitted[f]) / Double(targets[f])
                startDay = min(startDay, min(feedDays[f] - 1, Int(progress * Double(feedDays[f]))))
            }
            var plan = context.plan(incident: incident, startDay: startDay, weights: targets.map(Double.init))
            incident += 1
            let merged = matters.sameMatter(as: plan).map { plan.id = $0 } != nil
            var firstKeys: [Feed: String] = [:]
            var any = false
            for report in plan.reports {
                let f = report.feed.rawValue
                guard emitted[f] < targets[f] else { continue }
                let day = Int((report.time - context.start) / 86_400)
                guard day >= 0, day < feedDays[f] else { continue }
                let key: String
                switch report.feed {
                case .hotline: key = try hotline.emit(plan, report, day: day, repeatOf: firstKeys[.hotline])
                case .petition: key = try petition.emit(plan, report, day: day, repeatOf: firstKeys[.petition])
                case .patrol: key = try patrol.emit(plan, report, day: day)
                }
                if firstKeys[report.feed] == nil { firstKeys[report.feed] = key }
                emitted[f] += 1
                any = true
                matters.reported(plan, at: report.time)
            }
            if any { idle = 0; if !merged { summary.incidents += 1 } } else { idle += 1 }
        }
        try hotline.close()
        try petition.close()
        try patrol.close()
        try truth.close()
        summary.files = hotline.files + petition.files + patrol.files + ["truth/events.csv", "truth/parties.csv"]
        summary.hotlineRecords = emitted[0]
        summary.petitionRecords = emitted[1]
        summary.patrolRecords = emitted[2]
        summary.hotlineRows = hotline.rows
        summary.petitionElements = petition.elements
        summary.patrolLines = patrol.lines
        summary.truthParties = truth.parties
        return summary
    }
}

/// The matters still being reported, by standard address and issue, so that the truth never
/// calls two matters what no one could tell apart.
///
/// Plans are drawn independently, so two of them can land on one standard address with one
/// issue while both are reported: two callers about 占道经营 at 柳洲东路111号 two hours apart.
/// Nothing in the records (place, category, time, wording) separates them, and an analyst
/// would file them as one matter; the truth does the same: a plan whose reports come within
/// `gap` of the reports of an earlier plan at the same address with the same issue takes that
/// plan's truth id. The feeds' bytes do not change, only `truth/events.csv`.
struct OpenMatters {
    struct Key: Hashable {
        var address: Int
        var issue: String
    }

    /// How far apart two matters' reports may be and still be one matter (3 days: repeat
    /// calls and another department's ticket about one matter come within days).
    static let gap: Int64 = 3 * 86_400
    /// Matters quiet for longer than this are forgotten, so memory stays bounded by the window.
    static let memory: Int64 = 30 * 86_400

    private var open: [Key: (id: String, first: Int64, last: Int64)] = [:]
    private var pruned: Int64 = .min

    /// The truth id of the earlier matter `plan` is one more report of, if any.
    mutating func sameMatter(as plan: IncidentPlan) -> String? {
        guard let first = plan.reports.map(\.time).min(), let last = plan.reports.map(\.time).max() else { return nil }
        if first > pruned + Self.memory {
            pruned = first
            open = open.filter { $0.value.last >= first - Self.memory }
        }
        guard let earlier = open[Key(address: plan.addressIndex, issue: plan.issue.code)],
              first <= earlier.last + Self.gap, last >= earlier.first - Self.gap else { return nil }
        return earlier.id
    }

    /// Records a report of `plan` written to a feed.
    mutating func reported(_ plan: IncidentPlan, at time: Int64) {
        let key = Key(address: plan.addressIndex, issue: plan.issue.code)
        if let known = open[key], known.id == plan.id {
            open[key] = (plan.id, min(known.first, time), max(known.last, time))
        } else {
            open[key] = (plan.id, time, time)
        }
    }
}

/// Convenience: the registry and the feeds of one seed in one folder (`reference/`, `hotline/`,
/// `petition/`, `patrol/`, `truth/`).
public enum SampleDataset {
    @discardableResult
    public static func write(to directory: String, options: FeedSampleOptions = FeedSampleOptions()) throws -> FeedSampleSummary {
        let registry = SampleRegistry.make(seed: options.seed, scale: options.effectiveRegistryScale)
        try registry.write(to: directory + "/reference")
        return try FeedSampleGenerator(registry: registry, options: options).write(to: directory)
    }
}

/// What the writers share: the registry, options, the window and the renderers of places and people.
final class GenerationContext {
    let registry: SampleRegistry
    let options: FeedSampleOptions
    let directory: String
    let quirks: FeedQuirks
    /// The window's first instant (Beijing midnight), seconds since the epoch.
    let start: Int64
    let population: Int
    let hotlineDays: Int, petitionDays: Int, patrolDays: Int
    let issueWeights: [Double]

    init(registry: SampleRegistry, options: FeedSampleOptions, directory: String) {
        self.registry = registry
        self.options = options
        self.directory = directory
        quirks = options.quirks
        start = Timestamp(beijingYear: options.startYear, month: options.startMonth, day: options.startDay)!.seconds
        population = options.population ?? max(60, (options.hotlineRecords + options.petitionRecords) / 3)
        hotlineDays = min(options.days, options.hotlineDays ?? options.days)
        petitionDays = min(options.days, options.petitionDays ?? options.days)
        patrolDays = min(options.days, options.patrolDays ?? options.days)
        issueWeights = SampleCatalog.issueTypes.map(\.weight)
    }

    func dayStart(_ day: Int) -> Int64 { start + Int64(day) * 86_400 }
    func dayEnd(_ day: Int) -> Int64 { start + Int64(day + 1) * 86_400 - 1 }
    func ymd(day: Int) -> String { Fmt.ymd(dayStart(day)) }

    func person(_ index: Int) -> SamplePerson {
        PeopleFactory.person(seed: options.seed, index: index, addressCount: registry.addresses.count)
    }

    /// Incident `number`, regenerated from the seed alone.
    func plan(incident number: Int, startDay: Int, weights: [Double]) -> IncidentPlan {
        var rng = SplitMix64(seed: options.seed, stream: 3, index: UInt64(number))
        let address = rng.below(registry.addresses.count)
        let issue = SampleCatalog.issueTypes[rng.weighted(issueWeights)]
        let count = 1 + rng.weighted([45, 25, 14, 8, 5, 3])
        let t0 = dayStart(startDay) + Int64(rng.int(in: 7 * 3600...21 * 3600 + 1800))
        let frequent = max(5, population / 50)
        func newPerson(_ rng: inout SplitMix64) -> Int {
            rng.chance(0.15) ? rng.below(frequent) : rng.below(population)
        }
        var reports: [IncidentPlan.Report] = []
        let firstPerson = newPerson(&rng)
        var time = t0
        for i in 0..<count {
            if i > 0 {
                switch rng.weighted([50, 30, 20]) {
                case 0: time += Int64(rng.int(in: 600...12 * 3600))
                case 1: time += Int64(rng.int(in: 86_400...3 * 86_400))
                default: time += Int64(rng.int(in: 4 * 86_400...10 * 86_400))
                }
                time = min(time, t0 + 20 * 86_400)
            }
            let feed = Feed(rawValue: rng.weighted(weights))!
            let person = i == 0 || rng.chance(0.45) ? firstPerson : newPerson(&rng)
            reports.append(.init(feed: feed, time: time, personIndex: person, ordinal: i))
        }
        return IncidentPlan(number: number, id: "I" + Fmt.pad(number + 1, 7), addressIndex: address, issue: issue, reports: reports)
    }

    /// A renderer's own random stream for one report of one incident.
    func rng(_ feed: Feed, _ plan: IncidentPlan, _ report: IncidentPlan.Report) -> SplitMix64 {
        SplitMix64(seed: options.seed, stream: 10 + UInt64(feed.rawValue), index: UInt64(plan.number) << 3 | UInt64(report.ordinal))
    }

    func place(_ index: Int) -> SampleRegistry.AddressPlace { registry.addressPlaces[index] }

    /// The unit that handles an issue at a place: 六合区生态环境局, 雄州街道城管科.
    func department(_ issue: IssueType, _ place: SampleRegistry.AddressPlace) -> String {
        (issue.departmentLevel == .district ? place.districtName : place.streetName) + issue.department
    }

    /// 3幢, 3栋, 3号楼, 三栋.
    func building(_ n: Int, _ rng: inout SplitMix64) -> String {
        if isHeldOut { return heldOutBuilding(n, &rng) }
        let quirky = quirks.contains(.addressVariants)
        let number = quirky && rng.chance(0.08) ? Fmt.chineseNumber(n) : String(n)
        switch rng.weighted(quirky ? [50, 35, 15] : [1, 0, 0]) {
        case 0: return number + "幢"
        case 1: return number + "栋"
        default: return String(n) + "号楼"
        }
    }

    /// A free-text address for a standard address, in one of the forms people write.
    func freeAddress(_ p: SampleRegistry.AddressPlace, _ rng: inout SplitMix64) -> String {
        if isHeldOut { return heldOutAddress(p, &rng) }
        let roadNo = p.road + "\(p.number)号"
        var inner = ""
        if let c = p.compound {
            inner = c
            if let b = p.building { inner += building(b, &rng) }
            if let u = p.unit, rng.chance(0.7) { inner += "\(u)单元" }
        }
        let quirky = quirks.contains(.addressVariants)
        let hasCompound = !inner.isEmpty
        let variant = quirky ? rng.weighted([20, 20, 15, 10, 15, 10, 6]) : 0
        var text: String
        switch variant {
        case 0: text = "南京市" + p.districtName + p.streetName + p.communityName + roadNo + inner
        case 1: text = p.districtName + p.streetName + p.communityName + (hasCompound ? inner : roadNo)
        case 2: text = p.districtName + (hasCompound ? inner : roadNo)
        case 3: text = p.streetName + " " + (hasCompound ? p.compound! + " " + String(inner.dropFirst(p.compound!.count)) : roadNo)
        case 4: text = p.communityName + roadNo + (hasCompound && rng.chance(0.3) ? inner : "")
        case 5: text = roadNo + inner
        default: text = Fmt.fullWidthDigits(p.districtName + p.streetName + (hasCompound ? inner : roadNo))
        }
        return text.hasSuffix(" ") ? String(text.dropLast()) : text
    }

    /// A short location as a grid worker types it: 华城名府3幢旁, 延安路18号门前.
    func shortAddress(_ p: SampleRegistry.AddressPlace, _ rng: inout SplitMix64) -> String {
        if isHeldOut {
            return (p.compound != nil && rng.chance(0.7) ? heldOutAddress(p, &rng) : Fmt.fullWidthDigits(p.road + "\(p.number)号"))
                + rng.pick(["", "旁", "楼下", "附近", "对面"])
        }
        if let c = p.compound, rng.chance(0.7) {
            return c + (p.building.map { building($0, &rng) } ?? "") + rng.pick(["", "旁", "楼下", "门口", "东侧"])
        }
        return p.road + "\(p.number)号" + rng.pick(["", "门前", "附近", "路段"])
    }

    /// A phone as typed in a feed, with the damage `quirks` allow; `excel` for CSV only.
    func phoneText(_ digits: String, _ rng: inout SplitMix64, excel: Bool) -> String {
        let mobile = digits.count == 11 && digits.hasPrefix("1")
        if excel && quirks.contains(.excelDamage) {
            if mobile && rng.chance(0.025) { return Fmt.scientific(digits, significant: 3) }
            if rng.chance(0.025) { return "'" + digits }
        }
        if isHeldOut { return heldOutPhone(digits, &rng) }
        if quirks.contains(.fullWidth) && rng.chance(0.03) {
            if rng.chance(0.5) { return Fmt.fullWidthDigits(digits) }
            return mobile ? String(digits.prefix(3)) + "\u{3000}" + String(digits.dropFirst(3).prefix(4)) + "\u{3000}" + String(digits.suffix(4))
                : "(" + String(digits.prefix(3)) + ")" + String(digits.dropFirst(3))
        }
        if !mobile && rng.chance(0.5) { return String(digits.prefix(3)) + "-" + String(digits.dropFirst(3)) }
        return digits
    }

    /// An ID number as typed in a feed: sometimes the old 15-digit form, sometimes damaged.
    func idText(_ person: SamplePerson, _ rng: inout SplitMix64, excel: Bool) -> String {
        var id = person.idNumber
        if quirks.contains(.oldIDNumbers), let old = person.oldIDNumber, rng.chance(0.06) { id = old }
        if excel && quirks.contains(.excelDamage) {
            if !id.hasSuffix("X") && rng.chance(0.04) { return Fmt.scientific(id, significant: 6) }
            if rng.chance(0.04) { return "'" + id }
        }
        if quirks.contains(.fullWidth) && rng.chance(0.03) {
            return rng.chance(0.5) ? Fmt.fullWidth(id) : String(id.prefix(6)) + "\u{3000}" + String(id.dropFirst(6))
        }
        if id.hasSuffix("X") && rng.chance(0.1) { return String(id.dropLast()) + "x" }
        return id
    }
}

/// `truth/events.csv` and `truth/parties.csv`: the true place, grid, incident and people of
/// every record, whatever the noise in the feeds.
final class TruthWriter {
    let events: OutputFile
    let partyFile: OutputFile
    private(set) var parties = 0

    init(directory: String) throws {
        events = try OutputFile(path: directory + "/events.csv", encoding: .utf8, gzip: false)
        partyFile = try OutputFile(path: directory + "/parties.csv", encoding: .utf8, gzip: false)
        try events.write("source,source_key,std_address_id,grid_code,incident_id\n")
        try partyFile.write("source,source_key,role,ordinal,person_id\n")
    }

    func event(_ feed: Feed, key: String, address: StandardAddress, incident: String, people: [String]) throws {
        try events.write("\(feed.truthName),\(key),\(address.id),\(address.gridCode ?? ""),\(incident)\n")
        let role = SampleCatalog.truthRoles[feed.truthName]!
        for (i, person) in people.enumerated() {
            try partyFile.write("\(feed.truthName),\(key),\(role),\(i + 1),\(person)\n")
            parties += 1
        }
    }

    func close() throws {
        try events.close()
        try partyFile.close()
    }
}
