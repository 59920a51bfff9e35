#include "mcp/client.hpp"

#include "mcp/version.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

namespace secpilot::mcp {
namespace json = boost::json;

namespace {

constexpr std::string_view kVersionKey = kProtocolVersionMetaKey;

json::object client_info() {
  return {{"name", "secpilot"}, {"version", secpilot_version()}};
}

bool speaks(const json::value& versions, std::string_view version) {
  const auto* list = versions.if_array();
  return list != nullptr && std::any_of(list->begin(), list->end(), [&](const json::value& v) {
           return v.is_string() && v.get_string() == version;
         });
}

}  // namespace

Client::Client(ClientOptions options, std::shared_ptr<spdlog::logger> log)
    : options_(std::move(options)), log_(std::move(log)), backoff_(options_.restart_backoff) {}

Client::~Client() = default;

Era Client::era() const {
  std::lock_guard lock(mutex_);
  return era_;
}

json::object Client::with_meta(json::object params) const {
  if (era_ == Era::modern)
    params["_meta"] = json::object{{kVersionKey, protocol_version_},
                                   {"io.modelcontextprotocol/clientInfo", client_info()},
                                   {"io.modelcontextprotocol/clientCapabilities", json::object{}}};
  return params;
}

Outcome Client::handshake(Peer& peer) {
  // The modern era first: any answer but a discovery result (an error, silence) means legacy.
  const auto probe_deadline = Clock::now() + std::min(options_.discover_timeout, options_.timeout);
  json::object meta{{kVersionKey, kModernProtocolVersions[0]},
                    {"io.modelcontextprotocol/clientInfo", client_info()},
                    {"io.modelcontextprotocol/clientCapabilities", json::object{}}};
  auto discovered =
      peer.request("server/discover", {{"_meta", std::move(meta)}}, probe_deadline, nullptr);
  if (discovered && !discovered->failed() &&
      speaks(discovered->result["supportedVersions"], kModernProtocolVersions[0])) {
    era_ = Era::modern;
    protocol_version_ = std::string(kModernProtocolVersions[0]);
    return Done{};
  }
  // Gone (exited, unreachable, not allowed by egress): no use trying the other era.
  if (!peer.alive())
    return discovered ? make_error(Status::upstream, "the MCP server exited") : discovered.error();
  auto initialized = peer.request("initialize",
                                  {{"protocolVersion", kProtocolVersions[0]},
                                   {"capabilities", json::object{}},
                                   {"clientInfo", client_info()}},
                                  Clock::now() + options_.timeout, nullptr);
  if (!initialized) return initialized.error();
  if (initialized->failed())
    return make_error(Status::upstream,
                      "the MCP server refused initialize: " + initialized->error_message);
  const auto* version = initialized->result.if_contains("protocolVersion");
  era_ = Era::legacy;
  protocol_version_ = version && version->is_string() ? std::string(version->get_string())
                                                      : std::string(kProtocolVersions[0]);
  return peer.notify("notifications/initialized");
}

Expected<std::shared_ptr<Peer>> Client::open_peer() {
  auto on_notification = [this](const std::string& method) {
    if (method == "notifications/tools/list_changed" && options_.on_tools_changed)
      options_.on_tools_changed();
  };
  if (const auto* command = std::get_if<StdioCommand>(&options_.server)) {
    auto started = StdioPeer::start(*command, log_, std::move(on_notification));
    if (!started) return started.error();
    return std::shared_ptr<Peer>(std::move(*started));
  }
  return std::shared_ptr<Peer>(std::make_shared<HttpPeer>(
      std::get<HttpEndpoint>(options_.server), options_.name, log_, std::move(on_notification)));
}

void Client::back_off(std::string why) {
  last_failure_ = std::move(why);
  next_start_ = Clock::now() + backoff_;
  backoff_ = std::min(backoff_ * 2, options_.restart_backoff_max);
}

Outcome Client::connect() {
  std::lock_guard lock(mutex_);
  if (peer_ && peer_->alive()) return Done{};
  const bool over_stdio = std::holds_alternative<StdioCommand>(options_.server);
  const auto now = Clock::now();
  if (peer_ || now < next_start_) {
    // It ran and ended (or failed to start): the old process is reaped before a new one starts,
    // and not before the back-off has passed.
    peer_.reset();
    if (now < next_start_)
      return make_error(Status::upstream,
                        "the MCP server " + options_.name + " failed (" + last_failure_ + "); " +
                            (over_stdio ? "it is started again in " : "it is tried again in ") +
                            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               next_start_ - now)
                                               .count()) +
                            " ms");
  }
  auto opened = open_peer();
  Outcome ready = opened ? handshake(**opened) : Outcome(opened.error());
  if (!ready) {
    back_off(ready.error().message);
    log_->warn("MCP server {}: {}", options_.name, last_failure_);
    return ready.error();
  }
  peer_ = std::move(*opened);
  backoff_ = options_.restart_backoff;
  log_->info("MCP server {} {} ({} era, protocol {})", options_.name,
             over_stdio ? "started" : "connected", era_ == Era::modern ? "modern" : "legacy",
             protocol_version_);
  return Done{};
}

