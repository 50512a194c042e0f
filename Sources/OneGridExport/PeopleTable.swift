import OneGridWarehouse

/// `people`: one row per person named in the events kept by the filters, with their event
/// counts per feed (`hotline12345:2; petition:1`), their roles and first and last report.
enum PeopleTable {
    static let columns: [ExportColumn] = [
        .init("person_id", "人员ID"), .init("name", "姓名"), .init("id_number", "证件号码"), .init("phone", "联系电话"),
        .init("roles", "角色"), .init("event_count", "事件数"), .init("events_by_feed", "各来源事件数"),
        .init("first_reported", "首次上报时间"), .init("last_reported", "最近上报时间"),
    ]

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        struct Person {
            var id: Int64
            var feeds: [(String, Int64)] = []
            var roles: Set<String> = []
            var first: Int64?
            var last: Int64?
        }
        var current: Person?
        func flush(_ person: Person) throws {
            guard let forms = try context.reader.person(id: person.id) else { return }
            let pii = try context.pii.person(context.reader, id: person.id, forms: forms)
            try emit([
                .integer(person.id), pii.name, pii.idNumber, pii.phone,
                .text(person.roles.sorted().joined(separator: ",")),
                .integer(person.feeds.reduce(0) { $0 + $1.1 }),
                .text(person.feeds.map { "\($0.0):\($0.1)" }.joined(separator: "; ")),
                .seconds(person.first), .seconds(person.last),
            ])
        }
        let applied = try context.reader.personFeedCounts(context.filter) { r in
            let id = r.personID
            if let p = current, p.id != id {
                try flush(p)
                current = nil
            }
            var person = current ?? Person(id: id)
            person.feeds.append((r.source, r.events))
            for role in (r.roles ?? "").split(separator: ",") { person.roles.insert(String(role)) }
            if let first = r.firstReported { person.first = min(person.first ?? first, first) }
            if let last = r.lastReported { person.last = max(person.last ?? last, last) }
            current = person
        }
        if let p = current { try flush(p) }
        return applied
    }
}
