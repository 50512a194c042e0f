import Testing
@testable import OneGridResolve

@Suite struct CategoryCompatibilityTests {
    let categories = CategoryCompatibility(related: [("CG.01", "CG.03"), ("MD.02", " MD.99 "), ("AQ.01", "CG.07"), ("ZA", "MD.01")])

    @Test func theSameClassIsCompatible() {
        #expect(categories.relation("MS.03", "MS.03") == .sameClass)
        #expect(categories.relation("HB.01.03", "HB.01.07") == .sameClass)
        #expect(categories.relation("HB.01", "HB.01.07") == .sameClass)
        #expect(categories.relation("MS", "MS") == .sameClass)
    }

    @Test func twoClassesOfOneDomainAreIncompatible() {
        #expect(categories.relation("MS.03", "MS.04") == .incompatible)
        #expect(!categories.compatible("MS.03", "MS.04"))
    }

    @Test func theDomainsCatchAllIsCompatibleWithEachOfItsClasses() {
        #expect(categories.relation("CG.99", "CG.04") == .catchAll)
        #expect(categories.relation("CG.04", "CG.99") == .catchAll)
        #expect(categories.relation("CG.99", "CG.99") == .sameClass)
        #expect(categories.relation("CG.99", "HB.01") == .incompatible)
    }

    @Test func aDomainOnlyCodeIsCoarserThanItsClasses() {
        #expect(categories.relation("CG", "CG.04") == .coarser)
        #expect(categories.relation("CG.04.02", "CG") == .coarser)
        #expect(categories.relation("CG", "HB.01") == .incompatible)
    }

    @Test func declaredPairsAreRelatedBothWays() {
        #expect(categories.relation("CG.01", "CG.03") == .related)
        #expect(categories.relation("CG.03", "CG.01") == .related)
        #expect(categories.relation("MD.99", "MD.02") == .related)
        #expect(categories.relation("CG.01.02", "CG.03") == .related)
    }

    @Test func aDeclaredPairMayJoinTwoDomains() {
        #expect(categories.relation("AQ.01", "CG.07") == .related)
        #expect(categories.relation("ZA.03", "MD.01") == .related)
        #expect(categories.relation("ZA.03", "MD.02") == .incompatible)
    }

    @Test func differentDomainsNeverJoinUndeclared() {
        #expect(categories.relation("HB.01", "CG.03") == .incompatible)
        #expect(categories.relation("HB.99", "CG.99") == .incompatible)
    }

    @Test func anUnknownSideIsNeitherCompatibleNorIncompatible() {
        #expect(categories.relation(nil, "CG.03") == .unknown)
        #expect(categories.relation("CG.03", nil) == .unknown)
        #expect(categories.relation(nil, nil) == .unknown)
        #expect(categories.relation("", "CG.03") == .unknown)
        #expect(categories.relation(".03", "CG.03") == .unknown)
        #expect(!categories.compatible(nil, "CG.03"))
    }

    @Test func damagedCodesDoNotCrashAndRelateOnlyByWhatTheySay() {
        #expect(categories.relation("CG.", "CG.03") == .coarser)
        #expect(categories.relation("CG..", "CG") == .sameClass)
        #expect(categories.relation("占道经营", "CG.01") == .incompatible)
    }

    @Test func scoresOrderTheRelations() {
        let ordered: [CategoryRelation] = [.sameClass, .related, .catchAll, .unknown, .incompatible]
        #expect(ordered.map(\.score) == [1, 0.8, 0.7, 0.5, 0])
        #expect(CategoryRelation.coarser.score == 0.7)
    }

    @Test func anIncidentsCategoryIsRefinedToTheMoreSpecific() {
        #expect(categories.refined("CG.99", with: "CG.04") == "CG.04")
        #expect(categories.refined("CG", with: "CG.04") == "CG.04")
        #expect(categories.refined("CG.04", with: "CG.99") == "CG.04")
        #expect(categories.refined("CG.04", with: "CG.05") == "CG.04")
        #expect(categories.refined("CG.99", with: "HB.01") == "CG.99")
        #expect(categories.refined(nil, with: "HB.01") == "HB.01")
        #expect(categories.refined("HB.01", with: nil) == "HB.01")
    }
}
