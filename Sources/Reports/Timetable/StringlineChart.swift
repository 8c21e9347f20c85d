// The stringline (Marey) chart: one line per trip, time of day across, distance along the
// route up, drawn with the Charts building blocks.

import Charts

/// A stringline diagram with fixed axes, so that two of them (current and planned) compare.
struct StringlineChart: Sendable {
    /// The figure's title.
    var title: String
    /// The trips.
    var trips: [StringlineTrip]
    /// The time axis, seconds since service-day midnight.
    var timeDomain: ClosedRange<Double>
    /// The distance axis, kilometres.
    var distanceDomain: ClosedRange<Double>
    /// One colour per direction (0, 1).
    var directionStyles: [SeriesStyle]
    /// What the chart says when it has no trip.
    var emptyNote: String
    /// Pixels.
    var width: Double = 620
    var height: Double = 360

    /// How far (pixels) a simplified line may stray from the trip's stop events.
    static let tolerance = 0.45

    func rendered() -> String {
        let frame = Frame(width: width, height: height, top: 52, right: 24, bottom: 46, left: 56)
        var svg = SVG(width: width, height: height, title: title)
        Axes.title(&svg, title, frame: frame)
        Legend.draw(&svg, directionStyles, x: frame.minX, y: 38, maxX: frame.maxX)
        let x = LinearScale(domain: timeDomain, range: (frame.minX, frame.maxX))
        let y = LinearScale(domain: distanceDomain, range: (frame.maxY, frame.minY))
        Axes.left(&svg, scale: y, ticks: y.ticks(count: 6), style: .number(places: 1), title: "distance along the route (km)", frame: frame)
        Axes.bottom(&svg, scale: x, ticks: Ticks.clock(x.domain, count: max(2, Int((frame.maxX - frame.minX) / 62))),
                    style: .clock, title: "time of day (HH:MM)", frame: frame)
        guard !trips.isEmpty else {
            Axes.empty(&svg, emptyNote, frame: frame)
            return svg.rendered()
        }
        // One group per direction: the trips' lines share its stroke, so each line carries only
        // its points and tooltip.
        let groups = Dictionary(grouping: trips.indices, by: { trips[$0].direction })
        for direction in groups.keys.sorted() {
            let color = directionStyles.indices.contains(Int(direction)) ? directionStyles[Int(direction)].color : Palette.axis
            svg.beginLineGroup(class: "trips", stroke: color, width: 1.1, opacity: 0.9)
            for i in groups[direction] ?? [] {
                let trip = trips[i]
                let points = trip.points.map { Point(x(Double($0.time)), y($0.metres / 1000)) }
                let simple = Simplify.douglasPeucker(points, tolerance: Self.tolerance)
                if simple.count == 1, let only = simple.first {
                    svg.circle(only, radius: 1.5, fill: color, tooltip: trip.tooltip)
                } else {
                    svg.polyline(simple, tooltip: trip.tooltip)
                }
            }
            svg.endGroup()
        }
        return svg.rendered()
    }
}
