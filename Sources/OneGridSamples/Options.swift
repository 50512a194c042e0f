/// The feed quirks the generator can produce, each switchable; all are on by default.
public struct FeedQuirks: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    // Shared by the feeds.
    /// GB18030 and UTF-8 with BOM hotline files; GB2312/GBK/GB18030-declared petition files.
    public static let encodings = FeedQuirks(rawValue: 1 << 0)
    /// Gzipped files (one a feed in a short series).
    public static let gzip = FeedQuirks(rawValue: 1 << 1)
    /// Free-text address variants: no province/city, spaces, 栋/号楼, Chinese numerals, full-width digits.
    public static let addressVariants = FeedQuirks(rawValue: 1 << 2)
    /// Old 15-digit ID numbers.
    public static let oldIDNumbers = FeedQuirks(rawValue: 1 << 3)
    /// Later versions of a record in later files (hotline progress, petition re-exports, patrol updates).
    public static let updates = FeedQuirks(rawValue: 1 << 4)
    /// Repeat links: 是否重复件/关联工单编号 and RepeatOf.
    public static let repeats = FeedQuirks(rawValue: 1 << 5)
    /// Blank lines (CSV and JSON Lines).
    public static let blankLines = FeedQuirks(rawValue: 1 << 6)
    /// Full-width digits, letters and ideographic spaces in phones and IDs.
    public static let fullWidth = FeedQuirks(rawValue: 1 << 7)

    // Hotline CSV.
    /// CRLF in some files.
    public static let lineEndings = FeedQuirks(rawValue: 1 << 8)
    /// Quoted multi-line 诉求内容/办理结果 with commas and doubled quotes.
    public static let multilineText = FeedQuirks(rawValue: 1 << 9)
    /// Column order, the older export (aliases, no 紧急程度, `/` `-` separators), extra column, decorated headers.
    public static let columnVariants = FeedQuirks(rawValue: 1 << 10)
    /// The five date forms.
    public static let dateForms = FeedQuirks(rawValue: 1 << 11)
    /// Abbreviated or empty division names.
    public static let divisionNames = FeedQuirks(rawValue: 1 << 12)
    /// Empty coordinates.
    public static let missingCoordinates = FeedQuirks(rawValue: 1 << 13)
    /// `3.20116E+17`, `1.38E+10`, leading apostrophes.
    public static let excelDamage = FeedQuirks(rawValue: 1 << 14)
    /// A `合计：N条` footer row.
    public static let footer = FeedQuirks(rawValue: 1 << 15)
    /// `[作废]` titles and 已撤销 orders.
    public static let voided = FeedQuirks(rawValue: 1 << 16)
    /// Callers who give only 张先生/王女士 or nothing.
    public static let partialNames = FeedQuirks(rawValue: 1 << 17)

    // Petition XML.
    /// CDATA content holding `<` and `&`.
    public static let markupInContent = FeedQuirks(rawValue: 1 << 18)
    /// Missing and empty elements, elements in another order.
    public static let elementVariants = FeedQuirks(rawValue: 1 << 19)
    /// Collective petitions with several Person elements.
    public static let collective = FeedQuirks(rawValue: 1 << 20)
    /// Handling steps out of time order.
    public static let stepOrder = FeedQuirks(rawValue: 1 << 21)
    /// ISO 8601 times with and without offset, and the `0001-01-01T00:00:00` placeholder.
    public static let timeForms = FeedQuirks(rawValue: 1 << 22)
    /// Base64 attachments.
    public static let attachments = FeedQuirks(rawValue: 1 << 23)
    /// A truncated copy of the first file (`…_truncated.xml`).
    public static let truncatedFile = FeedQuirks(rawValue: 1 << 24)

    // Patrol JSON Lines.
    /// Missing or stale (neighbouring) grid codes.
    public static let staleGrid = FeedQuirks(rawValue: 1 << 25)
    /// coord_sys absent, bd09 or wgs84.
    public static let coordSystems = FeedQuirks(rawValue: 1 << 26)
    /// Epoch-millisecond times.
    public static let epochTimes = FeedQuirks(rawValue: 1 << 27)
    /// Numbers written as strings.
    public static let stringNumbers = FeedQuirks(rawValue: 1 << 28)
    /// Unknown extra fields.
    public static let extraFields = FeedQuirks(rawValue: 1 << 29)
    /// Lines that are not valid JSON (cut, trailing comma).
    public static let invalidLines = FeedQuirks(rawValue: 1 << 30)
    /// An older version of a ticket arriving in a later file.
    public static let outOfOrder = FeedQuirks(rawValue: 1 << 31)

    public static let all = FeedQuirks(rawValue: (1 << 32) - 1)
    public static let none: FeedQuirks = []
}

