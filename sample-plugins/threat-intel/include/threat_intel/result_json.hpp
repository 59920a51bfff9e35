// The skills' results as JSON: the shapes the manifest's Outputs.Schema describes.
#pragma once

#include <boost/json/object.hpp>

#include "threat_intel/extract.hpp"
#include "threat_intel/feed_store.hpp"
#include "threat_intel/reputation.hpp"

namespace threat_intel {

// LookupIndicator: {indicator, type, input, defanged, verdict, confidence, matches[], first_seen,
// last_seen, tags[], malware[], feeds{...}}.
boost::json::object reputation_json(const Reputation& reputation, std::string_view input,
                                    const Snapshot& snapshot);

// The `feeds` status: {folder, loaded_at, loaded, entries, skipped_lines, problems[], list[]}.
boost::json::object feeds_json(const Snapshot& snapshot);

// ExtractIndicators: {indicators[{type, value, count, defanged}], counts{<type>..., total},
// occurrences, truncated}.
boost::json::object extraction_json(const Extraction& extraction);

}  // namespace threat_intel
