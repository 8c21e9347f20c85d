/// What every notice code means: the 191 codes of MobilityData's canonical validator (as
/// gtfs-guru 1.0.0 lists them, with its severities) and the codes this package's own modules
/// add, each with a one-sentence summary in our words.
///
/// Reports use it to explain a code (the HTML validation report's sections) and tests to check
/// that every code a module emits is documented. The article <doc:Notices> lists the same
/// entries as tables.
public enum NoticeCatalog {
    /// One notice code and what it means.
    public struct Entry: Sendable, Hashable {
        /// The snake_case code (`foreign_key_violation`).
        public let code: String
        /// The severity the code is reported with.
        public let severity: Severity
        /// What it means, in one short sentence.
        public let summary: String

        /// Creates an entry.
        public init(_ code: String, _ severity: Severity, _ summary: String) {
            self.code = code
            self.severity = severity
            self.summary = summary
        }
    }

    /// The entry of `code`: a canonical code first, else one of ours; `nil` when unknown.
    /// - Complexity: O(1).
    public static func entry(_ code: String) -> Entry? { byCode[code] }

    /// Whether `code` is one of the canonical validator's codes.
    public static func isCanonical(_ code: String) -> Bool { canonicalCodes.contains(code) }

    /// The canonical validator's rule page for `code` (its anchor on
    /// `gtfs-validator.mobilitydata.org/rules.html`), or `nil` for a code of our own.
    public static func ruleURL(_ code: String) -> String? {
        isCanonical(code) ? "https://gtfs-validator.mobilitydata.org/rules.html#\(code)-rule" : nil
    }

    private static let canonicalCodes: Set<String> = Set(canonical.map(\.code))

    private static let byCode: [String: Entry] = {
        var map: [String: Entry] = [:]
        for e in own { map[e.code] = e }
        for e in canonical { map[e.code] = e }
        return map
    }()

