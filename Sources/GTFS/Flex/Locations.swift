/// One zone of `locations.geojson`: a GeoJSON `Feature` whose `id` stop_times.txt's
/// `location_id` refers to.
public struct LocationFeature: Sendable, Equatable {
    /// The feature's `id` (a number is kept as written, e.g. `42`).
    public let id: String
    /// Its 0-based position in the `features` array.
    public let index: Int
    /// The zone: one polygon, or the parts of a multipolygon; empty for an unsupported geometry
    /// type.
    let parts: [GeoPolygon]
}

/// GTFS-Flex `locations.geojson`, read as the canonical validator loads it: a
/// `FeatureCollection` of `Feature`s, each with an `id`, `properties` and a `Polygon` or
/// `MultiPolygon` geometry.
///
/// Reading reports the file's own defects (`malformed_json`, `missing_required_element`,
/// `invalid_geometry`, `point_near_origin` …). As in the canonical validator, a file that
/// cannot be read, or that has a feature missing a required element or with an invalid
/// geometry, is *unusable*: the rules that need it whole (references into it, shared ids,
/// overlapping zones) skip it, so one defect is not reported again under other codes.
public struct LocationsFile: Sendable {
    /// The file name.
    public static let name = "locations.geojson"

    /// The features read, in file order (a repeated id included).
    public let features: [LocationFeature]
    /// Whether every feature was read whole (see the type's discussion).
    public let usable: Bool
    /// The file's defects (at most `maxPerCode` kept per code, all counted).
    public let report: ValidationReport

    /// The first feature of each id.
    public var byID: [String: LocationFeature] {
        var map: [String: LocationFeature] = [:]
        for f in features where map[f.id] == nil { map[f.id] = f }
        return map
    }

    /// Reads `bytes` (the file's content), keeping at most `maxPerCode` findings of each code.
    /// - Complexity: O(n) in the file's size, plus the geometry checks (bounded, see
    ///   ``WorkBudget``).
    public init(bytes: [UInt8], maxPerCode: Int = 1000) {
        var reader = LocationsReader(report: ValidationReport(maxPerCode: maxPerCode))
        let (features, usable) = reader.read(bytes)
        self.features = features
        self.usable = usable
        self.report = reader.report
    }
}

/// Reads the collection and its features, collecting findings.
private struct LocationsReader {
    var report: ValidationReport
    var budget = WorkBudget(remaining: 50_000_000)
    let file = LocationsFile.name

    mutating func add(_ code: String, severity: Severity = .error, field: String? = nil, value: String? = nil, _ message: String) {
        report.add(Finding(severity, code, file: file, field: field, value: value, message: message))
    }

    /// The features and whether the file is usable.
    mutating func read(_ bytes: [UInt8]) -> ([LocationFeature], Bool) {
        let document: JSONDocument
        do {
            document = try JSONReader.parse(bytes)
        } catch {
            add("malformed_json", "\(file) is not valid JSON: \(error.description); fix the syntax so the zones can be read")
            return ([], false)
        }
        if let key = document.duplicateKeys.first {
            add("geo_json_duplicated_element", field: key, value: key,
                "the member '\(key)' appears twice in one object; keep one (the first is used)")
        }
        guard let root = document.root.objectValue else {
            add("malformed_json", "\(file) must hold a JSON object (a FeatureCollection), not \(document.root.kindName == "array" ? "an" : "a") \(document.root.kindName)")
            return ([], false)
        }
        for key in root.keys where key != "type" && key != "features" {
            add("geo_json_unknown_element", severity: .info, field: key, value: key, "the member '\(key)' is not part of a GTFS locations.geojson; it is ignored")
        }
        guard let type = present(root["type"]) else {
            add("missing_required_element", field: "type", "the file has no 'type'; it must be \"FeatureCollection\"")
            return ([], false)
        }
        guard type.stringValue == "FeatureCollection" else {
            let shown = type.stringValue ?? type.kindName
            add("unsupported_geo_json_type", field: "type", value: shown,
                "the file's type is '\(shown)'; a GTFS locations.geojson must be a \"FeatureCollection\"")
            return ([], false)
        }
        guard let list = present(root["features"])?.arrayValue else {
            add("missing_required_element", field: "features", "the FeatureCollection has no 'features' array; list the zones there")
            return ([], false)
        }
        var features: [LocationFeature] = []
        var usable = true
        for (index, element) in list.enumerated() {
            if let f = feature(element, index: index) { features.append(f) } else { usable = false }
        }
        if usable {
            // As the canonical validator, ids are indexed (and repeats reported) only once
            // every feature was read.
            var first: [String: Int] = [:]
            for f in features {
                if let earlier = first[f.id] {
                    add("duplicate_geo_json_key", field: "features.id", value: f.id,
                        "feature \(f.index) has the id '\(f.id)' of feature \(earlier); each zone needs its own id")
                } else {
                    first[f.id] = f.index
                }
            }
        }
        return (features, usable)
    }

    /// `value` unless it is absent or JSON `null` (the canonical reader drops null members).
    func present(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return value
    }

