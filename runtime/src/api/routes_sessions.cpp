// Sessions and their prompts: /v1/sessions...
#include <boost/json/serialize.hpp>

#include "api/routes.hpp"
#include "api/views.hpp"
#include "secpilot/util/json_pretty.hpp"

namespace secpilot::api {
namespace {

int int_param(const server::Request& request, std::string_view name, int fallback) {
  auto value = request.query_param(name);
  if (!value) return fallback;
  try {
    return std::stoi(std::string(*value));
  } catch (const std::exception&) {
    return fallback;
  }
}

// A readable record of the session: every prompt, the process log of its last evaluation, and
// the answer.
std::string session_markdown(const boost::json::object& detail) {
  std::string md = "# " + std::string(detail.at("displayName").as_string()) + "\n\n";
  md += "Session " + std::string(detail.at("id").as_string()) + ", created " +
        std::string(detail.at("createdDateTime").as_string()) + "\n\n";
  for (const auto& item : detail.at("prompts").as_array()) {
    const auto& prompt = item.as_object();
    md += "## " + std::to_string(prompt.at("sequence").as_int64()) + ". " +
          std::string(prompt.at("content").as_string()) + "\n\n";
    const auto& evaluations = prompt.at("evaluations").as_array();
    if (evaluations.empty()) continue;
    const auto& evaluation = evaluations.back().as_object();
    md += "State: " + std::string(evaluation.at("state").as_string()) + "\n\n";
    if (const auto* steps = evaluation.if_contains("steps"); steps && !steps->as_array().empty()) {
      md += "Process log:\n\n";
      for (const auto& step_value : steps->as_array()) {
        const auto& step = step_value.as_object();
        md += "- " + std::string(step.at("skill").as_string()) + " " +
              boost::json::serialize(step.at("inputs")) + " — " +
              std::string(step.at("state").as_string()) + " in " +
              std::to_string(step.at("durationMs").as_int64()) + " ms\n";
      }
      md += "\n";
    }
    const auto& result = evaluation.at("result").as_object();
    const std::string content(result.at("content").as_string());
    if (!content.empty()) md += content + "\n";
    if (const auto* error = evaluation.if_contains("error"))
      md += "> Error: " + std::string(error->as_string()) + "\n\n";
  }
  return md;
}

}  // namespace

void add_session_routes(server::Router& router, const Shared& shared) {
  auto store = shared.context->store;
  router.post("/v1/sessions",
              with_auth(shared, Permission::prompt, [store](auto& request, auto&, auto& who) {
                auto body = json_body(request);
                if (auto* bad = std::get_if<server::Response>(&body)) return server::Reply(*bad);
                const auto name =
                    string_member(std::get<boost::json::object>(body), "displayName", "Untitled");
                auto session = store->create_session(who.user, name);
                if (!session) return server::Reply(problem_for(session.error()));
                auto response = server::json(201, session_view(*session));
                response.headers.emplace_back("Location", "/v1/sessions/" + session->id);
                return server::Reply(std::move(response));
              }));
  router.get(
      "/v1/sessions", with_auth(shared, Permission::read, [store](auto& request, auto&, auto& who) {
        const std::string search(request.query_param("q").value_or(""));
        auto sessions = store->list_sessions(
            who.user, search,
            {.limit = int_param(request, "limit", 50), .offset = int_param(request, "offset", 0)});
        if (!sessions) return server::Reply(problem_for(sessions.error()));
        boost::json::array items;
        for (const auto& session : *sessions)
          items.push_back(session_view(session));
        return server::Reply(server::json(200, {{"value", std::move(items)}}));
      }));
  router.get("/v1/sessions/{id}",
             with_auth(shared, Permission::read, [store](auto&, auto& params, auto& who) {
               auto session = store->get_session(params["id"], who.user);
               if (!session) return server::Reply(problem_for(session.error()));
               auto detail = session_detail(*store, *session, false);
               if (!detail) return server::Reply(problem_for(detail.error()));
               return server::Reply(server::json(200, *detail));
             }));
  router.patch(
      "/v1/sessions/{id}",
      with_auth(shared, Permission::prompt, [store](auto& request, auto& params, auto& who) {
        auto body = json_body(request);
        if (auto* bad = std::get_if<server::Response>(&body)) return server::Reply(*bad);
        const auto name = string_member(std::get<boost::json::object>(body), "displayName");
        if (name.empty())
          return server::Reply(server::problem(400, "send {\"displayName\": \"...\"}"));
        auto session = store->rename_session(params["id"], who.user, name);
        if (!session) return server::Reply(problem_for(session.error()));
        return server::Reply(server::json(200, session_view(*session)));
      }));
  router.del("/v1/sessions/{id}",
             with_auth(shared, Permission::prompt, [store](auto&, auto& params, auto& who) {
               auto done = store->delete_session(params["id"], who.user);
               if (!done) return server::Reply(problem_for(done.error()));
               return server::Reply(server::no_content());
             }));
  router.post("/v1/sessions/{id}/prompts",
              with_auth(shared, Permission::prompt,
                        [context = shared.context](auto& request, auto& params, auto& who) {
                          auto body = json_body(request);
                          if (auto* bad = std::get_if<server::Response>(&body))
                            return server::Reply(*bad);
                          const auto content =
                              string_member(std::get<boost::json::object>(body), "content");
                          auto submitted = context->orchestrator->submit(
                              who, std::string(params["id"]), content);
                          if (!submitted) {
                            auto response = problem_for(submitted.error());
                            if (submitted.error().status == Status::rate_limited)
                              response.headers.emplace_back("Retry-After", "1");
                            return server::Reply(std::move(response));
                          }
                          auto response = server::json(
                              202, {{"prompt", prompt_view(submitted->prompt)},
                                    {"evaluation", evaluation_view(submitted->evaluation)}});
                          response.headers.emplace_back(
                              "Location", "/v1/evaluations/" + submitted->evaluation.id);
                          return server::Reply(std::move(response));
                        }));
  router.get(
      "/v1/sessions/{id}/export",
      with_auth(shared, Permission::read, [store](auto& request, auto& params, auto& who) {
        auto session = store->get_session(params["id"], who.user);
        if (!session) return server::Reply(problem_for(session.error()));
        auto detail = session_detail(*store, *session, true);
        if (!detail) return server::Reply(problem_for(detail.error()));
        const auto format = request.query_param("format").value_or("markdown");
        if (format == "json") {
          auto response = server::text(200, pretty_json(*detail), "application/json");
          response.headers.emplace_back(
              "Content-Disposition", "attachment; filename=\"session-" + session->id + ".json\"");
          return server::Reply(std::move(response));
        }
        if (format != "markdown")
          return server::Reply(server::problem(400, "format must be markdown or json"));
        auto response =
            server::text(200, session_markdown(*detail), "text/markdown; charset=utf-8");
        response.headers.emplace_back("Content-Disposition",
                                      "attachment; filename=\"session-" + session->id + ".md\"");
        return server::Reply(std::move(response));
      }));
}

}  // namespace secpilot::api
