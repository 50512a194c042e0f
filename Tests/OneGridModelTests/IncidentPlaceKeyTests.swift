import Foundation
import OneGridModel
import Testing

@Suite("Incident place keys and their stored form")
struct IncidentPlaceKeyTests {
    static let building = IncidentPlaceKey.building(compound: "320116006001|华城名府", building: "3")

    @Test func eachKindIsStoredWithItsPrefix() {
        #expect(IncidentPlaceKey.standardAddress("A001").stored == "std:A001")
        #expect(IncidentPlaceKey.compound("320116006001|华城名府").stored == "compound:320116006001|华城名府")
        #expect(Self.building.stored == "building:320116006001|华城名府|3")
    }

    @Test func theStoredFormReadsBackAsTheSameKey() {
        for key in [IncidentPlaceKey.standardAddress("A001"), .compound("320116006001|延安路18号"), Self.building] {
            #expect(IncidentPlaceKey(stored: key.stored) == key)
        }
    }

    @Test func aBuildingNameHoldingABarKeepsItsCompound() {
        // The building is what follows the last bar; the compound key keeps its own bars.
        #expect(IncidentPlaceKey(stored: "building:320116006001|A|B|3") == .building(compound: "320116006001|A|B", building: "3"))
    }

    @Test func textWithoutAKnownPrefixIsACompoundKey() {
        #expect(IncidentPlaceKey(stored: "320116006001|华城名府") == .compound("320116006001|华城名府"))
        #expect(IncidentPlaceKey(stored: "building:no-bar") == .compound("building:no-bar"))
    }

    @Test func aBuildingMeetsItsCompoundAndACompoundItsBuildings() {
        #expect(Self.building.compoundOfBuilding == .compound("320116006001|华城名府"))
        #expect(IncidentPlaceKey.compound("320116006001|华城名府").storedBuildingPrefix == "building:320116006001|华城名府|")
        #expect(Self.building.stored.hasPrefix(IncidentPlaceKey.compound("320116006001|华城名府").storedBuildingPrefix ?? "-"))
        #expect(IncidentPlaceKey.standardAddress("A001").compoundOfBuilding == nil)
        #expect(IncidentPlaceKey.standardAddress("A001").storedBuildingPrefix == nil)
    }

    @Test func itEncodesAsItsStoredForm() throws {
        let data = try JSONEncoder().encode([Self.building])
        #expect(String(decoding: data, as: UTF8.self) == #"["building:320116006001|华城名府|3"]"#)
        #expect(try JSONDecoder().decode([IncidentPlaceKey].self, from: data) == [Self.building])
    }
}
