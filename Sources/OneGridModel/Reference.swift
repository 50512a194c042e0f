/// Administrative levels of the division tree below the city.
public enum DivisionLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case district
    case street
    case community
}

/// One administrative division (区, 街道/镇, 社区/村) with its national statistical code.
public struct Division: Sendable, Hashable, Codable {
    /// 6 digits for a district, 9 for a street, 12 for a community.
    public var code: String
    public var name: String
    public var level: DivisionLevel
    public var parentCode: String?

    public init(code: String, name: String, level: DivisionLevel, parentCode: String?) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
    }
}

/// Kinds of grid: a residential grid of 300-500 households, or an exclusive one (a school,
/// hospital, park or market).
public enum GridKind: String, Sendable, Hashable, Codable {
    case comprehensive = "综合网格"
    case exclusive = "专属网格"
}

/// A grid (网格) of the grid registry: a 15-digit code under a 12-digit community.
public struct Grid: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var communityCode: String
    public var kind: GridKind
    public var households: Int?

    public init(code: String, name: String, communityCode: String, kind: GridKind, households: Int?) {
        self.code = code
        self.name = name
        self.communityCode = communityCode
        self.kind = kind
        self.households = households
    }
}

/// A polygon in WGS-84: an outer ring and holes, each ring a closed or open list of
/// (lng, lat) vertices.
public struct Polygon: Sendable, Hashable, Codable {
    public var outer: [Coordinate]
    public var holes: [[Coordinate]]

    public init(outer: [Coordinate], holes: [[Coordinate]] = []) {
        self.outer = outer
        self.holes = holes
    }
}

/// A WGS-84 longitude/latitude pair in degrees.
public struct Coordinate: Sendable, Hashable, Codable {
    public var lng: Double
    public var lat: Double

    public init(lng: Double, lat: Double) {
        self.lng = lng
        self.lat = lat
    }
}

/// The boundary of one grid, as the registry's GeoJSON gives it (one or more polygons).
public struct GridBoundary: Sendable, Hashable, Codable {
    public var gridCode: String
    public var polygons: [Polygon]

    public init(gridCode: String, polygons: [Polygon]) {
        self.gridCode = gridCode
        self.polygons = polygons
    }
}

/// One entry of the standard address list (标准地址库).
public struct StandardAddress: Sendable, Hashable, Codable {
    public var id: String
    /// The full standard text, e.g. 南京市六合区雄州街道桥西社区延安路18号华城名府3幢2单元.
    public var address: String
    public var road: String?
    public var number: String?
    public var compound: String?
    public var building: String?
    public var unit: String?
    public var gridCode: String?
    public var location: Coordinate?

    public init(id: String, address: String, road: String? = nil, number: String? = nil,
                compound: String? = nil, building: String? = nil, unit: String? = nil,
                gridCode: String? = nil, location: Coordinate? = nil) {
        self.id = id
        self.address = address
        self.road = road
        self.number = number
        self.compound = compound
        self.building = building
        self.unit = unit
        self.gridCode = gridCode
        self.location = location
    }
}

/// Roles of the grid worker roster.
public enum WorkerRole: String, Sendable, Hashable, Codable, CaseIterable {
    case fullTime = "专职网格员"
    case partTime = "兼职网格员"
    case legal = "政法网格员"
}

/// One row of the grid worker roster (网格员名册): a worker may serve several grids.
public struct GridWorker: Sendable, Hashable, Codable {
    public var workerID: String
    public var name: String
    public var idNumber: String?
    public var phone: String?
    public var role: WorkerRole
    public var gridCode: String

    public init(workerID: String, name: String, idNumber: String?, phone: String?, role: WorkerRole, gridCode: String) {
        self.workerID = workerID
        self.name = name
        self.idNumber = idNumber
        self.phone = phone
        self.role = role
        self.gridCode = gridCode
    }
}
