// Policy: analyses conditional-access policies (Microsoft Entra or a generic shape) for
// conflicts, redundancy and gaps, and checks a proposed policy against them. Written against the
// public SDK only (<secpilot/sdk.hpp>), as a third-party vendor would; the logic lives in
// policy_core and this file only adapts it to the skill call.
#define SECPILOT_SDK_USE_BOOST_JSON
#include <secpilot/sdk.hpp>

#include <string>

#include <boost/json.hpp>

#include "policy/analysis.hpp"
#include "policy/parse.hpp"
#include "policy/result_json.hpp"

namespace {

namespace sdk = secpilot::sdk;

// Turns a core error into the skill's error, with the status the planner acts on.
template <class T>
T take(policy::Result<T> result) {
  if (!result)
    throw sdk::Error(result.error().kind == policy::Error::Kind::TooLarge ? SP_ERR_TOO_LARGE
                                                                          : SP_ERR_INVALID_INPUT,
                     result.error().message);
  return std::move(result).value();
}

class PolicyPlugin {
 public:
  boost::json::value analyze(sdk::Context& ctx) const {
    auto text = ctx.input_string("policies");
    if (!text || text->empty())
      throw sdk::Error(SP_ERR_INVALID_INPUT,
                       "the input 'policies' is missing or empty: pass the conditional-access "
                       "policies as JSON (Microsoft Graph's GET "
                       "/identity/conditionalAccess/policies response, an array, one policy, or "
                       "the generic shape of docs/plugins/policy.md)");
    policy::Directory directory;
    if (auto names = ctx.input_string("names"); names && !names->empty())
      take(policy::parse_names(*names, directory));
    policy::Options options;
    if (auto accounts = ctx.input_string("emergency_accounts"); accounts && !accounts->empty())
      options.emergency_accounts = take(policy::parse_account_list(*accounts));
    policy::PolicySet set = take(policy::parse_policies(*text, directory));
    std::optional<policy::Policy> proposed;
    if (auto draft = ctx.input_string("proposed"); draft && !draft->empty())
      proposed = take(policy::parse_proposed(*draft, directory));
    options.cancelled = [&ctx] { return ctx.cancelled(); };

    policy::Analysis analysis =
        policy::analyze(std::move(set.policies), std::move(proposed), directory, options);
    ctx.throw_if_cancelled();
    analysis.notes.insert(analysis.notes.begin(), set.notes.begin(), set.notes.end());
    return policy::analysis_json(analysis, directory);
  }
};

}  // namespace

SECPILOT_PLUGIN(PolicyPlugin, "Policy", "1.0.0",
                sdk::skill<&PolicyPlugin::analyze>(
                    "AnalyzePolicies", SP_SKILL_THREAD_SAFE,
                    "Finds conflicts, redundancy and gaps in conditional-access policies and "
                    "checks a proposed policy against them"));
