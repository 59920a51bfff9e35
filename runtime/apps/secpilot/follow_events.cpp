#include "follow_events.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <csignal>
#include <functional>
#include <iostream>
#include <thread>

namespace secpilot::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int) {
  g_interrupted = 1;
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the program
}

// {indicator: 198.51.100[.]7, count: 3}: strings unquoted, long values cut.
std::string describe_inputs(const boost::json::value& inputs) {
  const auto* object = inputs.if_object();
  if (!object || object->empty()) return "{}";
  std::string out = "{";
  for (const auto& [name, value] : *object) {
    if (out.size() > 1) out += ", ";
    out +=
        std::string(name) + ": " +
        one_line(value.is_string() ? std::string(value.as_string()) : boost::json::serialize(value),
                 60);
  }
  return out + "}";
}

// The state of one evaluation while its events arrive.
struct Progress {
  Progress(const GlobalOptions& global, bool explain_plan)
      : options(global), explain(explain_plan) {}

  const GlobalOptions& options;
  const bool explain;  // print the planner's reasons (secpilot ask --explain)
  EvaluationEnd end;

  bool on_event(const ServerEvent& event) {
    boost::system::error_code parse_error;
    const auto data = boost::json::parse(event.data, parse_error);
    const boost::json::value empty = boost::json::object();
    const auto& payload = parse_error ? empty : data;
    const bool text = !options.json;
    if (event.type == "plan" && text && explain) {
      const std::string explanation = text_of(payload, "explanation");
      std::cout << "Plan:\n"
                << explanation << (explanation.ends_with('\n') ? "" : "\n") << std::flush;
    } else if (event.type == "step.started" && text) {
      const auto* object = payload.if_object();
      std::cout << "→ " << text_of(payload, "skill") << " "
                << describe_inputs(object && object->contains("inputs") ? object->at("inputs")
                                                                        : empty)
                << std::endl;
    } else if (event.type == "step.finished" && text) {
      const std::string skill = text_of(payload, "skill");
      const std::string step_state = text_of(payload, "state");
      const auto* object = payload.if_object();
      std::int64_t ms = 0;
      if (const auto* duration = object ? object->if_contains("durationMs") : nullptr;
          duration && duration->is_number())
        ms = duration->to_number<std::int64_t>();
      if (step_state == "completed") {
        std::cout << "✓ " << skill << " " << ms << " ms" << std::endl;
      } else {
        const auto* error = object ? object->if_contains("error") : nullptr;
        const boost::json::value none;
        const auto& details = error ? *error : none;
        std::string status = text_of(details, "status", step_state);
        std::string message = text_of(details, "message");
        std::cout << "✗ " << skill << " " << status
                  << (message.empty() ? "" : ": " + one_line(message, 160)) << " (" << ms << " ms)"
                  << std::endl;
      }
    } else if (event.type == "state" && text) {
      if (text_of(payload, "state") == "waitingForInput")
        std::cout << "… waiting for input" << std::endl;
    } else if (event.type == "answer") {
      const std::string content = text_of(payload, "content");
      if (text && !content.empty()) {
        std::cout << "\n" << content << (content.back() == '\n' ? "" : "\n") << std::flush;
        end.answered = true;
      }
    } else if (event.type == "done") {
      end.state = text_of(payload, "state");
      end.error = text_of(payload, "error");
      return false;
    }
    return true;
  }
};

}  // namespace

std::string one_line(std::string_view text, std::size_t limit) {
  std::string flat;
  bool space = false;
  for (const char c : text) {
    const bool blank = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (blank) {
      space = !flat.empty();
      continue;
    }
    if (space) flat.push_back(' ');
    space = false;
    flat.push_back(c);
  }
  std::size_t points = 0, bytes = 0;
  while (bytes < flat.size()) {
    if (points == limit) return flat.substr(0, bytes) + "…";
    ++bytes;
    while (bytes < flat.size() && (static_cast<unsigned char>(flat[bytes]) & 0xC0) == 0x80)
      ++bytes;
    ++points;
  }
  return flat;
}

bool follow_events(const RemoteClient& client, const FollowedStream& stream, std::string& last_id,
                   const EventStreamParser::Handler& on_event, int& exit_code) {
  bool stopped = false;     // on_event said it has seen enough
  bool progressed = false;  // an event arrived since the last (re)connect
  const EventStreamParser::Handler counting = [&](const ServerEvent& event) {
    last_id = event.id;
    progressed = true;
    stopped = !on_event(event);
    return !stopped;
  };
  g_interrupted = 0;
  auto* previous = std::signal(SIGINT, on_interrupt);
  const std::function<bool()> interrupted = [] { return g_interrupted != 0; };
  int failures = 0;
  while (!stopped) {
    progressed = false;
    auto failure =
        client.stream_events(stream.path, last_id, counting, interrupted, std::chrono::hours(1));
    if (stopped) break;
    if (failure && failure->status == "cancelled") {
      g_interrupted = 0;
      std::cerr << "secpilot: cancelling the " << stream.kind << " (Ctrl-C again to quit now)"
                << std::endl;
      auto cancel = client.send("POST", stream.cancel_path);
      (void)cancel;  // 409 when it has just ended: the stream says how
      continue;
    }
    if (progressed) failures = 0;
    const bool retry = !failure || failure->exit_code == kUnreachable;
    if (!retry || ++failures > 3) {
      std::signal(SIGINT, previous);
      if (failure) {
        client.report(*failure, exit_code);
      } else {
        print_error(client.options(), "upstream",
                    "the event stream of " + stream.kind + " " + stream.id +
                        " kept ending before the " + stream.kind + " did");
        exit_code = kUnreachable;
      }
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500 * failures));
  }
  std::signal(SIGINT, previous);
  return true;
}

std::optional<EvaluationEnd> follow_evaluation(const RemoteClient& client,
                                               const std::string& evaluation_id,
                                               const std::string& cancel_path, int& exit_code,
                                               bool explain) {
  Progress progress(client.options(), explain);
  std::string last_id;
  const FollowedStream stream{"/v1/evaluations/" + path_segment(evaluation_id) + "/events",
                              "evaluation", evaluation_id, cancel_path};
  if (!follow_events(
          client, stream, last_id,
          [&](const ServerEvent& event) { return progress.on_event(event); }, exit_code))
    return std::nullopt;
  return progress.end;
}

}  // namespace secpilot::cli
