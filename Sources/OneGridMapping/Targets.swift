import OneGridModel

/// What kind of value a target field holds; it decides the default parser of a rule.
public enum ValueKind: String, Sendable {
    case text, timestamp, bool, integer, number, idNumber, phone, status, satisfaction, datum
}

/// The fields of the unified event a mapping may fill, with the names used in mapping files.
public enum EventTarget: String, Sendable, CaseIterable {
    case key
    case versionAt = "version_at"
    case reportedAt = "reported_at"
    case dispatchedAt = "dispatched_at"
    case closedAt = "closed_at"
    case channel, nature, urgency
    case sourceCategory = "source_category"
    case sourceCategoryCode = "source_category_code"
    case category
    case sourceStatus = "source_status"
    case status, title, content
    case handlingUnit = "handling_unit"
    case result, satisfaction
    case isRepeat = "is_repeat"
    case repeatOf = "repeat_of"
    case gridCode = "grid_code"
    case headcount
    case selfResolved = "self_resolved"
    case voided
    case placeAddress = "place.address"
    case placeDistrict = "place.district"
    case placeStreet = "place.street"
    case placeCommunity = "place.community"
    case placeLng = "place.lng"
    case placeLat = "place.lat"
    case placeDatum = "place.datum"

    public var kind: ValueKind {
        switch self {
        case .versionAt, .reportedAt, .dispatchedAt, .closedAt: return .timestamp
        case .isRepeat, .selfResolved, .voided: return .bool
        case .headcount: return .integer
        case .placeLng, .placeLat: return .number
        case .status: return .status
        case .satisfaction: return .satisfaction
        case .placeDatum: return .datum
        default: return .text
        }
    }
}

/// The fields of a party (a person in a role) a mapping may fill.
public enum PartyTarget: String, Sendable, CaseIterable {
    case role, name
    case idNumber = "id_number"
    case phone, lead
    case workerID = "worker_id"

    public var kind: ValueKind {
        switch self {
        case .idNumber: return .idNumber
        case .phone: return .phone
        case .lead: return .bool
        default: return .text
        }
    }
}

/// The fields of a handling step a mapping may fill.
public enum StepTarget: String, Sendable, CaseIterable {
    case at, action, unit, result

    public var kind: ValueKind { self == .at ? .timestamp : .text }
}