    /// The canonical validator's codes (gtfs-guru 1.0.0's notice schema, deprecated ones
    /// included), sorted by code, with that schema's severities.
    public static let canonical: [Entry] = [
        Entry("agency_phone_invalid", .warning, "An agency_phone value does not look like a phone number riders could call (Google compatibility rule)."),
        Entry("attribution_without_role", .warning, "An attributions.txt row sets none of is_producer, is_operator or is_authority."),
        Entry("bidirectional_exit_gate", .error, "A pathway of mode 7 (exit gate) is marked bidirectional; exit gates work one way only."),
        Entry("big_gap_in_service", .info, "A service has no active date for more than 13 days in a row."),
        Entry("block_trips_with_overlapping_stop_times", .error, "Two trips of the same block_id run at the same time on a shared service day, so one vehicle cannot do both."),
        Entry("csv_parsing_failed", .error, "A file could not be read as CSV (for instance a cell longer than the parser accepts, or broken quoting)."),
        Entry("decreasing_or_equal_stop_time_distance", .error, "Along a trip, shape_dist_traveled in stop_times.txt stays the same or goes down from one stop to the next."),
        Entry("decreasing_shape_distance", .error, "Along a shape, shape_dist_traveled goes down from one point to the next."),
        Entry("duplicate_fare_media", .warning, "Two fare media share the same name and type."),
        Entry("duplicate_geo_json_key", .error, "Two features of locations.geojson use the same id."),
        Entry("duplicate_geography_id", .error, "An id is used more than once across stops, locations.geojson features and location groups."),
        Entry("duplicate_key", .error, "Two rows of a file have the same primary key."),
        Entry("duplicate_route_name", .warning, "Two routes of the same agency and type have the same short name, long name, or both."),
        Entry("duplicate_trip", .warning, "Several trips share route, service and stop times, so they describe one journey twice (Google compatibility rule)."),
        Entry("duplicated_column", .error, "The header names the same column twice."),
        Entry("empty_column_name", .error, "A column in the header has no name; its values are ignored."),
        Entry("empty_file", .error, "A file has no header line, or a required file has no data rows."),
        Entry("empty_row", .warning, "A row holds nothing but spaces."),
        Entry("equal_shape_distance_diff_coordinates", .error, "Two consecutive shape points have the same shape_dist_traveled but lie more than 1.11 m apart."),
        Entry("equal_shape_distance_diff_coordinates_distance_below_threshold", .warning, "Two consecutive shape points have the same shape_dist_traveled and lie apart, but by less than 1.11 m."),
        Entry("equal_shape_distance_same_coordinates", .warning, "Two consecutive shape points repeat both shape_dist_traveled and position: a duplicated point."),
        Entry("expired_calendar", .warning, "A service (from calendar.txt and calendar_dates.txt) has no dates left from the validation date on."),
        Entry("fare_product_with_multiple_default_rider_categories", .error, "One fare product is linked to more than one rider category marked as the default."),
        Entry("fare_transfer_rule_duration_limit_type_without_duration_limit", .error, "A fare transfer rule gives duration_limit_type but no duration_limit."),
        Entry("fare_transfer_rule_duration_limit_without_type", .error, "A fare transfer rule gives duration_limit but no duration_limit_type."),
        Entry("fare_transfer_rule_invalid_transfer_count", .error, "A fare transfer rule has a transfer_count value that is not allowed."),
        Entry("fare_transfer_rule_with_forbidden_transfer_count", .error, "A fare transfer rule between different leg groups sets transfer_count, which is only allowed within one group."),
        Entry("fare_transfer_rule_without_transfer_count", .error, "A fare transfer rule within one leg group lacks the transfer_count it needs."),
        Entry("fast_travel_between_consecutive_stops", .warning, "The schedule makes a vehicle go implausibly fast, for its route type, between two stops in a row."),
        Entry("fast_travel_between_far_stops", .warning, "The schedule makes a vehicle go implausibly fast between two stops more than 10 km apart."),
        Entry("feed_expiration_date30_days", .warning, "feed_info.txt says the feed ends within the next 30 days; it should cover at least a month ahead."),
        Entry("feed_expiration_date7_days", .warning, "feed_info.txt says the feed ends within the next 7 days."),
        Entry("feed_info_lang_and_agency_lang_mismatch", .warning, "feed_lang in feed_info.txt does not agree with agency_lang in agency.txt."),
        Entry("feed_valid_beyond_total_service_window", .info, "feed_info.txt declares validity that runs 14 or more days past the last day with service."),
        Entry("forbidden_arrival_or_departure_time", .error, "A stop time gives arrival or departure times together with a pickup/drop-off window; only one of the two is allowed."),
        Entry("forbidden_continuous_pickup_drop_off", .error, "A route allows continuous pickup or drop-off while its trips use pickup/drop-off windows, which the spec forbids."),
        Entry("forbidden_drop_off_type", .error, "A stop time with a pickup/drop-off window has drop_off_type 0 (regular), which is not allowed there."),
        Entry("forbidden_geography_id", .error, "A stop time names more than one of stop_id, location_group_id and location_id."),
        Entry("forbidden_pickup_type", .error, "A stop time with a pickup/drop-off window has pickup_type 0 or 3, which is not allowed there."),
        Entry("forbidden_prior_day_booking_field_value", .error, "A prior-day booking rule (booking_type 2) fills in a field that such rules must leave empty."),
        Entry("forbidden_prior_notice_start_day", .error, "A booking rule gives prior_notice_start_day together with prior_notice_duration_max, which excludes it."),
        Entry("forbidden_prior_notice_start_time", .error, "A booking rule gives prior_notice_start_time without a prior_notice_start_day."),
        Entry("forbidden_real_time_booking_field_value", .error, "A real-time booking rule (booking_type 0) fills in a field that such rules must leave empty."),
        Entry("forbidden_same_day_booking_field_value", .error, "A same-day booking rule (booking_type 1) fills in a field that such rules must leave empty."),
        Entry("forbidden_shape_dist_traveled", .error, "A stop time at a flexible location or location group gives shape_dist_traveled, which only fixed stops may have."),
        Entry("foreign_key_violation", .error, "A value refers to an id that the file it points to does not define."),
        Entry("future_calendar", .info, "Every service starts after the validation date, so nothing runs today."),
        Entry("future_feed", .info, "feed_info.txt's feed_start_date is after the validation date: the feed only covers the future."),
        Entry("geo_json_duplicated_element", .error, "locations.geojson repeats an element that may appear only once."),
        Entry("geo_json_unknown_element", .info, "locations.geojson has an element the specification does not define."),
        Entry("google_ic_price_check", .error, "The Google ic_price extension has a value other than -1 or a non-negative fare (Google compatibility rule)."),
        Entry("google_transfer_type_check", .warning, "A transfer uses transfer_type 4 or 5, which Google Transit ignores (Google compatibility rule)."),
        Entry("headway_too_large", .warning, "A frequencies.txt headway is over an hour; check it is in seconds and that frequency service is meant."),
        Entry("i_o_error", .error, "The feed or one of its files could not be read from disk or archive."),
        Entry("inconsistent_agency_lang", .warning, "The agencies of agency.txt do not all use the same language."),
        Entry("inconsistent_agency_timezone", .error, "The agencies of agency.txt do not all use the same time zone."),
        Entry("inconsistent_route_type_for_block_id", .warning, "Trips of one block belong to routes of different route types."),
        Entry("inconsistent_route_type_for_in_seat_transfer", .warning, "An in-seat transfer joins trips whose routes have different route types."),
        Entry("invalid_character", .error, "A value holds characters that cannot be right, such as the Unicode replacement character left by a bad encoding."),
        Entry("invalid_color", .error, "A colour is not six hexadecimal digits (like FFFFFF)."),
        Entry("invalid_currency", .error, "A currency is not an ISO 4217 code (like EUR)."),
        Entry("invalid_currency_amount", .error, "An amount has a different number of decimal places than its currency uses."),
        Entry("invalid_date", .error, "A date is not in YYYYMMDD form."),
        Entry("invalid_email", .error, "An e-mail address is malformed."),
        Entry("invalid_float", .error, "A value that must be a decimal number is not one."),
        Entry("invalid_geometry", .error, "A polygon of locations.geojson cannot be read or is not a valid shape."),
        Entry("invalid_input_files_in_subfolder", .error, "The feed's files sit in a sub-folder instead of at the top of the archive."),
        Entry("invalid_integer", .error, "A value that must be a whole number is not one."),
        Entry("invalid_language_code", .error, "A language is not a valid BCP 47 tag (like en or en-US)."),
        Entry("invalid_phone_number", .error, "A phone number is malformed."),
        Entry("invalid_pickup_drop_off_window", .error, "A pickup/drop-off window ends at or before it starts."),
        Entry("invalid_prior_notice_duration_min", .error, "A booking rule's prior_notice_duration_max is smaller than its prior_notice_duration_min."),
        Entry("invalid_row_length", .error, "A row has more or fewer values than the header has columns."),
        Entry("invalid_time", .error, "A time is not in H:MM:SS or HH:MM:SS form."),
        Entry("invalid_timezone", .error, "A time zone is not an IANA zone name (like Europe/Paris)."),
        Entry("invalid_url", .error, "A URL is malformed."),
        Entry("leading_or_trailing_whitespaces", .warning, "A quoted value starts or ends with spaces."),
        Entry("location_with_unexpected_stop_time", .error, "stop_times.txt refers to a station, entrance or other location that is not a stop or platform."),
        Entry("location_without_parent_station", .error, "An entrance, generic node or boarding area has no parent_station, which it needs."),
        Entry("malformed_json", .error, "A JSON file (such as locations.geojson) cannot be parsed."),
        Entry("missing_bike_allowance", .warning, "A ferry trip does not say whether bikes are allowed."),
        Entry("missing_calendar_and_calendar_date_files", .error, "The feed has neither calendar.txt nor calendar_dates.txt; one of them is needed."),
        Entry("missing_feed_contact_email_and_url", .warning, "feed_info.txt gives neither feed_contact_email nor feed_contact_url; best practice asks for one."),
        Entry("missing_feed_info_date", .warning, "feed_info.txt gives a start or an end date but not both."),
        Entry("missing_level_id", .error, "A stop served by an elevator pathway has no level_id."),
        Entry("missing_pickup_drop_off_booking_rule_id", .warning, "A stop time that needs booking (pickup or drop-off type 2) names no booking rule."),
        Entry("missing_pickup_or_drop_off_window", .error, "A stop time gives only the start or only the end of a pickup/drop-off window."),
        Entry("missing_prior_day_booking_field_value", .error, "A prior-day booking rule lacks prior_notice_last_day or prior_notice_last_time."),
        Entry("missing_prior_notice_duration_min", .error, "A same-day booking rule lacks prior_notice_duration_min."),
        Entry("missing_prior_notice_last_day", .error, "A prior-day booking rule (booking_type 2) lacks prior_notice_last_day."),
        Entry("missing_prior_notice_last_time", .error, "A prior-day booking rule (booking_type 2) lacks prior_notice_last_time."),
        Entry("missing_prior_notice_start_time", .error, "A booking rule gives prior_notice_start_day but no prior_notice_start_time."),
        Entry("missing_recommended_column", .warning, "A file lacks a column that is recommended."),
        Entry("missing_recommended_field", .warning, "A recommended value is empty."),
        Entry("missing_recommended_file", .warning, "A recommended file (such as feed_info.txt) is missing."),
        Entry("missing_required_agency_id", .error, "With several agencies, agency_id must be filled in agency.txt, routes.txt and fare_attributes.txt."),
        Entry("missing_required_column", .error, "A file lacks a column that is required."),
        Entry("missing_required_element", .error, "A feature of locations.geojson lacks a required element."),
        Entry("missing_required_field", .error, "A required value is empty."),
        Entry("missing_required_file", .error, "A file the feed must have is missing."),
        Entry("missing_stop_name", .error, "A stop, station or entrance has no stop_name."),
        Entry("missing_stop_times_record", .error, "Travel within one location or location group needs two stop time rows, but only one is there."),
        Entry("missing_timepoint_value", .warning, "A stop time with times does not say whether they are exact (timepoint)."),
        Entry("missing_trip_edge", .error, "The first or last stop of a trip lacks an arrival or departure time."),
        Entry("mixed_case_recommended_field", .warning, "Rider-facing text is all upper or all lower case; Mixed Case reads better."),
        Entry("more_than_one_entity", .warning, "A file meant to hold one row (such as feed_info.txt) holds several."),
        Entry("new_line_in_value", .error, "A value contains a line break, often the sign of a quote left open."),
        Entry("non_ascii_or_non_printable_char", .warning, "An id contains non-ASCII or invisible characters."),
        Entry("number_out_of_range", .error, "A number is outside the range its field allows."),
        Entry("overlapping_frequency", .error, "Two frequencies.txt periods of one trip overlap in time."),
        Entry("overlapping_zone_and_pickup_drop_off_window", .error, "Two stop times of a trip have overlapping windows and overlapping zones with the same pickup or drop-off type."),
        Entry("pathway_dangling_generic_node", .warning, "A generic node touches only one other location in the pathway graph, so it leads nowhere."),
        Entry("pathway_loop", .warning, "A pathway goes from a location back to that same location."),
        Entry("pathway_to_platform_with_boarding_areas", .error, "A pathway ends at a platform that has boarding areas; it should end at a boarding area instead."),
        Entry("pathway_to_stop_with_access_outside_of_station_pathways", .error, "A pathway leads to a stop marked as reachable from the street (stop_access 1)."),
        Entry("pathway_to_wrong_location_type", .error, "A pathway ends at a station; pathways link platforms, entrances, nodes and boarding areas."),
        Entry("pathway_unreachable_location", .error, "A location cannot be reached from an entrance, or cannot reach an exit, through the pathways."),
        Entry("platform_without_parent_station", .info, "A platform has no parent_station."),
        Entry("point_near_origin", .error, "A position is at or next to latitude 0, longitude 0, usually a placeholder."),
        Entry("point_near_pole", .error, "A position is next to the North or South Pole, usually swapped or wrong coordinates."),
        Entry("prior_notice_last_day_after_start_day", .error, "A booking rule's prior_notice_last_day is later than its prior_notice_start_day."),
        Entry("route_both_short_and_long_name_missing", .error, "A route has neither a short nor a long name."),
        Entry("route_color_contrast", .warning, "A route's colour and text colour are too alike to read."),
        Entry("route_long_name_contains_short_name", .warning, "A route's long name repeats its short name."),
        Entry("route_networks_specified_in_more_than_one_file", .error, "Route networks are given both in routes.txt (network_id) and in route_networks.txt; use one."),
        Entry("route_short_name_too_long", .warning, "A route's short name is longer than 12 characters."),
        Entry("runtime_exception_in_loader_error", .error, "The canonical validator failed internally while loading a file."),
        Entry("runtime_exception_in_validator_error", .error, "The canonical validator failed internally while running a check."),
        Entry("same_name_and_description_for_route", .warning, "A route's description only repeats its name."),
        Entry("same_name_and_description_for_stop", .warning, "A stop's description only repeats its name."),
        Entry("same_route_and_agency_url", .warning, "A route's URL is the same as its agency's."),
        Entry("same_stop_and_agency_url", .warning, "A stop's URL is the same as an agency's."),
        Entry("same_stop_and_route_url", .warning, "A stop's URL is the same as a route's."),
        Entry("service_extends_far_in_the_future", .info, "A service's end date is more than two years away."),
        Entry("service_has_no_active_day_of_the_week", .warning, "A calendar.txt service runs on no day of the week."),
        Entry("service_never_active", .warning, "A service runs on no weekday and gets no added dates, so its trips never run."),
        Entry("service_window_outside_feed_period", .info, "The dates with service fall partly outside the period feed_info.txt declares."),
        Entry("single_shape_point", .warning, "A shape has only one point, too few to draw a line."),
        Entry("start_and_end_range_equal", .error, "A start and an end (of dates or times) are equal."),
        Entry("start_and_end_range_out_of_order", .error, "An end date or time comes before its start."),
        Entry("station_with_parent_station", .error, "A station (location_type 1) has a parent_station; stations cannot have one."),
        Entry("stop_access_specified_for_incorrect_location", .error, "stop_access is set on a location that is not a stop or platform."),
        Entry("stop_access_specified_for_stop_with_no_parent_station", .error, "stop_access is set on a stop that has no parent station."),
        Entry("stop_has_too_many_matches_for_shape", .warning, "A stop lies near several parts of its trip's shape, so its place along the shape is unclear."),
        Entry("stop_headsign_invalid_char", .warning, "A stop_headsign contains a character such as ! $ % * = or _ that some consumers reject (Google compatibility rule)."),
        Entry("stop_time_timepoint_without_times", .error, "A stop time marked as an exact timepoint has no arrival or departure time."),
        Entry("stop_time_with_arrival_before_previous_departure_time", .error, "A trip arrives at a stop before it left the previous one."),
        Entry("stop_time_with_only_arrival_or_departure_time", .error, "A stop time gives an arrival or a departure time but not both."),
        Entry("stop_too_far_from_shape", .warning, "A stop lies more than 100 m from the shape of a trip that serves it."),
        Entry("stop_too_far_from_shape_using_user_distance", .warning, "A stop is far from the point of the shape that its shape_dist_traveled names."),
        Entry("stop_without_location", .error, "A stop, station or entrance has no latitude or longitude."),
        Entry("stop_without_stop_time", .warning, "A stop is not used by any trip."),
        Entry("stop_without_zone_id", .info, "A stop on a route with zone-based fare rules has no zone_id."),
        Entry("stops_match_shape_out_of_order", .warning, "Two stops of a trip match its shape in the opposite order to the one they are served in."),
        Entry("thread_execution_error", .error, "The canonical validator failed internally while running checks in parallel."),
        Entry("timeframe_only_start_or_end_time_specified", .error, "A timeframes.txt row gives a start time or an end time, but not both."),
        Entry("timeframe_overlap", .error, "Two timeframes of the same group and service overlap in time."),
        Entry("timeframe_start_or_end_time_greater_than_twenty_four_hours", .error, "A time in timeframes.txt is later than 24:00:00."),
        Entry("too_many_days_without_service", .warning, "The feed has a stretch of 14 or more days with no service at all."),
        Entry("too_many_rows", .error, "A file has more rows than consumers can handle in reasonable time."),
        Entry("transfer_distance_above_2_km", .info, "A transfer links two stops more than 2 km apart."),
        Entry("transfer_distance_too_large", .warning, "A transfer links two stops more than 10 km apart."),
        Entry("transfer_with_invalid_stop_location_type", .error, "A transfer names a location that is neither a stop nor a station."),
        Entry("transfer_with_invalid_trip_and_route", .error, "A transfer names a trip together with a route that is not the trip's route."),
        Entry("transfer_with_invalid_trip_and_stop", .error, "A transfer names a trip together with a stop that the trip does not serve."),
        Entry("transfer_with_suspicious_mid_trip_in_seat", .warning, "An in-seat transfer uses a stop that is not the last stop of the first trip or the first of the next."),
        Entry("translation_foreign_key_violation", .error, "A translation points to a record (record_id, record_sub_id) that does not exist."),
        Entry("translation_unexpected_value", .error, "A translations.txt row fills in a field that must stay empty for it."),
        Entry("translation_unknown_table_name", .warning, "A translation names a table that is unknown or missing from the feed."),
        Entry("trip_coverage_not_active_for_next7_days", .warning, "Most trips stop running within the next 7 days."),
        Entry("trip_distance_exceeds_shape_distance", .error, "A trip's last stop lies 11.1 m or more past the end of its shape."),
        Entry("trip_distance_exceeds_shape_distance_below_threshold", .warning, "A trip's last stop lies past the end of its shape, by less than 11.1 m."),
        Entry("trip_headsign_matches_intermediate_stop", .info, "A trip's headsign names a stop in the middle of the trip rather than its last stop."),
        Entry("trip_with_shape_dist_traveled_but_no_shape_distances", .info, "A trip's stop times give shape_dist_traveled but its shape's points do not all have one."),
        Entry("u_r_i_syntax_error", .error, "A value cannot be parsed as a URI."),
        Entry("unexpected_enum_value", .warning, "A field holds a value outside its list of allowed codes."),
        Entry("unknown_column", .info, "A column is not part of the specification; it is kept but not checked."),
        Entry("unknown_file", .info, "A file is not part of the specification; it is kept but not checked."),
        Entry("unsorted_stop_times", .info, "The stop times of a trip are not together, or not in stop_sequence order, in the file."),
        Entry("unsupported_feature_type", .error, "A locations.geojson feature has a type other than Feature."),
        Entry("unsupported_geo_json_type", .error, "locations.geojson's top-level type is not FeatureCollection."),
        Entry("unsupported_geometry_type", .error, "A locations.geojson feature's geometry is not a Polygon or MultiPolygon."),
        Entry("unusable_trip", .warning, "A trip serves fewer than two stops, so nobody can ride it."),
        Entry("unused_agency", .warning, "An agency no route refers to."),
        Entry("unused_parent_station", .info, "A station that no stop names as its parent_station."),
        Entry("unused_route", .warning, "A route with no trips."),
        Entry("unused_shape", .warning, "A shape no trip uses."),
        Entry("unused_station", .info, "A station that no stop names as its parent_station."),
        Entry("unused_stop", .warning, "A stop that no trip serves, directly or through its child stops."),
        Entry("unused_trip", .warning, "A trip with no stop times."),
        Entry("wrong_parent_location_type", .error, "A parent_station points to a location of the wrong type (a platform's parent must be a station, for instance)."),
    ]

