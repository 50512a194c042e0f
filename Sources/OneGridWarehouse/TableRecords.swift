import Foundation
import GRDB
import OneGridModel

// The typed rows `TableReader` hands out, read by column name.

/// Code → name of divisions, grids and categories.
public struct ReferenceNames: Sendable {
    public var divisions: [String: String]
    public var grids: [String: String]
    public var categories: [String: String]
}

/// What an export's manifest records about the warehouse it came from.
public struct WarehouseFacts: Sendable {
    /// Migrations applied (the schema version), in order.
    public var migrations: [String]
    /// The `meta` table (key fingerprint, versions…).
    public var meta: [String: String]
    public var mappings: [MappingUse]
}

/// One mapping version seen among the loaded files of a feed, with how many files used it.
public struct MappingUse: Sendable, FetchableRecord {
    public var feed: String
    public var mappingHash: String
    public var files: Int

    public init(row: Row) throws {
        feed = row["feed"]
        mappingHash = row["mapping_hash"]
        files = row["files"]
    }
}

struct CodeName: FetchableRecord {
    var code: String
    var name: String

    init(row: Row) throws {
        code = row["code"]
        name = row["name"]
    }
}

struct MetaEntry: FetchableRecord {
    var key: String
    var value: String

    init(row: Row) throws {
        key = row["key"]
        value = row["value"]
    }
}

struct GridAndCategory: FetchableRecord {
    var grid: String?
    var category: String?

    init(row: Row) throws {
        grid = row["grid_code"]
        category = row["category"]
    }
}

/// The current version of an event: what opens its sealed payload, and what names it in errors.
public struct EventVersionKey: Sendable, FetchableRecord {
    public var eventID: Int64
    public var contentHash: String
    public var source: String
    public var sourceKey: String

    public init(eventID: Int64, contentHash: String, source: String, sourceKey: String) {
        self.eventID = eventID
        self.contentHash = contentHash
        self.source = source
        self.sourceKey = sourceKey
    }

    public init(row: Row) throws {
        eventID = row["id"]
        contentHash = row["content_hash"]
        source = row["source"]
        sourceKey = row["source_key"]
    }
}

/// A person's stored forms: masked values and keyed tokens (never clear values).
public struct PersonForms: Sendable, FetchableRecord {
    public var maskedName: String?
    public var maskedID: String?
    public var maskedPhone: String?
    public var idToken: String?
    public var phoneToken: String?
    public var namePhoneToken: String?

    public init(row: Row) throws {
        maskedName = row["masked_name"]
        maskedID = row["masked_id"]
        maskedPhone = row["masked_phone"]
        idToken = row["id_token"]
        phoneToken = row["phone_token"]
        namePhoneToken = row["name_phone_token"]
    }
}

/// One incident with its place text (standard address, else the place's own text).
public struct IncidentRecord: Sendable, FetchableRecord {
    public var id: Int64
    public var place: String?
    public var stdAddressID: String?
    public var gridCode: String?
    public var category: String?
    public var firstReport: Int64?
    public var lastReport: Int64?
    /// Comma-separated feed names.
    public var sources: String?
    public var eventCount: Int64?
    public var isOpen: Bool

    public init(row: Row) throws {
        id = row["id"]
        place = row["place"]
        stdAddressID = row["std_address_id"]
        gridCode = row["grid_code"]
        category = row["category"]
        firstReport = row["first_report"]
        lastReport = row["last_report"]
        sources = row["sources"]
        eventCount = row["event_count"]
        isOpen = (row["is_open"] as Int64) != 0
    }
}

/// One person's events in one feed.
public struct PersonFeedCount: Sendable, FetchableRecord {
    public var personID: Int64
    public var source: String
    public var events: Int64
    public var firstReported: Int64?
    public var lastReported: Int64?
    /// The distinct roles, comma-separated.
    public var roles: String?

    public init(row: Row) throws {
        personID = row["person_id"]
        source = row["source"]
        events = row["events"]
        firstReported = row["first_reported"]
        lastReported = row["last_reported"]
        roles = row["roles"]
    }
}

/// One resolved place with its standard address and its count of events.
public struct PlaceRecord: Sendable, FetchableRecord {
    public var id: Int64
    public var placeKey: String?
    public var text: String?
    public var stdAddressID: String?
    public var stdAddress: String?
    public var gridCode: String?
    public var communityCode: String?
    public var streetCode: String?
    public var districtCode: String?
    public var lng: Double?
    public var lat: Double?
    public var method: String?
    public var confidence: Double?
    public var eventCount: Int64

    public init(row: Row) throws {
        id = row["id"]
        placeKey = row["place_key"]
        text = row["text"]
        stdAddressID = row["std_address_id"]
        stdAddress = row["std_address"]
        gridCode = row["grid_code"]
        communityCode = row["community_code"]
        streetCode = row["street_code"]
        districtCode = row["district_code"]
        lng = row["lng"]
        lat = row["lat"]
        method = row["method"]
        confidence = row["confidence"]
        eventCount = row["event_count"]
    }
}

