import OneGridModel
import OneGridWarehouse

/// `events`: one row per event (its current version), with its category levels, times,
/// places, divisions, incident and people, then its title (masked as stored), channel,
/// urgency, headcount and how its place was matched (method and confidence).
///
/// Built for a million rows a second: one pass over `event` in id order merged with one
/// pass over `event_party` (the warehouse's `TableReader.eventBlocks`), columns read as SQLite's own bytes, names
/// looked up in memory by those bytes, and rows filled into `RowBlock`s, never a `String`
/// per field. Only `--pii clear` opens each event's sealed payload.
enum EventsTable {
    static let columns: [ExportColumn] = [
        .init("event_id", "事件ID"), .init("source", "数据来源"), .init("source_key", "来源编号"),
        .init("domain_code", "一级分类编码"), .init("domain_name", "一级分类"),
        .init("class_code", "二级分类编码"), .init("class_name", "二级分类"),
        .init("subclass_code", "三级分类编码"), .init("subclass_name", "三级分类"),
        .init("nature", "诉求性质"), .init("status_code", "状态编码"), .init("status", "状态"),
        .init("reported_at", "上报时间"), .init("dispatched_at", "派单时间"), .init("closed_at", "办结时间"),
        .init("hours_to_close", "办结用时(小时)"), .init("handling_unit", "承办单位"), .init("satisfaction", "满意度"),
        .init("is_repeat", "是否重复件"),
        .init("grid_code", "网格编码"), .init("grid_name", "网格名称"),
        .init("community_code", "社区编码"), .init("community_name", "社区"),
        .init("street_code", "街道编码"), .init("street_name", "街道"),
        .init("district_code", "区编码"), .init("district_name", "区"),
        .init("place", "地点"), .init("incident_id", "关联事项ID"),
        .init("people", "当事人"), .init("people_phones", "联系电话"), .init("people_ids", "证件号码"),
        .init("title", "标题"), .init("channel", "渠道"), .init("urgency", "紧急程度"), .init("headcount", "涉及人数"),
        .init("match_method", "地点匹配方式"), .init("match_confidence", "地点匹配置信度"),
    ]

    /// The largest headcount shown; a larger one is an identifier in the wrong field.
    static let largestHeadcount = 99_999

    /// Rows per block handed to `emit`.
    static let blockRows = 1024

    /// Streams the rows to `emit` as values (for callers working on `ExportValue`s).
    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        try blocks(context) { block in
            for i in 0..<block.rowCount { try emit(block.row(i)) }
            block.removeAll()
        }
    }

    /// Streams the rows to `emit` in blocks of up to `blockRows`; `emit` takes the block
    /// and leaves an empty one (the same, emptied, or another). Returns the names of the
    /// filters that applied.
    static func blocks(_ context: TableContext, emit: (inout RowBlock) throws -> Void) throws -> Set<String> {
        let expansion = try EventExpansion(context)
        var block = RowBlock(columns: columns.count, capacity: blockRows)
        return try readBlocks(context) { read in
            expansion.expand(read, into: &block)
            read.removeAll()
            try emit(&block)
        }
    }

    /// Cells per row of a block as read (`readBlocks`), before `EventExpansion` adds the
    /// names (`TableReader.eventBlockColumns` lists them).
    static let readColumns = TableReader.eventBlockColumns

    /// Streams the rows as read, `readColumns` cells each, in blocks of up to `blockRows`
    /// (`emit` as for `blocks`): the warehouse's block reader, with the people of each event
    /// opened from its payload at `--pii clear`. The look-ups by code are `EventExpansion`'s,
    /// on the writing thread when pipelined.
    static func readBlocks(_ context: TableContext, emit: (inout RowBlock) throws -> Void) throws -> Set<String> {
        let pii = context.pii
        let parties: PartyForm?
        switch pii.level {
        case .masked: parties = .masked
        case .token: parties = .token
        case .clear: parties = nil
        }
        return try context.reader.eventBlocks(context.filter, blockRows: blockRows, parties: parties, clearPeople: { key, block in
            let found = try pii.people(context.reader, key)
            block.append(found.names)
            block.append(found.phones)
            block.append(found.ids)
        }, emit: emit)
    }
}

