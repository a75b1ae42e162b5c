/// The PDS error body: `{"code", "message", "requestId"}`.
struct PDSErrorBody: Decodable, Equatable {
    var code: String
    var message: String
    var requestId: String
}
