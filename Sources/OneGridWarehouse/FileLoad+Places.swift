import Foundation
import GRDB
import OneGridModel

/// Place upserts: one `place` row per distinct place key.
extension FileLoad {
    /// One `place` row per distinct place key; the first resolution of a key is kept.
    func upsertPlace(_ p: ResolvedPlace) throws -> Int64? {
        let key: String
        if let id = p.standardAddressID { key = "std:" + id }
        else if let n = p.normalizedKey { key = "addr:" + n }
        else if let t = p.text { key = "text:" + t }
        else if let g = p.gridCode { key = "grid:" + g }
        else if let c = p.communityCode ?? p.streetCode ?? p.districtCode { key = "division:" + c }
        else { return nil }
        if let id = placeIDs[key] { return id }
        if placeIDs.count >= Self.placeIDLimit { placeIDs.removeAll(keepingCapacity: true) }
        if try placeMayExist(key),
           let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM place WHERE place_key = ?"), arguments: [key]) {
            placeIDs[key] = id
            return id
        }
        try db.cachedStatement(sql: """
            INSERT INTO place (place_key, text, normalized_key, compound_key, std_address_id, grid_code, community_code,
                street_code, district_code, lng, lat, method, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [key, p.text, p.normalizedKey, p.compoundKey, p.standardAddressID, p.gridCode,
                                     p.communityCode, p.streetCode, p.districtCode, p.location?.lng, p.location?.lat,
                                     p.method.rawValue, p.confidence])
        placeIDs[key] = db.lastInsertedRowID
        filters.places?.insert(key)
        return db.lastInsertedRowID
    }
}
