// The test data under tests/data, read and summarized the way the skills do.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <boost/json.hpp>

#include "incident/read.hpp"
#include "incident/summary.hpp"

namespace incident::testing {

inline std::string read_data(const std::string& name) {
  const auto path = std::filesystem::path(INCIDENT_SOURCE_DIR) / "tests" / "data" / name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing test data " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline Incident read_text(const std::string& text, bool allow_session = false) {
  return read_incident(parse_json_input(text, "incident"),
                       {.input_name = "incident", .allow_session = allow_session});
}

inline Incident read_file(const std::string& name) {
  return read_text(read_data(name), name.starts_with("session"));
}

inline Summary summarize_file(const std::string& name) {
  return summarize(read_file(name));
}

// The message of the InputError that reading `text` throws, or "" when it reads.
inline std::string read_error(const std::string& text, bool allow_session = false) {
  try {
    read_text(text, allow_session);
  } catch (const std::exception& error) {
    return error.what();
  }
  return {};
}

template <typename Items, typename Pred>
auto find_if(const Items& items, Pred pred) -> const typename Items::value_type* {
  auto found = std::find_if(items.begin(), items.end(), pred);
  return found == items.end() ? nullptr : &*found;
}

inline const Host* host_named(const Entities& entities, const std::string& name) {
  return find_if(entities.hosts(), [&](const Host& host) { return host.name == name; });
}

inline const User* user_named(const Entities& entities, const std::string& name) {
  return find_if(entities.users(), [&](const User& user) { return user.name == name; });
}

}  // namespace incident::testing
