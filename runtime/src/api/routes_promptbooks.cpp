// Promptbooks and their runs: /v1/promptbooks... A run submits the promptbook's steps one after
// another as prompts in one session (orchestrator/promptbook_run.hpp).
#include <boost/json/serialize.hpp>

#include "api/routes.hpp"
#include "api/views.hpp"
#include "orchestrator/promptbook_run.hpp"
#include "secpilot/promptbook/describe.hpp"
#include "secpilot/promptbook/registry.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::api {
namespace {

namespace json = boost::json;
using orchestrator::PromptbookRun;
using orchestrator::RunEvent;

// The usable promptbook by that name, or why there is none: not_found with the closest name, or
// unsupported (422) with the reason for a file that did not lint clean.
Expected<std::shared_ptr<const promptbook::Promptbook>> find_promptbook(
    const promptbook::Registry* registry, std::string_view name) {
  if (registry) {
    if (auto book = registry->find(name)) return book;
    for (const auto& file : registry->files())
      if (file.broken() && iequals_ascii(file.name, name))
        return make_error(Status::unsupported,
                          "promptbook " + file.name + " is broken and cannot run: " + file.error);
  }
  std::string message = "no promptbook named '" + std::string(name) + "'";
  const std::string close = registry ? registry->suggest(name) : std::string();
  if (!close.empty()) message += " — did you mean " + close + "?";
  return make_error(Status::not_found, message + " (GET /v1/promptbooks lists them)");
}

// A run as the API shows it. A step in flight shows its evaluation's own state, so that a run
// whose step waits for an approval says "waitingForInput".
json::object run_view(const PromptbookRun& run, store::Store& store) {
  std::string state(orchestrator::to_string(run.state));
  json::array steps;
  for (const auto& step : run.steps) {
    json::object view{{"number", step.number},
                      {"kind", step.kind == promptbook::StepKind::Skill ? "skill" : "prompt"},
                      {"prompt", step.prompt},
                      {"state", orchestrator::to_string(step.state)}};
    if (!step.name.empty()) view["name"] = step.name;
    if (!step.evaluation_id.empty()) {
      view["promptId"] = step.prompt_id;
      view["evaluationId"] = step.evaluation_id;
    }
    if (step.state == orchestrator::RunStepState::submitted)
      if (auto evaluation = store.get_evaluation(step.evaluation_id)) {
        view["state"] = store::to_string(evaluation->state);
        if (evaluation->state == store::EvaluationState::waiting_for_input &&
            run.state == orchestrator::RunState::running)
          state = store::to_string(evaluation->state);
      }
    if (!step.error.empty()) view["error"] = step.error;
    steps.push_back(std::move(view));
  }
  json::object out{{"id", run.id},
                   {"promptbook", run.promptbook},
                   {"displayName", run.display_name},
                   {"sessionId", run.session_id},
                   {"sessionCreated", run.session_created},
                   {"parameters", run.parameters},
                   {"state", state},
                   {"createdDateTime", iso_time(run.created_ms)},
                   {"endedDateTime", iso_time(run.ended_ms)},
                   {"steps", std::move(steps)}};
  if (!run.error.empty()) out["error"] = run.error;
  if (run.stopped_at != 0) out["stoppedAtStep"] = run.stopped_at;
  return out;
}

// The body of :run — {"parameters": {...}, "sessionId": "..."}, both optional — or the 400 to
// answer with.
struct RunRequest {
  json::object parameters;
  std::string session_id;
};
std::variant<RunRequest, server::Response> run_request(const json::object& body) {
  RunRequest request;
  for (const auto& [key, value] : body) {
    if (key == "parameters") {
      if (!value.is_object())
        return server::problem(400,
                               "parameters must be an object of name: value, e.g. "
                               "{\"parameters\": {\"indicator\": \"198.51.100.7\"}}");
      request.parameters = value.as_object();
    } else if (key == "sessionId") {
      if (!value.is_string() || value.as_string().empty())
        return server::problem(400, "sessionId must be the id of one of your sessions, as text");
      request.session_id = value.as_string();
    } else {
      return server::problem(400, "unknown member '" + std::string(key) +
                                      "' — send {\"parameters\": {...}} and, to run in an existing "
                                      "session, \"sessionId\"");
    }
  }
  return request;
}

server::Reply stream_run_events(const std::shared_ptr<ApiContext>& context,
                                const orchestrator::Identity& who, std::string run_id,
                                std::int64_t after) {
  server::EventStreamStart start;
  start.options.retry = std::chrono::milliseconds(2000);
  start.on_open = [context, who, run_id, after](std::shared_ptr<server::EventSink> sink) {
    auto live = context->promptbook_runs->follow(who, run_id, after, [sink](const RunEvent& event) {
      if (!sink->send({.data = event.data,
                       .type = event.type,
                       .id = std::to_string(event.seq),
                       .retry = {}}))
        return false;
      if (event.type != "done") return true;
      sink->close();
      return false;
    });
    // Resumed after "done", or forgotten meanwhile: nothing more will come.
    if (!live || !*live) sink->close();
  };
  return start;
}

}  // namespace

