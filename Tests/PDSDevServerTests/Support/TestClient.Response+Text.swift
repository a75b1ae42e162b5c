import HummingbirdTesting

extension TestClient.Response {
    var bodyText: String {
        body.map { String(buffer: $0) } ?? ""
    }
}