/// What `FeedSampleGenerator` produces.
public struct FeedSampleOptions: Sendable {
    /// Everything derives from this seed (the registry is passed separately).
    public var seed: UInt64
    /// First day of the export window, Beijing time.
    public var startYear: Int
    public var startMonth: Int
    public var startDay: Int
    /// Length of the window in days: one file per feed and day.
    public var days: Int
    /// How many of the window's days each feed exports (nil: all): reports after that are not exported.
    public var hotlineDays: Int?
    public var petitionDays: Int?
    public var patrolDays: Int?
    /// Distinct records (source keys) per feed; their later versions come on top.
    public var hotlineRecords: Int
    public var petitionRecords: Int
    public var patrolRecords: Int
    /// Size of the population of callers and petitioners (nil: a third of the records, at least 60).
    public var population: Int?
    public var quirks: FeedQuirks
    /// Gzip every feed file (for benchmarks), not only the quirk's one.
    public var gzipAll: Bool
    /// Size of every attachment in bytes before base64 (nil: small ones, 0.3–1.5 KB).
    public var attachmentBytes: Int?
    /// Share of petitions with attachments.
    public var attachmentRate: Double
    /// The petition bureau exporting: its code in file names and its name in `unit`.
    public var petitionUnitCode: String
    public var petitionUnitName: String
    /// Explicit styles of the hotline files, by day (nil: the built-in rotation).
    public var hotlineStyles: [HotlineFileStyle]?
    /// Size of the registry (`SampleRegistry.make(seed:scale:)`); nil: chosen from the volume
    /// by `effectiveRegistryScale`.
    public var registryScale: Int?
    /// The vocabulary the feeds are written in; `.tuned` writes what SampleData/ holds.
    public var variant: SampleVariant = .tuned

    /// Options of the held-out set: the variant's own seed, everything else as given.
    public static func heldOut(days: Int = 3, hotlineRecords: Int = 150, petitionRecords: Int = 30,
                               patrolRecords: Int = 80) -> FeedSampleOptions {
        var options = FeedSampleOptions(seed: SampleVariant.heldOut.defaultSeed, days: days, hotlineRecords: hotlineRecords,
                                        petitionRecords: petitionRecords, patrolRecords: patrolRecords)
        options.variant = .heldOut
        return options
    }

    public init(seed: UInt64 = 20_200_623, startYear: Int = 2020, startMonth: Int = 6, startDay: Int = 23, days: Int = 3,
                hotlineDays: Int? = nil, petitionDays: Int? = nil, patrolDays: Int? = nil,
                hotlineRecords: Int = 150, petitionRecords: Int = 30, patrolRecords: Int = 80, population: Int? = nil,
                quirks: FeedQuirks = .all, gzipAll: Bool = false, attachmentBytes: Int? = nil, attachmentRate: Double = 0.12,
                petitionUnitCode: String = "3201", petitionUnitName: String = "南京市信访局",
                hotlineStyles: [HotlineFileStyle]? = nil) {
        self.seed = seed
        self.startYear = startYear
        self.startMonth = startMonth
        self.startDay = startDay
        self.days = days
        self.hotlineDays = hotlineDays
        self.petitionDays = petitionDays
        self.patrolDays = patrolDays
        self.hotlineRecords = hotlineRecords
        self.petitionRecords = petitionRecords
        self.patrolRecords = patrolRecords
        self.population = population
        self.quirks = quirks
        self.gzipAll = gzipAll
        self.attachmentBytes = attachmentBytes
        self.attachmentRate = attachmentRate
        self.petitionUnitCode = petitionUnitCode
        self.petitionUnitName = petitionUnitName
        self.hotlineStyles = hotlineStyles
    }

    /// Standard addresses of the scale-1 registry (seed 20200623), the unit of the scale.
    public static let addressesAtScaleOne = 448
    /// The density the derived scale aims at: at most one event a standard address a month.
    public static let eventsPerAddressMonth = 1.0

    /// The largest derived scale (about 57,000 standard addresses, a registry built in well under
    /// a second): one-day throughput samples of millions of records stay fast.
    public static let largestDerivedScale = 128

