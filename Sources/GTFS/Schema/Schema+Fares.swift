/// The fares (v1 and v2), GTFS-Flex, translations and attributions files: part of
/// ``GTFSSchema/files``, kept here so each file of the schema stays short.
extension GTFSSchema {
    static let faresAndFlexFiles: [FileSchema] = [
        // Fares v1.
        FileSchema(name: "fare_attributes.txt", presence: .optional, fields: [
            FieldSchema("fare_id", .id(.fare), .required),
            FieldSchema("price", .real(nonNegativeReal), .required),
            FieldSchema("currency_type", .code, .required),
            FieldSchema("payment_method", .integer(0...1), .required),
            FieldSchema("transfers", .integer(0...2), .requiredColumn),
            FieldSchema("agency_id", .id(.agency), .conditional),
            FieldSchema("transfer_duration", .integer(nonNegative)),
        ], primaryKey: ["fare_id"]),
        FileSchema(name: "fare_rules.txt", presence: .optional, fields: [
            FieldSchema("fare_id", .id(.fare), .required),
            FieldSchema("route_id", .id(.route)),
            FieldSchema("origin_id", .code),
            FieldSchema("destination_id", .code),
            FieldSchema("contains_id", .code),
        ], primaryKey: []),
        // Fares v2.
        FileSchema(name: "areas.txt", presence: .optional, fields: [
            FieldSchema("area_id", .id(.area), .required),
            FieldSchema("area_name", .text),
        ], primaryKey: ["area_id"]),
        FileSchema(name: "stop_areas.txt", presence: .optional, fields: [
            FieldSchema("area_id", .id(.area), .required),
            FieldSchema("stop_id", .id(.stop), .required),
        ], primaryKey: ["area_id", "stop_id"]),
        FileSchema(name: "networks.txt", presence: .optional, fields: [
            FieldSchema("network_id", .id(.network), .required),
            FieldSchema("network_name", .text),
        ], primaryKey: ["network_id"]),
        FileSchema(name: "route_networks.txt", presence: .optional, fields: [
            FieldSchema("network_id", .id(.network), .required),
            FieldSchema("route_id", .id(.route), .required),
        ], primaryKey: ["route_id"]),
        FileSchema(name: "timeframes.txt", presence: .optional, fields: [
            FieldSchema("timeframe_group_id", .id(.timeframeGroup), .required),
            FieldSchema("start_time", .time),
            FieldSchema("end_time", .time),
            FieldSchema("service_id", .id(.service), .required),
        ], primaryKey: ["timeframe_group_id", "start_time", "end_time", "service_id"]),
        FileSchema(name: "rider_categories.txt", presence: .optional, fields: [
            FieldSchema("rider_category_id", .id(.riderCategory), .required),
            FieldSchema("rider_category_name", .text, .required),
            FieldSchema("is_default_fare_category", .integer(0...1), .required),
            FieldSchema("eligibility_url", .url),
        ], primaryKey: ["rider_category_id"]),
        FileSchema(name: "fare_media.txt", presence: .optional, fields: [
            FieldSchema("fare_media_id", .id(.fareMedia), .required),
            FieldSchema("fare_media_name", .text),
            FieldSchema("fare_media_type", .integer(0...4), .required),
        ], primaryKey: ["fare_media_id"]),
        FileSchema(name: "fare_products.txt", presence: .optional, fields: [
            FieldSchema("fare_product_id", .id(.fareProduct), .required),
            FieldSchema("fare_product_name", .text),
            FieldSchema("rider_category_id", .id(.riderCategory)),
            FieldSchema("fare_media_id", .id(.fareMedia)),
            // A currency amount: kept as written, since its number of decimal places is checked
            // against the currency (`invalid_currency_amount`, see FareRules).
            FieldSchema("amount", .code, .required),
            FieldSchema("currency", .code, .required),
        ], primaryKey: ["fare_product_id", "rider_category_id", "fare_media_id"]),
        FileSchema(name: "fare_leg_rules.txt", presence: .optional, fields: [
            FieldSchema("leg_group_id", .id(.legGroup)),
            FieldSchema("network_id", .id(.network)),
            FieldSchema("from_area_id", .id(.area)),
            FieldSchema("to_area_id", .id(.area)),
            FieldSchema("from_timeframe_group_id", .id(.timeframeGroup)),
            FieldSchema("to_timeframe_group_id", .id(.timeframeGroup)),
            FieldSchema("fare_product_id", .id(.fareProduct), .required),
            FieldSchema("rule_priority", .integer(nonNegative)),
        ], primaryKey: ["network_id", "from_area_id", "to_area_id", "from_timeframe_group_id", "to_timeframe_group_id", "fare_product_id"]),
        FileSchema(name: "fare_leg_join_rules.txt", presence: .optional, fields: [
            FieldSchema("from_network_id", .id(.network), .required),
            FieldSchema("to_network_id", .id(.network), .required),
            FieldSchema("from_stop_id", .id(.stop), .conditional),
            FieldSchema("to_stop_id", .id(.stop), .conditional),
        ], primaryKey: ["from_network_id", "to_network_id", "from_stop_id", "to_stop_id"]),
        FileSchema(name: "fare_transfer_rules.txt", presence: .optional, fields: [
            FieldSchema("from_leg_group_id", .id(.legGroup)),
            FieldSchema("to_leg_group_id", .id(.legGroup)),
            // -1 or at least 1; other values are `fare_transfer_rule_invalid_transfer_count`.
            FieldSchema("transfer_count", .integer(anyInt)),
            FieldSchema("duration_limit", .integer(positive)),
            FieldSchema("duration_limit_type", .integer(0...3)),
            FieldSchema("fare_transfer_type", .integer(0...2), .required),
            FieldSchema("fare_product_id", .id(.fareProduct)),
        ], primaryKey: ["from_leg_group_id", "to_leg_group_id", "fare_product_id", "transfer_count", "duration_limit"]),
        // GTFS-Flex.
        FileSchema(name: "location_groups.txt", presence: .optional, fields: [
            FieldSchema("location_group_id", .id(.locationGroup), .required),
            FieldSchema("location_group_name", .text),
        ], primaryKey: ["location_group_id"]),
        FileSchema(name: "location_group_stops.txt", presence: .optional, fields: [
            FieldSchema("location_group_id", .id(.locationGroup), .required),
            FieldSchema("stop_id", .id(.stop), .required),
        ], primaryKey: ["location_group_id", "stop_id"]),
        FileSchema(name: "booking_rules.txt", presence: .optional, fields: [
            FieldSchema("booking_rule_id", .id(.bookingRule), .required),
            FieldSchema("booking_type", .integer(0...2), .required),
            FieldSchema("prior_notice_duration_min", .integer(anyInt)),
            FieldSchema("prior_notice_duration_max", .integer(anyInt)),
            FieldSchema("prior_notice_last_day", .integer(anyInt)),
            FieldSchema("prior_notice_last_time", .time),
            FieldSchema("prior_notice_start_day", .integer(anyInt)),
            FieldSchema("prior_notice_start_time", .time),
            FieldSchema("prior_notice_service_id", .id(.service)),
            FieldSchema("message", .text),
            FieldSchema("pickup_message", .text),
            FieldSchema("drop_off_message", .text),
            FieldSchema("phone_number", .code),
            FieldSchema("info_url", .url),
            FieldSchema("booking_url", .url),
        ], primaryKey: ["booking_rule_id"]),
        FileSchema(name: "translations.txt", presence: .optional, fields: [
            FieldSchema("table_name", .code, .required),
            FieldSchema("field_name", .code, .required),
            FieldSchema("language", .code, .required),
            FieldSchema("translation", .text, .required),
            FieldSchema("record_id", .code, .conditional),
            FieldSchema("record_sub_id", .code, .conditional),
            FieldSchema("field_value", .text, .conditional),
        ], primaryKey: []),
        FileSchema(name: "attributions.txt", presence: .optional, fields: [
            FieldSchema("attribution_id", .code),
            FieldSchema("agency_id", .id(.agency)),
            FieldSchema("route_id", .id(.route)),
            FieldSchema("trip_id", .id(.trip)),
            FieldSchema("organization_name", .text, .required),
            FieldSchema("is_producer", .integer(0...1)),
            FieldSchema("is_operator", .integer(0...1)),
            FieldSchema("is_authority", .integer(0...1)),
            FieldSchema("attribution_url", .url),
            FieldSchema("attribution_email", .email),
            FieldSchema("attribution_phone", .code),
        ], primaryKey: ["attribution_id"]),
    ]
}
