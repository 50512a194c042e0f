import Foundation
import OneGridModel

/// The report's words in one language. Data (grid, division and category names) is shown
/// as stored, whatever the language.
struct ReportLabels {
    var lang: String
    var title: String
    var generated: String
    var asOf: String
    var wholeCity: String
    var mapTitle: String
    var byGrade: String
    var byDensity: String
    var noBoundary: String
    var grades: [String: String]
    var noEvents: String
    var gridTable: [String]
    var trendsTitle: String
    var byFeed: String
    var byDomain: String
    var domains: [String]
    var uncategorised: String
    var topCategories: String
    var closureTitle: String
    var cards: [String]
    var rates: [String]
    var alertsTitle: String
    var alertKinds: [AlertsTable.Alert.Kind: String]
    var alertTable: [String]
    var noAlerts: String
    var eventsWord: String
    var definitions: String

    static let zh = ReportLabels(
        lang: "zh-CN", title: "网格化社会治理月度报告", generated: "生成时间", asOf: "预警截至", wholeCity: "全部网格",
        mapTitle: "网格考评地图", byGrade: "考评等级", byDensity: "事件密度", noBoundary: "个网格无边界数据，未绘入地图",
        grades: ["红": "红（优秀）", "蓝": "蓝（合格）", "黄": "黄（待改进）", AssessmentThresholds.insufficientSample: "样本不足"],
        noEvents: "本月无事件",
        gridTable: ["网格编码", "网格名称", "事件数", "应办结数", "办结数", "办结率", "办结用时中位数(小时)", "重复件占比", "参评数", "满意率", "考评等级"],
        trendsTitle: "月度趋势", byFeed: "各数据来源事件数", byDomain: "各领域事件数",
        domains: GridMonthlyTable.domains.map(\.1), uncategorised: "未分类",
        topCategories: "本月主要事件类别", closureTitle: "办结与满意度",
        cards: ["事件数", "应办结数", "办结数", "办结率", "办结用时中位数(小时)", "参评数", "满意率", "不满意率"],
        rates: ["办结率", "满意率"],
        alertsTitle: "预警",
        alertKinds: [.repeatIncident: "多部门重复反映", .risingGrid: "网格事件激增", .overdue: "超期未办结（跟踪督办）"],
        alertTable: ["预警对象", "网格", "分类", "说明", "相关事件"], noAlerts: "无", eventsWord: "件",
        definitions: "办结率 = 办结数 / 应办结数（撤销件不计）；满意率 = 满意类评价 / 参评数；考评等级阈值与 grid_monthly 导出相同，样本不足者不评级。事件编号即 events 导出的事件ID。本报告不含任何个人信息。")

    static let en = ReportLabels(
        lang: "en", title: "Grid governance monthly report", generated: "Generated", asOf: "Warnings as of", wholeCity: "All grids",
        mapTitle: "Grid assessment map", byGrade: "Assessment", byDensity: "Event density", noBoundary: "grid(s) have no stored boundary and are not drawn",
        grades: ["红": "Red (excellent)", "蓝": "Blue (adequate)", "黄": "Yellow (failing)",
                 AssessmentThresholds.insufficientSample: "Insufficient sample"],
        noEvents: "No events this month",
        gridTable: ["Grid code", "Grid name", "Events", "Due", "Closed", "Closure rate", "Median hours to close", "Repeat share", "Rated", "Satisfied share", "Assessment"],
        trendsTitle: "Monthly trends", byFeed: "Events by feed", byDomain: "Events by domain",
        domains: ["Party building", "Disputes", "Public order", "Public safety", "City management", "Environment", "Livelihood services"],
        uncategorised: "Uncategorised",
        topCategories: "Top categories this month", closureTitle: "Closure and satisfaction",
        cards: ["Events", "Due", "Closed", "Closure rate", "Median hours to close", "Rated", "Satisfied share", "Dissatisfied share"],
        rates: ["Closure rate", "Satisfied share"],
        alertsTitle: "Early warnings",
        alertKinds: [.repeatIncident: "Repeat incidents across feeds", .risingGrid: "Rising grids", .overdue: "Overdue matters"],
        alertTable: ["Subject", "Grid", "Category", "Detail", "Events"], noAlerts: "None", eventsWord: "events",
        definitions: "Closure rate = closed / due (withdrawn events not due); satisfied share = satisfied ratings / ratings; grades use the grid_monthly export's thresholds, and a unit below the minimum sample is not graded. Event numbers are the events export's event_id. No personal data appears in this report.")

