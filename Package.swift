// swift-tools-version: 6.1
import PackageDescription

// Linux (Debian) only: that is what CI builds and tests, and the code calls Glibc directly.
let package = Package(
    name: "pds-auth",
    products: [
        .executable(name: "pds-auth", targets: ["PDSAuthCLI"]),
        .library(name: "PDSAuth", targets: ["PDSAuth"]),
        .library(name: "PDSDevServer", targets: ["PDSDevServer"]),
    ],
    // Exact versions: Package.resolved is not committed (a clone resolves afresh), so these
    // pin what CI built and tested; a new clone builds the same. Raise them deliberately.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        // No default traits: "FullFoundation" would make Hummingbird import (and so link) full
        // Foundation and ICU, and "ConfigurationSupport" pulls in swift-configuration, unused.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", exact: "5.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
    ],
    targets: [
        // libcurl's headers, as Debian's libcurl4-openssl-dev installs them, plus a header shim
        // that gives Swift typed wrappers for the variadic curl_easy_setopt/getinfo. Not linked:
        // CCurlLoader opens libcurl.so.4 when the first request is made (see shim.h).
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CCurlLoader",
            cSettings: [.headerSearchPath("../CCurl")],
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // glibc calls that Swift's Glibc module hides (posix_spawn's closefrom and chdir actions).
        .target(name: "CPosix"),
        // libsecret (the Secret Service client; Debian's libsecret-1-dev) as pds-auth uses it,
        // and its loader: opened with dlopen on first use, like libcurl, so only profiles kept
        // in the Secret Service load it (see shim.h and libsecret_abi.h).
        .systemLibrary(
            name: "CSecret",
            providers: [.apt(["libsecret-1-dev"])]
        ),
        .target(
            name: "CSecretLoader",
            cSettings: [.headerSearchPath("../CSecret")],
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // Turns Public/ into Swift so the installed binary needs no files: the Mustache
        // templates into rendering code (checked by swift-mustache, on the build machine
        // only: it imports Foundation, which would bring Foundation and ICU into the binary),
        // the stylesheets and script into constants.
        .executableTarget(
            name: "EmbedPublicTool",
            dependencies: [.product(name: "Mustache", package: "swift-mustache")],
            path: "Sources/EmbedPublicTool"
        ),
        .plugin(name: "EmbedPublic", capability: .buildTool(), dependencies: ["EmbedPublicTool"]),
        // Plumbing the client library and the dev server both use (random values, base64url,
        // constant-time comparison, page rendering and security headers). Protocol rules are
        // deliberately not here: see the module's documentation.
        .target(
            name: "PDSShared",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            plugins: ["EmbedPublic"]
        ),
        .target(
            name: "PDSAuth",
            dependencies: [
                "CCurl",
                "CCurlLoader",
                "CPosix",
                "CSecret",
                "CSecretLoader",
                "PDSShared",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .target(
            name: "PDSDevServer",
            dependencies: [
                "PDSShared",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .executableTarget(
            name: "PDSAuthCLI",
            dependencies: [
                "PDSAuth",
                "PDSDevServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Reads Tests/Vectors/, the expectations that hold the client and the dev server to the
        // same protocol rules; depends on neither, so each is tested against them alone.
        .target(name: "PDSTestVectors", path: "Tests/TestVectors"),
        // Helpers shared by the test targets: a scripted browser, temp dirs, a throwaway
        // HTTP server, raw sockets, and running the pds-auth binary.
        .target(
            name: "PDSAuthTestSupport",
            dependencies: [
                "PDSAuth", "PDSShared", "CPosix", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "PDSAuthTests",
            dependencies: [
                "PDSAuth",
                "PDSShared",
                "PDSAuthTestSupport",
                "PDSTestVectors",
                "PDSDevServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // The reference the compiled page templates are compared with (PageTemplateTests).
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Read by path (#filePath), not bundled as a resource.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "PDSDevServerTests",
            dependencies: [
                "PDSDevServer",
                "PDSShared",
                "PDSTestVectors",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // Saves profiles in a loop until killed: the subject of the SIGKILL atomicity test.
        .executableTarget(name: "StoreWriter", dependencies: ["PDSAuth"], path: "Tests/StoreWriter"),
        // Uses the library alone and reports whether it changed process state it does not own.
        .executableTarget(name: "LibraryProbe", dependencies: ["PDSAuth"], path: "Tests/LibraryProbe"),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["PDSAuthCLI", "PDSAuth", "PDSDevServer", "PDSShared", "PDSAuthTestSupport", "StoreWriter", "LibraryProbe"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
