/// A geographic point as a feed gave it, with the datum it is expressed in.
public struct GeoPoint: Sendable, Hashable, Codable {
    public var lng: Double
    public var lat: Double
    public var datum: Datum

    public init(lng: Double, lat: Double, datum: Datum) {
        self.lng = lng
        self.lat = lat
        self.datum = datum
    }
}

/// Coordinate reference systems the feeds use. Chinese web maps publish GCJ-02 (and Baidu
/// its own BD-09 on top of it); the warehouse stores WGS-84 only.
public enum Datum: String, Sendable, Hashable, Codable, CaseIterable {
    case wgs84
    case gcj02
    case bd09

    /// Parses the names feeds use (`gcj02`, `GCJ-02`, `bd09ll`, `WGS84`…).
    public init?(name: String) {
        let key = String(name.lowercased().filter { $0.isLetter || $0.isNumber })
        switch key {
        case "wgs84", "wgs", "gps", "cgcs2000", "cgcs": self = .wgs84  // CGCS2000 lies within centimetres of WGS-84
        case "gcj02", "gcj", "mars": self = .gcj02
        case "bd09", "bd09ll", "baidu", "bd": self = .bd09
        default: return nil
        }
    }
}

/// The place of an event as the source described it, before resolution.
public struct PlaceDraft: Sendable, Hashable, Codable {
    public var address: String?
    public var district: String?
    public var street: String?
    public var community: String?
    public var point: GeoPoint?

    public init(address: String? = nil, district: String? = nil, street: String? = nil,
                community: String? = nil, point: GeoPoint? = nil) {
        self.address = address
        self.district = district
        self.street = street
        self.community = community
        self.point = point
    }

    public var isEmpty: Bool {
        address == nil && district == nil && street == nil && community == nil && point == nil
    }
}

/// A person involved in an event as the source gave them: clear values, which never
/// reach the warehouse (they become tokens and masked forms).
public struct PartyDraft: Sendable, Hashable, Codable {
    /// caller, petitioner, reporter, …
    public var role: String
    public var name: String?
    public var idNumber: IDNumber.Storage?
    public var phone: PhoneNumber.Storage?
    public var isLead: Bool
    /// A grid worker's roster id, when the source names one.
    public var workerID: String?

    public init(role: String, name: String? = nil, idNumber: IDNumber? = nil, phone: PhoneNumber? = nil,
                isLead: Bool = false, workerID: String? = nil) {
        self.role = role
        self.name = name
        self.idNumber = idNumber.map { IDNumber.Storage($0) }
        self.phone = phone.map { PhoneNumber.Storage($0) }
        self.isLead = isLead
        self.workerID = workerID
    }

    public var isEmpty: Bool { name == nil && idNumber == nil && phone == nil && workerID == nil }
}

extension IDNumber {
    /// The validated value in a Codable box (the type itself only comes from parsing).
    public struct Storage: Sendable, Hashable, Codable {
        public let value: String
        public init(_ id: IDNumber) { value = id.value }
    }
}

extension PhoneNumber {
    /// The normalised value in a Codable box (the type itself only comes from parsing).
    public struct Storage: Sendable, Hashable, Codable {
        public let value: String
        public init(_ phone: PhoneNumber) { value = phone.value }
    }
}

/// One step of an event's handling lifecycle (受理, 派单, 处置, 办结, 回访…).
public struct StepDraft: Sendable, Hashable, Codable {
    public var at: Timestamp?
    public var action: String
    public var unit: String?
    public var result: String?

    public init(at: Timestamp?, action: String, unit: String? = nil, result: String? = nil) {
        self.at = at
        self.action = action
        self.unit = unit
        self.result = result
    }
}

/// What a mapping makes of one source record: an event in the unified schema, before
/// resolution of its place, people and incident.
public struct EventDraft: Sendable, Hashable, Codable {
    /// The feed name (`hotline12345`, `petition`, `patrol`, …), the event's `source`.
    public var source: String
    /// The source's own key (工单编号, petition id, ticket id).
    public var sourceKey: String
    /// Orders versions of the same key: a later value supersedes an earlier one.
    public var versionAt: Timestamp?
    public var reportedAt: Timestamp?
    public var dispatchedAt: Timestamp?
    public var closedAt: Timestamp?
    public var channel: String?
    /// 诉求类型 for the hotline (咨询/求助/投诉…), kept apart from the category.
    public var nature: String?
    public var urgency: String?
    /// The source's own category text (a path) and code, as given.
    public var sourceCategory: String?
    public var sourceCategoryCode: String?
    /// The unified category code (`CG.SR.YY`), when the crosswalk knows the source's.
    public var category: String?
    /// The source's own status text, and the unified status.
    public var sourceStatus: String?
    public var status: EventStatus?
    public var title: String?
    public var content: String?
    public var handlingUnit: String?
    public var result: String?
    public var satisfaction: Satisfaction?
    public var isRepeat: Bool
    public var repeatOf: String?
    /// The grid code the source gave, which may be stale.
    public var givenGridCode: String?
    /// Number of people behind a collective petition.
    public var headcount: Int?
    public var selfResolved: Bool?
    /// The source withdrew the record (`[作废]`, 已撤销).
    public var isVoided: Bool
    public var place: PlaceDraft
    public var parties: [PartyDraft]
    public var steps: [StepDraft]

    public init(source: String, sourceKey: String) {
        self.source = source
        self.sourceKey = sourceKey
        isRepeat = false
        isVoided = false
        place = PlaceDraft()
        parties = []
        steps = []
    }
}

/// The unified lifecycle status of an event, whatever the department called it.
public enum EventStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case received      // 待受理, 登记, reported
    case accepted      // 受理
    case dispatched    // 已派单, 交办, dispatched
    case processing    // 办理中, processing
    case closed        // 已办结, 办结, closed
    case visited       // 已回访
    case returned      // 退单
    case rejected      // 不予受理, rejected
    case withdrawn     // 已撤销, [作废]

    /// Whether the matter still needs handling.
    public var isOpen: Bool {
        switch self {
        case .received, .accepted, .dispatched, .processing, .returned: return true
        case .closed, .visited, .rejected, .withdrawn: return false
        }
    }

    /// Chinese display name used in exports.
    public var chineseName: String {
        switch self {
        case .received: return "待受理"
        case .accepted: return "已受理"
        case .dispatched: return "已派单"
        case .processing: return "办理中"
        case .closed: return "已办结"
        case .visited: return "已回访"
        case .returned: return "退单"
        case .rejected: return "不予受理"
        case .withdrawn: return "已撤销"
        }
    }
}

/// The citizen's rating of how a matter was handled.
public enum Satisfaction: String, Sendable, Hashable, Codable, CaseIterable {
    case verySatisfied = "very_satisfied"
    case satisfied
    case basicallySatisfied = "basically_satisfied"
    case dissatisfied
    case unknown
    case notRated = "not_rated"

    public var chineseName: String {
        switch self {
        case .verySatisfied: return "非常满意"
        case .satisfied: return "满意"
        case .basicallySatisfied: return "基本满意"
        case .dissatisfied: return "不满意"
        case .unknown: return "不清楚"
        case .notRated: return "未评价"
        }
    }
}

/// A data-quality observation about a record that was loaded anyway (a value dropped,
/// a code missing from a crosswalk): counted and reported, never a reject.
public struct Finding: Sendable, Hashable, Codable {
    public var code: String
    public var field: String
    public var message: String
    public var rawValue: String?

    public init(code: String, field: String, message: String, rawValue: String? = nil) {
        self.code = code
        self.field = field
        self.message = message
        self.rawValue = rawValue
    }
}
