// One recognisable kind of hunting request, and the KQL it becomes. Each family of intents lives
// in its own file and registers itself in intents().
#ifndef KQL_SKILLS_SRC_GENERATE_INTENT_HPP
#define KQL_SKILLS_SRC_GENERATE_INTENT_HPP

#include <string>
#include <string_view>
#include <vector>

#include "generate/request.hpp"

namespace kql_skills {

struct Generated {
  std::string query;
  std::vector<std::string> tables;
  std::string explanation;
  std::vector<std::string> assumptions;
};

struct Intent {
  std::string_view id;           // "failed_sign_ins"
  std::string_view description;  // what it finds, for the list of known intents
  std::string_view example;      // a request it answers
  // 0 when the intent does not apply; otherwise higher is a better fit (at most 100).
  int (*score)(const Request& request);
  Generated (*build)(const Request& request);
};

// All intents, in the order ties are broken.
const std::vector<Intent>& intents();

void add_identity_intents(std::vector<Intent>& list);
void add_logon_intents(std::vector<Intent>& list);
void add_process_intents(std::vector<Intent>& list);
void add_network_intents(std::vector<Intent>& list);
void add_file_intents(std::vector<Intent>& list);
void add_email_intents(std::vector<Intent>& list);
void add_persistence_intents(std::vector<Intent>& list);
void add_alert_intents(std::vector<Intent>& list);

}  // namespace kql_skills

#endif  // KQL_SKILLS_SRC_GENERATE_INTENT_HPP
