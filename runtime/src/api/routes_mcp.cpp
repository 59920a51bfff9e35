// MCP over Streamable HTTP at /mcp: the same mcp::Server as `secpilotd --mcp-stdio`, behind the
// daemon's API keys and roles, with the transport's rules (docs/mcp.md): POST carries one
// JSON-RPC message and gets its answer as JSON (or as one server-sent event when the client
// accepts only that), a notification gets 202; the legacy era's `initialize` opens a session
// (Mcp-Session-Id) that DELETE ends, and in which notifications/cancelled stops the request it
// names; GET offers no server-initiated stream (405); an Origin that is not this machine's or a
// configured one is refused (DNS rebinding).
#include <boost/json/serialize.hpp>

#include "api/mcp_approvals.hpp"
#include "api/mcp_sessions.hpp"
#include "api/origin_check.hpp"
#include "api/routes.hpp"
#include "mcp/in_flight.hpp"
#include "mcp/jsonrpc.hpp"
#include "secpilot/mcp/server.hpp"
#include "secpilot/util/ascii.hpp"
#include "secpilot/util/base64.hpp"

namespace secpilot::api {
namespace {

using server::Request;
using server::Response;

// A problem for the transport's own refusals (not a JSON-RPC answer: no message was read).
Response refuse(int status, std::string detail) {
  return server::problem(status, std::move(detail));
}

std::optional<std::string> header_if_present(const Request& request, std::string_view name) {
  if (!request.has_header(name)) return std::nullopt;
  return std::string(request.header(name));
}

// Mcp-Name carries non-ASCII names as "=?base64?...?=" (RFC 2047's shape); anything else, or
// text that is not base64 after all, is compared as sent.
std::optional<std::string> decode_name(std::optional<std::string> value) {
  constexpr std::string_view prefix = "=?base64?", suffix = "?=";
  if (!value || !value->starts_with(prefix) || !value->ends_with(suffix)) return value;
  auto decoded = base64_decode(std::string_view(*value).substr(
      prefix.size(), value->size() - prefix.size() - suffix.size()));
  return decoded ? std::move(decoded) : std::move(value);
}

// What the client accepts: JSON, or only server-sent events; nullopt when neither.
std::optional<bool> wants_event_stream(const Request& request) {
  const std::string accept = to_lower_ascii(request.header("accept"));
  if (accept.empty()) return false;
  const auto has = [&](std::string_view type) { return accept.find(type) != std::string::npos; };
  if (has("application/json") || has("*/*") || has("application/*")) return false;
  if (has("text/event-stream")) return true;
  return std::nullopt;
}

// The HTTP status of an answer: 200 for results and the legacy era's JSON-RPC errors; the
// transport's own failures (unreadable messages, headers at odds with the body, revisions not
// spoken) are 400, and in the modern era an unknown method is 404 and a missing _meta 400.
int http_status(const mcp::Reply& reply, bool modern_header) {
  switch (reply.error) {
    case 0:
      return 200;
    case mcp::jsonrpc::kParseError:
    case mcp::jsonrpc::kInvalidRequest:
    case mcp::kHeaderMismatch:
    case mcp::kUnsupportedProtocolVersion:
      return 400;
    case mcp::jsonrpc::kMethodNotFound:
      return modern_header || reply.era == mcp::Era::modern ? 404 : 200;
    case mcp::jsonrpc::kInvalidParams:
      return modern_header && reply.era == mcp::Era::legacy ? 400 : 200;
    default:
      return 200;
  }
}

Response answer_with(const mcp::Reply& reply, int status, bool event_stream) {
  Response response;
  response.status = status;
  if (event_stream) {
    response.content_type = "text/event-stream";
    response.body = "event: message\ndata: " + reply.body + "\n\n";
    response.headers.emplace_back("X-Accel-Buffering", "no");
  } else {
    response.content_type = "application/json";
    response.body = reply.body;
  }
  return response;
}

struct McpEndpoint {
  std::shared_ptr<ApiContext> context;
  std::shared_ptr<mcp::Server> server;
  std::shared_ptr<McpSessions> sessions = std::make_shared<McpSessions>();
  std::shared_ptr<mcp::InFlight> in_flight = std::make_shared<mcp::InFlight>();

  // nullopt when the request's Origin may be served.
  std::optional<Response> check_origin(const Request& request) const {
    if (!request.has_header("origin")) return std::nullopt;  // not a browser
    const std::string_view origin = request.header("origin");
    if (origin_allowed(origin, context->config->mcp.allowed_origins)) return std::nullopt;
    return refuse(403, "Origin " + std::string(origin) +
                           " may not use this MCP endpoint: only this machine's pages and the "
                           "origins in the config's mcp.allowed_origins may");
  }