    static func of(_ language: HeaderLanguage) -> ReportLabels { language == .zh ? zh : en }
}

/// Renders `ReportFigures` as one self-contained HTML page: inline CSS and SVG, no script,
/// no URL of any kind (it opens on a machine without a network). The map's switch between
/// grade and density is two radio buttons and CSS.
struct ReportPage {
    let figures: ReportFigures
    let options: ReportOptions
    let generatedAt: Timestamp
    let labels: ReportLabels

    init(figures: ReportFigures, options: ReportOptions, generatedAt: Timestamp) {
        self.figures = figures
        self.options = options
        self.generatedAt = generatedAt
        self.labels = ReportLabels.of(options.language)
    }

    /// Fill colours of the grades; a grid without events that month is `noEventsColour`.
    static let gradeColours = ["红": "#d7301f", "蓝": "#2c7fb8", "黄": "#f2b705", AssessmentThresholds.insufficientSample: "#b8b8b8"]
    static let noEventsColour = "#eeeeee"
    /// Density classes: none, then five steps of the month's largest grid count.
    static let densityColours = ["#f7f7f7", "#fde0c5", "#facba6", "#f59e72", "#e4572e", "#a82c12"]
    static let seriesColours = ["#2c7fb8", "#d7301f", "#31a354", "#756bb1", "#f2b705", "#636363", "#e6550d", "#17becf"]

