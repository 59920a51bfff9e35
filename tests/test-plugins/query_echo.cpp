// A query backend for the KQL skill tests: returns the query it was given, so that a test sees
// exactly what a KQL skill's template rendered to.
#include <secpilot/sdk.hpp>

#include <string>

class QueryEcho {
 public:
  explicit QueryEcho(secpilot::sdk::InitContext&) {}

  // The host passes {"query": "<rendered KQL>"}: echo it back as the result.
  std::string run(secpilot::sdk::Context& ctx) { return std::string(ctx.input()); }
};

SECPILOT_PLUGIN(QueryEcho, "QueryEcho", "1.0.0",
                secpilot::sdk::skill<&QueryEcho::run>("Run", SP_SKILL_THREAD_SAFE));
