// `secpilot manifest lint`: every check on a parsed manifest, each finding located at the value
// it is about, saying what is wrong and how to fix it.
#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <system_error>

#include "manifest/text.hpp"
#include "openapi/api_skills.hpp"
#include "secpilot/manifest/parser.hpp"
#include "secpilot/util/json_schema.hpp"
#include "secpilot/util/sha256.hpp"
#include "util/json_template.hpp"

namespace secpilot::manifest {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using detail::iequals;

constexpr std::size_t kDisplayNameLimit = 40;
constexpr std::size_t kDescriptionLimit = 16000;
constexpr std::size_t kDescriptionDisplayLimit = 200;
constexpr std::size_t kTemplateLimit = 80000;

constexpr std::string_view kFormatList =
    "use one of: Native, GPT, API, MCP, KQL, Agent, LogicApp, Promptbook";
constexpr std::string_view kInputTypeList =
    "use an entity type (ip, domain, url, email, hash, md5, sha1, sha256, cve, mitre_technique, "
    "host, user, incident_id, script, kql) or a JSON type (string, number, integer, boolean, "
    "object, array)";
constexpr std::string_view kEntityTypeList =
    "use entity types: ip, domain, url, email, hash, md5, sha1, sha256, cve, mitre_technique, "
    "host, user, incident_id, script, kql";
constexpr std::string_view kKqlTargets[] = {"Defender", "Sentinel", "SentinelDataLake",
                                            "LogAnalytics", "Kusto"};
constexpr std::string_view kAuthTypes[] = {"None",
                                           "Basic",
                                           "ApiKey",
                                           "ServiceHttp",
                                           "OAuthAuthorizationCodeFlow",
                                           "OAuthClientCredentialsFlow",
                                           "OAuthPasswordGrantFlow",
                                           "AAD",
                                           "AADDelegated"};
constexpr std::string_view kInvalidSchema = "invalid JSON Schema: ";

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::string with_thousands(std::size_t number) {
  std::string digits = std::to_string(number);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
    digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

bool is_hex64(std::string_view text) {
  if (text.size() != 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

// "MAJOR.MINOR", digits only.
bool is_abi_version(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (i != dot && (text[i] < '0' || text[i] > '9')) return false;
  return true;
}

// A key of a JSON object, found case-insensitively.
const json::value* find_key(const json::object& object, std::string_view key,
                            std::string* written = nullptr) {
  for (const auto& member : object) {
    if (iequals(member.key(), key)) {
      if (written) *written = std::string(member.key());
      return &member.value();
    }
  }
  return nullptr;
}

bool has_text(const json::object& object, std::string_view key) {
  const json::value* value = find_key(object, key);
  return value && !value->is_null() && !(value->is_string() && value->get_string().empty());
}

class Linter {
 public:
  Linter(const Manifest& manifest, const LintOptions& options)
      : m_(manifest), options_(options), file_(manifest.path.string()) {
    root_ = m_.where.line > 0 ? m_.where : SourceLocation{file_, 1, 1};
  }

  std::vector<Diagnostic> run() {
    descriptor();
    skill_groups();
    skill_names();
    agents();
    std::stable_sort(out_.begin(), out_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
    return std::move(out_);
  }

 private:
  void error(SourceLocation where, std::string what, std::string fix) {
    out_.push_back({Severity::Error, std::move(where), std::move(what), std::move(fix)});
  }
  void warning(SourceLocation where, std::string what, std::string fix) {
    out_.push_back({Severity::Warning, std::move(where), std::move(what), std::move(fix)});
  }

  // --- Shared rules ----------------------------------------------------------------------------

  void name_rules(std::string_view what, const std::string& name, const SourceLocation& at) {
    if (auto problem = detail::name_problem(name); !problem.empty()) {
      error(at, std::string(what) + " " + in_quotes(name) + " " + problem,
            std::string(detail::kNameFix));
      return;
    }
    length(what, name, detail::kNameLimit, at);
  }

  void length(std::string_view what, const std::string& text, std::size_t limit,
              const SourceLocation& at) {
    const std::size_t count = detail::utf8_length(text);
    if (count <= limit) return;
    error(at,
          std::string(what) + " is " + with_thousands(count) + " characters long; the limit is " +
              with_thousands(limit),
          "shorten it");
  }

  // Settings of the Descriptor or of an agent: named, uniquely.
  void settings(const std::vector<Setting>& list, std::string_view owner) {
    std::map<std::string, const Setting*> seen;
    for (const Setting& s : list) {
      if (s.name.empty()) {
        error(s.fields.find("Name", s.where), std::string(owner) + " setting has no Name",
              "add Name: templates refer to the setting as {{Name}}");
        continue;
      }
      name_rules("setting name", s.name, s.fields.find("Name", s.where));
      auto [it, added] = seen.emplace(detail::lower(s.name), &s);
      if (!added)
        error(s.fields.find("Name", s.where),
              "duplicate setting name " + in_quotes(s.name) + " (first at line " +
                  std::to_string(it->second->fields.find("Name", it->second->where).line) + ")",
              "rename or remove one of them");
    }
  }

  // --- Descriptor ------------------------------------------------------------------------------

  void descriptor() {
    if (!m_.fields.contains("Descriptor")) {
      error(root_, "missing Descriptor",
            "add a Descriptor mapping with at least Name and Description");
      return;
    }
    const Descriptor& d = m_.descriptor;
    const SourceLocation at = d.where.line > 0 ? d.where : m_.fields.find("Descriptor", root_);
    if (d.name.empty()) {
      error(d.fields.find("Name", at),
            d.fields.contains("Name") ? "Descriptor.Name is empty" : "Descriptor has no Name",
            "add Name: an identifier such as ContosoIntel; it namespaces the plugin's skills");
    } else {
      name_rules("Descriptor.Name", d.name, d.fields.find("Name", at));
    }
    length("Descriptor.DisplayName", d.display_name, kDisplayNameLimit,
           d.fields.find("DisplayName", at));
    if (d.description.empty()) {
      error(d.fields.find("Description", at),
            d.fields.contains("Description") ? "Descriptor.Description is empty"
                                             : "Descriptor has no Description",
            "add Description: what the plugin does; Security Copilot rejects an empty one and "
            "the planner routes by it");
    }
    length("Descriptor.Description", d.description, kDescriptionLimit,
           d.fields.find("Description", at));
    length("Descriptor.DescriptionDisplay", d.description_display, kDescriptionDisplayLimit,
           d.fields.find("DescriptionDisplay", at));
    length("Descriptor.DescriptionForModel", d.description_for_model, kDescriptionLimit,
           d.fields.find("DescriptionForModel", at));
    settings(d.settings, "a Descriptor");
    authorization(d, at);
  }

  void authorization(const Descriptor& d, const SourceLocation& at) {
    bool api_key = false;
    for (std::size_t i = 0; i < d.supported_auth_types.size(); ++i) {
      const std::string& type = d.supported_auth_types[i];
      const SourceLocation where = d.fields.find("SupportedAuthTypes/" + std::to_string(i), at);
      if (!known_auth_type(type)) {
        warning(where, "unknown auth type " + in_quotes(type) + " in SupportedAuthTypes",
                "use one of: " + detail::join(kAuthTypes));
      }
      api_key = api_key || iequals(type, "ApiKey");
    }
    const json::object& auth = d.authorization;
    if (const json::value* type = find_key(auth, "Type");
        type && type->is_string() && !known_auth_type(type->get_string())) {
      warning(d.fields.find("Authorization.Type", at),
              "unknown Authorization.Type " + in_quotes(type->get_string()),
              "use one of: " + detail::join(kAuthTypes));
    }
    if (const json::value* type = find_key(auth, "Type"); type && type->is_string())
      api_key = api_key || iequals(type->get_string(), "ApiKey");
    if (!api_key) return;
    if (!d.fields.contains("Authorization")) {
      error(d.fields.find("SupportedAuthTypes", at),
            "SupportedAuthTypes lists ApiKey but the Descriptor has no Authorization",
            "add Authorization: {Type: APIKey, Key: <header or query parameter name>, "
            "Location: Header}");
      return;
    }
    const SourceLocation auth_at = d.fields.find("Authorization", at);
    if (!has_text(auth, "Key"))
      error(d.fields.find("Authorization.Key", auth_at), "Authorization has no Key",
            "add Key: the name of the header or query parameter that carries the API key");
    if (const json::value* location = find_key(auth, "Location"); location) {
      const bool known = location->is_string() && (iequals(location->get_string(), "Header") ||
                                                   iequals(location->get_string(), "QueryParams"));
      if (!known)
        error(d.fields.find("Authorization.Location", auth_at),
              "unknown Authorization.Location " +
                  in_quotes(location->is_string() ? std::string(location->get_string())
                                                  : json::serialize(*location)),
              "use Header or QueryParams");
    }
  }

  static bool known_auth_type(std::string_view type) {
    return std::any_of(std::begin(kAuthTypes), std::end(kAuthTypes),
                       [&](std::string_view known) { return iequals(known, type); });
  }

  // --- Skill groups ----------------------------------------------------------------------------

  void skill_groups() {
    if (!m_.fields.contains("SkillGroups")) {
      error(root_, "missing SkillGroups",
            "add SkillGroups: a list of groups, each with a Format and its Skills");
      return;
    }
    if (m_.groups.empty()) {
      const json::value* groups =
          m_.raw.is_object() ? find_key(m_.raw.get_object(), "SkillGroups") : nullptr;
      // A value of the wrong kind was reported by the parser.
      if (!groups || groups->is_null() || (groups->is_array() && groups->get_array().empty()))
        error(m_.fields.find("SkillGroups", root_), "SkillGroups is empty",
              "add at least one group with a Format and its Skills");
    }
    for (const SkillGroup& group : m_.groups)
      skill_group(group);
  }

  void skill_group(const SkillGroup& g) {
    if (g.format_text.empty()) {
      error(g.fields.find("Format", g.where), "skill group has no Format",
            "add Format: " + std::string(kFormatList.substr(std::string_view("use ").size())));
    } else if (g.format == Format::Unknown) {
      error(g.fields.find("Format", g.where), "unknown Format " + in_quotes(g.format_text),
            std::string(kFormatList));
    }
    switch (g.format) {
      case Format::Native:
        native(g);
        break;
      case Format::API:
        api_group(g);
        break;
      case Format::MCP:
        mcp_group(g);
        break;
      default:
        break;
    }
    if (g.skills.empty() && g.format != Format::API && g.format != Format::MCP &&
        g.format != Format::Unknown) {
      warning(g.fields.find("Skills", g.where),
              std::string(format_name(g.format)) + " group has no Skills",
              "add its Skills, or remove the group");
    }
    group_placeholders(g);
    for (const Skill& skill : g.skills)
      this->skill(g, skill);
  }

  void native(const SkillGroup& g) {
    if (!g.native) return;
    const NativeSettings& n = *g.native;
    const SourceLocation at = n.where;
    if (n.library.empty()) {
      error(n.fields.find("Library", at),
            n.fields.contains("Library") ? "Settings.Library is empty"
                                         : "Native group has no Settings.Library",
            "add Library: the path of the plugin's shared library, relative to this manifest");
    }
    bool sha_ok = true;
    if (n.sha256 && !is_hex64(*n.sha256)) {
      sha_ok = false;
      error(n.fields.find("Sha256", at), "Sha256 " + in_quotes(*n.sha256) + " is not 64 hex digits",
            "write the library's SHA-256 as printed by sha256sum");
    }
    if (n.abi && !is_abi_version(*n.abi)) {
      error(n.fields.find("AbiVersion", at),
            "AbiVersion " + in_quotes(*n.abi) + " is not MAJOR.MINOR",
            "write the plugin ABI version the library was built for, e.g. \"1.0\"");
    }
    if (!options_.check_files || n.library.empty()) return;
    const fs::path library = m_.directory() / fs::path(n.library);
    std::error_code ec;
    if (!fs::is_regular_file(library, ec)) {
      error(n.fields.find("Library", at), "library " + in_quotes(n.library) + " not found",
            "build the plugin, or correct Library (it is relative to the manifest's folder)");
      return;
    }
    if (!n.sha256 || !sha_ok) return;
    auto actual = sha256_file_hex(library);
    if (!actual) {
      error(n.fields.find("Library", at), actual.error().message, "check the file's permissions");
      return;
    }
    if (*actual != *n.sha256)
      error(n.fields.find("Sha256", at),
            "library " + in_quotes(n.library) + " does not match Sha256; its SHA-256 is " + *actual,
            "if this build of the library is trusted, set Sha256 to it; otherwise replace the "
            "library");
  }

  void api_group(const SkillGroup& g) {
    const SourceLocation at = g.fields.find("Settings", g.where);
    std::string key;
    if (!has_text(g.settings, "OpenApiSpecUrl") && !has_text(g.settings, "OpenApiSpecFile")) {
      error(at, "API group has no Settings.OpenApiSpecUrl",
            "add OpenApiSpecUrl: the URL of the OpenAPI 3.0 spec (or OpenApiSpecFile: a path "
            "relative to this manifest)");
    }  // the spec itself is read, and checked, by openapi::expand_api_groups
    if (const json::value* name = find_key(g.settings, "EndpointUrlSettingName", &key);
        name && name->is_string() && !name->get_string().empty()) {
      const bool found =
          std::any_of(m_.descriptor.settings.begin(), m_.descriptor.settings.end(),
                      [&](const Setting& s) { return iequals(s.name, name->get_string()); });
      if (!found)
        error(g.fields.find("Settings." + key, at),
              "EndpointUrlSettingName " + in_quotes(name->get_string()) +
                  " names no Descriptor setting",
              "add a Descriptor setting with that Name (the URL each install enters), or "
              "correct the name");
    }
  }

  void mcp_group(const SkillGroup& g) {
    const SourceLocation at = g.fields.find("Settings", g.where);
    const bool endpoint = has_text(g.settings, "Endpoint");
    const bool command = has_text(g.settings, "Command");
    std::string key;
    if (!endpoint && !command) {
      error(at, "MCP group has no Settings.Endpoint or Settings.Command",
            "add Endpoint: the MCP server's URL (Streamable HTTP), or Command: the program to "
            "start over stdio");
    } else if (endpoint && command) {
      find_key(g.settings, "Endpoint", &key);
      error(g.fields.find("Settings." + key, at),
            "MCP group has both Settings.Endpoint and Settings.Command",
            "keep one: Endpoint reaches a running server over Streamable HTTP, Command starts "
            "one over stdio");
    }
    if (const json::value* url = find_key(g.settings, "Endpoint", &key); endpoint && url) {
      // A URL put together from settings ("{{BaseUrl}}/mcp") is checked when the plugin loads.
      const std::string text = url->is_string() ? std::string(url->get_string()) : std::string();
      const auto separator = text.find("://");
      const std::string_view scheme = std::string_view(text).substr(0, separator);
      const bool absolute = separator != std::string::npos && text.size() > separator + 3 &&
                            (iequals(scheme, "http") || iequals(scheme, "https"));
      if (!absolute && text.find("{{") == std::string::npos)
        error(g.fields.find("Settings." + key, at),
              "MCP Endpoint " + in_quotes(text) + " is not an absolute http:// or https:// URL",
              "write the server's Streamable HTTP URL, e.g. https://mcp.example.com/mcp");
    }
    if (const json::value* headers = find_key(g.settings, "Headers", &key);
        headers && !headers->is_null()) {
      const auto* object = headers->if_object();
      const bool texts = object && std::all_of(object->begin(), object->end(),
                                               [](const auto& h) { return h.value().is_string(); });
      if (!texts)
        error(g.fields.find("Settings." + key, at), "MCP Headers must map header names to texts",
              "write e.g. Headers: { Authorization: \"Bearer {{ApiToken}}\" } (values may name "
              "the plugin's settings)");
    }
  }

  // --- Skills ----------------------------------------------------------------------------------

  void skill(const SkillGroup& g, const Skill& s) {
    if (s.name.empty()) {
      error(s.fields.find("Name", s.where),
            s.fields.contains("Name") ? "skill Name is empty" : "skill has no Name",
            "add Name: an identifier such as LookupIp; it is how the skill is called (/LookupIp)");
    } else {
      name_rules("skill name", s.name, s.fields.find("Name", s.where));
    }
    const std::string label = s.name.empty() ? "skill" : "skill " + in_quotes(s.name);
    if (s.description.empty() && s.description_for_model.empty())
      warning(s.fields.find("Description", s.where), label + " has no Description",
              "say what the skill does and when to use it; the planner selects skills by it");
    length("Description of " + label, s.description, kDescriptionLimit,
           s.fields.find("Description", s.where));
    length("DescriptionForModel of " + label, s.description_for_model, kDescriptionLimit,
           s.fields.find("DescriptionForModel", s.where));
    if (s.timeout_seconds && *s.timeout_seconds <= 0)
      error(s.fields.find("TimeoutSeconds", s.where),
            "TimeoutSeconds must be a positive integer, not " + std::to_string(*s.timeout_seconds),
            "give the seconds a call may take, e.g. TimeoutSeconds: 30");
    for (std::size_t i = 0; i < s.aliases.size(); ++i) {
      const SourceLocation at = s.fields.find("Aliases/" + std::to_string(i), s.where);
      if (s.aliases[i].empty()) {
        error(at, "empty alias in " + label, "remove it");
      } else if (iequals(s.aliases[i], s.name)) {
        warning(at, "alias " + in_quotes(s.aliases[i]) + " repeats the skill's own name",
                "remove it");
      } else {
        name_rules("alias", s.aliases[i], at);
      }
    }
    for (const auto& problem : json_template_problems(s.summary))
      error(s.fields.find("Summary", s.where), "Summary of " + label + ": " + problem,
            "write placeholders as {{path}}, e.g. {{verdict}} or {{inputs.indicator}}");
    inputs(s, label);
    outputs(s, label);
    query_backend(s, label);
    skill_placeholders(g, s, label);
    switch (g.format) {
      case Format::KQL:
        kql(g, s, label);
        break;
      case Format::GPT:
        gpt(g, s, label);
        break;
      case Format::Agent:
        agent_skill(g, s, label);
        break;
      case Format::LogicApp:
        logic_app(g, s, label);
        break;
      default:
        break;
    }
  }

  void inputs(const Skill& s, const std::string& label) {
    std::map<std::string, const Input*> seen;
    for (const Input& in : s.inputs) {
      const SourceLocation name_at = in.fields.find("Name", in.where);
      if (in.name.empty()) {
        error(name_at, "input of " + label + " has no Name",
              "add Name: templates refer to the input as {{Name}}");
      } else {
        name_rules("input name", in.name, name_at);
        auto [it, added] = seen.emplace(detail::lower(in.name), &in);
        if (!added)
          error(name_at,
                "duplicate input name " + in_quotes(in.name) + " in " + label + " (first at line " +
                    std::to_string(it->second->fields.find("Name", it->second->where).line) + ")",
                "rename or remove one of them");
      }
      if (!is_known_input_type(in.type))
        error(in.fields.find("Type", in.where), "unknown input Type " + in_quotes(in.type),
              std::string(kInputTypeList));
      for (std::size_t i = 0; i < in.accepts.size(); ++i)
        if (!is_accepted_kind(in.accepts[i]))
          error(in.fields.find("Accepts/" + std::to_string(i), in.where),
                "unknown kind " + in_quotes(in.accepts[i]) + " in Accepts of input " +
                    in_quotes(in.name),
                std::string(kEntityTypeList) +
                    ", file_path, cidr, mitre_tactic, or text, json, prompt, session, timespan, "
                    "datetime");
      for (const auto& [value, words] : in.synonyms)
        if (std::find(in.acceptable_values.begin(), in.acceptable_values.end(), value) ==
            in.acceptable_values.end())
          error(in.fields.find("Synonyms", in.where),
                "Synonyms of input " + in_quotes(in.name) + " name " + in_quotes(value) +
                    ", which is not one of its AcceptableValues",
                "list " + in_quotes(value) + " under AcceptableValues, or correct the name");
      if (in.required && in.default_value && in.fields.contains("Required"))
        warning(in.fields.find("DefaultValue", in.where),
                "DefaultValue of required input " + in_quotes(in.name) + " is never used",
                "set Required: false to make the default apply, or remove DefaultValue");
    }
  }

  void outputs(const Skill& s, const std::string& label) {
    if (s.outputs) {
      auto compiled = JsonSchema::compile(*s.outputs);
      if (!compiled) {
        std::string_view reason = compiled.error().message;
        if (reason.starts_with(kInvalidSchema)) reason.remove_prefix(kInvalidSchema.size());
        if (reason.ends_with('.')) reason.remove_suffix(1);
        std::string text(reason);
        // valijson's sentences start with a capital; ours continue a sentence ("JSON" stays).
        if (text.size() > 1 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'a' && text[1] <= 'z')
          text[0] = detail::ascii_lower(text[0]);
        error(s.fields.find("Outputs.Schema", s.where),
              "Outputs of " + label + " is not a valid JSON Schema: " + text,
              "correct the schema (JSON Schema draft-07 or draft-04)");
      }
    }
    for (std::size_t i = 0; i < s.output_entities.size(); ++i) {
      if (is_entity_type(s.output_entities[i])) continue;
      error(s.fields.find("Outputs.Entities/" + std::to_string(i), s.where),
            "unknown entity type " + in_quotes(s.output_entities[i]) + " in Outputs.Entities",
            std::string(kEntityTypeList));
    }
  }

  // Names a template may use: the skill's inputs, the Descriptor's settings, agents' settings.
  std::vector<std::string_view> setting_names() const {
    std::vector<std::string_view> names;
    for (const Setting& s : m_.descriptor.settings)
      names.push_back(s.name);
    for (const AgentDefinition& a : m_.agents)
      for (const Setting& s : a.settings)
        names.push_back(s.name);
    return names;
  }

  void placeholders(const json::object& settings, const FieldLocations& fields,
                    const SourceLocation& fallback, const std::vector<std::string_view>& inputs,
                    const std::string& owner) {
    const std::vector<std::string_view> settings_names = setting_names();
    for (const auto& member : settings) {
      if (!member.value().is_string()) continue;
      const std::string key(member.key());
      const std::string_view text = member.value().get_string();
      const SourceLocation value_at = fields.find("Settings." + key, fallback);
      std::vector<std::string> done;
      for (const detail::Placeholder& placeholder_found : detail::placeholders(text)) {
        const std::string& name = placeholder_found.name;
        const std::size_t offset = placeholder_found.offset;
        if (std::find(done.begin(), done.end(), name) != done.end()) continue;
        done.push_back(name);
        const SourceLocation at =
            placeholder_location(fields, "Settings." + key + "#body", text, offset, value_at);
        auto exact = [&](std::string_view known) { return known == name; };
        auto loose = [&](std::string_view known) { return iequals(known, name); };
        if (std::any_of(inputs.begin(), inputs.end(), exact) ||
            std::any_of(settings_names.begin(), settings_names.end(), exact))
          continue;
        std::string_view close;
        for (const auto* list : {&inputs, &settings_names})
          if (auto it = std::find_if(list->begin(), list->end(), loose); it != list->end())
            close = *it;
        const std::string placeholder = "'{{" + name + "}}'";
        if (!close.empty()) {
          warning(at,
                  placeholder + " in Settings." + key + " matches " + in_quotes(close) +
                      " only if case is ignored",
                  "write {{" + std::string(close) + "}}");
          continue;
        }
        std::string known;
        if (!inputs.empty()) known += "inputs: " + detail::join(inputs);
        if (!settings_names.empty())
          known += (known.empty() ? "" : "; ") + std::string("settings: ") +
                   detail::join(settings_names);
        if (known.empty()) known = "there are no inputs or settings";
        error(at,
              placeholder + " in Settings." + key + " names no " +
                  (owner.empty() ? "Descriptor setting" : "input of " + owner + " and no setting"),
              "add " + std::string(owner.empty() ? "a Descriptor setting" : "an input or setting") +
                  " named " + name + ", or correct the name (" + known + ")");
      }
    }
  }

  // Where the text at `offset` of a value is, when the parser could tell where the value's
  // text starts (`body`); otherwise the value's location.
  static SourceLocation placeholder_location(const FieldLocations& fields, const std::string& body,
                                             std::string_view text, std::size_t offset,
                                             const SourceLocation& value_at) {
    if (!fields.contains(body)) return value_at;
    SourceLocation at = fields.find(body, value_at);
    const std::string_view before = text.substr(0, offset);
    const std::size_t lines =
        static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t line_start = lines == 0 ? 0 : before.rfind('\n') + 1;
    at.line += static_cast<int>(lines);
    at.column += static_cast<int>(offset - line_start);
    return at;
  }

  void group_placeholders(const SkillGroup& g) {
    placeholders(g.settings, g.fields, g.fields.find("Settings", g.where), {}, {});
  }

  void skill_placeholders(const SkillGroup&, const Skill& s, const std::string& label) {
    std::vector<std::string_view> inputs;
    for (const Input& in : s.inputs)
      inputs.push_back(in.name);
    placeholders(s.settings, s.fields, s.fields.find("Settings", s.where), inputs, label);
  }

  // A skill setting, else the group's: Security Copilot samples put them at either level.
  const json::value* setting(const SkillGroup& g, const Skill& s, std::string_view key,
                             SourceLocation& at) const {
    std::string written;
    if (const json::value* value = find_key(s.settings, key, &written)) {
      at = s.fields.find("Settings." + written, s.where);
      return value;
    }
    if (const json::value* value = find_key(g.settings, key, &written)) {
      at = g.fields.find("Settings." + written, g.where);
      return value;
    }
    at = s.fields.find("Settings", s.where);
    return nullptr;
  }

  bool has_setting(const SkillGroup& g, const Skill& s, std::string_view key) const {
    SourceLocation ignored;
    const json::value* value = setting(g, s, key, ignored);
    return value && !value->is_null() && !(value->is_string() && value->get_string().empty());
  }

  // Template, TemplateUrl or TemplateFile; Template within the size limit.
  void template_setting(const SkillGroup& g, const Skill& s, const std::string& label,
                        std::string_view format) {
    if (!has_setting(g, s, "Template") && !has_setting(g, s, "TemplateUrl") &&
        !has_setting(g, s, "TemplateFile")) {
      error(s.fields.find("Settings", s.where),
            std::string(format) + " " + label + " has no Template, TemplateUrl or TemplateFile",
            std::string("add Template: the ") + (format == "KQL" ? "query" : "prompt") +
                ", with {{InputName}} where an input's value goes");
      return;
    }
    SourceLocation at;
    const json::value* text = setting(g, s, "Template", at);
    if (text && text->is_string())
      length("Template of " + label, std::string(text->get_string()), kTemplateLimit, at);
  }

  void kql(const SkillGroup& g, const Skill& s, const std::string& label) {
    SourceLocation at;
    const json::value* target = setting(g, s, "Target", at);
    std::string_view canonical;
    if (!target || target->is_null()) {
      error(at, "KQL " + label + " has no Settings.Target",
            "add Target: one of " + detail::join(kKqlTargets));
    } else {
      const std::string written =
          target->is_string() ? std::string(target->get_string()) : json::serialize(*target);
      for (std::string_view known : kKqlTargets)
        if (iequals(known, written)) canonical = known;
      if (canonical.empty())
        error(at, "unknown KQL Target " + in_quotes(written),
              "use one of: " + detail::join(kKqlTargets));
    }
    template_setting(g, s, label, "KQL");
    std::vector<std::string_view> needed;
    if (canonical == "Sentinel" || canonical == "LogAnalytics")
      needed = {"TenantId", "SubscriptionId", "ResourceGroupName", "WorkspaceName"};
    if (canonical == "Kusto") needed = {"Cluster", "Database"};
    std::vector<std::string_view> missing;
    for (std::string_view key : needed)
      if (!has_setting(g, s, key)) missing.push_back(key);
    if (!missing.empty())
      warning(at,
              "KQL " + label + " targets " + std::string(canonical) + " but does not set " +
                  detail::join(missing),
              "add them to its Settings, usually as {{Name}} references to Descriptor settings");
  }

  // QueryBackend: [Defender, ...]: the skill runs KQL skills' queries for those Targets.
  void query_backend(const Skill& s, const std::string& label) {
    for (std::size_t i = 0; i < s.query_backend_for.size(); ++i) {
      const std::string& target = s.query_backend_for[i];
      bool known = false;
      for (std::string_view candidate : kKqlTargets)
        known = known || iequals(candidate, target);
      if (!known)
        error(s.fields.find("QueryBackend/" + std::to_string(i), s.where),
              "unknown KQL Target " + in_quotes(target) + " in QueryBackend of " + label,
              "use one of: " + detail::join(kKqlTargets));
    }
    if (s.query_backend_for.empty()) return;
    bool takes_query = false;
    for (const auto& input : s.inputs)
      takes_query = takes_query || iequals(input.name, "query");
    if (!takes_query)
      error(s.fields.find("QueryBackend", s.where),
            label + " is a QueryBackend but has no input named 'query'",
            "add an input `query` (Type: kql): the host passes each rendered query in it");
  }

  void gpt(const SkillGroup& g, const Skill& s, const std::string& label) {
    template_setting(g, s, label, "GPT");
  }

  void agent_skill(const SkillGroup& g, const Skill& s, const std::string& label) {
    if (!has_setting(g, s, "Instructions"))
      warning(s.fields.find("Settings", s.where),
              "Agent " + label + " has no Settings.Instructions",
              "add Instructions: what the agent must do and which of its ChildSkills to use");
  }

  void logic_app(const SkillGroup& g, const Skill& s, const std::string& label) {
    std::vector<std::string_view> missing;
    for (std::string_view key : {"SubscriptionId", "ResourceGroup", "WorkflowName", "TriggerName"})
      if (!has_setting(g, s, key)) missing.push_back(key);
    if (!missing.empty())
      warning(s.fields.find("Settings", s.where),
              "LogicApp " + label + " does not set " + detail::join(missing),
              "add them to its Settings; they identify the Logic App and its HTTP trigger");
  }

  // --- Names across the plugin -----------------------------------------------------------------

  void skill_names() {
    struct Owner {
      const Skill* skill;
      SourceLocation at;
    };
    std::map<std::string, Owner> names;
    for (const SkillGroup& g : m_.groups) {
      for (const Skill& s : g.skills) {
        if (s.name.empty()) continue;
        const SourceLocation at = s.fields.find("Name", s.where);
        auto [it, added] = names.emplace(detail::lower(s.name), Owner{&s, at});
        if (!added)
          error(at,
                "duplicate skill name " + in_quotes(s.name) + " (first at line " +
                    std::to_string(it->second.at.line) + ")",
                "rename one of them; skill names must be unique within a plugin");
      }
    }
    std::map<std::string, Owner> aliases;
    for (const SkillGroup& g : m_.groups) {
      for (const Skill& s : g.skills) {
        for (std::size_t i = 0; i < s.aliases.size(); ++i) {
          const std::string& alias = s.aliases[i];
          if (alias.empty() || iequals(alias, s.name)) continue;
          const SourceLocation at = s.fields.find("Aliases/" + std::to_string(i), s.where);
          if (auto it = names.find(detail::lower(alias)); it != names.end()) {
            error(at,
                  "alias " + in_quotes(alias) + " of skill " + in_quotes(s.name) +
                      " is the name of another skill (line " + std::to_string(it->second.at.line) +
                      ")",
                  "remove the alias or rename one of the skills");
            continue;
          }
          auto [it, added] = aliases.emplace(detail::lower(alias), Owner{&s, at});
          if (!added && it->second.skill != &s)
            error(at,
                  "alias " + in_quotes(alias) + " is also an alias of skill " +
                      in_quotes(it->second.skill->name) + " (line " +
                      std::to_string(it->second.at.line) + ")",
                  "keep it on one skill only");
        }
      }
    }
  }

  // --- AgentDefinitions ------------------------------------------------------------------------

  const Skill* local_skill(std::string_view reference) const {
    std::string_view name = reference;
    if (const std::size_t dot = reference.rfind('.'); dot != std::string_view::npos) {
      if (!iequals(reference.substr(0, dot), m_.descriptor.name)) return nullptr;
      name = reference.substr(dot + 1);
    }
    for (const SkillGroup& g : m_.groups)
      for (const Skill& s : g.skills)
        if (iequals(s.name, name)) return &s;
    return nullptr;
  }

  // Whether `reference` should name a skill of this manifest: no skillset, or this one.
  bool is_local(std::string_view reference) const {
    const std::size_t dot = reference.rfind('.');
    return dot == std::string_view::npos || iequals(reference.substr(0, dot), m_.descriptor.name);
  }

  void skill_reference(std::string_view what, const std::string& reference,
                       const SourceLocation& at) {
    if (reference.empty() || !is_local(reference) || local_skill(reference)) return;
    error(at, std::string(what) + " " + in_quotes(reference) + " names no skill of this plugin",
          "name a skill declared in SkillGroups, or another plugin's as Skillset.Skill");
  }

  void agents() {
    for (const AgentDefinition& a : m_.agents) {
      const SourceLocation name_at = a.fields.find("Name", a.where);
      if (a.name.empty()) {
        error(name_at, "agent definition has no Name", "add Name: an identifier for the agent");
      } else {
        name_rules("agent name", a.name, name_at);
      }
      const std::string label = a.name.empty() ? "the agent" : "agent " + in_quotes(a.name);
      if (!a.single_instance.empty() && !iequals(a.single_instance, "None") &&
          !iequals(a.single_instance, "Workspace") && !iequals(a.single_instance, "Tenant"))
        error(a.fields.find("AgentSingleInstanceConstraint", a.where),
              "unknown AgentSingleInstanceConstraint " + in_quotes(a.single_instance),
              "use None, Workspace or Tenant");
      if (a.fields.contains("RequiredSkillsets") && !m_.descriptor.name.empty() &&
          std::none_of(a.required_skillsets.begin(), a.required_skillsets.end(),
                       [&](const std::string& s) { return iequals(s, m_.descriptor.name); }))
        warning(a.fields.find("RequiredSkillsets", a.where),
                "RequiredSkillsets of " + label + " does not list this plugin (" +
                    m_.descriptor.name + ")",
                "add " + m_.descriptor.name + "; an agent must require its own skillset");
      skill_reference("PromptSkill", a.prompt_skill, a.fields.find("PromptSkill", a.where));
      settings(a.settings, "an agent");
      for (const AgentTrigger& t : a.triggers) {
        if (t.process_skill.empty()) {
          error(t.fields.find("ProcessSkill", t.where),
                "trigger of " + label + " has no ProcessSkill",
                "add ProcessSkill: the Agent skill each run executes");
        }
        skill_reference("ProcessSkill", t.process_skill, t.fields.find("ProcessSkill", t.where));
        skill_reference("FetchSkill", t.fetch_skill, t.fields.find("FetchSkill", t.where));
        if (t.poll_period_seconds && *t.poll_period_seconds < 0)
          error(t.fields.find("DefaultPollPeriodSeconds", t.where),
                "DefaultPollPeriodSeconds must not be negative, not " +
                    std::to_string(*t.poll_period_seconds),
                "use 0 for manual runs only, or the seconds between runs (e.g. 300)");
      }
    }
  }

  const Manifest& m_;
  const LintOptions& options_;
  std::string file_;
  SourceLocation root_;
  std::vector<Diagnostic> out_;
};

void sort_by_location(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(
      diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
      });
}

}  // namespace

std::vector<Diagnostic> lint(const Manifest& manifest, const LintOptions& options) {
  return Linter(manifest, options).run();
}

std::vector<Diagnostic> lint_file(const std::filesystem::path& path, const LintOptions& options) {
  ParseResult parsed = parse_manifest_file(path);
  std::vector<Diagnostic> diagnostics = std::move(parsed.diagnostics);
  if (parsed.manifest && options.check_files)
    openapi::expand_api_groups(*parsed.manifest, diagnostics);
  if (parsed.manifest) {
    // A value the parser rejected (a list where text belongs, say) reads as missing to lint:
    // one error per spot is enough, and the parser's says what is really wrong.
    auto rejected = [&](const Diagnostic& found) {
      return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
        return d.severity == Severity::Error && d.where.line == found.where.line &&
               d.where.column == found.where.column;
      });
    };
    std::vector<Diagnostic> found = lint(*parsed.manifest, options);
    std::erase_if(found, rejected);
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(found.begin()),
                       std::make_move_iterator(found.end()));
  }
  sort_by_location(diagnostics);
  return diagnostics;
}

}  // namespace secpilot::manifest
