// What the trip-log and service-body targets share: the pricer and pseudonymizer that
// `transit carbon credit --feed gtfs/sample-city` and `transit serve` build.
import Carbon
import FuzzSupport
import GTFS
import TransitNetwork

/// The pricer `carbon credit --feed gtfs/sample-city` builds: shipped factors and policy, the
/// sample feed's distances. Made once, on first use.
public let samplePricer: Pricer = {
    let loaded: LoadedFeed
    do { loaded = try FeedReader.load(sampleFeedPath(), options: ReadOptions(validate: false)) } catch {
        setupFailed("cannot load the sample feed at \(sampleFeedPath()): \(error)")
    }
    let factors: FactorSet
    let policy: Policy
    do { factors = try FactorSet.ukDESNZ2022; policy = try Policy.standard } catch { setupFailed("no factor set or policy: \(error)") }
    return Pricer(factors: factors, policy: policy, feed: FeedContext(feed: loaded.feed, distances: ShapeDistances(feed: loaded.feed)))
}()

/// A keyed pseudonymizer with a fixed fuzzing secret, as `--pseudonymize` would make.
public let fuzzPseudonymizer: Pseudonymizer? = try? Pseudonymizer(secret: Array("fuzzing-secret-0123456789".utf8))
