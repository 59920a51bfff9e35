// Picks the intent that fits a request best, builds its query and checks it.
#include "kql_skills/generate.hpp"

#include <boost/json.hpp>

#include "generate/intent.hpp"
#include "kql_skills/diagnostics_json.hpp"
#include "kql_skills/validate.hpp"

namespace kql_skills {
namespace {

// Below this score a match is a guess, and a wrong query is worse than none.
constexpr int kMinimumScore = 50;

boost::json::array strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& value : values)
    out.push_back(boost::json::string(value));
  return out;
}

boost::json::object entities_json(const Entities& e) {
  boost::json::object out;
  auto put = [&](const char* key, const std::vector<std::string>& values) {
    if (!values.empty()) out[key] = strings(values);
  };
  put("ips", e.ips);
  put("cidrs", e.cidrs);
  put("domains", e.domains);
  put("urls", e.urls);
  put("emails", e.emails);
  put("md5", e.md5s);
  put("sha1", e.sha1s);
  put("sha256", e.sha256s);
  put("hosts", e.hosts);
  put("users", e.users);
  put("processes", e.processes);
  put("files", e.files);
  if (e.count) out["count"] = *e.count;
  return out;
}

}  // namespace

const std::vector<Intent>& intents() {
  static const std::vector<Intent> kIntents = [] {
    std::vector<Intent> list;
    add_file_intents(list);
    add_process_intents(list);
    add_persistence_intents(list);
    add_alert_intents(list);
    add_email_intents(list);
    add_logon_intents(list);
    add_identity_intents(list);
    add_network_intents(list);
    return list;
  }();
  return kIntents;
}

std::vector<IntentInfo> known_intents() {
  std::vector<IntentInfo> out;
  for (const auto& intent : intents())
    out.push_back(
        {std::string(intent.id), std::string(intent.description), std::string(intent.example)});
  return out;
}

GenerateResult generate(std::string_view text, const kql::Catalogue& catalogue) {
  GenerateResult result;
  const Request request = read_request(text);
  result.entities = entities_json(request.entities);
  const Intent* best = nullptr;
  int best_score = 0;
  for (const auto& intent : intents()) {
    const int score = intent.score(request);
    if (score > best_score) {
      best = &intent;
      best_score = score;
    }
  }
  if (!best || best_score < kMinimumScore) {
    result.abstained = true;
    result.message =
        "No query was generated: the request does not match a hunting pattern this generator "
        "knows well enough to write a correct query. Rephrase it like one of the examples (name "
        "what to find, e.g. failed sign-ins, processes, connections, e-mails, and the user, "
        "host, IP, domain or hash), or write the KQL and check it with ValidateKql.";
    return result;
  }
  Generated generated = best->build(request);
  result.intent = std::string(best->id);
  result.intent_description = std::string(best->description);
  result.query = std::move(generated.query);
  result.tables = std::move(generated.tables);
  result.explanation = std::move(generated.explanation);
  result.assumptions = std::move(generated.assumptions);
  if (request.entities.window) result.time_window = request.entities.window->phrase;
  const Validation validation = validate(result.query, catalogue);
  result.diagnostics = validation.parse.diagnostics;
  result.diagnostics.insert(result.diagnostics.end(), validation.check.diagnostics.begin(),
                            validation.check.diagnostics.end());
  return result;
}

boost::json::object generation_json(const GenerateResult& result) {
  boost::json::object out;
  out["abstained"] = result.abstained;
  out["entities"] = result.entities;
  if (result.abstained) {
    out["query"] = nullptr;
    out["message"] = result.message;
    boost::json::array known;
    for (const auto& intent : known_intents()) {
      boost::json::object item;
      item["intent"] = intent.id;
      item["description"] = intent.description;
      item["example"] = intent.example;
      known.push_back(std::move(item));
    }
    out["known_intents"] = std::move(known);
    return out;
  }
  out["query"] = result.query;
  out["intent"] = result.intent;
  out["intent_description"] = result.intent_description;
  out["tables"] = strings(result.tables);
  out["explanation"] = result.explanation;
  out["assumptions"] = strings(result.assumptions);
  if (!result.time_window.empty()) out["time_window"] = result.time_window;
  out["valid"] = !kql::has_errors(result.diagnostics);
  out["errors"] = diagnostics_json(result.diagnostics, kql::Severity::Error);
  out["warnings"] = diagnostics_json(result.diagnostics, kql::Severity::Warning);
  return out;
}

}  // namespace kql_skills