  Response post(const Request& request, const orchestrator::Identity& who) const {
    if (auto refused = check_origin(request)) return std::move(*refused);
    const std::string_view type = request.header("content-type");
    if (!iequals_ascii(trim_blanks(type.substr(0, type.find(';'))), "application/json"))
      return refuse(415, "send each MCP message as JSON, with Content-Type: application/json");
    const auto event_stream = wants_event_stream(request);
    if (!event_stream)
      return refuse(406, "accept application/json or text/event-stream (MCP's Streamable HTTP)");
    const std::string session = std::string(request.header("mcp-session-id"));
    if (!session.empty() && !sessions->use(session, who.user))
      return refuse(404, "no MCP session " + session +
                             " (it ended, expired or the daemon restarted): initialize again");

    mcp::Envelope envelope;
    envelope.protocol_version = header_if_present(request, "mcp-protocol-version");
    envelope.method = header_if_present(request, "mcp-method");
    envelope.name = decode_name(header_if_present(request, "mcp-name"));
    const bool modern_header =
        envelope.protocol_version &&
        std::find(std::begin(mcp::kModernProtocolVersions), std::end(mcp::kModernProtocolVersions),
                  *envelope.protocol_version) != std::end(mcp::kModernProtocolVersions);
    // In a session, notifications/cancelled stops the session's request it names.
    const auto ids = session.empty() ? mcp::MessageIds{} : mcp::message_ids(request.body);
    if (!ids.cancels.empty()) in_flight->cancel(session + '\n' + ids.cancels);
    const std::string key = ids.id.empty() ? std::string() : session + '\n' + ids.id;
    const auto cancelled = key.empty() ? nullptr : in_flight->begin(key);
    const mcp::Caller caller{.user = who.user,
                             .transport = "mcp-http",
                             .may_invoke = allowed(*context->config, who.role, Permission::prompt),
                             .cancelled = cancelled};
    const auto reply = server->answer(request.body, caller, envelope);
    if (cancelled) in_flight->end(key, cancelled);
    // A notification, or a client's response to a request of ours: nothing to answer.
    if (reply.body.empty())
      return Response{.status = 202, .headers = {}, .body = {}, .content_type = {}};

    auto response = answer_with(reply, http_status(reply, modern_header), *event_stream);
    if (reply.era == mcp::Era::legacy && reply.method == "initialize" && reply.error == 0)
      response.headers.emplace_back("Mcp-Session-Id",
                                    sessions->open(who.user, reply.protocol_version));
    return response;
  }

  Response end_session(const Request& request, const orchestrator::Identity& who) const {
    if (auto refused = check_origin(request)) return std::move(*refused);
    const std::string_view session = request.header("mcp-session-id");
    if (session.empty()) return refuse(400, "name the session to end in the Mcp-Session-Id header");
    if (!sessions->close(session, who.user))
      return refuse(404, "no MCP session " + std::string(session));
    return server::no_content();
  }
};

mcp::ServerOptions server_options(const std::shared_ptr<ApiContext>& context) {
  mcp::ServerOptions options;
  options.hosts = context->hosts;
  if (context->config) options.default_timeout = context->config->limits.skill_timeout;
  options.threads = context->call_threads;
  options.promptbooks = context->promptbooks;
  options.enabled = [store = context->store](const skills::SkillEntry& entry,
                                             const mcp::Caller& caller) {
    auto on = store->plugin_enabled(caller.user, entry.plugin);
    return on && *on;
  };
  if (context->orchestrator != nullptr) {
    auto approvals = std::make_shared<McpApprovals>(
        context->store, *context->orchestrator,
        context->config ? context->config->limits.skill_timeout : options.default_timeout);
    options.gated_call = [approvals](const skills::SkillEntry& entry, std::string_view arguments,
                                     const mcp::Caller& caller) {
      return approvals->call(entry, arguments, caller.user);
    };
  }
  options.on_call = [context](const skills::SkillEntry& entry, const Error* error,
                              std::chrono::nanoseconds took, const mcp::Caller& caller) {
    const Status status = error ? error->status : Status::ok;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
    context->store->queue_audit(
        {.actor = caller.user,
         .action = "skill.invoke",
         .target = entry.full_name,
         .outcome = error ? store::AuditOutcome::error : store::AuditOutcome::ok,
         .details = {{"status", status_name(status)},
                     {"durationMs", ms},
                     {"transport", caller.transport}}});
    if (context->on_skill_call)
      context->on_skill_call(entry.full_name, error ? status_name(status) : std::string_view("ok"),
                             double(ms) / 1000.0);
  };
  return options;
}

}  // namespace

void add_mcp_routes(server::Router& router, const Shared& shared) {
  auto endpoint = std::make_shared<McpEndpoint>(
      McpEndpoint{shared.context, std::make_shared<mcp::Server>(server_options(shared.context))});
  // Reading the tool list needs a reader key; tools/call checks for a contributor's itself.
  router.post("/mcp", with_auth(shared, Permission::read,
                                [endpoint](auto& request, auto&, auto& who) -> server::Reply {
                                  return endpoint->post(request, who);
                                }));
  router.del("/mcp", with_auth(shared, Permission::read,
                               [endpoint](auto& request, auto&, auto& who) -> server::Reply {
                                 return endpoint->end_session(request, who);
                               }));
}

}  // namespace secpilot::api
