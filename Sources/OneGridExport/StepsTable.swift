import OneGridWarehouse

/// `steps`: the handling lifecycle of the events the filters keep (受理, 派单, 处置, 办结,
/// 回访 …), one row per step in event then step order, with the step's time, unit and
/// result (identifiers in them masked as stored), so an analyst can check how closing
/// times and handling units were mapped. The event filters apply (times on the event's
/// report time).
enum StepsTable {
    static let columns: [ExportColumn] = [
        .init("event_id", "事件ID"), .init("source", "数据来源"), .init("source_key", "来源编号"),
        .init("ordinal", "步骤序号"), .init("step_at", "步骤时间"), .init("action", "环节"),
        .init("unit", "处理单位"), .init("result", "处理结果"),
    ]

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        try context.reader.steps(context.filter) { s in
            try emit([
                .integer(s.eventID), .text(s.source), .text(s.sourceKey), .integer(s.ordinal), .seconds(s.at),
                .text(s.action), .string(s.unit), .string(s.result),
            ])
        }
    }
}
