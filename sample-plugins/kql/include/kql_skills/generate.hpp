// GenerateKql's logic: a natural-language hunting request becomes a KQL query over the
// catalogue, without a model: the request's intent is recognised from its words and the
// query is filled in with the entities found in it.
#ifndef KQL_SKILLS_GENERATE_HPP
#define KQL_SKILLS_GENERATE_HPP

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "kql/catalogue.hpp"
#include "kql/diagnostic.hpp"

namespace kql_skills {

struct IntentInfo {
  std::string id;
  std::string description;
  std::string example;
};

struct GenerateResult {
  bool abstained = false;
  std::string message;  // abstained: why, and how to rephrase
  std::string intent;   // the recognised intent's id
  std::string intent_description;
  std::string query;
  std::vector<std::string> tables;
  std::string explanation;
  std::vector<std::string> assumptions;
  kql::Diagnostics diagnostics;  // the checker on the generated query: expected to be empty
  boost::json::object entities;  // what was found in the request
  std::string time_window;       // "the last 24 hours"
};

std::vector<IntentInfo> known_intents();

GenerateResult generate(std::string_view request, const kql::Catalogue& catalogue);

boost::json::object generation_json(const GenerateResult& result);

}  // namespace kql_skills

#endif  // KQL_SKILLS_GENERATE_HPP
