import Foundation
import TransitSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a PostgreSQL ledger is: a `postgres://user[:password]@host[:port]/db[?sslmode=…]` URL
/// taken apart, with the password found.
///
/// The password comes from the URL, else the `PGPASSWORD` environment variable, else a
/// password file in libpq's `.pgpass` form (`host:port:database:user:password` lines, `*`
/// matching anything): the URL's `passfile` parameter, else `PGPASSFILE`. Without any, the
/// connection is tried without a password (trust or peer authentication).
public struct PostgresLocation: Sendable, Equatable {
    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The user to log in as.
    public var user: String
    /// The password, if one was found.
    public var password: String?
    /// The database.
    public var database: String
    /// TLS: `disable` (the default), `prefer` or `require` (libpq's names; `verify-ca` and
    /// `verify-full` are taken as `require` with certificate and host verification).
    public var sslMode: String

    /// Whether `text` names a PostgreSQL ledger (starts with `postgres://` or `postgresql://`).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `url`.
    /// - Parameter environment: where `PGPASSWORD` and `PGPASSFILE` are looked up.
    /// - Throws: ``CarbonError`` `ledger_open` naming what is wrong with the URL.
    public init(url: String, environment: [String: String] = PostgresLocation.processEnvironment()) throws(CarbonError) {
        func bad(_ why: String) -> CarbonError {
            CarbonError(.ledgerOpen, "the ledger URL is not valid: \(why); write postgres://user[:password]@host[:port]/database[?sslmode=require]")
        }
        guard let schemeEnd = url.range(of: "://") else { throw bad("no postgres:// scheme") }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                query[PostgresLocation.decode(parts[0])] = parts.count > 1 ? PostgresLocation.decode(parts[1]) : ""
            }
            rest = rest[..<q]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw bad("no database name after the host") }
        database = PostgresLocation.decode(rest[rest.index(after: slash)...])
        guard !database.isEmpty else { throw bad("no database name after the host") }
        var authority = rest[..<slash]
        var userInfo: Substring?
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
        }
        if let info = userInfo {
            if let colon = info.firstIndex(of: ":") {
                user = PostgresLocation.decode(info[..<colon])
                password = PostgresLocation.decode(info[info.index(after: colon)...])
            } else {
                user = PostgresLocation.decode(info)
            }
        } else {
            user = environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        }
        guard !user.isEmpty else { throw bad("an empty user name") }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            authority = authority[authority.index(after: close)...]
            port = 5432
            if authority.hasPrefix(":") {
                guard let p = Int(authority.dropFirst()), (1...65_535).contains(p) else { throw bad("port '\(authority.dropFirst())'") }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(p) else {
                throw bad("port '\(authority[authority.index(after: colon)...])'")
            }
            port = p
        } else {
            host = String(authority)
            port = 5432
        }
        if host.isEmpty { host = "127.0.0.1" }
        sslMode = query["sslmode"] ?? "disable"
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw bad("sslmode '\(sslMode)'")
        }
        if password == nil {
            password = environment["PGPASSWORD"]
        }
        if password == nil, let file = query["passfile"] ?? environment["PGPASSFILE"] {
            password = try PostgresLocation.passwordFile(file, host: host, port: port, database: database, user: user)
        }
    }

    /// The URL without its password, for messages and logs.
    public var redacted: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(h):\(port)/\(database)" + (sslMode == "disable" ? "" : "?sslmode=\(sslMode)")
    }

    /// The process's environment.
    public static func processEnvironment() -> [String: String] {
        var out: [String: String] = [:]
        for name in ["PGPASSWORD", "PGPASSFILE", "PGUSER", "USER"] {
            if let value = getenv(name) { out[name] = String(cString: value) }
        }
        return out
    }

    /// The password of the first matching line of a `.pgpass`-form file.
    static func passwordFile(_ path: String, host: String, port: Int, database: String, user: String) throws(CarbonError) -> String? {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            throw CarbonError(.ledgerOpen, file: path, "cannot read the password file: \(error)", underlying: error)
        }
        let wanted = [host, String(port), database, user]
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }) where !line.hasPrefix("#") {
            let fields = splitPassLine(line)
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits a `.pgpass` line at unescaped colons (`\:` and `\\` are escapes).
    private static func splitPassLine(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for c in line {
            if escaped { current.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == ":" {
                fields.append(current); current = ""
            } else { current.append(c) }
        }
        fields.append(current)
        return fields
    }

    /// Percent-decodes a URL part.
    static func decode(_ part: Substring) -> String {
        var bytes: [UInt8] = []
        var i = part.utf8.startIndex
        let utf8 = part.utf8
        while i < utf8.endIndex {
            let c = utf8[i]
            if c == UInt8(ascii: "%"), let j = utf8.index(i, offsetBy: 2, limitedBy: utf8.endIndex), j < utf8.endIndex,
               let v = UInt8(String(decoding: utf8[utf8.index(after: i)...j], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i = utf8.index(after: j)
            } else {
                bytes.append(c)
                i = utf8.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
