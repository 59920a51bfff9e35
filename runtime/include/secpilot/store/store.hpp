// The daemon's persistent state behind one interface: sessions and their process logs, API keys,
// the audit log, and plugin enablement and settings. SQLite implements it (sqlite_store.hpp); a
// PostgreSQL one can follow without touching the callers.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>

#include "secpilot/store/records.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::store {

// Every method is thread-safe and returns its errors as values: not_found for a missing record
// (or one owned by someone else), invalid_input for a bad argument or a forbidden state change,
// unauthorized for an unknown or revoked API key, timeout when the database stayed busy, and
// internal for an I/O or database failure (the message names the file and the cause).
//
// Session-scoped reads below the session (prompts, evaluations, steps, events) take ids only:
// a caller acting for a user checks get_session(session_id, user) first (an evaluation carries its
// session_id for that).
class Store {
 public:
  virtual ~Store() = default;

  // --- Sessions: every call is scoped to the owner; another owner's session is not_found.

  // Creates an empty session for owner.
  virtual Expected<Session> create_session(std::string_view owner,
                                           std::string_view display_name) = 0;
  virtual Expected<Session> get_session(std::string_view id, std::string_view owner) = 0;
  // The owner's sessions, most recently modified first. A non-empty search matches display names
  // and prompt texts as a case-insensitive (ASCII) substring.
  virtual Expected<std::vector<Session>> list_sessions(std::string_view owner,
                                                       std::string_view search, Page page) = 0;
  virtual Expected<Session> rename_session(std::string_view id, std::string_view owner,
                                           std::string_view display_name) = 0;
  // Deletes the session with its prompts, evaluations, steps and events.
  virtual Outcome delete_session(std::string_view id, std::string_view owner) = 0;

  // --- Prompts

  // Appends a prompt to the session (seq = last + 1) and bumps the session's modified time.
  virtual Expected<Prompt> add_prompt(std::string_view session_id, const NewPrompt& prompt) = 0;
  virtual Expected<Prompt> get_prompt(std::string_view id) = 0;
  // A session's prompts in seq order.
  virtual Expected<std::vector<Prompt>> list_prompts(std::string_view session_id) = 0;

  // --- Evaluations

  // A new evaluation of the prompt, in state created.
  virtual Expected<Evaluation> create_evaluation(std::string_view prompt_id) = 0;
  virtual Expected<Evaluation> get_evaluation(std::string_view id) = 0;
  // A prompt's evaluations, oldest first.
  virtual Expected<std::vector<Evaluation>> list_evaluations(std::string_view prompt_id) = 0;
  // All evaluations in a session, oldest first.
  virtual Expected<std::vector<Evaluation>> list_session_evaluations(
      std::string_view session_id) = 0;
  // Moves the evaluation to update.state and replaces its result fields with update's. The first
  // entry into running stamps started_ms, entering a final state stamps completed_ms. A final state is never
  // left and nothing returns to created: those are invalid_input (so a late completion loses to a
  // cancel, and the caller can tell).
  virtual Expected<Evaluation> update_evaluation(std::string_view id,
                                                 const EvaluationUpdate& update) = 0;
  // For start-up: evaluations a crash left created or running become failed with error
  // "interrupted: the daemon stopped while this evaluation ran"; their running steps fail too,
  // and each gets a final "done" event (data {"state":"failed","resultType":"error",
  // "error":...}) so that resumed streams end. Returns how many. Evaluations in waitingForInput
  // are left alone: they wait for an approval, which may still come after the restart.
  virtual Expected<int> mark_interrupted_evaluations() = 0;
  // The evaluation's plan (JSON, as planner::Plan::to_json writes it), stored when it starts so
  // that it can resume after a pause, even in another process. Replaces any plan stored before.
  virtual Outcome set_evaluation_plan(std::string_view evaluation_id,
                                      const boost::json::value& plan) = 0;
  // The stored plan; not_found when the evaluation does not exist or has none.
  virtual Expected<boost::json::value> evaluation_plan(std::string_view evaluation_id) = 0;

  // --- Approvals: side-effecting calls waiting for a user's decision

  // Records a pending approval and moves its evaluation (created or running) to waitingForInput,
  // in one transaction. invalid_input when the evaluation is already waiting or has ended.
  virtual Expected<Approval> request_approval(const NewApproval& approval) = 0;
  virtual Expected<Approval> get_approval(std::string_view id) = 0;
  // Approvals matching the query, newest first.
  virtual Expected<std::vector<Approval>> list_approvals(const ApprovalQuery& query) = 0;
  // Ends a pending approval as decision.state (approved, denied or cancelled). invalid_input when
  // it is no longer pending: the message says how it ended and who decided.
  virtual Expected<Approval> decide_approval(std::string_view id,
                                             const ApprovalDecision& decision) = 0;
  // Marks a decided (approved or denied) approval as handed to the call that asked for it: true
  // the first time, false when it was claimed before or has no outcome yet (pending, cancelled).
  // not_found for an unknown id.
  virtual Expected<bool> claim_approval(std::string_view id) = 0;

