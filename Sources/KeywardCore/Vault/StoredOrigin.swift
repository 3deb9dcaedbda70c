/// A key set's origin as the vault stores it. These strings never change (a vault of 0.1.0
/// holds them): `one-click` is a pair Keyward generated, `imported` the dashboard's one-click
/// replacement, whatever the API calls them today.
enum StoredOrigin: String, Codable {
    case generated = "one-click"
    case ownKeys = "own-keys"
    case dashboardOneClick = "imported"

    init(_ origin: KeySetOrigin) {
        switch origin {
        case .generated: self = .generated
        case .ownKeys: self = .ownKeys
        case .oneClick: self = .dashboardOneClick
        }
    }

    var origin: KeySetOrigin {
        switch self {
        case .generated: .generated
        case .ownKeys: .ownKeys
        case .dashboardOneClick: .oneClick
        }
    }
}