    /// The feature at `index`, or `nil` when it misses a required element or its geometry is
    /// invalid (both reported).
    mutating func feature(_ element: JSONValue, index: Int) -> LocationFeature? {
        let name = "feature \(index)"
        guard let object = element.objectValue else {
            add("unsupported_feature_type", field: "features", value: element.kindName,
                "\(name) is \(element.kindName == "array" ? "an" : "a") \(element.kindName); each element of 'features' must be a GeoJSON Feature object")
            return nil
        }
        for key in object.keys where !["id", "type", "properties", "geometry"].contains(key) {
            add("geo_json_unknown_element", severity: .info, field: key, value: key, "\(name) has the member '\(key)', which GTFS does not define; it is ignored")
        }
        var missing: [String] = []
        var id: String? = nil
        switch present(object["id"]) {
        case .string(let s)? where !s.isEmpty: id = s
        case .number(let n)?: id = formatReal(n)
        default: missing.append("features.id")
        }
        let label = id.map { "\(name) ('\($0)')" } ?? name
        if let type = present(object["type"]) {
            if type.stringValue != "Feature" {
                let shown = type.stringValue ?? type.kindName
                add("unsupported_feature_type", field: "features.type", value: shown,
                    "\(label) has type '\(shown)'; each element of 'features' must be a \"Feature\"")
            }
        } else {
            missing.append("features.type")
        }
        if present(object["properties"])?.objectValue == nil { missing.append("features.properties") }
        var geometryType: String? = nil
        var coordinates: JSONValue? = nil
        if let geometry = present(object["geometry"])?.objectValue {
            for key in geometry.keys where key != "type" && key != "coordinates" {
                add("geo_json_unknown_element", severity: .info, field: key, value: key, "the geometry of \(label) has the member '\(key)', which GTFS does not define; it is ignored")
            }
            if let t = present(geometry["type"]) {
                geometryType = t.stringValue ?? t.kindName
                if let c = present(geometry["coordinates"]) { coordinates = c } else { missing.append("features.geometry.coordinates") }
            } else {
                missing.append("features.geometry.type")
            }
        } else {
            missing.append("features.geometry")
        }
        for element in missing {
            add("missing_required_element", field: element, value: id,
                "\(label) has no '\(element.split(separator: ".").last.map(String.init) ?? element)'; a GTFS-Flex zone needs an id, a type, properties and a geometry")
        }
        guard missing.isEmpty, let id, let geometryType, let coordinates else { return nil }
        let parts: [GeoPolygon]?
        switch geometryType {
        case "Polygon":
            parts = polygon(coordinates).map { [$0] }
        case "MultiPolygon":
            parts = coordinates.arrayValue.flatMap { list in
                let polygons = list.compactMap(polygon)
                return polygons.count == list.count ? polygons : nil
            }
        default:
            add("unsupported_geometry_type", field: "features.geometry.type", value: geometryType,
                "\(label) is a '\(geometryType)'; a GTFS-Flex zone must be a Polygon or a MultiPolygon")
            return LocationFeature(id: id, index: index, parts: [])
        }
        guard let parts else {
            add("invalid_geometry", field: "features.geometry.coordinates", value: id,
                "the coordinates of \(label) are not a \(geometryType): each position must be an array of at least two numbers, grouped in rings")
            return nil
        }
        for polygon in parts {
            for ring in polygon.rings {
                for p in ring { checkPosition(p, label: label, id: id) }
            }
        }
        if let defect = Planar.defect(of: parts, budget: &budget) {
            add("invalid_geometry", field: "features.geometry.coordinates", value: id,
                "\(label) is not a valid \(geometryType): \(defect); draw the zone as a simple closed shape")
            return nil
        }
        return LocationFeature(id: id, index: index, parts: parts)
    }

    /// A polygon's rings from GeoJSON coordinates, or `nil` when they are not arrays of
    /// positions.
    func polygon(_ value: JSONValue) -> GeoPolygon? {
        guard let rings = value.arrayValue else { return nil }
        var out: [[GeoPoint]] = []
        out.reserveCapacity(rings.count)
        for ring in rings {
            guard let positions = ring.arrayValue else { return nil }
            var points: [GeoPoint] = []
            points.reserveCapacity(positions.count)
            for position in positions {
                guard let p = position.arrayValue, p.count >= 2, let x = p[0].numberValue, let y = p[1].numberValue else { return nil }
                points.append(GeoPoint(x: x, y: y))
            }
            out.append(points)
        }
        return GeoPolygon(rings: out)
    }

    /// `point_near_origin` / `point_near_pole` for one position, as the canonical thresholds:
    /// within 1° of (0, 0), or at 89° of latitude or more.
    mutating func checkPosition(_ p: GeoPoint, label: String, id: String) {
        if abs(p.x) <= 1 && abs(p.y) <= 1 {
            add("point_near_origin", field: "features.geometry.coordinates", value: id,
                "\(label) has the position (\(formatReal(p.x)), \(formatReal(p.y))), next to (0, 0): longitude and latitude are probably missing or swapped")
        } else if abs(p.y) >= 89 {
            add("point_near_pole", field: "features.geometry.coordinates", value: id,
                "\(label) has the position (\(formatReal(p.x)), \(formatReal(p.y))), next to a pole: check that longitude comes before latitude")
        }
    }
}