  // --- Steps: the process log

  // Records a running step; returns its seq (1, 2, ... per evaluation).
  virtual Expected<std::int64_t> append_step(std::string_view evaluation_id,
                                             const NewStep& step) = 0;
  // Records how the step ended (output or error, duration).
  virtual Outcome finish_step(std::string_view evaluation_id, std::int64_t seq,
                              const StepResult& result) = 0;
  // An evaluation's steps in seq order.
  virtual Expected<std::vector<Step>> list_steps(std::string_view evaluation_id) = 0;

  // --- Events: the SSE stream, resumable with Last-Event-ID across restarts

  // Appends an event; returns its seq (1..n per evaluation, no gaps).
  virtual Expected<std::int64_t> append_event(std::string_view evaluation_id, std::string_view type,
                                              std::string_view data) = 0;
  // The events with seq > after_seq, in order, at most limit (1..10000) of them.
  virtual Expected<std::vector<Event>> events_after(std::string_view evaluation_id,
                                                    std::int64_t after_seq, int limit = 1000) = 0;

  // --- API keys: only the SHA-256 of a secret is stored

  // Creates a key; the secret in the result is shown once and cannot be recovered.
  virtual Expected<CreatedApiKey> create_api_key(std::string_view name, Role role,
                                                 std::string_view user) = 0;
  // The active key whose secret this is; unauthorized when unknown or revoked.
  virtual Expected<ApiKey> find_key_by_secret(std::string_view secret) = 0;
  // Revokes a key for good (revoking twice keeps the first time); not_found for an unknown id.
  virtual Outcome revoke_key(std::string_view id) = 0;
  // All keys, revoked ones included, oldest first; user non-empty: only that user's.
  virtual Expected<std::vector<ApiKey>> list_keys(std::string_view user = {}) = 0;
  // Records that the key was used now. Writes at most once per key_touch_interval (see the
  // implementation's options), so calling it on every request is cheap.
  virtual Outcome touch_key(std::string_view id) = 0;

  // --- Audit log: append-only

  // Appends an entry (time_ms 0: now); returns its seq. details must hold no secret values.
  virtual Expected<std::int64_t> append_audit(const AuditEntry& entry) = 0;
  // Appends an entry in the background, batched with others, for paths that must not wait for a
  // commit (every request, every skill call). Entries keep their order and are written within
  // milliseconds; list_audit, append_audit and checkpoint first wait for the queued ones. A crash
  // can lose only what was queued in its last few milliseconds.
  virtual void queue_audit(AuditEntry entry) = 0;
  // Entries matching the query, newest first.
  virtual Expected<std::vector<AuditEntry>> list_audit(const AuditQuery& query) = 0;

  // --- Plugins: enablement and settings (plugin and setting names match case-insensitively)

  // Records an organisation-wide (user "") or a user's choice for a plugin.
  virtual Outcome set_plugin_enabled(PluginScope scope, std::string_view user,
                                     std::string_view plugin, bool enabled) = 0;
  // Removes such a choice, so the next level decides again.
  virtual Outcome clear_plugin_enabled(PluginScope scope, std::string_view user,
                                       std::string_view plugin) = 0;
  // Whether plugin is enabled for user: false when the organisation disabled it (a restriction
  // no user can lift), else the user's choice, else the organisation's, else true.
  virtual Expected<bool> plugin_enabled(std::string_view user, std::string_view plugin) = 0;
  // The organisation's rows and user's rows (all users' when user is empty), for listings.
  virtual Expected<std::vector<PluginEnablement>> list_plugin_enablement(std::string_view user) = 0;
  // Sets (or replaces) a setting; secret values are kept for plugin_secret only.
  virtual Outcome set_plugin_setting(std::string_view plugin, std::string_view name,
                                     std::string_view value, bool secret) = 0;
  // Unsets a setting; not_found when it was not set.
  virtual Outcome delete_plugin_setting(std::string_view plugin, std::string_view name) = 0;
  // The plugin's settings by name: values of the plain ones, only the names of the secret ones.
  virtual Expected<std::vector<PluginSettingInfo>> plugin_settings(std::string_view plugin) = 0;
  // A secret's value, for the host handing it to the plugin; never for the API. not_found if unset
  // (or if the setting is not a secret).
  virtual Expected<std::string> plugin_secret(std::string_view plugin, std::string_view name) = 0;

  // --- Maintenance

  // Moves everything written so far into the main database file and fsyncs it: for a graceful
  // stop and before a file-level backup.
  virtual Outcome checkpoint() = 0;
};

}  // namespace secpilot::store
