// Asks the host for any setting by name and reports what the host answered, so that a test can
// prove one plugin cannot read another's secrets (tests/plugin/secret_isolation_test.cpp). Built
// twice, as ProbeA and ProbeB (PROBE_NAME).
#include <secpilot/sdk.hpp>

#include <string>

class SecretProbe {
 public:
  explicit SecretProbe(secpilot::sdk::InitContext&) {}

  // Input {"name": "<setting>"}; result {"status": <sp_status>, "length": <value length>}. The
  // value itself is never returned, so a leak shows as a length, not as the secret.
  std::string read(secpilot::sdk::Context& ctx) {
    const std::string input(ctx.input());
    const auto key = input.find("\"name\"");
    const auto open = input.find('"', input.find(':', key) + 1);
    const auto name = input.substr(open + 1, input.find('"', open + 1) - open - 1);
    sp_bytes value{nullptr, 0};
    const sp_status status = ctx.host()->get_setting(ctx.call(), name.c_str(), &value);
    return "{\"status\": " + std::to_string(static_cast<int>(status)) +
           ", \"length\": " + std::to_string(status == SP_OK ? value.size : 0) + "}";
  }
};

SECPILOT_PLUGIN(SecretProbe, PROBE_NAME, "1.0.0",
                secpilot::sdk::skill<&SecretProbe::read>("Read", SP_SKILL_THREAD_SAFE));
