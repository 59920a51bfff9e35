// Following the daemon's event streams from the command line: an evaluation's process log printed
// live (what `secpilot ask` and `secpilot promptbook run` show), over a stream that is resumed
// after a broken connection, with Ctrl-C asking the daemon to cancel.
#pragma once

#include <optional>
#include <string>

#include "remote_client.hpp"

namespace secpilot::cli {

// One stream to follow.
struct FollowedStream {
  std::string path;         // the event stream, "/v1/evaluations/{id}/events"
  std::string kind;         // what it is about, for messages: "evaluation", "promptbook run"
  std::string id;           // its id, for messages
  std::string cancel_path;  // POSTed on Ctrl-C, "/v1/evaluations/{id}:cancel"
};

// Reads `stream` after `last_id` (kept up to date) until `on_event` returns false, reconnecting
// when the stream breaks or ends early, up to 3 times in a row without an event. Ctrl-C POSTs
// stream.cancel_path and goes on reading (the daemon ends the stream once it has cancelled); a
// second Ctrl-C quits at once. False after printing why the stream could not be followed
// (exit_code set).
bool follow_events(const RemoteClient& client, const FollowedStream& stream, std::string& last_id,
                   const EventStreamParser::Handler& on_event, int& exit_code);

// How an evaluation ended, from its "done" event.
struct EvaluationEnd {
  std::string state;  // "completed", "failed" or "cancelled"
  std::string error;
  bool answered = false;  // its answer was printed
};

// Prints the evaluation's process log as it happens ("→ Skill {inputs}", "✓ Skill 12 ms",
// "✗ Skill status: message", "… waiting for input") and then its answer; nothing with --json.
// With `explain`, the plan first: its steps and every candidate skill with its score and why it
// was chosen or left out. Ctrl-C POSTs `cancel_path`. nullopt after printing why it could not be
// followed.
std::optional<EvaluationEnd> follow_evaluation(const RemoteClient& client,
                                               const std::string& evaluation_id,
                                               const std::string& cancel_path, int& exit_code,
                                               bool explain = false);

// `text` on one line, cut to `limit` code points (with "…").
std::string one_line(std::string_view text, std::size_t limit);

}  // namespace secpilot::cli
