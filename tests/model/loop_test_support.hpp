// Test doubles for the function-calling loop: tools that answer like threat-intel skills, and a
// model that replays completions from memory (for limits that need no HTTP).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "secpilot/model/tool_loop.hpp"

namespace secpilot::model::testing {

// ti.ip_reputation and ti.domain_reputation, as a planner would describe the skills.
inline std::vector<ToolSpec> threat_intel_tools() {
  const auto schema = [](const char* field) {
    return boost::json::object{
        {"type", "object"},
        {"properties", boost::json::object{{field, boost::json::object{{"type", "string"}}}}},
        {"required", boost::json::array{field}}};
  };
  return {{"ti.ip_reputation", "Look up the reputation of an IPv4 or IPv6 address", schema("ip")},
          {"ti.domain_reputation", "Look up the reputation of a domain", schema("domain")}};
}

// Answers like the threat-intel skills; records every call. With rendezvous(n), each call waits
// (up to a generous bound, never for a fixed time) until n calls have arrived: calls that run
// one after another never meet.
class ThreatIntelTools : public ToolExecutor {
 public:
  ToolResult call(const ToolCall& call) override {
    {
      std::unique_lock lock(mutex_);
      calls_.push_back(call);
      changed_.notify_all();
      if (rendezvous_ > 0)
        met_ = changed_.wait_for(lock, std::chrono::seconds(20), [&] {
          return calls_.size() >= rendezvous_;
        }) && met_;
    }
    if (on_call) on_call(call);
    if (call.tool == "ti.ip_reputation") {
      const auto* ip = call.arguments.if_contains("ip");
      if (!ip || !ip->is_string()) return ToolResult::failure("/ip: expected string");
      const bool bad = ip->as_string() == "203.0.113.7";
      return ToolResult::success(boost::json::serialize(boost::json::object{
          {"ip", *ip}, {"verdict", bad ? "malicious" : "unknown"}, {"score", bad ? 97 : 0}}));
    }
    if (call.tool == "ti.domain_reputation")
      return ToolResult::success(R"({"verdict":"benign","score":3})");
    return ToolResult::failure("no such skill");
  }

  void rendezvous(std::size_t count) { rendezvous_ = count; }
  bool rendezvous_met() const { return met_; }
  std::vector<ToolCall> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

  std::function<void(const ToolCall&)> on_call;  // runs after the rendezvous, outside the lock

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ToolCall> calls_;
  std::size_t rendezvous_ = 0;
  bool met_ = true;
};

// A model that replays completions (or errors) in order and keeps the requests it got.
class ScriptedModel : public ChatModel {
 public:
  void then(Expected<ChatCompletion> next) { script_.push_back(std::move(next)); }

  Expected<ChatCompletion> complete(const ChatRequest& request, const CallControl&) const override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (script_.empty()) return make_error(Status::internal, "the scripted model has nothing left");
    auto next = std::move(script_.front());
    script_.pop_front();
    return next;
  }

  std::vector<ChatRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::deque<Expected<ChatCompletion>> script_;
  mutable std::vector<ChatRequest> requests_;
};

// A completion that asks for `calls`, reporting `tokens` used.
inline ChatCompletion asks_for(std::vector<ModelToolCall> calls, long long tokens = 100) {
  ChatCompletion completion;
  completion.tool_calls = std::move(calls);
  completion.finish_reason = FinishReason::tool_calls;
  completion.usage = Usage{tokens - 10, 10, tokens};
  return completion;
}

inline ChatCompletion answers(std::string text, FinishReason reason = FinishReason::stop) {
  ChatCompletion completion;
  completion.content = std::move(text);
  completion.finish_reason = reason;
  completion.usage = Usage{90, 10, 100};
  return completion;
}

}  // namespace secpilot::model::testing
