// The work of the BenchEcho.Summarise skill: parse a ~200-byte indicator object and build a
// ~200-byte verdict. Shared by the plugin and the benchmark's direct call, so that both sides of
// the "in-process skill call" budget (DESIGN.md, Performance budgets) do exactly the same work.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace secpilot::bench {

// The call both benchmarks time: this skill with this 203-byte input (the result is about 200
// bytes too).
constexpr std::string_view kSummariseSkill = "BenchEcho.Summarise";
constexpr std::string_view kSummariseInput =
    R"({"indicator":"203.0.113.45","type":"ipv4","context":"Outbound beacon from FIN-WS-0142 )"
    R"(every 60 s to a rare port, after a phishing e-mail was opened","tags":["phishing","c2",)"
    R"("beacon","finance"],"limit":5})";

// Tags that make an indicator malicious outright rather than merely suspicious.
inline bool is_damning_tag(std::string_view tag) {
  return tag == "c2" || tag == "ransomware" || tag == "exfiltration";
}

// Input: {"indicator": str, "type": str?, "context": str?, "tags": [str]?, "limit": int?}.
// Output: {"verdict", "confidence", "indicator", "tags" (at most `limit`), "summary"}.
// Throws std::invalid_argument when the input is not such an object.
inline std::string summarise(std::string_view input_json) {
  boost::system::error_code error;
  const boost::json::value parsed =
      boost::json::parse(boost::json::string_view(input_json.data(), input_json.size()), error);
  const boost::json::object* input = error ? nullptr : parsed.if_object();
  if (!input) throw std::invalid_argument("the input must be a JSON object");
  const boost::json::value* indicator = input->if_contains("indicator");
  if (!indicator || !indicator->is_string())
    throw std::invalid_argument("'indicator' must be a string");

  auto text_of = [&](std::string_view key, std::string_view fallback) -> std::string_view {
    const boost::json::value* value = input->if_contains(key);
    return value && value->is_string() ? std::string_view(value->get_string()) : fallback;
  };
  const std::string_view type = text_of("type", "unknown");
  const std::string_view context = text_of("context", "");
  std::int64_t limit = 10;
  if (const boost::json::value* value = input->if_contains("limit"); value && value->is_int64())
    limit = std::clamp<std::int64_t>(value->get_int64(), 0, 100);

  boost::json::array tags;
  bool damning = false;
  if (const boost::json::value* value = input->if_contains("tags"); value && value->is_array()) {
    for (const boost::json::value& tag : value->get_array()) {
      if (!tag.is_string()) continue;
      damning = damning || is_damning_tag(tag.get_string());
      if (static_cast<std::int64_t>(tags.size()) < limit) tags.push_back(tag);
    }
  }
  const char* verdict = damning ? "malicious" : tags.empty() ? "unknown" : "suspicious";
  const double confidence =
      std::min(0.95, 0.35 + 0.15 * static_cast<double>(tags.size()) + (damning ? 0.2 : 0.0));

  std::string summary;
  summary.reserve(128);
  summary.append(indicator->get_string()).append(" (").append(type).append(") ");
  summary.append(verdict).append(", ").append(std::to_string(tags.size())).append(" tags: ");
  summary.append(context.substr(0, 40));

  boost::json::object result;
  result.reserve(5);
  result.emplace("verdict", verdict);
  result.emplace("confidence", confidence);
  result.emplace("indicator", indicator->get_string());
  result.emplace("tags", std::move(tags));
  result.emplace("summary", std::move(summary));
  return boost::json::serialize(result);
}

}  // namespace secpilot::bench
