// BenchEcho: the plugin side of the in-process skill call benchmark (bench/skill_call_bench.cpp).
// Its one skill does the shared summarise() work and nothing else, so that the time the host adds
// around it is what the benchmark measures.
#include <secpilot/sdk.hpp>

#include <stdexcept>
#include <string>

#include "summarise.hpp"

class BenchEcho {
 public:
  std::string summarise(secpilot::sdk::Context& context) {
    try {
      return secpilot::bench::summarise(context.input());
    } catch (const std::invalid_argument& e) {
      throw secpilot::sdk::Error(SP_ERR_INVALID_INPUT, e.what());
    }
  }
};

SECPILOT_PLUGIN(BenchEcho, "BenchEcho", "1.0.0",
                secpilot::sdk::skill<&BenchEcho::summarise>(
                    "Summarise", SP_SKILL_THREAD_SAFE, "Summarises an indicator (benchmark)."));
