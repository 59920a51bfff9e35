// secpilot as a Model Context Protocol server: every enabled, available skill is an MCP tool named
// "Plugin.Skill". The server answers one JSON-RPC message at a time, in either protocol era;
// transports (stdio, Streamable HTTP) only move framed messages to it and its answers back.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/promptbook/registry.hpp"
#include "secpilot/skills/call_threads.hpp"
#include "secpilot/skills/catalog.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::mcp {

// The legacy era's revisions (an `initialize` handshake), newest first; a client asking for
// another one is offered the first.
inline constexpr std::string_view kProtocolVersions[] = {"2025-11-25", "2025-06-18"};
// The modern era's revisions (stateless: no handshake, `_meta` on every request).
inline constexpr std::string_view kModernProtocolVersions[] = {"2026-07-28"};

enum class Era {
  legacy,  // initialize, then requests without _meta (2025-06-18, 2025-11-25)
  modern,  // every request carries _meta with its protocol version (2026-07-28)
};

// Who sent a message, as its transport knows them.
struct Caller {
  std::string user;        // the API key's user; empty over stdio (no key)
  std::string transport;   // "mcp-stdio" or "mcp-http", for the audit log
  bool may_invoke = true;  // whether the caller's role may run skills (tools/call)
  // Set by the transport when the client cancels this request (notifications/cancelled): a
  // tools/call then stops its skill as a timeout would. Optional.
  std::shared_ptr<const std::atomic<bool>> cancelled;
};

// The HTTP headers that must agree with a modern request's body (absent over stdio).
struct Envelope {
  std::optional<std::string> protocol_version;  // MCP-Protocol-Version
  std::optional<std::string> method;            // Mcp-Method
  std::optional<std::string> name;              // Mcp-Name, decoded from =?base64?...?= if so
};

// One message's answer and what a transport needs to know about it.
struct Reply {
  std::string body;    // the JSON-RPC response; empty when nothing is owed (a notification)
  std::string method;  // the message's method; empty when it had none or was unreadable
  Era era = Era::legacy;
  std::string protocol_version;  // modern: the request's; legacy: what initialize agreed on
  int error = 0;                 // the JSON-RPC error code answered; 0 for a result or nothing
  bool parsed = false;           // the message was a JSON-RPC request or notification
};

// What became of a tools/call of a skill with side effects, as the gate (ServerOptions::gated_call)
// tells it: the skill's output once it ran approved, else why there is none (waiting for an
// approval, denied, failed). `approval` describes the approval involved; the tool result carries
// it under _meta["io.secpilot/approval"] so that a client can show which one to grant.
struct GatedResult {
  std::optional<std::string> output;  // JSON text: the skill's output
  std::string message;                // when there is no output
  boost::json::object approval;       // {id, state, ...}; empty when none was involved
};

// JSON-RPC error codes of the modern era.
inline constexpr int kHeaderMismatch = -32020;
inline constexpr int kUnsupportedProtocolVersion = -32022;

struct ServerOptions {
  // The plugin host to serve, asked once per message (the daemon swaps hosts on reload).
  std::function<std::shared_ptr<const plugin::PluginHost>()> hosts;
  // Whether a skill's plugin is enabled for the caller; unset: every skill is.
  std::function<bool(const skills::SkillEntry&, const Caller&)> enabled;
  std::string name = "secpilot";
  std::string version;  // unset: this build's version
  // The time limit of a skill without TimeoutSeconds.
  std::chrono::milliseconds default_timeout{30'000};
  // Where calls run (see skills::InvokeOptions::threads); unset: a thread of their own.
  std::shared_ptr<skills::CallThreads> threads;
  // The promptbooks offered as MCP prompts, asked once per message (a reload swaps them); unset:
  // the server offers no prompts.
  std::function<std::shared_ptr<const promptbook::Registry>()> promptbooks;
  // Calls of skills with side effects (SideEffects write or destructive) by a caller who may
  // invoke. Unset: refused, with the way to run one approved through the REST API. Set: handed
  // each such call (its arguments as JSON text) to answer through the approval gate.
  std::function<GatedResult(const skills::SkillEntry&, std::string_view arguments, const Caller&)>
      gated_call;
  // Told of every tools/call that reached a skill (error: null when it succeeded), for the audit
  // log and metrics.
  std::function<void(const skills::SkillEntry&, const Error* error, std::chrono::nanoseconds took,
                     const Caller&)>
      on_call;
};

class Server {
 public:
  explicit Server(ServerOptions options);

  // Answers one JSON-RPC message (a request or a notification, UTF-8 JSON text). The era is the
  // message's own: a request whose params carry `_meta` with a protocol version is served
  // statelessly in the modern era, anything else in the legacy era. Safe to call from several
  // threads at once: the server keeps no per-session state (a transport keeps its sessions).
  Reply answer(std::string_view message, const Caller& caller, const Envelope& envelope = {}) const;

  // answer() for a caller over stdio: the response, or an empty string when none is owed.
  std::string handle(std::string_view message,
                     std::shared_ptr<const std::atomic<bool>> cancelled = nullptr) const;

 private:
  ServerOptions options_;
};

}  // namespace secpilot::mcp
