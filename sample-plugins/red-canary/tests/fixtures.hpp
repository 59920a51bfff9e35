// The Red Canary fixture files (tests/fakes/data/red-canary), for tests that parse the resources
// the fake serves.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace red_canary::testing {

inline boost::json::value fixture(const std::string& file) {
  std::ifstream in(std::filesystem::path(RED_CANARY_FIXTURES) / file);
  std::stringstream text;
  text << in.rdbuf();
  return boost::json::parse(text.str());
}

// The items a detection's fixture lists under `id` (timelines.json, detectors.json, ...).
inline std::vector<boost::json::object> fixture_items(const std::string& file,
                                                      const std::string& id) {
  const boost::json::value all = fixture(file);
  std::vector<boost::json::object> items;
  for (const auto& item : all.at(id).as_array())
    items.push_back(item.as_object());
  return items;
}

}  // namespace red_canary::testing
