// The skills' results as JSON: the shapes the manifest's Outputs.Schema describes
// (manifests/script-analysis.yaml).
#pragma once

#include <boost/json/object.hpp>

#include "script_analysis/analysis.hpp"

namespace script_analysis {

// AnalyzeScript: language, verdict, score, reasons, behaviours, techniques, indicators, entropy,
// layers, final_text, deobfuscation, limits_hit, limits.
boost::json::object analysis_json(const Analysis& analysis, const Limits& limits);

// DeobfuscateScript: language, layers, final_text, deobfuscation, limits_hit, limits.
boost::json::object deobfuscation_json(const DeobfuscationOnly& result, const Limits& limits);

}  // namespace script_analysis