    /// `registryScale`, or the scale that keeps the events of a 30-day month (the window
    /// counted as at least 30 days) at most `eventsPerAddressMonth` per standard address:
    /// ⌊events a month / (448 × density)⌋, between 1 and `largestDerivedScale`. The default
    /// sample (150 orders over 3 days) and 10,000 events over a year stay at scale 1; 100,000
    /// events over 60 days get 111.
    public var effectiveRegistryScale: Int {
        if let registryScale { return max(1, registryScale) }
        let events = Double(hotlineRecords + petitionRecords + patrolRecords)
        let perMonth = events * 30 / Double(max(days, 30))
        let scale = Int(perMonth / (Double(Self.addressesAtScaleOne) * Self.eventsPerAddressMonth))
        return min(Self.largestDerivedScale, max(1, scale))
    }
}

/// The date forms of the hotline export.
public enum HotlineDateStyle: String, Sendable, CaseIterable {
    /// `2020-06-23 14:05:31`
    case dashed
    /// `2020/6/23 14:05`
    case slashed
    /// `2020年6月23日 14时05分`
    case chinese
    /// `20200623140531`
    case compact
    /// `43994.5868`
    case excelSerial
}

/// How one hotline file is written.
public struct HotlineFileStyle: Sendable, Hashable {
    public var encoding: SampleEncoding
    public var crlf: Bool
    /// The older export: 工单号/来电时间, no 紧急程度, `/` (some rows `-`) category separators.
    public var olderExport: Bool
    /// Columns in an order of their own.
    public var shuffledColumns: Bool
    /// An unknown extra column (坐席工号).
    public var extraColumn: Bool
    /// Header cells with spaces or full-width brackets (`经度（GCJ-02）`, ` 纬度 `).
    public var decoratedHeaders: Bool
    /// The date form of most rows (a few rows use others when dates vary).
    public var dateStyle: HotlineDateStyle
    public var mixedDates: Bool
    /// A `合计：N条` row at the end.
    public var footer: Bool
    public var gzip: Bool

    public init(encoding: SampleEncoding = .utf8, crlf: Bool = false, olderExport: Bool = false, shuffledColumns: Bool = false,
                extraColumn: Bool = false, decoratedHeaders: Bool = false, dateStyle: HotlineDateStyle = .dashed,
                mixedDates: Bool = false, footer: Bool = false, gzip: Bool = false) {
        self.encoding = encoding
        self.crlf = crlf
        self.olderExport = olderExport
        self.shuffledColumns = shuffledColumns
        self.extraColumn = extraColumn
        self.decoratedHeaders = decoratedHeaders
        self.dateStyle = dateStyle
        self.mixedDates = mixedDates
        self.footer = footer
        self.gzip = gzip
    }

    /// The built-in rotation: day 0 GB18030/CRLF current export with a footer; day 1 UTF-8 BOM
    /// older export with decorated headers and an extra column; day 2 UTF-8 gzipped with
    /// shuffled columns; later days mostly GB18030 like real exports. `quirks` turns parts off.
    public static func rotation(day: Int, quirks: FeedQuirks, gzipAll: Bool) -> HotlineFileStyle {
        var s: HotlineFileStyle
        switch day % 4 {
        case 0: s = HotlineFileStyle(encoding: .gb18030, crlf: true, dateStyle: .dashed, mixedDates: true, footer: true)
        case 1: s = HotlineFileStyle(encoding: .utf8BOM, crlf: false, olderExport: true, extraColumn: true, decoratedHeaders: true,
                                     dateStyle: .slashed, mixedDates: true)
        case 2: s = HotlineFileStyle(encoding: .utf8, crlf: true, shuffledColumns: true, dateStyle: .chinese, mixedDates: true, gzip: true)
        default: s = HotlineFileStyle(encoding: .gb18030, crlf: true, olderExport: true, dateStyle: .excelSerial, mixedDates: true, footer: true)
        }
        if !quirks.contains(.encodings) { s.encoding = .utf8 }
        if !quirks.contains(.lineEndings) { s.crlf = false }
        if !quirks.contains(.columnVariants) { s.olderExport = false; s.shuffledColumns = false; s.extraColumn = false; s.decoratedHeaders = false }
        if !quirks.contains(.dateForms) { s.dateStyle = .dashed; s.mixedDates = false }
        if !quirks.contains(.footer) { s.footer = false }
        s.gzip = gzipAll || (s.gzip && quirks.contains(.gzip))
        return s
    }
}

/// Counts and files of one generation run.
public struct FeedSampleSummary: Sendable, Equatable {
    /// Paths of the files written, relative to the output directory, in the order created.
    public var files: [String] = []
    public var incidents = 0
    /// Distinct records (source keys) per feed.
    public var hotlineRecords = 0
    public var petitionRecords = 0
    public var patrolRecords = 0
    /// Physical records written, versions included (rows, Petition elements, JSON lines).
    public var hotlineRows = 0
    public var petitionElements = 0
    public var patrolLines = 0
    public var truthParties = 0
}
