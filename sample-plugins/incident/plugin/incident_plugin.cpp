// Incident: summarizes a Defender XDR, Sentinel or generic incident export (timeline, entities,
// ATT&CK, triage) and writes stakeholder reports from it or from a secpilot session, without a
// model. Written against the public SDK only (<secpilot/sdk.hpp>), as a third-party vendor
// would; the logic lives in incident_core and this file only adapts it to the skill calls.
#define SECPILOT_SDK_USE_BOOST_JSON
#include <secpilot/sdk.hpp>

#include <string>

#include <boost/json.hpp>

#include "incident/input_error.hpp"
#include "incident/read.hpp"
#include "incident/report.hpp"
#include "incident/summary.hpp"

namespace {

namespace sdk = secpilot::sdk;

std::string required_text(const sdk::Context& ctx, const std::string& name,
                          const std::string& what) {
  auto value = ctx.input_string(name);
  if (!value || value->empty())
    throw sdk::Error(SP_ERR_INVALID_INPUT,
                     "the input '" + name + "' is missing or empty: pass " + what);
  return std::move(*value);
}

// Runs `work`, turning the core's input errors into SP_ERR_INVALID_INPUT with their message.
template <typename Work>
auto invalid_input_on_error(Work work) {
  try {
    return work();
  } catch (const incident::InputError& error) {
    throw sdk::Error(SP_ERR_INVALID_INPUT, error.what());
  }
}

class IncidentPlugin {
 public:
  boost::json::value summarize(sdk::Context& ctx) const {
    const std::string text =
        required_text(ctx, "incident",
                      "the incident export's JSON text (Defender XDR, Sentinel "
                      "or the generic shape)");
    return invalid_input_on_error([&] {
      auto incident = incident::read_incident(incident::parse_json_input(text, "incident"));
      return boost::json::value(incident::summary_json(incident::summarize(std::move(incident))));
    });
  }

  boost::json::value write_report(sdk::Context& ctx) const {
    const std::string text =
        required_text(ctx, "source",
                      "an incident export, SummarizeIncident's result, or a session export's JSON "
                      "text");
    incident::Audience audience = incident::Audience::soc_analyst;
    if (auto name = ctx.input_string("audience"); name && !name->empty()) {
      auto parsed = incident::parse_audience(*name);
      if (!parsed)
        throw sdk::Error(SP_ERR_INVALID_INPUT, "the input 'audience' is '" + *name + "': use " +
                                                   std::string(incident::kAudienceNames));
      audience = *parsed;
    }
    return invalid_input_on_error([&] {
      auto incident = incident::read_incident(incident::parse_json_input(text, "source"),
                                              {.input_name = "source", .allow_session = true});
      const auto summary = incident::summarize(std::move(incident));
      ctx.throw_if_cancelled();
      return boost::json::value(
          incident::report_json(incident::write_report(summary, audience), summary));
    });
  }
};

}  // namespace

SECPILOT_PLUGIN(IncidentPlugin, "Incident", "1.0.0",
                sdk::skill<&IncidentPlugin::summarize>(
                    "SummarizeIncident", SP_SKILL_THREAD_SAFE,
                    "Summarizes an incident export: timeline, entities, ATT&CK and triage"),
                sdk::skill<&IncidentPlugin::write_report>(
                    "WriteReport", SP_SKILL_THREAD_SAFE,
                    "Writes a Markdown report on an incident or a session for the CISO, a SOC "
                    "analyst or an IT admin"));
