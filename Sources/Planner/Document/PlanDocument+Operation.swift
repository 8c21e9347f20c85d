extension PlanDocument {
    /// How a plan runs as vehicle blocks: the model's vehicles beside the blocks', per period
    /// and for the day (written by the Timetable module's operable planning loop).
    public struct Operation: Codable, Sendable, Hashable {
        /// Whether the blocks fit the user's fleet limits.
        public var fits: Bool
        /// Why no operable plan was found, when none was.
        public var failure: String?
        /// Plans solved until the blocks fit (1: the first plan fitted).
        public var solves: Int
        /// The day's vehicle blocks.
        public var blocks: Int?
        /// The least fleet any schedule of these trips needs (trips in progress at once, with
        /// their minimum layovers).
        public var lowerBound: Int?
        /// Blocks that run more than one route.
        public var interlinedBlocks: Int?
        /// Vehicles interlining saves against every vehicle staying on its route (`nil` without
        /// interlining).
        public var savedByInterlining: Int?
        /// Hours from each block's first departure to its last arrival, plus depot drives.
        public var vehicleHours: Double?
        /// ``vehicleHours`` at the plan's cost per vehicle-hour.
        public var operatingCost: Double?
        /// Deadhead hours between trips.
        public var deadheadHours: Double?
        /// Deadhead kilometres between trips.
        public var deadheadKm: Double?
        /// Depot drive hours (pull-out and pull-in).
        public var depotHours: Double?
        /// Per period.
        public var periods: [Period]

        enum CodingKeys: String, CodingKey {
            case fits, failure, solves, blocks
            case lowerBound = "lower_bound"
            case interlinedBlocks = "interlined_blocks"
            case savedByInterlining = "vehicles_saved_by_interlining"
            case vehicleHours = "vehicle_hours"
            case operatingCost = "operating_cost"
            case deadheadHours = "deadhead_hours"
            case deadheadKm = "deadhead_km"
            case depotHours = "depot_hours"
            case periods
        }

        /// One period.
        public struct Period: Codable, Sendable, Hashable {
            /// `HH:MM-HH:MM`.
            public var period: String
            /// The user's fleet limit.
            public var fleet: Int?
            /// The model's limit in the last solve (tightened where the blocks did not fit).
            public var modelLimit: Int?
            /// The plan's vehicles, Σ ceil(cycle / headway).
            public var modelVehicles: Int
            /// The blocks in service at the busiest instant.
            public var blocksInService: Int?
            /// Blocks in service at some time in the period.
            public var activeBlocks: Int?
            /// Deadhead hours leaving in the period.
            public var deadheadHours: Double?
            /// Deadhead kilometres leaving in the period.
            public var deadheadKm: Double?
            /// Blocks in service in the period that run more than one route.
            public var interlinedBlocks: Int?

            enum CodingKeys: String, CodingKey {
                case period, fleet
                case modelLimit = "model_limit"
                case modelVehicles = "model_vehicles"
                case blocksInService = "blocks_in_service"
                case activeBlocks = "active_blocks"
                case deadheadHours = "deadhead_hours"
                case deadheadKm = "deadhead_km"
                case interlinedBlocks = "interlined_blocks"
            }

            /// Creates a period row.
            public init(period: String, fleet: Int?, modelLimit: Int?, modelVehicles: Int, blocksInService: Int?,
                        activeBlocks: Int?, deadheadHours: Double?, deadheadKm: Double?, interlinedBlocks: Int?) {
                self.period = period
                self.fleet = fleet
                self.modelLimit = modelLimit
                self.modelVehicles = modelVehicles
                self.blocksInService = blocksInService
                self.activeBlocks = activeBlocks
                self.deadheadHours = deadheadHours
                self.deadheadKm = deadheadKm
                self.interlinedBlocks = interlinedBlocks
            }
        }

        /// Creates the section.
        public init(fits: Bool, failure: String?, solves: Int, blocks: Int?, lowerBound: Int?, interlinedBlocks: Int?,
                    savedByInterlining: Int? = nil, vehicleHours: Double?, operatingCost: Double?, deadheadHours: Double?, deadheadKm: Double?,
                    depotHours: Double?, periods: [Period]) {
            self.fits = fits
            self.failure = failure
            self.solves = solves
            self.blocks = blocks
            self.lowerBound = lowerBound
            self.interlinedBlocks = interlinedBlocks
            self.savedByInterlining = savedByInterlining
            self.vehicleHours = vehicleHours
            self.operatingCost = operatingCost
            self.deadheadHours = deadheadHours
            self.deadheadKm = deadheadKm
            self.depotHours = depotHours
            self.periods = periods
        }
    }
}
