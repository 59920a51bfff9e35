// The skills' results as JSON: the shapes the manifest's Outputs.Schema describes.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "threat_intel/extract.hpp"
#include "threat_intel/feed_store.hpp"
#include "threat_intel/reputation.hpp"

namespace threat_intel {

// LookupIndicator, as JSON text written directly (no document: this is every lookup's cost):
// {indicator, type, input, defanged, verdict, confidence, matches[], first_seen, last_seen,
// tags[], malware[], feeds{folder, loaded_at, loaded, entries, skipped_lines, problems[],
// matched[{name, file}]}}.
std::string reputation_json(const Reputation& reputation, std::string_view input,
                            const Snapshot& snapshot);

// ExtractIndicators: {indicators[{type, value, count, defanged}], counts{<type>..., total},
// occurrences, truncated}.
boost::json::object extraction_json(const Extraction& extraction);

}  // namespace threat_intel
