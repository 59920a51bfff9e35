// The SQLite Store. Its methods live in one file per area (sessions.cpp, evaluations.cpp,
// api_keys.cpp, audit.cpp, plugins.cpp), each holding that area's SQL; this header has what they
// share: the class, the error boundary and the column helpers.
#pragma once

#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "secpilot/store/sqlite_store.hpp"
#include "secpilot/util/string_map.hpp"
#include "store/audit_queue.hpp"
#include "store/connection_pool.hpp"
#include "store/read_cache.hpp"

namespace secpilot::store {

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<sqlite::ConnectionPool> pool, SqliteStoreOptions options);

  Expected<Session> create_session(std::string_view owner, std::string_view display_name) override;
  Expected<Session> get_session(std::string_view id, std::string_view owner) override;
  Expected<std::vector<Session>> list_sessions(std::string_view owner, std::string_view search,
                                               Page page) override;
  Expected<Session> rename_session(std::string_view id, std::string_view owner,
                                   std::string_view display_name) override;
  Outcome delete_session(std::string_view id, std::string_view owner) override;

  Expected<Prompt> add_prompt(std::string_view session_id, const NewPrompt& prompt) override;
  Expected<Prompt> get_prompt(std::string_view id) override;
  Expected<std::vector<Prompt>> list_prompts(std::string_view session_id) override;

  Expected<Evaluation> create_evaluation(std::string_view prompt_id) override;
  Expected<Evaluation> get_evaluation(std::string_view id) override;
  Expected<std::vector<Evaluation>> list_evaluations(std::string_view prompt_id) override;
  Expected<std::vector<Evaluation>> list_session_evaluations(std::string_view session_id) override;
  Expected<Evaluation> update_evaluation(std::string_view id,
                                         const EvaluationUpdate& update) override;
  Expected<int> mark_interrupted_evaluations() override;
  Outcome set_evaluation_plan(std::string_view evaluation_id,
                              const boost::json::value& plan) override;
  Expected<boost::json::value> evaluation_plan(std::string_view evaluation_id) override;

  Expected<Approval> request_approval(const NewApproval& approval) override;
  Expected<Approval> get_approval(std::string_view id) override;
  Expected<std::vector<Approval>> list_approvals(const ApprovalQuery& query) override;
  Expected<bool> claim_approval(std::string_view id) override;
  Expected<Approval> decide_approval(std::string_view id,
                                     const ApprovalDecision& decision) override;

  Expected<std::int64_t> append_step(std::string_view evaluation_id, const NewStep& step) override;
  Outcome finish_step(std::string_view evaluation_id, std::int64_t seq,
                      const StepResult& result) override;
  Expected<std::vector<Step>> list_steps(std::string_view evaluation_id) override;

  Expected<std::int64_t> append_event(std::string_view evaluation_id, std::string_view type,
                                      std::string_view data) override;
  Expected<std::vector<Event>> events_after(std::string_view evaluation_id, std::int64_t after_seq,
                                            int limit) override;

  Expected<CreatedApiKey> create_api_key(std::string_view name, Role role,
                                         std::string_view user) override;
  Expected<ApiKey> find_key_by_secret(std::string_view secret) override;
  Outcome revoke_key(std::string_view id) override;
  Expected<std::vector<ApiKey>> list_keys(std::string_view user) override;
  Outcome touch_key(std::string_view id) override;

  Expected<std::int64_t> append_audit(const AuditEntry& entry) override;
  void queue_audit(AuditEntry entry) override;
  Expected<std::vector<AuditEntry>> list_audit(const AuditQuery& query) override;

  Outcome set_plugin_enabled(PluginScope scope, std::string_view user, std::string_view plugin,
                             bool enabled) override;
  Outcome clear_plugin_enabled(PluginScope scope, std::string_view user,
                               std::string_view plugin) override;
  Expected<bool> plugin_enabled(std::string_view user, std::string_view plugin) override;
  Expected<std::vector<PluginEnablement>> list_plugin_enablement(std::string_view user) override;
  Outcome set_plugin_setting(std::string_view plugin, std::string_view name, std::string_view value,
                             bool secret) override;
  Outcome delete_plugin_setting(std::string_view plugin, std::string_view name) override;
  Expected<std::vector<PluginSettingInfo>> plugin_settings(std::string_view plugin) override;
  Expected<std::string> plugin_secret(std::string_view plugin, std::string_view name) override;

  Outcome checkpoint() override;

 private:
  TimeMs now() const { return options_.clock(); }
  // Writes queued audit entries in one transaction; false when it failed.
  bool append_audit_batch(const std::vector<AuditEntry>& batch);

  // Runs body(Connection&) in a (group-committed) write transaction and returns once committed;
  // exceptions become the Error returned. body may run twice: no effects outside the database.
  template <class Body>
  auto write(std::string_view operation, Body&& body)
      -> Expected<std::invoke_result_t<Body, sqlite::Connection&>> {
    return guarded(operation, [&] { return pool_->write(body); });
  }
  // Runs body(Connection&) on a reader; exceptions become the Error returned.
  template <class Body>
  auto read(std::string_view operation, Body&& body)
      -> Expected<std::invoke_result_t<Body, sqlite::Connection&>> {
    return guarded(operation, [&] { return pool_->read(body); });
  }
  template <class Body>
  static auto guarded(std::string_view operation, Body&& body) -> Expected<decltype(body())> {
    try {
      return body();
    } catch (const sqlite::Failure& failure) {
      return to_error(operation, failure);
    } catch (const std::bad_alloc&) {
      return make_error(Status::internal, "cannot " + std::string(operation) + ": out of memory");
    } catch (const std::exception& exception) {
      return make_error(Status::internal,
                        "cannot " + std::string(operation) + ": " + exception.what());
    }
  }
  static Error to_error(std::string_view operation, const sqlite::Failure& failure);

  std::unique_ptr<sqlite::ConnectionPool> pool_;
  SqliteStoreOptions options_;

  std::mutex touch_mutex_;
  StringMap<TimeMs> last_touch_;  // key id → last last_used_ms written

  // Hot reads of the request path: every request checks its key, every skill call its plugin.
  ReadCache<ApiKey> keys_by_hash_{1024};
  ReadCache<bool> enabled_by_user_plugin_{4096};

  // Last: its writer thread uses the pool, so it must stop first.
  AuditQueue audit_queue_;
};

// Column and argument helpers shared by the area files.
namespace columns {

std::string json_text(const boost::json::value& value);
std::optional<std::string> json_text(const std::optional<boost::json::value>& value);
// A JSON column read back; corrupt JSON (written by something else) is an internal failure.
boost::json::object json_object(const sqlite::Query& query, int column);
std::optional<boost::json::value> optional_json(const sqlite::Query& query, int column);

// An enumeration column read back through its wire-name parser.
template <class Enum>
Enum enumeration(const sqlite::Query& query, int column,
                 std::optional<Enum> (*parse)(std::string_view) noexcept) {
  const std::string text = query.text(column);
  if (auto value = parse(text)) return *value;
  sqlite::fail(Status::internal,
               "the store holds an unknown value '" + text + "' (written by a newer secpilot?)");
}

Status status_from_name(std::string_view name) noexcept;

// Raises invalid_input with message unless condition holds.
inline void require(bool condition, std::string_view message) {
  if (!condition) sqlite::fail(Status::invalid_input, std::string(message));
}

inline void check_page(Page page) {
  require(page.limit >= 1 && page.limit <= 1000, "limit must be between 1 and 1000");
  require(page.offset >= 0, "offset must not be negative");
}

}  // namespace columns
}  // namespace secpilot::store
