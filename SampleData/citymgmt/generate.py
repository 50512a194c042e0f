#!/usr/bin/env python3
"""Writes the 数字城管 sample exports szcg_20200623.csv (GB18030) and szcg_20200624.csv
(UTF-8 with BOM) from a fixed seed. Addresses, grids and coordinates come from
SampleData/reference/addresses.csv; half the points are shifted to GCJ-02 the way web maps
do. Run from the repository root: python3 SampleData/citymgmt/generate.py"""
import csv, io, math, random

random.seed(20200623)
addresses = list(csv.DictReader(open("SampleData/reference/addresses.csv", encoding="utf-8-sig")))
names = {r["code"]: r["name"] for r in csv.DictReader(open("SampleData/reference/nanjing-divisions.csv", encoding="utf-8-sig"))}

# GB/T 30428 event classes (大类/小类) and component classes used in the samples.
EVENTS = [("01", "市容环境", "02", "暴露垃圾"), ("01", "市容环境", "01", "私搭乱建"), ("01", "市容环境", "16", "油烟污染"),
          ("01", "市容环境", "10", "道路破损"), ("01", "市容环境", "04", "道路不洁"), ("02", "宣传广告", "01", "非法小广告"),
          ("02", "宣传广告", "05", "广告招牌破损"), ("03", "施工管理", "02", "工地扬尘"), ("03", "施工管理", "01", "施工扰民"),
          ("04", "突发事件", "04", "下水道堵塞或破损"), ("04", "突发事件", "06", "道路积水"), ("05", "街面秩序", "04", "店外经营"),
          ("05", "街面秩序", "06", "非机动车乱停放"), ("05", "街面秩序", "05", "机动车乱停放"), ("05", "街面秩序", "01", "无照经营游商"),
          ("05", "街面秩序", "10", "露天烧烤")]
PARTS = [("01", "公用设施", "01", "上水井盖"), ("01", "公用设施", "05", "雨水井盖"), ("02", "道路交通", "10", "护栏"),
         ("03", "市容环境", "04", "果皮箱"), ("04", "园林绿化", "02", "行道树"), ("01", "公用设施", "12", "路灯")]
SOURCES = ["监督员上报", "监督员上报", "监督员上报", "公众举报", "12345转办", "视频监控"]
INSPECTORS = [("JDY0101", "周建国", "13905171234"), ("JDY0102", "吴海燕", "13851762345"), ("JDY0203", "郑立新", "18951603456"),
              ("JDY0305", "王秀兰", "15850514567")]
UNITS = {"01": "区城管局环卫处", "02": "街道城管科", "03": "区住建局", "04": "区水务局", "05": "街道城管科"}
PART_UNITS = {"01": "市政设施管理处", "02": "区交通局", "03": "区城管局环卫处", "04": "区园林局"}

def gcj02(lng, lat):
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lng - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlng += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad) ** 2
    sq = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * sq) * math.pi)
    dlng = (dlng * 180.0) / (a / sq * math.cos(rad) * math.pi)
    return lng + dlng, lat + dlat

HEADER = ["案件编号", "问题来源", "上报时间", "案件类型", "大类代码", "大类名称", "小类代码", "小类名称", "部件编号", "问题描述",
          "所在区", "所在街道", "所在社区", "单元网格", "地址描述", "X坐标", "Y坐标", "坐标系", "监督员编号", "上报人", "上报人电话",
          "立案时间", "派遣时间", "处置部门", "处置时间", "结案时间", "案件状态",
          "环节1", "环节1时间", "环节1部门", "环节2", "环节2时间", "环节2部门", "环节3", "环节3时间", "环节3部门"]

def fmt(minutes, style=0):
    d, rem = divmod(minutes, 1440)
    h, m = divmod(rem, 60)
    day = 23 + d
    if style == 1:
        return f"2020/6/{day} {h}:{m:02d}"
    if style == 2:
        return f"2020年6月{day}日 {h}时{m:02d}分"
    return f"2020-06-{day:02d} {h:02d}:{m:02d}:{random.randrange(60):02d}"

