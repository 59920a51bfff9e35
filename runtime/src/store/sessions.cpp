// Sessions and their prompts.
#include <string>

#include "store/random_ids.hpp"
#include "store/sqlite_store_impl.hpp"

namespace secpilot::store {
namespace {

using columns::check_page;
using columns::require;
using sqlite::fail;

#define SESSION_COLUMNS "id, owner, display_name, created_ms, modified_ms"
#define PROMPT_COLUMNS "id, session_id, seq, type, content, skill_name, inputs, created_ms"

namespace sql {
constexpr std::string_view insert_session =
    "INSERT INTO sessions (id, owner, display_name, created_ms, modified_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?4)";
constexpr std::string_view get_session =
    "SELECT " SESSION_COLUMNS " FROM sessions WHERE id = ?1 AND owner = ?2";
constexpr std::string_view list_sessions =
    "SELECT " SESSION_COLUMNS
    " FROM sessions WHERE owner = ?1 "
    "ORDER BY modified_ms DESC, rowid DESC LIMIT ?2 OFFSET ?3";
constexpr std::string_view search_sessions =
    "SELECT " SESSION_COLUMNS
    " FROM sessions AS s WHERE owner = ?1 AND "
    "(display_name LIKE ?4 ESCAPE '\\' OR EXISTS (SELECT 1 FROM prompts AS p "
    "WHERE p.session_id = s.id AND p.content LIKE ?4 ESCAPE '\\')) "
    "ORDER BY modified_ms DESC, rowid DESC LIMIT ?2 OFFSET ?3";
constexpr std::string_view rename_session =
    "UPDATE sessions SET display_name = ?3, modified_ms = ?4 WHERE id = ?1 AND owner = ?2 "
    "RETURNING " SESSION_COLUMNS;
constexpr std::string_view delete_session = "DELETE FROM sessions WHERE id = ?1 AND owner = ?2";
constexpr std::string_view touch_session = "UPDATE sessions SET modified_ms = ?2 WHERE id = ?1";

// Inserts only if the session exists; the seq is the next in the session.
constexpr std::string_view insert_prompt =
    "INSERT INTO prompts (id, session_id, seq, type, content, skill_name, inputs, created_ms) "
    "SELECT ?1, id, (SELECT coalesce(max(seq), 0) + 1 FROM prompts WHERE session_id = ?2), "
    "?3, ?4, ?5, ?6, ?7 FROM sessions WHERE id = ?2 RETURNING seq";
constexpr std::string_view get_prompt = "SELECT " PROMPT_COLUMNS " FROM prompts WHERE id = ?1";
constexpr std::string_view list_prompts =
    "SELECT " PROMPT_COLUMNS " FROM prompts WHERE session_id = ?1 ORDER BY seq";
}  // namespace sql

Session read_session(const sqlite::Query& row) {
  return Session{row.text(0), row.text(1), row.text(2), row.int64(3), row.int64(4)};
}

Prompt read_prompt(const sqlite::Query& row) {
  return Prompt{row.text(0),
                row.text(1),
                row.int64(2),
                columns::enumeration(row, 3, parse_prompt_type),
                row.text(4),
                row.text(5),
                columns::json_object(row, 6),
                row.int64(7)};
}

std::string session_not_found(std::string_view id) {
  return "session '" + std::string(id) + "' not found";
}

// A LIKE pattern matching text anywhere, with LIKE's wildcards in it taken literally.
std::string contains_pattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

}  // namespace

Expected<Session> SqliteStore::create_session(std::string_view owner,
                                              std::string_view display_name) {
  return write("create a session", [&](sqlite::Connection& db) {
    require(!owner.empty(), "a session needs an owner");
    const TimeMs time = now();
    Session session{new_id(), std::string(owner), std::string(display_name), time, time};
    db.run(sql::insert_session, session.id, session.owner, session.display_name, time);
    return session;
  });
}

Expected<Session> SqliteStore::get_session(std::string_view id, std::string_view owner) {
  return read("read a session", [&](sqlite::Connection& db) {
    auto row = db.query(sql::get_session, id, owner);
    if (!row.next()) fail(Status::not_found, session_not_found(id));
    return read_session(row);
  });
}

Expected<std::vector<Session>> SqliteStore::list_sessions(std::string_view owner,
                                                          std::string_view search, Page page) {
  return read("list sessions", [&](sqlite::Connection& db) {
    check_page(page);
    auto rows = search.empty() ? db.query(sql::list_sessions, owner, page.limit, page.offset)
                               : db.query(sql::search_sessions, owner, page.limit, page.offset,
                                          contains_pattern(search));
    std::vector<Session> sessions;
    while (rows.next())
      sessions.push_back(read_session(rows));
    return sessions;
  });
}

Expected<Session> SqliteStore::rename_session(std::string_view id, std::string_view owner,
                                              std::string_view display_name) {
  return write("rename a session", [&](sqlite::Connection& db) {
    auto row = db.query(sql::rename_session, id, owner, display_name, now());
    if (!row.next()) fail(Status::not_found, session_not_found(id));
    return read_session(row);
  });
}

Outcome SqliteStore::delete_session(std::string_view id, std::string_view owner) {
  return write("delete a session", [&](sqlite::Connection& db) {
    db.run(sql::delete_session, id, owner);
    if (db.changes() == 0) fail(Status::not_found, session_not_found(id));
    return Done{};
  });
}

Expected<Prompt> SqliteStore::add_prompt(std::string_view session_id, const NewPrompt& prompt) {
  return write("add a prompt", [&](sqlite::Connection& db) {
    const TimeMs time = now();
    Prompt added{new_id(),          std::string(session_id), 0,   prompt.type, prompt.content,
                 prompt.skill_name, prompt.inputs,           time};
    {
      auto row =
          db.query(sql::insert_prompt, added.id, session_id, to_string(prompt.type), prompt.content,
                   prompt.skill_name, columns::json_text(boost::json::value(prompt.inputs)), time);
      if (!row.next()) fail(Status::not_found, session_not_found(session_id));
      added.seq = row.int64(0);
    }
    db.run(sql::touch_session, session_id, time);
    return added;
  });
}

Expected<Prompt> SqliteStore::get_prompt(std::string_view id) {
  return read("read a prompt", [&](sqlite::Connection& db) {
    auto row = db.query(sql::get_prompt, id);
    if (!row.next()) fail(Status::not_found, "prompt '" + std::string(id) + "' not found");
    return read_prompt(row);
  });
}

Expected<std::vector<Prompt>> SqliteStore::list_prompts(std::string_view session_id) {
  return read("list prompts", [&](sqlite::Connection& db) {
    auto rows = db.query(sql::list_prompts, session_id);
    std::vector<Prompt> prompts;
    while (rows.next())
      prompts.push_back(read_prompt(rows));
    return prompts;
  });
}

}  // namespace secpilot::store