    func html() -> String {
        let l = labels
        let area = figures.areaName ?? l.wholeCity
        var body: [String] = []
        body.append("<header><h1>\(esc(l.title)) · \(esc(figures.month)) · \(esc(area))</h1>"
                    + "<p class=\"note\">\(esc(l.generated)) \(esc(generatedAt.beijingText))（UTC+8） · \(esc(l.asOf)) \(esc(figures.asOf.beijingText))</p></header>")
        body.append(mapSection())
        body.append(trendSection())
        body.append(categorySection())
        body.append(closureSection())
        body.append(alertSection())
        body.append("<footer class=\"note\">\(esc(l.definitions))</footer>")
        return """
        <!DOCTYPE html>
        <html lang="\(l.lang)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(l.title)) \(esc(figures.month)) \(esc(area))</title>
        <style>\(Self.css)</style></head>
        <body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    // MARK: map and grid table

    func gradeName(_ grade: String?) -> String { grade.flatMap { labels.grades[$0] } ?? labels.noEvents }

    func mapSection() -> String {
        let l = labels
        let maxEvents = figures.grids.map { $0.month?.events ?? 0 }.max() ?? 0
        func densityClass(_ n: Int) -> Int { n == 0 || maxEvents == 0 ? 0 : max(1, Int((Double(n) / Double(maxEvents) * 5).rounded(.up))) }
        let drawn = figures.grids.filter { !$0.polygons.isEmpty }
        var out = "<section id=\"map\"><h2>\(esc(l.mapTitle))</h2>"
        out += "<input type=\"radio\" name=\"mode\" id=\"mode-grade\" checked><label for=\"mode-grade\">\(esc(l.byGrade))</label>"
        out += "<input type=\"radio\" name=\"mode\" id=\"mode-density\"><label for=\"mode-density\">\(esc(l.byDensity))</label>"
        out += "<div class=\"map\">"
        // Grids far apart (a city's districts) would be specks on one map: one map per
        // district, each fitted to its own grids.
        var groups: [(code: String, grids: [ReportFigures.Grid])] = []
        for g in drawn {
            let district = String(g.code.prefix(6))
            if groups.last?.code == district { groups[groups.count - 1].grids.append(g) } else { groups.append((district, [g])) }
        }
        let single = groups.count <= 1
        out += "<div class=\"maps\">"
        for group in groups {
            let projection = MapProjection(group.grids.flatMap(\.polygons), width: single ? 760 : 372, height: single ? 520 : 300)
            out += "<figure>"
            if !single { out += "<figcaption>\(esc(figures.references.divisions[group.code] ?? group.code))</figcaption>" }
            out += "<svg class=\"grids\" role=\"img\" width=\"\(projection.width)\" height=\"\(projection.height)\" viewBox=\"0 0 \(projection.width) \(projection.height)\">"
            for g in group.grids {
                let grade = g.month?.assessment(options.thresholds)
                let fill = grade.flatMap { Self.gradeColours[$0] } ?? Self.noEventsColour
                let events = g.month?.events ?? 0
                let density = Self.densityColours[densityClass(events)]
                let tip = "\(g.name ?? g.code) \(g.code)\n\(l.gridTable[2]) \(events) · \(gradeName(grade))"
                out += "<path data-grid=\"\(esc(g.code))\" data-grade=\"\(esc(grade ?? ""))\" data-events=\"\(events)\" fill=\"\(fill)\" "
                    + "style=\"--density:\(density)\" fill-rule=\"evenodd\" d=\"\(projection.path(g.polygons))\"><title>\(esc(tip))</title></path>"
            }
            out += "</svg></figure>"
        }
        out += "</div>"
        out += "<ul class=\"legend legend-grade\">"
        for grade in AssessmentThresholds.grades {
            out += "<li><i style=\"background:\(Self.gradeColours[grade]!)\"></i>\(esc(gradeName(grade)))</li>"
        }
        out += "<li><i style=\"background:\(Self.noEventsColour)\"></i>\(esc(l.noEvents))</li></ul>"
        out += "<ul class=\"legend legend-density\">"
        for step in 0..<Self.densityColours.count {
            let text: String
            if step == 0 {
                text = "0"
            } else {
                let low = Int((Double(step - 1) / 5 * Double(maxEvents)).rounded(.down)) + 1
                let high = Int((Double(step) / 5 * Double(maxEvents)).rounded(.down))
                guard high >= low else { continue }
                text = low == high ? "\(low)" : "\(low)–\(high)"
            }
            out += "<li><i style=\"background:\(Self.densityColours[step])\"></i>\(text)</li>"
        }
        out += "</ul></div>"
        let missing = figures.grids.count - drawn.count
        if missing > 0 { out += "<p class=\"note\">\(missing) \(esc(l.noBoundary))</p>" }
        out += gridTable()
        return out + "</section>"
    }

    func gridTable() -> String {
        var rows: [String] = []
        for g in figures.grids {
            let b = g.month
            let grade = b?.assessment(options.thresholds)
            let cells: [String] = [
                g.code, g.name ?? "", String(b?.events ?? 0), String(b?.due ?? 0), String(b?.closed ?? 0),
                percent(b?.closureRate), b?.medianHours.map { ExportValue.real($0, places: 2).plainText } ?? "",
                percent(b?.repeatShare), String(b?.rated ?? 0), percent(b?.satisfiedShare), gradeName(grade),
            ]
            let mark = grade.flatMap { Self.gradeColours[$0] } ?? Self.noEventsColour
            rows.append("<tr data-grid=\"\(esc(g.code))\" data-events=\"\(b?.events ?? 0)\">"
                        + cells.enumerated().map { i, c in
                            i == 10 ? "<td><i class=\"dot\" style=\"background:\(mark)\"></i>\(esc(c))</td>"
                                : "<td\(i >= 2 && i <= 9 ? " class=\"n\"" : "")>\(esc(c))</td>"
                        }.joined() + "</tr>")
        }
        return table(labels.gridTable, rows, id: "grid-table")
    }

    // MARK: trends

    func trendSection() -> String {
        let l = labels
        let feedSeries = figures.feeds.enumerated().map { i, feed in
            (feed, figures.totals.map { Double($0.byFeed[i]) })
        }
        let domainNames = l.domains + [l.uncategorised]
        let domainSeries = domainNames.enumerated().compactMap { i, name -> (String, [Double])? in
            let values = figures.totals.map { Double($0.byDomain[i]) }
            return values.contains { $0 > 0 } ? (name, values) : nil
        }
        return "<section id=\"trends\"><h2>\(esc(l.trendsTitle))</h2>"
            + "<h3>\(esc(l.byFeed))</h3>" + lineChart(feedSeries, percent: false, id: "trend-feeds")
            + "<h3>\(esc(l.byDomain))</h3>" + lineChart(domainSeries, percent: false, id: "trend-domains")
            + "</section>"
    }

    func categorySection() -> String {
        let refs = figures.references
        let top = figures.monthTotal.categories.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(max(0, options.topCategories))
        let items = top.map { code, count -> (String, Int) in
            let name = code.isEmpty ? labels.uncategorised
                : refs.categoryLevels(code).enumerated().filter { $0.offset % 2 == 1 }.compactMap { v -> String? in
                    let t = v.element.plainText
                    return t.isEmpty ? nil : t
                }.joined(separator: " / ")
            return ((name.isEmpty ? code : name) + (code.isEmpty ? "" : " (\(code))"), count)
        }
        return "<section id=\"categories\"><h2>\(esc(labels.topCategories))</h2>" + bars(items) + "</section>"
    }

    func closureSection() -> String {
        let l = labels
        let m = figures.monthTotal
        let values = [String(m.events), String(m.due), String(m.closed), percent(m.closureRate),
                      m.medianHours.map { ExportValue.real($0, places: 2).plainText } ?? "–", String(m.rated),
                      percent(m.satisfiedShare), percent(m.dissatisfiedShare)]
        var out = "<section id=\"closure\"><h2>\(esc(l.closureTitle))</h2><div class=\"cards\">"
        for (label, value) in zip(l.cards, values) {
            out += "<div class=\"card\"><b>\(esc(value.isEmpty ? "–" : value))</b><span>\(esc(label))</span></div>"
        }
        out += "</div>"
        let series = [(l.rates[0], figures.totals.map { $0.closureRate ?? .nan }),
                      (l.rates[1], figures.totals.map { $0.satisfiedShare ?? .nan })]
        return out + lineChart(series, percent: true, id: "trend-rates") + "</section>"
    }

    // MARK: warnings

    func alertSection() -> String {
        let l = labels
        var out = "<section id=\"alerts\"><h2>\(esc(l.alertsTitle))</h2>"
        for kind in AlertsTable.Alert.Kind.allCases {
            let list = figures.alerts.filter { $0.kind == kind }
            out += "<h3 id=\"alerts-\(kind.rawValue)\">\(esc(l.alertKinds[kind]!)) <span class=\"count\">\(list.count)</span></h3>"
            guard !list.isEmpty else {
                out += "<p class=\"note\">\(esc(l.noAlerts))</p>"
                continue
            }
            let rows = list.map { a -> String in
                let events = a.eventIDs.map { id in
                    "<li data-event=\"\(id)\">#\(id) \(esc(figures.eventKeys[id] ?? ""))</li>"
                }.joined()
                let grid = a.grid.map { (figures.references.grids[$0] ?? "") + " " + $0 } ?? ""
                let category = a.category.map { (figures.references.categories[$0] ?? "") + " " + $0 } ?? ""
                return "<tr data-kind=\"\(kind.rawValue)\" data-subject=\"\(esc(a.subject))\"><td>\(esc(a.subject))</td><td>\(esc(grid))</td>"
                    + "<td>\(esc(category))</td><td>\(esc(detail(a)))</td><td><ul class=\"events\">\(events)</ul></td></tr>"
            }
            out += table(l.alertTable, rows, id: nil)
        }
        return out + "</section>"
    }

    /// The alert's explanation: the export's Chinese text, or the same figures in English.
    func detail(_ a: AlertsTable.Alert) -> String {
        guard options.language == .en else { return a.detail }
        let o = options.alerts
        switch a.kind {
        case .repeatIncident:
            return "\(a.count) reports within \(o.repeatWindowDays) days, from \(a.first?.beijingText ?? "") to \(a.last?.beijingText ?? "")"
        case .risingGrid:
            return "\(a.count) events in \(a.first?.beijingMonth ?? ""); mean of the previous \(o.riseBaselineMonths) months \(a.baseline.plainText)"
        case .overdue:
            return "deadline \(a.baseline.plainText) days, \(a.count) days overdue (deadline \(a.last?.beijingText ?? ""))"
        }
    }

    // MARK: pieces

    func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "" }
        return ExportValue.format((share * 1000).rounded() / 10) + "%"
    }

    func table(_ headers: [String], _ rows: [String], id: String?) -> String {
        "<table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>" + headers.map { "<th>\(esc($0))</th>" }.joined()
            + "</tr></thead><tbody>" + rows.joined(separator: "\n") + "</tbody></table>"
    }

    /// Horizontal bars: label, bar scaled to the largest, count.
    func bars(_ items: [(String, Int)]) -> String {
        guard !items.isEmpty else { return "<p class=\"note\">\(esc(labels.noAlerts))</p>" }
        let rowHeight = 22, labelWidth = 300, barWidth = 420, width = 780
        let top = max(items.map(\.1).max() ?? 1, 1)
        let height = items.count * rowHeight + 4
        var out = "<svg class=\"chart\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">"
        for (i, item) in items.enumerated() {
            let y = i * rowHeight + 2
            let w = max(1, Int((Double(item.1) / Double(top) * Double(barWidth)).rounded()))
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(esc(item.0))</text>"
            out += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(rowHeight - 6)\"><title>\(esc(item.0)): \(item.1)</title></rect>"
            out += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 15)\">\(item.1)</text>"
        }
        return out + "</svg>"
    }

    /// One line per series over the report's months; NaN leaves a gap. Values as percent
    /// shares (0–1, axis 0–100 %) or counts (axis 0 to the largest).
    func lineChart(_ series: [(String, [Double])], percent: Bool, id: String) -> String {
        let width = 780, height = 240, left = 48, right = 16, top = 12, bottom = 28
        let months = figures.months
        let plotW = Double(width - left - right), plotH = Double(height - top - bottom)
        let maximum = percent ? 1.0 : max(1, series.flatMap(\.1).filter(\.isFinite).max() ?? 1)
        func x(_ i: Int) -> Double { months.count <= 1 ? Double(left) + plotW / 2 : Double(left) + plotW * Double(i) / Double(months.count - 1) }
        func y(_ v: Double) -> Double { Double(top) + plotH * (1 - v / maximum) }
        var out = "<svg class=\"chart line\" id=\"\(id)\" role=\"img\" width=\"\(width)\" height=\"\(height + 22 * ((series.count + 3) / 4))\" "
            + "viewBox=\"0 0 \(width) \(height + 22 * ((series.count + 3) / 4))\">"
        for step in 0...4 {
            let v = maximum * Double(step) / 4
            let label = percent ? "\(step * 25)%" : ExportValue.format((v * 10).rounded() / 10)
            out += "<line class=\"axis\" x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(fmt(y(v)))\" y2=\"\(fmt(y(v)))\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(fmt(y(v) + 4))\" text-anchor=\"end\">\(label)</text>"
        }
        for (i, month) in months.enumerated() where months.count <= 12 || i % 2 == (months.count - 1) % 2 {
            out += "<text x=\"\(fmt(x(i)))\" y=\"\(height - 8)\" text-anchor=\"middle\">\(esc(String(month.suffix(5))))</text>"
        }
        for (n, s) in series.enumerated() {
            let colour = Self.seriesColours[n % Self.seriesColours.count]
            var segments: [[String]] = [[]]
            for (i, v) in s.1.enumerated() {
                if v.isFinite {
                    segments[segments.count - 1].append("\(fmt(x(i))),\(fmt(y(v)))")
                } else if !segments[segments.count - 1].isEmpty {
                    segments.append([])
                }
            }
            for points in segments where !points.isEmpty {
                out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
            }
            for (i, v) in s.1.enumerated() where v.isFinite {
                let shown = percent ? self.percent(v) : ExportValue.format(v)
                out += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(y(v)))\" r=\"3\" fill=\"\(colour)\"><title>\(esc(s.0)) \(esc(months[i])): \(shown)</title></circle>"
            }
            let lx = (n % 4) * 190 + left, ly = height + 6 + (n / 4) * 22
            out += "<rect x=\"\(lx)\" y=\"\(ly)\" width=\"12\" height=\"12\" fill=\"\(colour)\"/><text x=\"\(lx + 16)\" y=\"\(ly + 11)\">\(esc(s.0))</text>"
        }
        return out + "</svg>"
    }

    func fmt(_ v: Double) -> String { ExportValue.format((v * 10).rounded() / 10) }

    func esc(_ s: String) -> String { HTMLText.escaped(s) }

    static let css = """
    body{font:14px/1.5 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","WenQuanYi Zen Hei",SimHei,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d2733}\
    h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:30px 0 8px;border-bottom:1px solid #d6dde5;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}\
    .note{color:#5b6b7b}.count{display:inline-block;min-width:20px;padding:0 6px;border-radius:10px;background:#e4e9ee;text-align:center;font-size:12px}\
    table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}th,td{border-bottom:1px solid #e4e9ee;padding:4px 8px;text-align:left;vertical-align:top}\
    th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}\
    .map{display:flex;gap:16px;align-items:flex-start}.maps{display:flex;gap:8px;flex-wrap:wrap;max-width:772px}\
    figure{margin:0}figcaption{font-size:13px;color:#5b6b7b}.grids{border:1px solid #d6dde5;background:#fbfcfd}\
    .grids path{stroke:#ffffff;stroke-width:1}.grids path:hover{stroke:#1d2733;stroke-width:2}\
    #mode-density:checked~.map .grids path{fill:var(--density)}\
    .legend{list-style:none;padding:0;margin:0}.legend li{margin:4px 0}.legend i,.dot{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px;border:1px solid #c3ccd5}\
    .legend-density{display:none}#mode-density:checked~.map .legend-density{display:block}#mode-density:checked~.map .legend-grade{display:none}\
    input[type=radio]{margin:0 4px 8px 12px}\
    svg text{font-size:12px;fill:#1d2733}.axis{stroke:#e4e9ee}.bar{fill:#2c7fb8}\
    .cards{display:flex;gap:10px;flex-wrap:wrap;margin-bottom:10px}.card{border:1px solid #d6dde5;border-radius:6px;padding:8px 14px;min-width:96px}\
    .card b{display:block;font-size:22px}.card span{color:#5b6b7b}\
    ul.events{margin:0;padding-left:16px;max-height:9em;overflow:auto}\
    @media print{.map{display:block}input,label{display:none}}
    """
}

/// An equirectangular projection of WGS-84 polygons into an SVG box (north up, longitudes
/// shortened by the cosine of the middle latitude so shapes keep their proportions), fitted
/// with a margin. Grids span a few kilometres, so nothing finer is needed.
struct MapProjection {
    let width: Int
    let height: Int
    private let minLng: Double
    private let maxLat: Double
    private let scale: Double
    private let xScale: Double
    private let margin = 10.0

    init(_ polygons: [Polygon], width: Int, height: Int) {
        let points = polygons.flatMap { [$0.outer] + $0.holes }.flatMap { $0 }.filter { $0.lng.isFinite && $0.lat.isFinite }
        let minLng = points.map(\.lng).min() ?? 0, maxLng = points.map(\.lng).max() ?? 1
        let minLat = points.map(\.lat).min() ?? 0, maxLat = points.map(\.lat).max() ?? 1
        let cosine = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max((maxLng - minLng) * cosine, 1e-9), spanY = max(maxLat - minLat, 1e-9)
        let s = min((Double(width) - 2 * margin) / spanX, (Double(height) - 2 * margin) / spanY)
        self.minLng = minLng
        self.maxLat = maxLat
        self.xScale = cosine
        self.scale = s
        self.width = width
        // The box shrinks to the shape's height, so a wide area leaves no blank band.
        self.height = points.isEmpty ? 40 : min(height, Int((spanY * s + 2 * margin).rounded(.up)))
    }

    /// Path data for all rings of `polygons` (draw with `fill-rule="evenodd"` so holes stay open).
    func path(_ polygons: [Polygon]) -> String {
        var out = ""
        for ring in polygons.flatMap({ [$0.outer] + $0.holes }) {
            let points = ring.filter { $0.lng.isFinite && $0.lat.isFinite }
            guard points.count >= 3 else { continue }
            for (i, p) in points.enumerated() {
                let x = margin + (p.lng - minLng) * xScale * scale
                let y = margin + (maxLat - p.lat) * scale
                out += (i == 0 ? "M" : "L") + Self.number(x) + " " + Self.number(y)
            }
            out += "Z"
        }
        return out
    }

    static func number(_ v: Double) -> String { ExportValue.format((v * 10).rounded() / 10) }
}
