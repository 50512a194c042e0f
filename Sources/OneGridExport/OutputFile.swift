import OneGridCodecs

/// The output file of a writer: a buffered `FileByteSink` that counts bytes and reports
/// failures as `ExportError.io`.
final class OutputFile {
    private let sink: FileByteSink
    let path: String
    private(set) var bytes: Int64 = 0

    init(path: String) throws(ExportError) {
        self.path = path
        do { sink = try FileByteSink(path: path) } catch { throw .io(path: path, message: error.message) }
    }

    func write(_ data: [UInt8]) throws(ExportError) {
        bytes += Int64(data.count)
        do { try sink.write(data) } catch { throw .io(path: path, message: error.message) }
    }

    func close() throws(ExportError) {
        do { try sink.close() } catch { throw .io(path: path, message: error.message) }
    }
}