/// Turns blocks as read (`EventsTable.readBlocks`) into `EventsTable.columns`: the names
/// of category levels, status, satisfaction, grid and divisions and the text of places
/// looked up by code, and the hours to close computed. A value, so the writing thread can
/// do this while the reading one steps SQLite.
struct EventExpansion: Sendable {
    private let names: EventNames
    private let places: IDTexts

    init(_ context: TableContext) throws {
        names = EventNames(context.references)
        places = try context.reader.placeTexts(context.filter)
    }

    /// Appends the rows of `read` to `block`, which has `EventsTable.columns`.
    func expand(_ read: borrowing RowBlock, into block: inout RowBlock) {
        read.bytes.withUnsafeBufferPointer { bytes in
            read.cells.withUnsafeBufferPointer { cells in
                @inline(__always) func text(_ cell: RowBlock.Cell) -> UnsafeBufferPointer<UInt8>? {
                    cell.kind == .text ? UnsafeBufferPointer(rebasing: bytes[cell.a..<cell.b]) : nil
                }
                var i = 0
                for _ in 0..<read.rowCount {
                    let row = UnsafeBufferPointer(rebasing: cells[i..<i + EventsTable.readColumns])
                    i += EventsTable.readColumns
                    block.append(row[0], from: bytes)
                    block.append(row[1], from: bytes)
                    block.append(row[2], from: bytes)
                    names.appendCategoryLevels(text(row[3]), to: &block)
                    block.append(row[4], from: bytes)
                    block.append(row[5], from: bytes)
                    names.status.appendName(text(row[5]), orCode: true, to: &block)
                    let reported = row[6]
                    let closed = row[8]
                    block.append(reported, from: bytes)
                    block.append(row[7], from: bytes)
                    block.append(closed, from: bytes)
                    if reported.kind == .timestamp, closed.kind == .timestamp, closed.a >= reported.a {
                        block.append(.real(Double(closed.a - reported.a) / 3600, places: 2))
                    } else {
                        block.appendNull()
                    }
                    block.append(row[9], from: bytes)
                    names.satisfaction.appendName(text(row[10]), orCode: true, to: &block)
                    block.append(row[11], from: bytes)
                    block.append(row[12], from: bytes)
                    names.grids.appendName(text(row[12]), to: &block)
                    for column in 13...15 {
                        block.append(row[column], from: bytes)
                        names.divisions.appendName(text(row[column]), to: &block)
                    }
                    let place = row[16]
                    places.append(place.kind == .integer ? Int64(place.a) : nil, to: &block)
                    for column in 17...23 { block.append(row[column], from: bytes) }
                    // A "headcount" of six digits or more is a phone or ID number typed into
                    // the field and parsed as an integer (stored as a number, so the import's
                    // text masking never saw it): left out, never shown.
                    let headcount = row[24]
                    if headcount.kind == .integer, headcount.a > EventsTable.largestHeadcount || headcount.a < 0 {
                        block.appendNull()
                    } else {
                        block.append(headcount, from: bytes)
                    }
                    for column in 25...26 { block.append(row[column], from: bytes) }
                }
            }
        }
    }
}

/// The names an events row looks up by code, as byte tables.
private struct EventNames: Sendable {
    let categories: NameTable
    let grids: NameTable
    let divisions: NameTable
    let status: NameTable
    let satisfaction: NameTable

    init(_ references: References) {
        categories = NameTable(references.categories)
        grids = NameTable(references.grids)
        divisions = NameTable(references.divisions)
        status = NameTable(Dictionary(uniqueKeysWithValues: EventStatus.allCases.map { ($0.rawValue, $0.chineseName) }))
        satisfaction = NameTable(Dictionary(uniqueKeysWithValues: Satisfaction.allCases.map { ($0.rawValue, $0.chineseName) }))
    }

    /// Code and name of each of the three levels of a category code, as
    /// `References.categoryLevels` (`CG.SR.YY` → `CG`, `CG.SR`, `CG.SR.YY`).
    func appendCategoryLevels(_ code: UnsafeBufferPointer<UInt8>?, to block: inout RowBlock) {
        var end = 0
        for level in 1...3 {
            guard let code, level == 1 || end < code.count else {
                block.appendNull()
                block.appendNull()
                continue
            }
            if level > 1 { end += 1 }  // past the dot
            while end < code.count && code[end] != UInt8(ascii: ".") { end += 1 }
            let prefix = UnsafeBufferPointer(rebasing: code[0..<end])
            block.appendText(prefix)
            categories.appendName(prefix, to: &block)
        }
    }
}
