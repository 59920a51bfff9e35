// A C++ plugin (through the SDK) whose skills misbehave on purpose, each proving one guarantee of
// the host: exceptions, bad JSON, oversized results, overruns, settings and secrets, progress.
#include <secpilot/sdk.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

// Reads "ms" from inputs like {"ms":"250"} or {"ms":250}, enough for these tests.
int milliseconds_from(std::string_view input) {
  auto at = input.find("\"ms\"");
  if (at == std::string_view::npos) return 0;
  at = input.find_first_of("0123456789", at);
  return at == std::string_view::npos ? 0 : std::stoi(std::string(input.substr(at)));
}

}  // namespace

class Misbehaving {
 public:
  // The host checks the plugin's settings against this before init.
  static constexpr const char* config_schema =
      R"({"type": "object", "properties": {"Greeting": {"type": "string", "maxLength": 20}}})";

  explicit Misbehaving(secpilot::sdk::InitContext& init) {
    init.info("Misbehaving plugin starting, manifest in " + init.manifest_dir());
  }

  std::string echo(secpilot::sdk::Context& ctx) { return std::string(ctx.input()); }
  std::string fail_untyped(secpilot::sdk::Context&) { throw std::runtime_error("boom"); }
  std::string fail_typed(secpilot::sdk::Context&) {
    throw secpilot::sdk::Error(SP_ERR_NOT_FOUND, "no incident INC-42 in this tenant");
  }
  std::string invalid_json(secpilot::sdk::Context&) { return "{\"verdict\": "; }
  std::string huge(secpilot::sdk::Context&) {
    return "\"" + std::string(5 * 1024 * 1024, 'x') + "\"";
  }
  std::string wrong_shape(secpilot::sdk::Context&) { return "{\"verdict\": 42}"; }
  // Works until cancelled, checking as a well-behaved long skill should.
  std::string until_cancelled(secpilot::sdk::Context& ctx) {
    while (true) {
      ctx.throw_if_cancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  // Ignores cancellation and returns late: its result must be discarded.
  std::string overrun(secpilot::sdk::Context& ctx) {
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds_from(ctx.input())));
    return "{\"late\": true}";
  }
  std::string settings(secpilot::sdk::Context& ctx) {
    const std::string greeting = ctx.setting_or("Greeting", "none");
    const std::string token = ctx.require_setting("ApiToken");
    ctx.info("using token " + token);  // the host must redact it
    return "{\"greeting\": \"" + greeting + "\", \"tokenLength\": " + std::to_string(token.size()) +
           "}";
  }
  std::string progress(secpilot::sdk::Context& ctx) {
    ctx.progress(0.5, "half way");
    ctx.progress(1.0, "done");
    return "{}";
  }
  std::string fetch(secpilot::sdk::Context& ctx) {
    const std::string input(ctx.input());
    const auto start = input.find("http");
    const auto url = input.substr(start, input.find('"', start) - start);
    auto response = ctx.get(url, {{"X-Asked-By", "Misbehaving"}});
    return "{\"status\": " + std::to_string(response.status) +
           ", \"bytes\": " + std::to_string(response.body.size()) + ", \"header\": \"" +
           response.header("x-test-header").value_or("") + "\"}";
  }
};

SECPILOT_PLUGIN(Misbehaving, "Misbehaving", "0.9.1",
                secpilot::sdk::skill<&Misbehaving::echo>("Echo", SP_SKILL_THREAD_SAFE),
                secpilot::sdk::skill<&Misbehaving::fail_untyped>("ThrowUntyped"),
                secpilot::sdk::skill<&Misbehaving::fail_typed>("ThrowTyped"),
                secpilot::sdk::skill<&Misbehaving::invalid_json>("InvalidJson"),
                secpilot::sdk::skill<&Misbehaving::huge>("Huge"),
                secpilot::sdk::skill<&Misbehaving::wrong_shape>("WrongShape"),
                secpilot::sdk::skill<&Misbehaving::until_cancelled>("UntilCancelled"),
                secpilot::sdk::skill<&Misbehaving::overrun>("Overrun"),
                secpilot::sdk::skill<&Misbehaving::settings>("Settings"),
                secpilot::sdk::skill<&Misbehaving::progress>("Progress"),
                secpilot::sdk::skill<&Misbehaving::fetch>("Fetch"),
                secpilot::sdk::skill<&Misbehaving::echo>("Undeclared"));
