import GRDB
import OneGridModel

/// The writer's negative look-up filters: which source keys, person tokens, place keys and
/// incident places the warehouse may hold. A load first asks its look-up queries as before;
/// once it has asked `buildAfter` of one kind (a large file, not a daily delta), it reads that
/// kind's keys once into a `KeyFilter` and from then on skips the queries the filter answers
/// "no row" for — most of them in a fresh import. Every row the load writes adds its key, so
/// the filter stays a superset of the table for the rest of the transaction, and it is
/// dropped with the load (a rolled-back file leaves nothing behind).
struct WriterFilters {
    var events: KeyFilter?
    var persons: KeyFilter?
    var places: KeyFilter?
    var incidents: KeyFilter?
    var eventQueries = 0, personQueries = 0, placeQueries = 0, incidentQueries = 0

    /// Look-ups a load makes of one kind before it builds that kind's filter: a small file
    /// never pays for reading a large warehouse's keys.
    static let buildAfter = 2048
}

extension FileLoad {
    /// Room in a filter for the keys read plus what this file may add.
    func filterCapacity(existing: Int, perRecord: Int) -> Int {
        existing + max(expectedRecords * perRecord, 65_536)
    }

    /// False only when no event of this feed has `sourceKey`.
    func eventMayExist(_ sourceKey: String) throws -> Bool {
        if filters.events == nil {
            filters.eventQueries += 1
            guard filters.eventQueries > WriterFilters.buildAfter else { return true }
            let keys = try String.fetchAll(db, sql: "SELECT source_key FROM event WHERE source = ?", arguments: [feed])
            var filter = KeyFilter(capacity: filterCapacity(existing: keys.count, perRecord: 1))
            for key in keys { filter.insert(key) }
            filters.events = filter
        }
        return filters.events!.mayContain(sourceKey)
    }

    /// False only when no person holds any of the party's tokens.
    func personMayExist(_ keys: PersonKeys) throws -> Bool {
        if filters.persons == nil {
            filters.personQueries += 1
            guard filters.personQueries > WriterFilters.buildAfter else { return true }
            let rows = try Row.fetchAll(db, sql: "SELECT id_token, phone_token, name_phone_token FROM person")
            var filter = KeyFilter(capacity: filterCapacity(existing: rows.count * 3, perRecord: 3))
            for row in rows {
                for i in 0..<3 { if let token: String = row[i] { filter.insert(token) } }
            }
            filters.persons = filter
        }
        let filter = filters.persons!
        return [keys.idToken, keys.phoneToken, keys.namePhoneToken].contains { $0.map(filter.mayContain) ?? false }
    }

    /// Keeps the person filter a superset of the tokens stored.
    func personWritten(_ keys: PersonKeys) {
        guard filters.persons != nil else { return }
        for token in [keys.idToken, keys.phoneToken, keys.namePhoneToken] { if let token { filters.persons!.insert(token) } }
    }

    /// False only when no place has `key`.
    func placeMayExist(_ key: String) throws -> Bool {
        if filters.places == nil {
            filters.placeQueries += 1
            guard filters.placeQueries > WriterFilters.buildAfter else { return true }
            let keys = try String.fetchAll(db, sql: "SELECT place_key FROM place")
            var filter = KeyFilter(capacity: filterCapacity(existing: keys.count, perRecord: 1))
            for key in keys { filter.insert(key) }
            filters.places = filter
        }
        return filters.places!.mayContain(key)
    }

    /// False only when no incident's stored place key can meet `key` in the candidate query
    /// of `incident(for:)`: none equals it or its compound, and none starts with its compound's
    /// building prefix.
    func incidentMayExist(at key: IncidentPlaceKey) throws -> Bool {
        if filters.incidents == nil {
            filters.incidentQueries += 1
            guard filters.incidentQueries > WriterFilters.buildAfter else { return true }
            let keys = try String.fetchAll(db, sql: "SELECT place_key FROM incident")
            filters.incidents = KeyFilter(capacity: filterCapacity(existing: keys.count * 2, perRecord: 2))
            for stored in keys { incidentKeyWritten(stored) }
        }
        let filter = filters.incidents!
        return [key.stored, key.compoundOfBuilding?.stored, key.storedBuildingPrefix].contains { $0.map(filter.mayContain) ?? false }
    }

    /// Adds a stored incident place key: itself, and — for the range part of the candidate
    /// query — every prefix of it that ends at a `|` (a building key's compound prefix is one
    /// of them, whatever bars the compound key holds; the others cost a little room only).
    func incidentKeyWritten(_ stored: String) {
        guard filters.incidents != nil else { return }
        filters.incidents!.insert(stored)
        var index = stored.utf8.startIndex
        while let bar = stored.utf8[index...].firstIndex(of: UInt8(ascii: "|")) {
            let next = stored.utf8.index(after: bar)
            filters.incidents!.insert(String(stored[..<next]))
            index = next
        }
    }
}
