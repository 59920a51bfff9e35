// JSON views of stored records, as the API returns them (camelCase, Security Copilot's names).
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "secpilot/store/records.hpp"
#include "secpilot/store/store.hpp"

namespace secpilot::api {

std::string iso_time(store::TimeMs ms);  // "2026-11-28T09:11:13.034Z"; "" for 0
boost::json::object session_view(const store::Session& session);
boost::json::object prompt_view(const store::Prompt& prompt);
boost::json::object evaluation_view(const store::Evaluation& evaluation);
boost::json::object step_view(const store::Step& step);
boost::json::object key_view(const store::ApiKey& key);  // never the hash or secret
boost::json::object audit_view(const store::AuditEntry& entry);
boost::json::object approval_view(const store::Approval& approval);
// The session with its prompts, each with its evaluations (and their steps when asked): the
// JSON export of a session, also what a report "on this session" reads.
Expected<boost::json::object> session_detail(store::Store& store, const store::Session& session,
                                             bool with_steps);

}  // namespace secpilot::api