Expected<Peer::Answer> Client::request(std::string_view method, json::object params,
                                       Clock::time_point deadline,
                                       const std::shared_ptr<const std::atomic<bool>>& cancelled) {
  for (bool again = false;; again = true) {
    if (auto connected = connect(); !connected) return connected.error();
    check_known_tools();
    std::shared_ptr<Peer> peer;
    json::object sent;
    {
      std::lock_guard lock(mutex_);
      peer = peer_;
      // Only an HTTP session can expire and have the request sent again: keep a copy for it.
      const bool may_resend = !again && std::holds_alternative<HttpEndpoint>(options_.server);
      sent = with_meta(may_resend ? json::object(params) : std::move(params));
    }
    auto answer = peer->request(method, std::move(sent), deadline, cancelled);
    if (answer || peer->alive()) return answer;
    std::lock_guard lock(mutex_);
    if (peer->expired() && !again) {
      // The server forgot the session (it restarted): a new one at once, and the request again,
      // which the server refused unseen.
      log_->info("MCP server {} forgot its session; opening a new one", options_.name);
      if (peer_ == peer) peer_.reset();
      continue;
    }
    back_off(answer.error().message);
    return answer;
  }
}

Expected<json::array> Client::list_tools() {
  {
    std::lock_guard lock(mutex_);
    if (!peer_ && options_.known_tools) {
      check_tools_on_start_ = true;
      return *options_.known_tools;  // started at its first call, not for a listing
    }
  }
  auto tools = ask_for_tools();
  if (tools && options_.on_tools_listed) options_.on_tools_listed(*tools);
  return tools;
}

// The server was started for a call, and its tools were known from before: it is asked for them
// again, and a difference is a change of its tools.
void Client::check_known_tools() {
  {
    std::lock_guard lock(mutex_);
    if (!check_tools_on_start_ || !peer_) return;
    check_tools_on_start_ = false;
  }
  auto tools = ask_for_tools();
  if (!tools) return;  // the call finds out what is wrong
  if (options_.on_tools_listed) options_.on_tools_listed(*tools);
  if (*tools == *options_.known_tools) return;
  log_->info("MCP server {} lists other tools than when it last ran", options_.name);
  if (options_.on_tools_changed) options_.on_tools_changed();
}

Expected<json::array> Client::ask_for_tools() {
  json::array tools;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    json::object params;
    if (!cursor.empty()) params["cursor"] = cursor;
    auto answer =
        request("tools/list", std::move(params), Clock::now() + options_.timeout, nullptr);
    if (!answer) return answer.error();
    if (answer->failed())
      return make_error(Status::upstream, "tools/list failed: " + answer->error_message);
    if (auto* listed = answer->result.if_contains("tools"); listed && listed->is_array())
      for (auto& tool : listed->get_array())
        tools.push_back(std::move(tool));
    const auto* next = answer->result.if_contains("nextCursor");
    if (next == nullptr || !next->is_string() || next->get_string().empty()) return tools;
    cursor = std::string(next->get_string());
  }
  return make_error(Status::upstream, "tools/list kept paging past 1000 pages");
}

Expected<json::object> Client::call_tool(
    const std::string& name, json::object arguments, Clock::time_point deadline,
    const std::shared_ptr<const std::atomic<bool>>& cancelled) {
  auto answer = request("tools/call", {{"name", name}, {"arguments", std::move(arguments)}},
                        deadline, cancelled);
  if (!answer) return answer.error();
  if (answer->failed()) {
    // Unknown tool or bad arguments (-32602) are the caller's; anything else is the server's.
    const Status status = answer->error_code == -32602 ? Status::invalid_input : Status::upstream;
    return make_error(status, "the MCP server refused " + name + " (" +
                                  std::to_string(answer->error_code) +
                                  "): " + answer->error_message);
  }
  return std::move(answer->result);
}

}  // namespace secpilot::mcp
