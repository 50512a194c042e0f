import Testing
@testable import OneGridResolve

@Suite struct DistinctiveTermsTests {
    let extractor = TermExtractor()
    func terms(_ text: String, place: String? = nil) -> Set<String> {
        extractor.terms(in: [text], excludingPlace: [place]).terms
    }

    @Test func aShopNameIsATerm() {
        #expect(terms("楼下老王烧烤店油烟直排") == ["$老王烧烤店", "老王"])
    }

    @Test func aCompanyNameStartsAfterFillers() {
        #expect(terms("一家金鑫装饰公司拖欠工资") == ["$金鑫装饰公司", "金鑫", "鑫装", "装饰"])
    }

    @Test func aNameStartsAfterThePlaceBeforeIt() {
        #expect(terms("华城名府张记面馆店", place: "华城名府").contains("$张记面馆店"))
    }

    @Test func aGenericShopIsNoName() {
        #expect(terms("楼下饭店油烟直排，家里不能开窗").isEmpty)
        #expect(terms("沿街餐饮店油烟净化器未开启") == ["器未"])
    }

    @Test func complaintFormulasLeaveNothing() {
        #expect(terms("来电人反映：早点摊占用盲道。\n已多次反映,一直没有解决。诉求：请相关部门尽快核实处理。").isEmpty)
    }

    @Test func amountsAndQuantitiesKeepTheirUnit() {
        #expect(terms("拖欠工资38,000元共3个月") == ["#38000元", "#3个月"])
        #expect(terms("欠款1.5万元") == ["#1.5万元", "欠款"])
    }

    @Test func doorNumbersAndBoilerplateNumbersAreNotAmounts() {
        #expect(terms("延安路18号3栋2单元302室").filter { $0.hasPrefix("#") }.isEmpty)
        #expect(terms("现场照片3张，夜间噪声<55分贝").filter { $0.hasPrefix("#") }.isEmpty)
        #expect(terms("13812345678").isEmpty)
    }

    @Test func platesAreTerms() {
        #expect(terms("苏A12345长期占用消防通道") == ["@苏A12345"])
        #expect(terms("苏Ａ１２３４５") == ["@苏A12345"])
        #expect(terms("苏A123").isEmpty)
    }

    @Test func thePlacesOwnBigramsAreLeftOut() {
        #expect(terms("石桥小区西侧有人焚烧秸秆", place: "石桥小区") == ["西侧", "侧有", "有人", "秸秆"])
    }

    @Test func categoryWordsGivenByTheTaxonomyAreLeftOut() {
        let withTaxonomy = TermExtractor(extraStopPhrases: ["秸秆"])
        #expect(withTaxonomy.terms(in: ["有人焚烧秸秆"]).terms == ["有人"])
    }

    @Test func hostileTextGivesFewOrNoTerms() {
        #expect(terms("").isEmpty)
        #expect(terms("，。！？!!...,,,").isEmpty)
        #expect(terms("😀😀😀").isEmpty)
        #expect(terms("店").isEmpty)
        #expect(terms("3.元") == ["#3元"])
        #expect(terms("...5") .isEmpty)
        #expect(terms("苏") .isEmpty)
        #expect(extractor.terms(in: [nil, nil], excludingPlace: [nil]).isEmpty)
        let long = String(repeating: "老王烧烤店", count: 2_000)
        #expect(terms(long).contains("$老王烧烤店"))
    }

    @Test func sharedWeightCountsNamesAmountsAndPlatesHeavier() {
        let a = DistinctiveTerms(["$老王烧烤店", "#3个月", "@苏A12345", "每晚"])
        let b = DistinctiveTerms(["$老王烧烤店", "#3个月", "每晚", "很大"])
        #expect(a.sharedWeight(with: b) == 4.5)
        #expect(a.totalWeight == 6.5)
    }

    @Test func theStoredFormRoundTrips() {
        let a = DistinctiveTerms(["每晚", "$老王烧烤店", "#3个月"])
        #expect(a.stored == "#3个月 $老王烧烤店 每晚")
        #expect(DistinctiveTerms(stored: a.stored) == a)
        #expect(DistinctiveTerms(stored: nil).isEmpty)
        #expect(DistinctiveTerms(stored: "  ").isEmpty)
        #expect(DistinctiveTerms(["a b", ""]).isEmpty)
    }

    @Test func aUnionBeyondItsLimitKeepsTheHeaviest() {
        let a = DistinctiveTerms(["$老王烧烤店", "每晚"])
        let b = DistinctiveTerms(["#3个月", "很大"])
        #expect(a.union(b, limit: 2).terms == ["$老王烧烤店", "#3个月"])
        #expect(a.union(b).terms.count == 4)
    }
}