void add_promptbook_routes(server::Router& router, const Shared& shared) {
  auto context = shared.context;
  router.get("/v1/promptbooks", with_auth(shared, Permission::read, [context](auto&, auto&, auto&) {
               const auto registry = context->promptbooks ? context->promptbooks() : nullptr;
               json::array usable, broken;
               if (registry) {
                 for (const auto& book : registry->list()) {
                   auto view = promptbook::describe(*book, true);
                   view["steps"] = book->steps.size();  // the list shows how many, not which
                   usable.push_back(std::move(view));
                 }
                 for (const auto& file : registry->files())
                   if (file.broken()) broken.push_back(promptbook::describe_broken(file));
               }
               return server::Reply(server::json(
                   200, {{"value", std::move(usable)}, {"broken", std::move(broken)}}));
             }));
  router.get("/v1/promptbooks/{name}",
             with_auth(shared, Permission::read, [context](auto&, auto& params, auto&) {
               const auto registry = context->promptbooks ? context->promptbooks() : nullptr;
               auto book = find_promptbook(registry.get(), params["name"]);
               if (!book) return server::Reply(problem_for(book.error()));
               auto view = promptbook::describe(**book, true);
               json::array warnings;
               for (const auto& file : registry->files())
                 if (file.promptbook == *book)
                   for (const auto& diagnostic : file.diagnostics)
                     warnings.push_back(promptbook::describe_diagnostic(diagnostic));
               view["warnings"] = std::move(warnings);
               return server::Reply(server::json(200, view));
             }));
  router.post(
      "/v1/promptbooks/{name}:run",
      with_auth(shared, Permission::prompt, [context](auto& request, auto& params, auto& who) {
        auto body = json_body(request);
        if (auto* bad = std::get_if<server::Response>(&body)) return server::Reply(*bad);
        auto wanted = run_request(std::get<json::object>(body));
        if (auto* bad = std::get_if<server::Response>(&wanted)) return server::Reply(*bad);
        const auto& run_wanted = std::get<RunRequest>(wanted);
        const auto registry = context->promptbooks ? context->promptbooks() : nullptr;
        auto book = find_promptbook(registry.get(), params["name"]);
        if (!book) return server::Reply(problem_for(book.error()));
        auto run = context->promptbook_runs->start(who, **book, run_wanted.parameters,
                                                   run_wanted.session_id);
        if (!run) {
          auto response = problem_for(run.error());
          if (run.error().status == Status::rate_limited)
            response.headers.emplace_back("Retry-After", "1");
          return server::Reply(std::move(response));
        }
        auto response = server::json(202, run_view(*run, *context->store));
        response.headers.emplace_back("Location", "/v1/promptbooks/runs/" + run->id);
        return server::Reply(std::move(response));
      }));
  router.get("/v1/promptbooks/runs/{id}",
             with_auth(shared, Permission::read, [context](auto&, auto& params, auto& who) {
               auto run = context->promptbook_runs->get(who, params["id"]);
               if (!run) return server::Reply(problem_for(run.error()));
               return server::Reply(server::json(200, run_view(*run, *context->store)));
             }));
  router.post("/v1/promptbooks/runs/{id}:cancel",
              with_auth(shared, Permission::prompt, [context](auto&, auto& params, auto& who) {
                auto cancelled = context->promptbook_runs->cancel(who, params["id"]);
                if (!cancelled) {
                  auto error = cancelled.error();
                  if (error.status == Status::invalid_input) error.status = Status::cancelled;
                  return server::Reply(problem_for(error));  // 409: it already ended
                }
                return server::Reply(server::json(
                    202, {{"id", std::string(params["id"])}, {"cancelRequested", true}}));
              }));
  router.get("/v1/promptbooks/runs/{id}/events",
             with_auth(shared, Permission::read, [context](auto& request, auto& params, auto& who) {
               auto run = context->promptbook_runs->get(who, params["id"]);
               if (!run) return server::Reply(problem_for(run.error()));
               const auto after = resume_after(request);
               if (!after)
                 return server::Reply(server::problem(400, "Last-Event-ID must be a number"));
               return stream_run_events(context, who, run->id, *after);
             }));
}

}  // namespace secpilot::api
