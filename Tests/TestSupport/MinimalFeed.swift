/// The smallest valid feed the tests write over: one agency, two stops, one route, one trip
/// with two stop times, a weekday calendar for 2026 and feed info.
public enum MinimalFeed {
    /// The files, by name.
    public static let files: [String: String] = [
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Agency,https://a.example,Europe/Vilnius\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,54.1,25.1\nS2,Two,54.2,25.2\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\n",
        "trips.txt": "route_id,service_id,trip_id\nR1,WD,T1\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,S1,1\nT1,08:10:00,08:10:00,S2,2\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20261231\n",
        "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang\nP,https://p.example,en\n",
    ]
}
