// Approvals of side-effecting skill calls: requested by a paused evaluation, decided by a person.
#include <string>

#include "store/random_ids.hpp"
#include "store/sqlite_store_impl.hpp"

namespace secpilot::store {
namespace {

using columns::check_page;
using columns::require;
using sqlite::fail;

// The requester is the owner of the evaluation's session: joined, not copied, so it cannot drift.
#define APPROVAL_COLUMNS                                                                       \
  "a.id, a.evaluation_id, e.session_id, s.owner, a.call_index, a.skill, a.inputs, "            \
  "a.side_effects, a.args_hash, a.state, a.decided_by, a.reason, a.created_ms, a.decided_ms, " \
  "a.claimed_ms"
#define APPROVAL_FROM                                                     \
  " FROM approvals AS a JOIN evaluations AS e ON e.id = a.evaluation_id " \
  "JOIN sessions AS s ON s.id = e.session_id "

namespace sql {
constexpr std::string_view evaluation_state = "SELECT state FROM evaluations WHERE id = ?1";
constexpr std::string_view insert_approval =
    "INSERT INTO approvals (id, evaluation_id, call_index, skill, inputs, side_effects, "
    "args_hash, state, decided_by, reason, created_ms, decided_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', '', '', ?8, 0)";
constexpr std::string_view wait_for_input =
    "UPDATE evaluations SET state = 'waitingForInput' WHERE id = ?1";
constexpr std::string_view get_approval =
    "SELECT " APPROVAL_COLUMNS APPROVAL_FROM "WHERE a.id = ?1";
// '' matches anything.
constexpr std::string_view list_approvals =
    "SELECT " APPROVAL_COLUMNS APPROVAL_FROM
    "WHERE (?1 = '' OR s.owner = ?1) AND (?2 = '' OR a.state = ?2) "
    "AND (?3 = '' OR a.evaluation_id = ?3) AND (?4 = '' OR e.state = ?4) "
    "AND (?5 = '' OR e.session_id = ?5) AND (?6 = '' OR a.args_hash = ?6) "
    "ORDER BY a.created_ms DESC, a.rowid DESC LIMIT ?7 OFFSET ?8";
// Only a pending approval changes: of two racing decisions, the first wins.
constexpr std::string_view decide =
    "UPDATE approvals SET state = ?2, decided_by = ?3, reason = ?4, decided_ms = ?5 "
    "WHERE id = ?1 AND state = 'pending'";
// Only once, and only an outcome: a pending or cancelled approval has none to hand out.
constexpr std::string_view claim =
    "UPDATE approvals SET claimed_ms = ?2 "
    "WHERE id = ?1 AND claimed_ms = 0 AND state IN ('approved', 'denied')";
}  // namespace sql

Approval read_approval(const sqlite::Query& row) {
  return Approval{row.text(0),
                  row.text(1),
                  row.text(2),
                  row.text(3),
                  row.int64(4),
                  row.text(5),
                  columns::json_object(row, 6),
                  row.text(7),
                  row.text(8),
                  columns::enumeration(row, 9, parse_approval_state),
                  row.text(10),
                  row.text(11),
                  row.int64(12),
                  row.int64(13),
                  row.int64(14)};
}

std::string approval_not_found(std::string_view id) {
  return "approval '" + std::string(id) + "' not found";
}

Approval approval_by_id(sqlite::Connection& db, std::string_view id) {
  auto row = db.query(sql::get_approval, id);
  if (!row.next()) fail(Status::not_found, approval_not_found(id));
  return read_approval(row);
}

}  // namespace

Expected<Approval> SqliteStore::request_approval(const NewApproval& approval) {
  return write("record an approval request", [&](sqlite::Connection& db) {
    require(!approval.skill.empty(), "an approval needs the skill it is for");
    require(approval.side_effects == "write" || approval.side_effects == "destructive",
            "an approval is for a skill whose side effects are write or destructive");
    require(!approval.args_hash.empty(), "an approval needs the hash of its arguments");
    {
      auto row = db.query(sql::evaluation_state, approval.evaluation_id);
      if (!row.next())
        fail(Status::not_found, "evaluation '" + approval.evaluation_id + "' not found");
      const auto state = columns::enumeration(row, 0, parse_evaluation_state);
      if (state != EvaluationState::created && state != EvaluationState::running)
        fail(Status::invalid_input, "evaluation '" + approval.evaluation_id + "' is " +
                                        std::string(to_string(state)) +
                                        "; only a created or running one can wait for an approval");
    }
    const std::string id = new_id();
    db.run(sql::insert_approval, id, approval.evaluation_id, approval.call_index, approval.skill,
           columns::json_text(boost::json::value(approval.inputs)), approval.side_effects,
           approval.args_hash, now());
    db.run(sql::wait_for_input, approval.evaluation_id);
    return approval_by_id(db, id);
  });
}

Expected<Approval> SqliteStore::get_approval(std::string_view id) {
  return read("read an approval", [&](sqlite::Connection& db) { return approval_by_id(db, id); });
}

Expected<std::vector<Approval>> SqliteStore::list_approvals(const ApprovalQuery& query) {
  return read("list approvals", [&](sqlite::Connection& db) {
    check_page(query.page);
    // "" rather than string_view(): a view without data binds NULL, which matches nothing.
    auto rows =
        db.query(sql::list_approvals, query.requested_by,
                 query.state ? to_string(*query.state) : std::string_view(""), query.evaluation_id,
                 query.evaluation_state ? to_string(*query.evaluation_state) : std::string_view(""),
                 query.session_id, query.args_hash, query.page.limit, query.page.offset);
    std::vector<Approval> approvals;
    while (rows.next())
      approvals.push_back(read_approval(rows));
    return approvals;
  });
}

Expected<Approval> SqliteStore::decide_approval(std::string_view id,
                                                const ApprovalDecision& decision) {
  return write("decide an approval", [&](sqlite::Connection& db) {
    require(decision.state != ApprovalState::pending, "a decision cannot leave it pending");
    require(!decision.decided_by.empty(), "a decision needs who made it");
    db.run(sql::decide, id, to_string(decision.state), decision.decided_by, decision.reason, now());
    const bool changed = db.changes() > 0;
    Approval approval = approval_by_id(db, id);
    if (!changed) {
      fail(Status::invalid_input,
           "approval '" + std::string(id) + "' was already " +
               std::string(to_string(approval.state)) +
               (approval.decided_by.empty() ? std::string() : " by " + approval.decided_by));
    }
    return approval;
  });
}

Expected<bool> SqliteStore::claim_approval(std::string_view id) {
  return write("claim an approval", [&](sqlite::Connection& db) {
    db.run(sql::claim, id, now());
    if (db.changes() > 0) return true;
    approval_by_id(db, id);  // not_found for an unknown id
    return false;
  });
}

}  // namespace secpilot::store
