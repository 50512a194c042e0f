// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "OneGrid",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "onegrid", targets: ["onegrid"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C libraries behind small system modules: only the targets that need them import them.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // glibc's malloc tuning: two arenas at start-up, freed pages returned during imports.
        .systemLibrary(name: "CMalloc"),

        .target(name: "OneGridModel"),
        .target(name: "OneGridCodecs", dependencies: ["CZlib"]),
        .target(name: "OneGridFeeds", dependencies: ["OneGridModel", "OneGridCodecs", "CLibXML2"]),
        .target(name: "OneGridMapping", dependencies: [
            "OneGridModel", "OneGridFeeds", "OneGridPrivacy",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "OneGridResolve", dependencies: ["OneGridModel"]),
        .target(name: "OneGridPrivacy", dependencies: [
            "OneGridModel",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The storage seam: the only target that knows SQL, GRDB or SQLite.
        .target(name: "OneGridWarehouse", dependencies: [
            "OneGridModel",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "OneGridSamples", dependencies: ["OneGridModel", "OneGridCodecs"]),
        .target(name: "OneGridPipeline", dependencies: [
            "CMalloc", "OneGridModel", "OneGridCodecs", "OneGridFeeds", "OneGridMapping", "OneGridResolve",
            "OneGridPrivacy", "OneGridWarehouse", "OneGridSamples",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "OneGridExport", dependencies: [
            "OneGridModel", "OneGridCodecs", "OneGridWarehouse", "OneGridPrivacy",
        ]),
        // The central-warehouse seam: the only target that speaks PostgreSQL.
        .target(name: "OneGridPublish", dependencies: [
            "OneGridModel", "OneGridWarehouse",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "onegrid", dependencies: [
            "OneGridPipeline", "OneGridExport", "OneGridPublish", "OneGridResolve", "OneGridCodecs", "OneGridMapping", "OneGridModel",
            "OneGridPrivacy", "OneGridSamples", "OneGridWarehouse",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "OneGridModelTests", dependencies: ["OneGridModel"]),
        .testTarget(name: "OneGridCodecsTests", dependencies: ["OneGridCodecs"]),
        .testTarget(name: "OneGridFeedsTests", dependencies: ["OneGridFeeds", "OneGridCodecs", "OneGridModel"]),
        .testTarget(name: "OneGridMappingTests", dependencies: ["OneGridMapping", "OneGridFeeds", "OneGridModel"]),
        .testTarget(name: "OneGridResolveTests", dependencies: ["OneGridResolve", "OneGridModel"]),
        .testTarget(name: "OneGridPrivacyTests", dependencies: ["OneGridPrivacy", "OneGridModel"]),
        .testTarget(name: "OneGridWarehouseTests", dependencies: [
            "OneGridWarehouse", "OneGridModel", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "OneGridSamplesTests", dependencies: ["OneGridSamples", "OneGridModel"]),
        .testTarget(name: "OneGridPipelineTests", dependencies: [
            "OneGridPipeline", "OneGridWarehouse", "OneGridModel", "OneGridCodecs", "OneGridMapping", "OneGridPrivacy", "OneGridExport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "OneGridExportTests", dependencies: [
            "OneGridExport", "OneGridWarehouse", "OneGridModel", "OneGridPrivacy",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "OneGridPublishTests", dependencies: [
            "OneGridPublish", "OneGridWarehouse", "OneGridModel", "OneGridExport", "OneGridPipeline",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ]
)
