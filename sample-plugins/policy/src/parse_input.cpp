// The skill's inputs: which container the policies came in, which shape each one has, and the
// policy a reader's error is about.
#include <set>

#include <boost/json.hpp>

#include "policy/parse.hpp"
#include "readers.hpp"

namespace policy {
namespace {

namespace json = boost::json;
using detail::fail;
using detail::InputError;
using detail::ObjectReader;

// "policies[3] (\"CA004: Block ...\")" for messages.
std::string locator(std::string_view input, size_t index, const json::object& object, bool single) {
  std::string where =
      single ? std::string(input) : std::string(input) + "[" + std::to_string(index) + "]";
  const ObjectReader reader(object, "");
  for (const char* key : {"displayName", "name", "id"}) {
    if (const auto* value = reader.find(key); value && value->is_string())
      return where + " (\"" + std::string(value->as_string()) + "\")";
  }
  return where;
}

Policy read_policy(const json::value& value, std::string_view input, size_t index, bool single,
                   Directory& directory, std::vector<std::string>& notes) {
  const std::string where =
      single ? std::string(input) : std::string(input) + "[" + std::to_string(index) + "]";
  if (!value.is_object())
    fail(where + " is " + detail::kind_name(value) +
         ": each policy must be a JSON object (an Entra conditionalAccessPolicy or the generic "
         "shape)");
  const auto& object = value.as_object();
  const std::string label = locator(input, index, object, single);
  const ObjectReader reader(object, "");
  std::vector<std::string> own_notes;
  Policy policy;
  try {
    if (detail::looks_like_entra(reader)) {
      policy = detail::read_entra_policy(reader, directory, own_notes);
    } else if (detail::looks_like_generic(reader)) {
      policy = detail::read_generic_policy(reader, directory, own_notes);
    } else {
      fail(
          "it is neither an Entra conditionalAccessPolicy (no \"conditions\") nor a "
          "generic-shape policy (no \"users\" or \"grant\"); see docs/plugins/policy.md");
    }
  } catch (const InputError& error) {
    fail(label + ": " + error.what());
  }
  for (const auto& note : own_notes)
    notes.push_back(label + ": " + note);
  if (policy.id.empty())
    policy.id = single ? std::string(input) : "policy-" + std::to_string(index + 1);
  if (policy.name.empty()) policy.name = policy.id;
  return policy;
}

// The list of policies inside whatever container the text holds.
std::vector<const json::value*> policy_values(const json::value& root, PolicySet& set,
                                              bool& single) {
  std::vector<const json::value*> values;
  single = false;
  const json::array* list = nullptr;
  if (root.is_array()) {
    list = &root.as_array();
  } else if (root.is_object()) {
    const ObjectReader reader(root.as_object(), "");
    if (const auto* value = reader.find("value"); value && value->is_array()) {
      list = &value->as_array();
      if (reader.has("@odata.nextLink"))
        set.notes.push_back(
            "the Graph response has an @odata.nextLink: it is one page of "
            "several, so policies on the other pages were not analysed");
    } else if (const auto* policies = reader.find("policies"); policies && policies->is_array()) {
      list = &policies->as_array();
    } else {
      values.push_back(&root);
      single = true;
      return values;
    }
  } else {
    fail("the input 'policies' is " + detail::kind_name(root) +
         ": pass one policy (an object), an array of policies, or Graph's {\"value\": [...]}");
  }
  for (const auto& item : *list)
    values.push_back(&item);
  return values;
}

template <class F>
auto guarded(F&& read) -> Result<decltype(read())> {
  try {
    return read();
  } catch (const InputError& error) {
    return Error{Error::Kind::InvalidInput, error.what()};
  }
}

Error too_large(std::string_view input, size_t size) {
  return {Error::Kind::TooLarge, "the input '" + std::string(input) + "' is " +
                                     std::to_string(size) + " bytes; at most " +
                                     std::to_string(kMaxInputBytes) + " are analysed"};
}

}  // namespace

Result<PolicySet> parse_policies(std::string_view text, Directory& directory) {
  if (text.size() > kMaxInputBytes) return too_large("policies", text.size());
  PolicySet set;
  try {
    const json::value root = detail::parse_json(text, "policies");
    bool single = false;
    const auto values = policy_values(root, set, single);
    if (values.empty())
      fail(
          "the input 'policies' holds no policy: export them with Microsoft Graph (GET "
          "/identity/conditionalAccess/policies) or write them in the generic shape");
    if (values.size() > kMaxPolicies)
      return Error{Error::Kind::TooLarge,
                   "the input 'policies' holds " + std::to_string(values.size()) +
                       " policies; at most " + std::to_string(kMaxPolicies) +
                       " are analysed at once (Entra allows 195 per tenant)"};
    std::set<std::string> ids;
    for (size_t i = 0; i < values.size(); ++i) {
      set.policies.push_back(read_policy(*values[i], "policies", i, single, directory, set.notes));
      if (!ids.insert(lower(set.policies.back().id)).second)
        fail("policies[" + std::to_string(i) + "] has the id '" + set.policies.back().id +
             "', which another policy already has: give each policy its own id");
    }
  } catch (const InputError& error) {
    return Error{Error::Kind::InvalidInput, error.what()};
  }
  return set;
}

Result<Policy> parse_proposed(std::string_view text, Directory& directory) {
  if (text.size() > kMaxInputBytes) return too_large("proposed", text.size());
  return guarded([&] {
    const json::value root = detail::parse_json(text, "proposed");
    PolicySet ignored;
    bool single = false;
    const auto values = policy_values(root, ignored, single);
    if (values.size() != 1)
      fail("the input 'proposed' holds " + std::to_string(values.size()) +
           " policies: pass exactly one (check the others by adding them to 'policies')");
    std::vector<std::string> notes;
    return read_policy(*values[0], "proposed", 0, true, directory, notes);
  });
}

Result<bool> parse_names(std::string_view text, Directory& directory) {
  return guarded([&] {
    const json::value root = detail::parse_json(text, "names");
    if (!root.is_object())
      fail("the input 'names' is " + detail::kind_name(root) +
           ": pass a JSON object from id to display name, e.g. {\"<group id>\": \"Finance\"}");
    for (const auto& entry : root.as_object()) {
      if (!entry.value().is_string())
        fail("names[\"" + std::string(entry.key()) + "\"] is " + detail::kind_name(entry.value()) +
             ": each name must be a string");
      directory.add_name(entry.key(), entry.value().as_string());
    }
    return true;
  });
}

Result<std::vector<std::string>> parse_account_list(std::string_view text) {
  return guarded([&] {
    std::vector<std::string> accounts;
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] == '[') {
      const json::value root = detail::parse_json(text, "emergency_accounts");
      for (const auto& item : root.as_array()) {
        if (!item.is_string())
          fail("the input 'emergency_accounts' holds " + detail::kind_name(item) +
               ": list user or group ids, or UPNs, as strings");
        accounts.emplace_back(item.as_string());
      }
    } else {
      std::string current;
      for (char c : text) {
        if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';') {
          if (!current.empty()) accounts.push_back(std::move(current));
          current.clear();
        } else {
          current += c;
        }
      }
      if (!current.empty()) accounts.push_back(std::move(current));
    }
    return accounts;
  });
}

}  // namespace policy
