// A plugin whose one skill proves that calls run side by side: Meet returns only once `party`
// calls of the same `meeting` are inside it at the same time, and fails after a bound if they
// never are (calls made one after another never meet).
#include <secpilot/sdk.hpp>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

namespace {

// Reads a string or number member from a flat JSON object, enough for this test plugin.
std::string member(std::string_view input, std::string_view name) {
  const std::string key = "\"" + std::string(name) + "\"";
  auto at = input.find(key);
  if (at == std::string_view::npos) return {};
  at = input.find(':', at + key.size());
  if (at == std::string_view::npos) return {};
  at = input.find_first_not_of(" \t", at + 1);
  if (at == std::string_view::npos) return {};
  if (input[at] == '"') {
    const auto end = input.find('"', at + 1);
    return std::string(input.substr(at + 1, end - at - 1));
  }
  const auto end = input.find_first_of(",} \t", at);
  return std::string(input.substr(at, end - at));
}

}  // namespace

class Rendezvous {
 public:
  explicit Rendezvous(secpilot::sdk::InitContext&) {}

  std::string meet(secpilot::sdk::Context& ctx) {
    const std::string meeting = member(ctx.input(), "meeting");
    const std::string party_text = member(ctx.input(), "party");
    const int party = party_text.empty() ? 2 : std::stoi(party_text);
    std::unique_lock lock(mutex_);
    const int arrived = ++inside_[meeting];
    if (arrived >= party) met_[meeting] = true;
    everyone_.notify_all();
    const bool met = everyone_.wait_for(lock, std::chrono::seconds(5),
                                        [&] { return met_[meeting] || ctx.cancelled(); });
    if (!met || !met_[meeting])
      throw secpilot::sdk::Error(SP_ERR_TIMEOUT, "only " + std::to_string(inside_[meeting]) +
                                                     " of " + std::to_string(party) +
                                                     " callers of '" + meeting + "' came");
    return "{\"meeting\": \"" + meeting + "\", \"party\": " + std::to_string(party) + "}";
  }

 private:
  std::mutex mutex_;
  std::condition_variable everyone_;
  std::map<std::string, int> inside_;
  std::map<std::string, bool> met_;
};

SECPILOT_PLUGIN(Rendezvous, "Rendezvous", "1.0.0",
                secpilot::sdk::skill<&Rendezvous::meet>("Meet", SP_SKILL_THREAD_SAFE));
