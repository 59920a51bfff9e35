// Approvals of side-effecting skill calls: list, show, approve, deny (/v1/approvals...).
// Deciding resumes the evaluation that waits for it (Orchestrator::decide).
#include <charconv>

#include "api/routes.hpp"
#include "api/views.hpp"

namespace secpilot::api {
namespace {

constexpr std::size_t kMaxReason = 2000;  // characters of a decision's reason

std::optional<int> number_param(const server::Request& request, std::string_view name, int fallback,
                                int min, int max) {
  auto text = request.query_param(name);
  if (!text) return fallback;
  int value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max)
    return std::nullopt;
  return value;
}

// ?state=pending (the default), approved, denied, cancelled or all; ?evaluationId; ?limit; ?offset.
std::variant<store::ApprovalQuery, server::Response> approval_query(
    const server::Request& request) {
  store::ApprovalQuery query;
  const std::string_view state = request.query_param("state").value_or("pending");
  if (state != "all") {
    query.state = store::parse_approval_state(state);
    if (!query.state)
      return server::problem(400, "state must be pending, approved, denied, cancelled or all");
  }
  query.evaluation_id = std::string(request.query_param("evaluationId").value_or(""));
  const auto limit = number_param(request, "limit", 50, 1, 1000);
  const auto offset = number_param(request, "offset", 0, 0, 1'000'000'000);
  if (!limit || !offset)
    return server::problem(400, "limit must be a number from 1 to 1000, offset one from 0");
  query.page = {*limit, *offset};
  return query;
}

server::Reply decide(ApiContext& context, const server::Request& request, std::string_view id,
                     const orchestrator::Identity& who, store::ApprovalState decision) {
  auto body = json_body(request);
  if (auto* bad = std::get_if<server::Response>(&body)) return std::move(*bad);
  const auto& object = std::get<boost::json::object>(body);
  const auto* reason = object.if_contains("reason");
  if (reason && (!reason->is_string() || reason->as_string().size() > kMaxReason))
    return server::problem(
        400, "reason must be a string of at most " + std::to_string(kMaxReason) + " characters");
  auto decided = context.orchestrator->decide(
      who, std::string(id), decision, reason ? std::string(reason->as_string()) : std::string());
  if (!decided) {
    const auto& error = decided.error();
    // Decided already (or cancelled with its evaluation): the request conflicts with its state.
    if (error.status == Status::invalid_input) return server::problem(409, error.message);
    auto response = problem_for(error);
    if (error.status == Status::rate_limited) response.headers.emplace_back("Retry-After", "1");
    return response;
  }
  return server::json(200, approval_view(*decided));
}

}  // namespace

void add_approval_routes(server::Router& router, const Shared& shared) {
  auto context = shared.context;
  router.get("/v1/approvals",
             with_auth(shared, Permission::read, [context](auto& request, auto&, auto& who) {
               auto query = approval_query(request);
               if (auto* bad = std::get_if<server::Response>(&query)) return server::Reply(*bad);
               auto approvals = context->orchestrator->approvals(
                   who, std::get<store::ApprovalQuery>(std::move(query)));
               if (!approvals) return server::Reply(problem_for(approvals.error()));
               boost::json::array items;
               for (const auto& approval : *approvals)
                 items.push_back(approval_view(approval));
               return server::Reply(server::json(200, {{"value", std::move(items)}}));
             }));
  router.get("/v1/approvals/{id}",
             with_auth(shared, Permission::read, [context](auto&, auto& params, auto& who) {
               auto approval = context->orchestrator->approval(who, std::string(params["id"]));
               if (!approval) return server::Reply(problem_for(approval.error()));
               return server::Reply(server::json(200, approval_view(*approval)));
             }));
  router.post(
      "/v1/approvals/{id}:approve",
      with_auth(shared, Permission::prompt, [context](auto& request, auto& params, auto& who) {
        return decide(*context, request, params["id"], who, store::ApprovalState::approved);
      }));
  router.post(
      "/v1/approvals/{id}:deny",
      with_auth(shared, Permission::prompt, [context](auto& request, auto& params, auto& who) {
        return decide(*context, request, params["id"], who, store::ApprovalState::denied);
      }));
}

}  // namespace secpilot::api