/// One grid worker, with the masked name and ID token of the person when linked.
public struct WorkerRecord: Sendable, FetchableRecord {
    public var gridCode: String
    public var role: String
    public var workerID: String
    public var maskedName: String?
    public var personMaskedName: String?
    public var personIDToken: String?

    public init(row: Row) throws {
        gridCode = row["grid_code"]
        role = row["role"]
        workerID = row["worker_id"]
        maskedName = row["masked_name"]
        personMaskedName = row["person_masked_name"]
        personIDToken = row["person_id_token"]
    }
}

/// One grid with its count of events.
public struct GridRecord: Sendable, FetchableRecord {
    public var code: String
    public var name: String?
    public var kind: String?
    public var households: Int64?
    public var communityCode: String
    public var eventCount: Int64

    public init(row: Row) throws {
        code = row["code"]
        name = row["name"]
        kind = row["kind"]
        households = row["households"]
        communityCode = row["community_code"]
        eventCount = row["event_count"]
    }
}

/// One reject with its file and load time; `raw` is the sealed record.
public struct RejectRow: Sendable, FetchableRecord {
    public var id: Int64
    public var feed: String
    public var path: String?
    public var line: Int64?
    public var byteOffset: Int64?
    public var recordOrdinal: Int64?
    public var field: String?
    public var reason: String?
    public var message: String?
    public var loadedAt: Int64?
    public var replayedAt: Int64?
    public var raw: [UInt8]

    public init(row: Row) throws {
        id = row["id"]
        feed = row["feed"]
        path = row["path"]
        line = row["line"]
        byteOffset = row["byte_offset"]
        recordOrdinal = row["record_ordinal"]
        field = row["field"]
        reason = row["reason"]
        message = row["message"]
        loadedAt = row["loaded_at"]
        replayedAt = row["replayed_at"]
        raw = Array((row["raw"] as Data?) ?? Data())
    }
}

/// The facts of one event that monthly figures count, with its unit code and month.
public struct EventFacts: Sendable, FetchableRecord {
    /// The code at the level asked for.
    public var unit: String?
    /// Beijing calendar month of report, `YYYY-MM`.
    public var month: String
    public var source: String
    public var category: String?
    public var status: String?
    public var isRepeat: Bool
    public var satisfaction: String?
    public var reportedAt: Int64?
    public var closedAt: Int64?

    public init(row: Row) throws {
        unit = row["unit"]
        month = row["month"]
        source = row["source"]
        category = row["category"]
        status = row["status"]
        isRepeat = (row["is_repeat"] as Int64) != 0
        satisfaction = row["satisfaction"]
        reportedAt = row["reported_at"]
        closedAt = row["closed_at"]
    }
}

/// One report of an incident.
public struct IncidentReport: Sendable, FetchableRecord {
    public var incidentID: Int64
    public var eventID: Int64
    public var source: String
    public var reportedAt: Int64

    public init(row: Row) throws {
        incidentID = row["incident_id"]
        eventID = row["id"]
        source = row["source"]
        reportedAt = row["reported_at"]
    }
}

/// Events of one grid in one Beijing month.
public struct GridMonthCount: Sendable, FetchableRecord {
    public var gridCode: String
    /// `YYYY-MM`.
    public var month: String
    public var events: Int

    public init(row: Row) throws {
        gridCode = row["grid_code"]
        month = row["month"]
        events = row["events"]
    }
}

/// An open event and the start of its deadline (first `受理` step, else its report).
public struct OpenEvent: Sendable, FetchableRecord {
    public var id: Int64
    public var source: String
    public var sourceKey: String
    public var gridCode: String?
    public var category: String?
    public var status: String?
    public var deadlineStart: Int64

    public init(row: Row) throws {
        id = row["id"]
        source = row["source"]
        sourceKey = row["source_key"]
        gridCode = row["grid_code"]
        category = row["category"]
        status = row["status"]
        deadlineStart = row["deadline_start"]
    }
}

/// One handling step of an event, with the event's feed and key.
public struct StepRecord: Sendable, FetchableRecord {
    public var eventID: Int64
    public var source: String
    public var sourceKey: String
    /// The step's position in the event's timeline, from 0.
    public var ordinal: Int64
    public var at: Int64?
    public var action: String
    public var unit: String?
    public var result: String?

    public init(row: Row) throws {
        eventID = row["event_id"]
        source = row["source"]
        sourceKey = row["source_key"]
        ordinal = row["ordinal"]
        at = row["at"]
        action = row["action"]
        unit = row["unit"]
        result = row["result"]
    }
}
