// ScriptAnalysis: takes apart a suspicious script (PowerShell, sh/bash, batch, JavaScript or
// VBScript droppers) layer by layer, and says what it would do. Written against the public SDK
// only (<secpilot/sdk.hpp>), as a third-party vendor would; the logic lives in
// script_analysis_core and this file only adapts it to the skill calls.
#define SECPILOT_SDK_USE_BOOST_JSON
#include <secpilot/sdk.hpp>

#include <string>

#include <boost/json.hpp>

#include "script_analysis/analysis.hpp"
#include "script_analysis/result_json.hpp"

namespace {

namespace sdk = secpilot::sdk;
namespace sa = script_analysis;

// The script and options of a call; the bounds are the core's documented defaults.
struct Call {
  std::string script;
  sa::AnalyzeOptions options;
};

Call read_inputs(const sdk::Context& ctx) {
  Call call;
  auto script = ctx.input_string("script");
  if (!script || script->empty())
    throw sdk::Error(SP_ERR_INVALID_INPUT,
                     "the input 'script' is missing or empty: pass the script's text (a "
                     "PowerShell command line, a .ps1, .sh, .bat, .js or .vbs file's content)");
  call.script = std::move(*script);
  if (auto name = ctx.input_string("language")) {
    auto language = sa::parse_language(*name);
    if (!language)
      throw sdk::Error(SP_ERR_INVALID_INPUT, "the input 'language' is '" + *name +
                                                 "': use one of " +
                                                 std::string(sa::kLanguageNames) +
                                                 ", or leave it out to detect the language");
    call.options.language = *language;
  }
  call.options.cancelled = [&ctx] { return ctx.cancelled(); };
  return call;
}

class ScriptAnalysisPlugin {
 public:
  boost::json::value analyze(sdk::Context& ctx) const {
    Call call = read_inputs(ctx);
    sa::Analysis analysis = sa::analyze(call.script, call.options);
    ctx.throw_if_cancelled();
    return sa::analysis_json(analysis, call.options.limits);
  }

  boost::json::value deobfuscate(sdk::Context& ctx) const {
    Call call = read_inputs(ctx);
    sa::DeobfuscationOnly result = sa::deobfuscate_only(call.script, call.options);
    ctx.throw_if_cancelled();
    return sa::deobfuscation_json(result, call.options.limits);
  }
};

}  // namespace

SECPILOT_PLUGIN(ScriptAnalysisPlugin, "ScriptAnalysis", "1.0.0",
                sdk::skill<&ScriptAnalysisPlugin::analyze>(
                    "AnalyzeScript", SP_SKILL_THREAD_SAFE,
                    "Deobfuscates a script and reports its indicators, ATT&CK behaviours and a "
                    "verdict"),
                sdk::skill<&ScriptAnalysisPlugin::deobfuscate>(
                    "DeobfuscateScript", SP_SKILL_THREAD_SAFE,
                    "Peels a script's obfuscation layers and returns each decoded layer"));
