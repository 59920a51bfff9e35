// Evaluations: state and result, the process log, cancellation, and the live event stream.
#include <mutex>

#include "api/routes.hpp"
#include "api/views.hpp"
#include "secpilot/server/event_stream.hpp"

namespace secpilot::api {
namespace {

// The evaluation, if it belongs to one of the caller's sessions (else not_found, as for a
// nonexistent one: another user's evaluation is not even acknowledged).
Expected<store::Evaluation> owned_evaluation(store::Store& store, std::string_view id,
                                             const orchestrator::Identity& who) {
  auto evaluation = store.get_evaluation(id);
  if (!evaluation || !store.get_session(evaluation->session_id, who.user))
    return make_error(Status::not_found, "no evaluation " + std::string(id));
  return evaluation;
}

// One client's stream: replays stored events after Last-Event-ID, then forwards live ones, in
// order and without duplicates, and ends after "done".
struct StreamState {
  std::mutex mutex;
  std::shared_ptr<server::EventSink> sink;
  std::int64_t last_sent = 0;
  bool replaying = true;
  std::vector<store::Event> pending;  // live events that arrived during the replay
  // Its own lock: a stream may end (and drop the subscription) while `mutex` is held.
  std::mutex subscription_mutex;
  std::shared_ptr<void> subscription;

  // Caller holds `mutex`.
  void send(const store::Event& event) {
    if (event.seq <= last_sent) return;
    last_sent = event.seq;
    sink->send(
        {.data = event.data, .type = event.type, .id = std::to_string(event.seq), .retry = {}});
    if (event.type == "done") sink->close();
  }
};

server::Reply stream_events(const std::shared_ptr<ApiContext>& context, const store::Evaluation&,
                            std::string evaluation_id, std::int64_t after) {
  server::EventStreamStart start;
  start.options.retry = std::chrono::milliseconds(2000);
  start.on_open = [context, evaluation_id, after](std::shared_ptr<server::EventSink> sink) {
    auto state = std::make_shared<StreamState>();
    state->sink = sink;
    state->last_sent = after;
    {
      std::lock_guard lock(state->subscription_mutex);
      state->subscription = context->orchestrator->events().subscribe(
          evaluation_id, [state](const store::Event& event) {
            std::lock_guard lock(state->mutex);
            if (state->replaying)
              state->pending.push_back(event);
            else
              state->send(event);
          });
    }
    // Weak: the sink keeps this callback, and the state keeps the sink.
    sink->on_close([weak = std::weak_ptr<StreamState>(state)](server::StreamEnd) {
      if (auto alive = weak.lock()) {
        std::lock_guard lock(alive->subscription_mutex);
        alive->subscription.reset();
      }
    });
    auto stored = context->store->events_after(evaluation_id, after, 10000);
    if (stored)
      for (const auto& event : *stored) {
        {
          std::lock_guard lock(state->mutex);
          state->send(event);
        }
        // A long replay waits for the client to read, rather than overflow the stream's buffer.
        if (sink->buffered_bytes() > 256 * 1024 &&
            !sink->wait_until_buffered_below(64 * 1024, std::chrono::seconds(30)))
          return;  // the stream ended (or the client stalled): nothing more to send
      }
    std::lock_guard lock(state->mutex);
    state->replaying = false;
    for (const auto& event : state->pending)
      state->send(event);
    state->pending.clear();
    // Resumed after "done" (as EventSource does after every close): nothing more will come.
    auto now = context->store->get_evaluation(evaluation_id);
    if (now && store::is_terminal(now->state)) {
      // Its last events may be recorded just after the state: send what is there, then end.
      if (auto last = context->store->events_after(evaluation_id, state->last_sent, 100))
        for (const auto& event : *last)
          state->send(event);
      sink->close();
    }
  };
  return start;
}

}  // namespace

void add_evaluation_routes(server::Router& router, const Shared& shared) {
  auto context = shared.context;
  router.get("/v1/evaluations/{id}",
             with_auth(shared, Permission::read, [context](auto&, auto& params, auto& who) {
               auto evaluation = owned_evaluation(*context->store, params["id"], who);
               if (!evaluation) return server::Reply(problem_for(evaluation.error()));
               auto view = evaluation_view(*evaluation);
               auto steps = context->store->list_steps(evaluation->id);
               if (!steps) return server::Reply(problem_for(steps.error()));
               boost::json::array step_list;
               for (const auto& step : *steps)
                 step_list.push_back(step_view(step));
               view["steps"] = std::move(step_list);
               // The calls it asked approval for: a pending one is what it waits on.
               auto approvals = context->store->list_approvals(
                   {.evaluation_id = evaluation->id, .page = {.limit = 1000, .offset = 0}});
               if (!approvals) return server::Reply(problem_for(approvals.error()));
               boost::json::array approval_list;
               for (const auto& approval : *approvals)
                 approval_list.push_back(approval_view(approval));
               view["approvals"] = std::move(approval_list);
               return server::Reply(server::json(200, view));
             }));
  router.get("/v1/evaluations/{id}/steps",
             with_auth(shared, Permission::read, [context](auto&, auto& params, auto& who) {
               auto evaluation = owned_evaluation(*context->store, params["id"], who);
               if (!evaluation) return server::Reply(problem_for(evaluation.error()));
               auto steps = context->store->list_steps(evaluation->id);
               if (!steps) return server::Reply(problem_for(steps.error()));
               boost::json::array items;
               for (const auto& step : *steps)
                 items.push_back(step_view(step));
               return server::Reply(server::json(200, {{"value", std::move(items)}}));
             }));
  router.post("/v1/evaluations/{id}:cancel",
              with_auth(shared, Permission::prompt, [context](auto&, auto& params, auto& who) {
                auto evaluation = owned_evaluation(*context->store, params["id"], who);
                if (!evaluation) return server::Reply(problem_for(evaluation.error()));
                auto cancelled = context->orchestrator->cancel(who, evaluation->id);
                if (!cancelled) {
                  auto error = cancelled.error();
                  if (error.status == Status::invalid_input) error.status = Status::cancelled;
                  return server::Reply(problem_for(error));  // 409: it already ended
                }
                return server::Reply(
                    server::json(202, {{"id", evaluation->id}, {"cancelRequested", true}}));
              }));
  router.get("/v1/evaluations/{id}/events",
             with_auth(shared, Permission::read, [context](auto& request, auto& params, auto& who) {
               auto evaluation = owned_evaluation(*context->store, params["id"], who);
               if (!evaluation) return server::Reply(problem_for(evaluation.error()));
               const auto after = resume_after(request);
               if (!after)
                 return server::Reply(server::problem(400, "Last-Event-ID must be a number"));
               return stream_events(context, *evaluation, evaluation->id, *after);
             }));
}

}  // namespace secpilot::api
