// Posture: CIS-style configuration checks of a Linux host, read from its root folder. Written
// against the public SDK only (<secpilot/sdk.hpp>), as a third-party vendor would; the logic
// lives in posture_core and this file only adapts it to the skill call.
#define SECPILOT_SDK_USE_BOOST_JSON
#include <secpilot/sdk.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/json.hpp>

#include "posture/assessment.hpp"
#include "posture/result_json.hpp"
#include "posture/root_fs.hpp"

namespace {

namespace sdk = secpilot::sdk;

constexpr std::int64_t kDefaultMaxFiles = 1'000'000;
constexpr std::int64_t kDefaultMaxWalkSeconds = 20;

// The folder to assess and where that choice came from, for error messages. The call's input
// wins over the installation's setting: one daemon can assess several mounted images.
struct RootChoice {
  std::string path;
  std::string source;
};

RootChoice choose_root(const sdk::Context& ctx) {
  if (auto input = ctx.input_string("root"); input && !input->empty())
    return {*input, "the input 'root'"};
  const std::string setting = ctx.setting_or("RootDirectory", "/");
  return {setting.empty() ? "/" : setting, "the setting 'RootDirectory'"};
}

std::int64_t whole_number_setting(const sdk::Context& ctx, const char* name, std::int64_t fallback,
                                  const char* meaning) {
  const auto text = ctx.setting(name);
  if (!text || text->empty()) return fallback;
  try {
    size_t used = 0;
    const long long value = std::stoll(*text, &used);
    if (used == text->size() && value >= 0) return value;
  } catch (const std::exception&) {
  }
  throw sdk::Error(SP_ERR_INVALID_INPUT, std::string("the setting '") + name + "' is '" + *text +
                                             "': use a whole number of " + meaning +
                                             " (0 turns the file walk off)");
}

sp_status status_of(posture::RootProblem problem) {
  switch (problem) {
    case posture::RootProblem::not_found:
      return SP_ERR_NOT_FOUND;
    case posture::RootProblem::unreadable:
      return SP_ERR_FORBIDDEN;
    case posture::RootProblem::not_absolute:
    case posture::RootProblem::not_directory:
    case posture::RootProblem::not_a_linux_root:
      return SP_ERR_INVALID_INPUT;
  }
  return SP_ERR_INVALID_INPUT;
}

class PosturePlugin {
 public:
  // The limits are checked per call (whole_number_setting) rather than by a pattern here, so
  // that a bad value fails with a message naming the setting and what to put there.
  static constexpr const char* config_schema = R"({
    "type": "object",
    "properties": {
      "RootDirectory": {"type": "string", "description": "Root folder of the host to assess"},
      "MaxFiles": {"type": "string", "description": "File walk limit in entries; 0 turns it off"},
      "MaxWalkSeconds": {"type": "string", "description": "File walk limit in seconds"}
    }
  })";

  boost::json::value assess_host(sdk::Context& ctx) const {
    const RootChoice root = choose_root(ctx);
    posture::AssessOptions options;
    options.walk.max_entries = static_cast<std::uint64_t>(
        whole_number_setting(ctx, "MaxFiles", kDefaultMaxFiles, "files"));
    options.walk.max_time = std::chrono::seconds(
        whole_number_setting(ctx, "MaxWalkSeconds", kDefaultMaxWalkSeconds, "seconds"));
    options.cancelled = [&ctx] { return ctx.cancelled(); };
    options.progress = [&ctx](double fraction, const std::string& step) {
      ctx.progress(fraction, step.c_str());
    };
    try {
      const posture::RootFs fs = posture::open_root(root.path);
      const posture::Assessment assessment = posture::assess(fs, options);
      ctx.info("assessed " + assessment.root + ": score " + std::to_string(assessment.score) +
               " in " + std::to_string(assessment.elapsed.count()) + " ms");
      return posture::assessment_json(assessment);
    } catch (const posture::RootError& error) {
      throw sdk::Error(status_of(error.problem()),
                       std::string(error.what()) + " (from " + root.source + ")");
    } catch (const posture::Cancelled&) {
      throw sdk::Error(SP_ERR_CANCELLED, "the assessment was cancelled");
    }
  }
};

}  // namespace

SECPILOT_PLUGIN(PosturePlugin, "Posture", "1.0.0",
                sdk::skill<&PosturePlugin::assess_host>(
                    "AssessHost", SP_SKILL_THREAD_SAFE,
                    "CIS-style configuration checks of a Linux host read from its root folder"));
