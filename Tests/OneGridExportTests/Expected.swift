/// Exact expected rows of every table on `Sample` (English headers, plain text form), with
/// alerts evaluated as of 2020-07-01 00:00 Beijing and `riseMinCount` 3.
enum Expected {
    static let events: [[String]] = [
        ["1", "hotline12345", "NJ-001", "HB", "环境保护", "HB.01", "大气污染", "HB.01.03", "餐饮油烟", "投诉", "closed", "已办结", "2020-06-01 09:00:00", "2020-06-01 10:00:00", "2020-06-03 09:00:00", "48", "六合区环保局", "不满意", "0", "320116001003001", "桥西社区第一网格", "320116001003", "桥西社区", "320116001", "雄州街道", "320116", "六合区", "南京市六合区雄州街道华城名府3栋", "1", "caller:张**", "caller:138****0000", "caller:320123********123X", "", "", "", "", "", ""],
        ["2", "hotline12345", "NJ-002", "HB", "环境保护", "HB.01", "大气污染", "HB.01.03", "餐饮油烟", "投诉", "processing", "办理中", "2020-06-05 08:00:00", "2020-06-05 09:00:00", "", "", "六合区环保局", "", "1", "320116001003001", "桥西社区第一网格", "320116001003", "桥西社区", "320116001", "雄州街道", "320116", "六合区", "南京市六合区雄州街道华城名府3栋", "1", "caller:李*", "caller:139****1111", "", "", "", "", "", "", ""],
        ["3", "petition", "XF-001", "HB", "环境保护", "HB.01", "大气污染", "", "", "来访", "accepted", "已受理", "2020-06-10 10:00:00", "", "", "", "", "", "0", "320116001003001", "桥西社区第一网格", "320116001003", "桥西社区", "320116001", "雄州街道", "320116", "六合区", "南京市六合区雄州街道华城名府3栋", "1", "petitioner:张**; petitioner:李*", "petitioner:138****0000; petitioner:139****1111", "petitioner:320123********123X", "", "", "", "", "", ""],
        ["4", "patrol", "DLQ-001", "CG", "城市管理", "CG.02", "市容环卫", "", "", "", "closed", "已办结", "2020-05-20 08:00:00", "", "2020-05-20 12:00:00", "4", "", "", "0", "320116001003002", "桥西社区第二网格", "320116001003", "桥西社区", "320116001", "雄州街道", "320116", "六合区", "", "", "reporter:杜**", "", "", "", "", "", "", "", ""],
        ["5", "patrol", "DLQ-002", "CG", "城市管理", "CG.02", "市容环卫", "", "", "", "dispatched", "已派单", "2020-06-15 08:00:00", "", "", "", "", "", "0", "320113005001001", "杉湖路社区第一网格", "320113005001", "杉湖路社区", "320113005", "仙林街道", "320113", "栖霞区", "杉湖路12号", "", "reporter:赵*", "", "", "", "", "", "", "", ""],
        ["6", "hotline12345", "NJ-003", "MD", "矛盾纠纷", "MD.01", "邻里纠纷", "", "", "求助", "visited", "已回访", "2020-06-20 14:05:31", "", "2020-06-21 14:05:31", "24", "仙林街道, \"综治办\"\n二科", "满意", "0", "320113005001001", "杉湖路社区第一网格", "320113005001", "杉湖路社区", "320113005", "仙林街道", "320113", "栖霞区", "杉湖路12号", "", "caller:李*", "caller:139****1111", "", "", "", "", "", "", ""],
        ["7", "hotline12345", "NJ-004", "", "", "", "", "", "", "", "withdrawn", "已撤销", "2020-06-25 10:00:00", "", "", "", "", "", "0", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
        ["8", "petition", "XF-002", "MD", "矛盾纠纷", "MD.01", "邻里纠纷", "", "", "来信", "rejected", "不予受理", "2020-05-10 09:00:00", "", "2020-05-12 09:00:00", "48", "", "非常满意", "0", "320116001003002", "桥西社区第二网格", "320116001003", "桥西社区", "320116001", "雄州街道", "320116", "六合区", "", "", "petitioner:张**", "petitioner:138****0000", "petitioner:320123********123X", "", "", "", "", "", ""],
    ]
    static let eventsHeaders = ["event_id", "source", "source_key", "domain_code", "domain_name", "class_code", "class_name", "subclass_code", "subclass_name", "nature", "status_code", "status", "reported_at", "dispatched_at", "closed_at", "hours_to_close", "handling_unit", "satisfaction", "is_repeat", "grid_code", "grid_name", "community_code", "community_name", "street_code", "street_name", "district_code", "district_name", "place", "incident_id", "people", "people_phones", "people_ids", "title", "channel", "urgency", "headcount", "match_method", "match_confidence"]
    static let incidents: [[String]] = [
        ["1", "南京市六合区雄州街道华城名府3栋", "SA1", "320116001003001", "桥西社区第一网格", "桥西社区", "雄州街道", "六合区", "HB.01.03", "餐饮油烟", "2020-06-01 09:00:00", "2020-06-10 10:00:00", "hotline12345,petition", "2", "3", "1", "未办结", "", "", ""],
    ]
    static let incidentsHeaders = ["incident_id", "place", "std_address_id", "grid_code", "grid_name", "community_name", "street_name", "district_name", "category_code", "category_name", "first_report", "last_report", "sources", "source_count", "event_count", "is_open", "state", "link_rules", "weakest_link_score", "link_categories"]
    static let people: [[String]] = [
        ["1", "张**", "320123********123X", "138****0000", "caller,petitioner", "3", "hotline12345:1; petition:2", "2020-05-10 09:00:00", "2020-06-10 10:00:00"],
        ["2", "李*", "", "139****1111", "caller,petitioner", "3", "hotline12345:2; petition:1", "2020-06-05 08:00:00", "2020-06-20 14:05:31"],
    ]
    static let peopleHeaders = ["person_id", "name", "id_number", "phone", "roles", "event_count", "events_by_feed", "first_reported", "last_reported"]
    static let places: [[String]] = [
        ["1", "pk1", "华城名府3栋", "SA1", "南京市六合区雄州街道华城名府3栋", "320116001003001", "桥西社区第一网格", "320116001003", "320116001", "320116", "118.83", "32.35", "std_address", "0.95", "3"],
        ["2", "pk2", "杉湖路12号", "", "", "320113005001001", "杉湖路社区第一网格", "320113005001", "320113005", "320113", "", "", "community_name", "0.6", "2"],
    ]
    static let placesHeaders = ["place_id", "place_key", "text", "std_address_id", "std_address", "grid_code", "grid_name", "community_code", "street_code", "district_code", "lng", "lat", "method", "confidence", "event_count"]
    static let grids: [[String]] = [
        ["320113005001001", "杉湖路社区第一网格", "专属", "", "320113005001", "杉湖路社区", "320113005", "仙林街道", "320113", "栖霞区", "", "", "赵*", "1", "2"],
        ["320116001003001", "桥西社区第一网格", "综合", "420", "320116001003", "桥西社区", "320116001", "雄州街道", "320116", "六合区", "", "", "", "0", "3"],
        ["320116001003002", "桥西社区第二网格", "综合", "380", "320116001003", "桥西社区", "320116001", "雄州街道", "320116", "六合区", "杜**,钱*", "王*", "", "3", "2"],
    ]
    static let gridsHeaders = ["grid_code", "grid_name", "kind", "households", "community_code", "community_name", "street_code", "street_name", "district_code", "district_name", "full_time_workers", "part_time_workers", "legal_workers", "worker_count", "event_count"]
    static let gridMonthly: [[String]] = [
        ["grid", "", "", "2020-06", "1", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "0", "0", "", "", "0", "0", "", "", ""],
        ["grid", "320113005001001", "杉湖路社区第一网格", "2020-06", "2", "1", "1", "0", "0", "1", "0", "0", "1", "0", "0", "0", "2", "1", "0.5", "24", "0", "1", "1", "0", "黄"],
        ["grid", "320116001003001", "桥西社区第一网格", "2020-06", "3", "2", "0", "1", "0", "0", "0", "0", "0", "3", "0", "0", "3", "1", "0.3333", "48", "0.3333", "1", "0", "1", "黄"],
        ["grid", "320116001003002", "桥西社区第二网格", "2020-05", "2", "0", "1", "1", "0", "1", "0", "0", "1", "0", "0", "0", "2", "2", "1", "26", "0", "1", "1", "0", "红"],
    ]
    static let gridMonthlyHeaders = ["level", "unit_code", "unit_name", "month", "events", "events_hotline12345", "events_patrol", "events_petition", "category_DJ", "category_MD", "category_ZA", "category_AQ", "category_CG", "category_HB", "category_MS", "category_none", "due", "closed", "closure_rate", "median_hours_to_close", "repeat_share", "rated", "satisfied_share", "dissatisfied_share", "assessment"]
    static let alerts: [[String]] = [
        ["repeat_incident", "多部门重复反映", "1", "320116001003001", "桥西社区第一网格", "HB.01.03", "餐饮油烟", "2020-06-01 09:00:00", "2020-06-10 10:00:00", "3", "", "30天内3次，来源2个部门：hotline12345,petition"],
        ["rising_grid", "网格事件激增", "320116001003001", "320116001003001", "桥西社区第一网格", "", "", "2020-06-01 00:00:00", "2020-06-30 23:59:59", "3", "0", "2020-06共3件，前3个月月均0件"],
        ["overdue", "超期未办结", "hotline12345/NJ-002", "320116001003001", "桥西社区第一网格", "HB.01.03", "餐饮油烟", "2020-06-05 08:00:00", "2020-06-20 08:00:00", "10", "15", "hotline12345办理时限15天，已超期10天，当前状态：办理中"],
        ["overdue", "超期未办结", "patrol/DLQ-002", "320113005001001", "杉湖路社区第一网格", "CG.02", "市容环卫", "2020-06-15 08:00:00", "2020-06-22 08:00:00", "8", "7", "patrol办理时限7天，已超期8天，当前状态：已派单"],
    ]
    static let alertsHeaders = ["kind", "kind_name", "subject", "grid_code", "grid_name", "category_code", "category_name", "first_at", "last_at", "count", "baseline", "detail"]
    static let rejects: [[String]] = [
        ["1", "hotline12345", "inbox/12345_20200630.csv", "12", "345", "11", "受理时间", "bad_date", "无法识别的日期: 2020/13/45", "2020-07-01 02:00:00", "", ""],
    ]
    static let rejectsHeaders = ["reject_id", "feed", "file", "line", "byte_offset", "record_ordinal", "field", "reason", "message", "loaded_at", "replayed_at", "raw"]
}