def case(n, day, stage):
    """One case as of `stage`: 1 reported/filed, 2 dispatched, 3 handled, 4 closed."""
    addr = random.choice(addresses)
    code = addr["grid_code"]
    district, street, community = names[code[:6]], names[code[:9]], names[code[:12]]
    is_part = random.random() < 0.3
    major, major_name, minor, minor_name = random.choice(PARTS if is_part else EVENTS)
    lng, lat = float(addr["lng"]), float(addr["lat"])
    datum = "WGS-84"
    if random.random() < 0.5:
        lng, lat = gcj02(lng, lat)
        datum = "GCJ-02"
    inspector = random.choice(INSPECTORS)
    source = random.choice(SOURCES)
    t0 = day * 1440 + random.randrange(7 * 60, 18 * 60)
    unit = PART_UNITS[major] if is_part else UNITS[major]
    times = [t0, t0 + random.randrange(5, 40), t0 + random.randrange(45, 180), t0 + random.randrange(300, 1300),
             t0 + random.randrange(1400, 2000)]
    status = {1: "已立案", 2: "已派遣", 3: "已处置", 4: "已结案"}[stage]
    text = addr["address"].replace("南京市", "").replace(district, "").replace(street, "").replace(community, "")
    description = f"{text}{'附近' if random.random() < 0.4 else ''}{minor_name}" + ("，请尽快处理" if random.random() < 0.3 else "")
    row = {
        "案件编号": f"SZCG{code[:6]}-202006{23 + day:02d}-{n:05d}",
        "问题来源": source, "上报时间": fmt(times[0], random.choice([0, 0, 1, 2])),
        "案件类型": "部件" if is_part else "事件", "大类代码": major, "大类名称": major_name, "小类代码": minor, "小类名称": minor_name,
        "部件编号": f"{code[:6]}{major}{minor}{random.randrange(1, 999999):06d}" if is_part else "",
        "问题描述": description, "所在区": district, "所在街道": street, "所在社区": community,
        "单元网格": code if random.random() < 0.8 else "", "地址描述": text,
        "X坐标": f"{lng:.6f}", "Y坐标": f"{lat:.6f}", "坐标系": datum if random.random() < 0.85 else "",
        "监督员编号": inspector[0] if source == "监督员上报" else "", "上报人": inspector[1] if source == "监督员上报" else "",
        "上报人电话": inspector[2] if source == "监督员上报" else "",
        "立案时间": fmt(times[1]), "派遣时间": fmt(times[2]) if stage >= 2 else "",
        "处置部门": unit if stage >= 2 else "", "处置时间": fmt(times[3]) if stage >= 3 else "",
        "结案时间": fmt(times[4]) if stage >= 4 else "", "案件状态": status,
    }
    steps = [("立案", times[1], "区数字城管中心"), ("派遣", times[2], unit), ("处置", times[3], unit)][: min(stage, 3)]
    for i in range(3):
        name, at, who = steps[i] if i < len(steps) else ("", None, "")
        row[f"环节{i + 1}"] = name
        row[f"环节{i + 1}时间"] = fmt(at) if at is not None else ""
        row[f"环节{i + 1}部门"] = who
    return row, times

def write(path, rows, encoding):
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\r\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow([r.get(h, "") for h in HEADER] if isinstance(r, dict) else r)
    data = buffer.getvalue()
    with open(path, "wb") as f:
        f.write(data.encode("gb18030") if encoding == "gb18030" else b"\xef\xbb\xbf" + data.encode("utf-8"))

day1 = [case(n, 0, random.choice([1, 2, 2, 3, 4])) for n in range(1, 25)]
rows1 = [r for r, _ in day1]
test = dict(rows1[0]); test["案件编号"] = "TEST-0001"; test["问题描述"] = "系统测试案件，请勿处理"
rows1.insert(5, test)
rows1.append(["合计：24件"])
write("SampleData/citymgmt/szcg_20200623.csv", rows1, "gb18030")

rows2 = [r for r, _ in (case(n, 1, random.choice([1, 2, 3])) for n in range(1, 13))]
# Cases of the day before that moved on: the later version supersedes.
for r, times in day1[:8]:
    if r["案件状态"] == "已结案":
        rows2.append(r)  # re-exported unchanged
        continue
    later = dict(r)
    later.update({"派遣时间": fmt(times[2]), "处置时间": fmt(times[3]), "结案时间": fmt(times[4]), "案件状态": "已结案",
                  "处置部门": later["处置部门"] or UNITS.get(r["大类代码"], "街道城管科")})
    later.update({"环节2": "派遣", "环节2时间": later["派遣时间"], "环节2部门": later["处置部门"],
                  "环节3": "处置", "环节3时间": later["处置时间"], "环节3部门": later["处置部门"]})
    rows2.append(later)
bad = dict(rows2[0]); bad["案件编号"] = bad["案件编号"][:-5] + "00099"; bad["上报时间"] = "待补录"
rows2.append(bad)
odd = dict(rows2[1]); odd["案件编号"] = odd["案件编号"][:-5] + "00098"; odd["大类代码"] = "21"; odd["大类名称"] = "扩展事件"
odd["小类代码"] = "07"; odd["小类名称"] = "共享单车堆放"; odd["案件类型"] = "扩展"
rows2.append(odd)
write("SampleData/citymgmt/szcg_20200624.csv", rows2, "utf-8")