    /// The codes this package's modules report that the canonical validator does not have:
    /// the GTFS reader's and validator's, then the network module's (`NetworkIssue`), then the
    /// ridership module's (`RidershipIssue`). Modules also report canonical codes; those are in
    /// ``canonical`` only.
    public static let own: [Entry] = [
        // GTFS reader and validator
        Entry("invalid_input_encoding", .error, "A file is not UTF-8 text (for example UTF-16); it cannot be read."),
        Entry("start_and_end_time_out_of_order", .error, "A frequencies.txt row ends at or before it starts."),
        Entry("stop_time_with_departure_before_arrival_time", .error, "A stop time departs before it arrives."),
        Entry("too_many_columns", .error, "A header has more than 4096 columns; the columns after the 4096th are not read."),
        Entry("not_a_regular_file", .error, "A name in a feed folder is a FIFO, socket or device (or a link to one); it is not read."),
        // Network (NetworkIssue)
        Entry("stop_without_position", .warning, "A stop used by a trip has no usable position, nor a parent station with one."),
        Entry("stop_times_go_backwards", .warning, "A trip's times go down from one stop to the next."),
        Entry("decreasing_shape_dist_traveled", .warning, "A trip's shape_dist_traveled goes down; distances were measured on the geometry instead."),
        Entry("unknown_shape_dist_traveled_unit", .warning, "The unit of shape_dist_traveled could not be matched to the shape's geometry."),
        // Ridership (RidershipIssue)
        Entry("unknown_trip", .error, "A ridership or capacity row names a trip_id that trips.txt does not define; the row is skipped."),
        Entry("unknown_stop", .error, "A board_alight.txt row names a stop_id that stops.txt does not define; the row is skipped."),
        Entry("stop_not_in_trip", .error, "A board_alight.txt row's stop or stop_sequence is not one of the trip's stop times; the row is skipped."),
        Entry("duplicate_record", .error, "A second board_alight.txt row for the same trip, stop_sequence and date; only the first is used."),
        Entry("missing_count", .error, "A boardings, alightings or capacity value is empty or not a count; it is read as 0."),
        Entry("missing_key", .error, "A ridership row lacks its trip_id or stop_sequence; the row is skipped."),
        Entry("negative_load", .error, "Walking a trip's counts makes the on-board load negative; the load is reset to 0 there."),
        Entry("trip_ends_with_load", .warning, "Passengers are still on board after the trip's last counted stop."),
        Entry("load_count_mismatch", .warning, "load_count disagrees with the load computed from boardings and alightings; the computed one is used."),
        Entry("unplaceable_trip", .error, "A trip's counts cannot be placed in a time period (no times), so its rows are not used."),
        Entry("missing_service_date", .warning, "Ridership rows without service_date; a trip's undated rows are taken as one day."),
        Entry("unusable_capacity", .warning, "A trip_capacity.txt row gives no capacity or no trip_id; it is not used."),
        Entry("mixed_capacity", .info, "The trips of a route have different capacities; the most common one is used."),
        Entry("missing_column", .error, "A load table lacks a required column; nothing is read from it."),
        Entry("duplicate_column", .warning, "A load table names a column twice; the first is used."),
        Entry("wrong_field_count", .error, "A load table row has more or fewer fields than the header."),
        Entry("missing_value", .error, "A required load table value is empty; the row is skipped."),
        Entry("invalid_number", .error, "A load table value is not a number of 0 or more (or direction_id not 0 or 1); the row is skipped."),
        Entry("unknown_period", .error, "A load table row names a period the plan does not have; the row is skipped."),
        Entry("unknown_route", .error, "A load table row names a route the feed does not have; the row is skipped."),
        Entry("duplicate_row", .error, "A second load table row for the same route, direction and period; it is skipped."),
        Entry("csv_syntax", .error, "A load table has a quoted field that is never closed, or text after a closing quote."),
    ]
}
