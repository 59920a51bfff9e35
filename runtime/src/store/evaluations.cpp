// Evaluations, their steps (the process log) and their events (the SSE stream).
#include <algorithm>
#include <string>

#include "store/random_ids.hpp"
#include "store/sqlite_store_impl.hpp"

namespace secpilot::store {
namespace {

using columns::require;
using sqlite::fail;

constexpr std::string_view kInterrupted =
    "interrupted: the daemon stopped while this evaluation ran";
constexpr std::string_view kStepInterrupted = "interrupted: the daemon stopped while this step ran";

#define EVALUATION_COLUMNS                                                              \
  "id, prompt_id, session_id, state, result_type, result_content, result_json, error, " \
  "created_ms, started_ms, completed_ms"
#define STEP_COLUMNS                                                                \
  "evaluation_id, seq, skill, inputs, output, error_status, error_message, state, " \
  "started_ms, duration_ms"
#define UNFINISHED "('created', 'running', 'waitingForInput')"
// What a stop interrupts: not waitingForInput, which waits for a person, not for this process.
// (Spelled so that SQLite can use the partial index on unfinished evaluations.)
#define INTERRUPTED "state IN " UNFINISHED " AND state <> 'waitingForInput'"

namespace sql {
// Inserts only if the prompt exists, taking the session from it.
constexpr std::string_view insert_evaluation =
    "INSERT INTO evaluations (id, prompt_id, session_id, state, result_type, result_content, "
    "result_json, error, created_ms, started_ms, completed_ms) "
    "SELECT ?1, id, session_id, 'created', '', '', NULL, '', ?3, 0, 0 FROM prompts WHERE id = ?2 "
    "RETURNING " EVALUATION_COLUMNS;
constexpr std::string_view get_evaluation =
    "SELECT " EVALUATION_COLUMNS " FROM evaluations WHERE id = ?1";
constexpr std::string_view list_evaluations = "SELECT " EVALUATION_COLUMNS
                                              " FROM evaluations WHERE prompt_id = ?1 "
                                              "ORDER BY created_ms, rowid";
constexpr std::string_view list_session_evaluations = "SELECT " EVALUATION_COLUMNS
                                                      " FROM evaluations WHERE session_id = ?1 "
                                                      "ORDER BY created_ms, rowid";
constexpr std::string_view evaluation_state = "SELECT state FROM evaluations WHERE id = ?1";
// ?7 now; ?8 whether the new state is final.
constexpr std::string_view update_evaluation =
    "UPDATE evaluations SET state = ?2, result_type = ?3, result_content = ?4, result_json = ?5, "
    "error = ?6, "
    "started_ms = CASE WHEN started_ms = 0 AND ?2 = 'running' THEN ?7 ELSE started_ms END, "
    "completed_ms = CASE WHEN ?8 THEN ?7 ELSE completed_ms END "
    "WHERE id = ?1 RETURNING " EVALUATION_COLUMNS;

constexpr std::string_view interrupted_evaluations =
    "SELECT id FROM evaluations WHERE " INTERRUPTED " ORDER BY created_ms";
constexpr std::string_view fail_interrupted_steps =
    "UPDATE steps SET state = 'failed', error_status = 'internal', error_message = ?1, "
    "duration_ms = max(0, ?2 - started_ms) WHERE state = 'running' AND evaluation_id IN "
    "(SELECT id FROM evaluations WHERE " INTERRUPTED ")";
constexpr std::string_view fail_interrupted_evaluations =
    "UPDATE evaluations SET state = 'failed', result_type = 'error', error = ?1, "
    "completed_ms = ?2 WHERE " INTERRUPTED;
constexpr std::string_view set_plan = "UPDATE evaluations SET plan = ?2 WHERE id = ?1";
constexpr std::string_view get_plan = "SELECT plan FROM evaluations WHERE id = ?1";

constexpr std::string_view insert_step =
    "INSERT INTO steps (evaluation_id, seq, skill, inputs, output, error_status, error_message, "
    "state, started_ms, duration_ms) "
    "SELECT id, (SELECT coalesce(max(seq), 0) + 1 FROM steps WHERE evaluation_id = ?1), ?2, ?3, "
    "NULL, 'ok', '', 'running', ?4, 0 FROM evaluations WHERE id = ?1 RETURNING seq";
// ?7 now, for a duration the caller did not measure (-1).
constexpr std::string_view finish_step =
    "UPDATE steps SET state = ?3, output = ?4, error_status = ?5, error_message = ?6, "
    "duration_ms = CASE WHEN ?8 >= 0 THEN ?8 ELSE max(0, ?7 - started_ms) END "
    "WHERE evaluation_id = ?1 AND seq = ?2";
constexpr std::string_view list_steps =
    "SELECT " STEP_COLUMNS " FROM steps WHERE evaluation_id = ?1 ORDER BY seq";

constexpr std::string_view insert_event =
    "INSERT INTO events (evaluation_id, seq, type, data) "
    "SELECT id, (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE evaluation_id = ?1), ?2, ?3 "
    "FROM evaluations WHERE id = ?1 RETURNING seq";
constexpr std::string_view events_after =
    "SELECT evaluation_id, seq, type, data FROM events WHERE evaluation_id = ?1 AND seq > ?2 "
    "ORDER BY seq LIMIT ?3";
}  // namespace sql

Evaluation read_evaluation(const sqlite::Query& row) {
  return Evaluation{row.text(0),
                    row.text(1),
                    row.text(2),
                    columns::enumeration(row, 3, parse_evaluation_state),
                    columns::enumeration(row, 4, parse_result_type),
                    row.text(5),
                    columns::optional_json(row, 6),
                    row.text(7),
                    row.int64(8),
                    row.int64(9),
                    row.int64(10)};
}

Step read_step(const sqlite::Query& row) {
  return Step{row.text(0),
              row.int64(1),
              row.text(2),
              columns::json_object(row, 3),
              columns::optional_json(row, 4),
              columns::status_from_name(row.text(5)),
              row.text(6),
              columns::enumeration(row, 7, parse_step_state),
              row.int64(8),
              row.int64(9)};
}

std::string evaluation_not_found(std::string_view id) {
  return "evaluation '" + std::string(id) + "' not found";
}

std::int64_t append_event_to(sqlite::Connection& db, std::string_view evaluation_id,
                             std::string_view type, std::string_view data) {
  auto row = db.query(sql::insert_event, evaluation_id, type, data);
  if (!row.next()) fail(Status::not_found, evaluation_not_found(evaluation_id));
  return row.int64(0);
}

std::vector<Evaluation> read_evaluations(sqlite::Query rows) {
  std::vector<Evaluation> evaluations;
  while (rows.next())
    evaluations.push_back(read_evaluation(rows));
  return evaluations;
}

}  // namespace

Expected<Evaluation> SqliteStore::create_evaluation(std::string_view prompt_id) {
  return write("create an evaluation", [&](sqlite::Connection& db) {
    auto row = db.query(sql::insert_evaluation, new_id(), prompt_id, now());
    if (!row.next()) fail(Status::not_found, "prompt '" + std::string(prompt_id) + "' not found");
    return read_evaluation(row);
  });
}

Expected<Evaluation> SqliteStore::get_evaluation(std::string_view id) {
  return read("read an evaluation", [&](sqlite::Connection& db) {
    auto row = db.query(sql::get_evaluation, id);
    if (!row.next()) fail(Status::not_found, evaluation_not_found(id));
    return read_evaluation(row);
  });
}

Expected<std::vector<Evaluation>> SqliteStore::list_evaluations(std::string_view prompt_id) {
  return read("list evaluations", [&](sqlite::Connection& db) {
    return read_evaluations(db.query(sql::list_evaluations, prompt_id));
  });
}

Expected<std::vector<Evaluation>> SqliteStore::list_session_evaluations(
    std::string_view session_id) {
  return read("list evaluations", [&](sqlite::Connection& db) {
    return read_evaluations(db.query(sql::list_session_evaluations, session_id));
  });
}

Expected<Evaluation> SqliteStore::update_evaluation(std::string_view id,
                                                    const EvaluationUpdate& update) {
  return write("update an evaluation", [&](sqlite::Connection& db) {
    EvaluationState current{};
    {
      auto row = db.query(sql::evaluation_state, id);
      if (!row.next()) fail(Status::not_found, evaluation_not_found(id));
      current = columns::enumeration(row, 0, parse_evaluation_state);
    }
    if (is_terminal(current)) {
      fail(Status::invalid_input, "evaluation '" + std::string(id) + "' is already " +
                                      std::string(to_string(current)) + "; it cannot become " +
                                      std::string(to_string(update.state)));
    }
    require(update.state != EvaluationState::created,
            "an evaluation cannot go back to the created state");
    auto row =
        db.query(sql::update_evaluation, id, to_string(update.state), to_string(update.result_type),
                 update.result_content, columns::json_text(update.result_json), update.error, now(),
                 is_terminal(update.state));
    if (!row.next()) fail(Status::not_found, evaluation_not_found(id));
    return read_evaluation(row);
  });
}

Expected<int> SqliteStore::mark_interrupted_evaluations() {
  return write("mark interrupted evaluations", [&](sqlite::Connection& db) {
    const TimeMs time = now();
    std::vector<std::string> interrupted;
    {
      auto rows = db.query(sql::interrupted_evaluations);
      while (rows.next())
        interrupted.push_back(rows.text(0));
    }
    if (interrupted.empty()) return 0;
    db.run(sql::fail_interrupted_steps, kStepInterrupted, time);
    db.run(sql::fail_interrupted_evaluations, kInterrupted, time);
    // A client resuming the stream after the restart gets a final event instead of waiting.
    const std::string done = columns::json_text(
        boost::json::value{{"state", "failed"}, {"resultType", "error"}, {"error", kInterrupted}});
    for (const std::string& id : interrupted)
      append_event_to(db, id, "done", done);
    return static_cast<int>(interrupted.size());
  });
}

Outcome SqliteStore::set_evaluation_plan(std::string_view evaluation_id,
                                         const boost::json::value& plan) {
  return write("record an evaluation's plan", [&](sqlite::Connection& db) {
    db.run(sql::set_plan, evaluation_id, columns::json_text(plan));
    if (db.changes() == 0) fail(Status::not_found, evaluation_not_found(evaluation_id));
    return Done{};
  });
}

Expected<boost::json::value> SqliteStore::evaluation_plan(std::string_view evaluation_id) {
  return read("read an evaluation's plan", [&](sqlite::Connection& db) {
    auto row = db.query(sql::get_plan, evaluation_id);
    if (!row.next()) fail(Status::not_found, evaluation_not_found(evaluation_id));
    auto plan = columns::optional_json(row, 0);
    if (!plan)
      fail(Status::not_found, "evaluation '" + std::string(evaluation_id) + "' has no plan");
    return std::move(*plan);
  });
}

Expected<std::int64_t> SqliteStore::append_step(std::string_view evaluation_id,
                                                const NewStep& step) {
  return write("record a step", [&](sqlite::Connection& db) {
    require(!step.skill.empty(), "a step needs the skill it calls");
    auto row = db.query(sql::insert_step, evaluation_id, step.skill,
                        columns::json_text(boost::json::value(step.inputs)),
                        step.started_ms != 0 ? step.started_ms : now());
    if (!row.next()) fail(Status::not_found, evaluation_not_found(evaluation_id));
    return row.int64(0);
  });
}

Outcome SqliteStore::finish_step(std::string_view evaluation_id, std::int64_t seq,
                                 const StepResult& result) {
  return write("record the end of a step", [&](sqlite::Connection& db) {
    require(result.state != StepState::running, "a finished step cannot be running");
    db.run(sql::finish_step, evaluation_id, seq, to_string(result.state),
           columns::json_text(result.output), status_name(result.error_status),
           result.error_message, now(), result.duration_ms);
    if (db.changes() == 0) {
      fail(Status::not_found, "step " + std::to_string(seq) + " of evaluation '" +
                                  std::string(evaluation_id) + "' not found");
    }
    return Done{};
  });
}

Expected<std::vector<Step>> SqliteStore::list_steps(std::string_view evaluation_id) {
  return read("list steps", [&](sqlite::Connection& db) {
    auto rows = db.query(sql::list_steps, evaluation_id);
    std::vector<Step> steps;
    while (rows.next())
      steps.push_back(read_step(rows));
    return steps;
  });
}

Expected<std::int64_t> SqliteStore::append_event(std::string_view evaluation_id,
                                                 std::string_view type, std::string_view data) {
  return write("record an event", [&](sqlite::Connection& db) {
    require(!type.empty(), "an event needs a type");
    return append_event_to(db, evaluation_id, type, data);
  });
}

Expected<std::vector<Event>> SqliteStore::events_after(std::string_view evaluation_id,
                                                       std::int64_t after_seq, int limit) {
  return read("read events", [&](sqlite::Connection& db) {
    require(limit >= 1 && limit <= 10000, "limit must be between 1 and 10000");
    auto rows = db.query(sql::events_after, evaluation_id, after_seq, limit);
    std::vector<Event> events;
    while (rows.next())
      events.push_back(Event{rows.text(0), rows.int64(1), rows.text(2), rows.text(3)});
    return events;
  });
}

}  // namespace secpilot::store
