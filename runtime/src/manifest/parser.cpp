// Reads Security Copilot's manifest dialect (plus secpilot's extensions) from YAML or JSON into
// the model. Only what cannot be represented in the model is reported here (YAML syntax, wrong
// node kinds, unknown enum values, duplicate and misspelt keys); everything else is lint's.
#include <yaml-cpp/yaml.h>
#include <boost/json.hpp>

#include <climits>
#include <fstream>
#include <span>
#include <sstream>

#include "manifest/text.hpp"
#include "manifest/yaml_json.hpp"
#include "secpilot/manifest/parser.hpp"

namespace secpilot::manifest {
namespace {

namespace json = boost::json;
using detail::iequals;
using detail::location;

// A field of a mapping: its canonical spelling and, when the dialect has one, another spelling.
struct FieldSpec {
  std::string_view name;
  std::string_view alias = {};
};

struct Entry {
  YAML::Node key;
  YAML::Node value;
};

struct Fields {
  std::vector<std::optional<Entry>> known;  // by index in the FieldSpec table
  std::vector<Entry> unknown;               // in the order written

  const std::optional<Entry>& operator[](std::size_t index) const { return known[index]; }
};

// --- The keys of each level. Enumerators index the tables below them. -------------------------

enum { kTopDescriptor, kTopSkillGroups, kTopAgentDefinitions };
constexpr FieldSpec kTopFields[] = {{"Descriptor"}, {"SkillGroups"}, {"AgentDefinitions"}};

enum {
  kDescName,
  kDescDisplayName,
  kDescDescription,
  kDescDescriptionDisplay,
  kDescDescriptionForModel,
  kDescCategory,
  kDescIcon,
  kDescVersion,
  kDescSettings,
  kDescSupportedAuthTypes,
  kDescAuthorization,
};
constexpr FieldSpec kDescriptorFields[] = {
    {"Name"},
    {"DisplayName"},
    {"Description"},
    {"DescriptionDisplay"},
    {"DescriptionForModel"},
    {"Category"},
    {"Icon"},
    {"Version"},
    {"Settings"},
    {"SupportedAuthTypes"},
    {"Authorization"},
};
constexpr std::string_view kDescriptorOthers[] = {"Prerequisites", "CatalogScope", "Publisher",
                                                  "Product"};

enum {
  kSetName,
  kSetLabel,
  kSetDescription,
  kSetHintText,
  kSetType,
  kSetRequired,
  kSetDefault,
  kSetAcceptableValues,
};
constexpr FieldSpec kSettingFields[] = {
    {"Name"},
    {"Label"},
    {"Description"},
    {"HintText"},
    {"SettingType", "Type"},
    {"Required"},
    {"DefaultValue", "Default"},
    {"AcceptableValues"},
};
constexpr std::string_view kSettingOthers[] = {"DisplayType", "Value", "IsSecret"};

enum { kGroupFormat, kGroupSettings, kGroupSkills };
constexpr FieldSpec kGroupFields[] = {{"Format"}, {"Settings"}, {"Skills"}};

enum {
  kSkillName,
  kSkillDisplayName,
  kSkillDescription,
  kSkillDescriptionForModel,
  kSkillExamplePrompts,
  kSkillInputs,
  kSkillOutputs,
  kSkillSideEffects,
  kSkillTimeoutSeconds,
  kSkillVersion,
  kSkillAliases,
  kSkillSettings,
  kSkillQueryBackend,
  kSkillSummary,
};
constexpr FieldSpec kSkillFields[] = {
    {"Name"},
    {"DisplayName"},
    {"Description"},
    {"DescriptionForModel"},
    {"ExamplePrompts", "ExamplePrompt"},
    {"Inputs"},
    {"Outputs"},
    {"SideEffects"},
    {"TimeoutSeconds"},
    {"Version"},
    {"Aliases"},
    {"Settings"},
    {"QueryBackend"},
    {"Summary"},
};
constexpr std::string_view kSkillOthers[] = {"Interfaces", "ChildSkills", "SuggestedPrompts"};

enum {
  kInputName,
  kInputDescription,
  kInputType,
  kInputRequired,
  kInputDefault,
  kInputPlaceholder,
  kInputAccepts,
  kInputAcceptableValues,
  kInputSynonyms,
};
constexpr FieldSpec kInputFields[] = {
    {"Name"},
    {"Description"},
    {"Type"},
    {"Required"},
    {"DefaultValue", "Default"},
    {"PlaceholderValue", "Placeholder"},
    {"Accepts"},
    {"AcceptableValues"},
    {"Synonyms"},
};

enum { kNativeLibrary, kNativeSha256, kNativeAbiVersion, kNativeIsolation };
constexpr FieldSpec kNativeFields[] = {{"Library"}, {"Sha256"}, {"AbiVersion"}, {"Isolation"}};

enum { kOutSchema, kOutEntities };
constexpr FieldSpec kOutputFields[] = {{"Schema"}, {"Entities"}};

enum {
  kAgentName,
  kAgentDisplayName,
  kAgentDescription,
  kAgentPublisher,
  kAgentProduct,
  kAgentRequiredSkillsets,
  kAgentSingleInstance,
  kAgentSettings,
  kAgentTriggers,
  kAgentPromptSkill,
};
constexpr FieldSpec kAgentFields[] = {
    {"Name"},
    {"DisplayName"},
    {"Description"},
    {"Publisher"},
    {"Product"},
    {"RequiredSkillsets"},
    {"AgentSingleInstanceConstraint"},
    {"Settings"},
    {"Triggers"},
    {"PromptSkill"},
};

enum { kTriggerName, kTriggerPeriod, kTriggerFetch, kTriggerProcess };
constexpr FieldSpec kTriggerFields[] = {
    {"Name"},
    {"DefaultPollPeriodSeconds", "DefaultPeriodSeconds"},
    {"FetchSkill"},
    {"ProcessSkill"},
};

std::string_view kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "empty";
}

class Parser {
 public:
  Parser(std::string file, std::string_view text, std::vector<Diagnostic>& diagnostics)
      : file_(std::move(file)), text_(text), diagnostics_(diagnostics) {
    // yaml-cpp's positions start after a byte-order mark.
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
  }

  std::optional<Manifest> parse(const YAML::Node& root, const std::filesystem::path& path) {
    Manifest manifest;
    manifest.path = path;
    manifest.where = location(root, file_);
    auto raw = detail::yaml_to_json_checked(root, file_, diagnostics_);
    if (!raw) return std::nullopt;
    manifest.raw = std::move(*raw);

    Fields fields = sort(root, kTopFields);
    warn_unknown(fields, kTopFields, {}, "at the top level");
    for (const Entry& entry : fields.unknown)
      manifest.extra.emplace(detail::key_text(entry.key), detail::yaml_to_json(entry.value));

    if (const auto& entry = fields[kTopDescriptor]) {
      record(manifest.fields, "Descriptor", *entry);
      if (expect_map(*entry, "Descriptor")) manifest.descriptor = descriptor(*entry);
    }
    if (const auto& entry = fields[kTopSkillGroups]) {
      record(manifest.fields, "SkillGroups", *entry);
      if (expect_list(*entry, "SkillGroups")) {
        for (const YAML::Node& item : entry->value)
          if (expect_item_map(item, "a skill group")) manifest.groups.push_back(group(item));
      }
    }
    if (const auto& entry = fields[kTopAgentDefinitions]) {
      record(manifest.fields, "AgentDefinitions", *entry);
      manifest.extra.emplace(detail::key_text(entry->key), detail::yaml_to_json(entry->value));
      if (expect_list(*entry, "AgentDefinitions")) {
        for (const YAML::Node& item : entry->value)
          if (expect_item_map(item, "an agent definition")) manifest.agents.push_back(agent(item));
      }
    }
    return manifest;
  }

 private:
  // --- Diagnostics and locations ---------------------------------------------------------------

  void report(Severity severity, SourceLocation where, std::string what, std::string fix) {
    diagnostics_.push_back({severity, std::move(where), std::move(what), std::move(fix)});
  }
  void error(SourceLocation where, std::string what, std::string fix) {
    report(Severity::Error, std::move(where), std::move(what), std::move(fix));
  }
  void warning(SourceLocation where, std::string what, std::string fix) {
    report(Severity::Warning, std::move(where), std::move(what), std::move(fix));
  }

  SourceLocation where(const YAML::Node& node) const { return location(node, file_); }
  // An empty value has no mark of its own (yaml-cpp marks the next token): use its key's.
  SourceLocation where(const Entry& entry) const {
    if (entry.value.IsNull()) return where(entry.key);
    return where(entry.value);
  }

  void record(FieldLocations& fields, std::string name, const Entry& entry) const {
    SourceLocation at = where(entry);
    fields.add(std::move(name), at.line, at.column);
  }
  void record(FieldLocations& fields, std::string name, const YAML::Node& node) const {
    SourceLocation at = where(node);
    fields.add(std::move(name), at.line, at.column);
  }

  // Where the first character of a text value is, when the text maps onto the source line by
  // line: a literal block (|) or a single-line value written without escapes. Lint uses it to
  // point at a {{placeholder}} inside a template rather than at the template's start.
  void record_body(FieldLocations& fields, std::string name, const YAML::Node& value) const {
    if (!value.IsScalar()) return;
    const YAML::Mark mark = value.Mark();
    if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text_.size()) return;
    const std::size_t pos = static_cast<std::size_t>(mark.pos);
    const std::string& scalar = value.Scalar();
    if (text_[pos] == '|') {
      std::size_t line_end = text_.find('\n', pos);
      if (line_end == std::string_view::npos) return;
      const std::string_view header = text_.substr(pos, line_end - pos);
      if (header.find_first_of("123456789") != std::string_view::npos) return;  // |2: explicit
      // The first non-blank content line sets the indentation.
      int line = mark.line + 2;
      std::size_t start = line_end + 1;
      for (;;) {
        std::size_t indent = 0;
        while (start + indent < text_.size() && text_[start + indent] == ' ')
          ++indent;
        const std::size_t at = start + indent;
        if (at < text_.size() && text_[at] != '\n' && text_[at] != '\r') {
          // Blank lines before it are in the value as "\n"s: the value starts at the first.
          fields.add(std::move(name), line - leading_newlines(scalar),
                     static_cast<int>(indent) + 1);
          return;
        }
        const std::size_t next = text_.find('\n', start);
        if (next == std::string_view::npos) return;
        start = next + 1;
        ++line;
      }
    }
    if (scalar.find('\n') != std::string::npos) return;
    const std::size_t quote = (text_[pos] == '"' || text_[pos] == '\'') ? 1 : 0;
    if (text_.substr(pos + quote, scalar.size()) != scalar) return;  // escapes: offsets differ
    fields.add(std::move(name), mark.line + 1, mark.column + 1 + static_cast<int>(quote));
  }

  static int leading_newlines(const std::string& text) {
    int count = 0;
    while (static_cast<std::size_t>(count) < text.size() && text[count] == '\n')
      ++count;
    return count;
  }

  // --- Sorting a mapping's keys into fields ----------------------------------------------------

  template <std::size_t N>
  Fields sort(const YAML::Node& map, const FieldSpec (&specs)[N]) {
    Fields fields;
    fields.known.resize(N);
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string key = detail::key_text(it->first);
      std::size_t index = N;
      for (std::size_t i = 0; i < N && index == N; ++i)
        if (iequals(key, specs[i].name) ||
            (!specs[i].alias.empty() && iequals(key, specs[i].alias)))
          index = i;
      if (index == N) {
        fields.unknown.push_back({it->first, it->second});
        continue;
      }
      if (fields.known[index]) {
        const std::string first = detail::key_text(fields.known[index]->key);
        // The same spelling twice was reported while converting to JSON.
        if (!iequals(first, key))
          error(where(it->first),
                "'" + key + "' repeats '" + first + "' (line " +
                    std::to_string(where(fields.known[index]->key).line) +
                    "): they are spellings of the same key",
                "keep one of them; only the first is used");
        continue;
      }
      fields.known[index] = Entry{it->first, it->second};
    }
    return fields;
  }

  // Unknown keys are kept; one close to a known key is probably a typo, so say so.
  template <std::size_t N>
  void warn_unknown(const Fields& fields, const FieldSpec (&specs)[N],
                    std::span<const std::string_view> others, const std::string& context) {
    if (fields.unknown.empty()) return;
    std::vector<std::string_view> candidates;
    for (const FieldSpec& spec : specs) {
      candidates.push_back(spec.name);
      if (!spec.alias.empty()) candidates.push_back(spec.alias);
    }
    for (const Entry& entry : fields.unknown) {
      const std::string key = detail::key_text(entry.key);
      bool other = false;
      for (std::string_view known : others)
        other = other || iequals(known, key);
      if (other) continue;
      std::string_view guess = detail::nearest(key, candidates);
      if (guess.empty()) continue;
      warning(where(entry.key), "unknown key '" + key + "' " + context,
              "did you mean '" + std::string(guess) + "'? Unknown keys are kept but not used");
    }
  }

  // --- Values of the expected kinds ------------------------------------------------------------

  bool expect_map(const Entry& entry, std::string_view what) {
    if (entry.value.IsMap()) return true;
    if (entry.value.IsNull()) return false;  // written but empty: lint reports what is missing
    error(where(entry),
          std::string(what) + " must be a mapping, not " + std::string(kind_name(entry.value)),
          "write its fields indented under '" + detail::key_text(entry.key) + ":'");
    return false;
  }

  bool expect_list(const Entry& entry, std::string_view what) {
    if (entry.value.IsSequence()) return true;
    if (entry.value.IsNull()) return false;
    error(where(entry),
          std::string(what) + " must be a list, not " + std::string(kind_name(entry.value)),
          "write each item on its own line starting with '- '");
    return false;
  }

  bool expect_item_map(const YAML::Node& item, std::string_view what) {
    if (item.IsMap()) return true;
    error(where(item),
          "each item here must be " + std::string(what) + " (a mapping), not " +
              std::string(kind_name(item)),
          "write the item's fields as 'Key: value' lines after '- '");
    return false;
  }

  // A single value as written; nullopt (reported) for a mapping or a list.
  std::optional<std::string> text(const Entry& entry) {
    if (entry.value.IsNull()) return std::string();
    if (entry.value.IsScalar()) return entry.value.Scalar();
    const std::string key = detail::key_text(entry.key);
    error(where(entry), key + " must be a single value, not " + std::string(kind_name(entry.value)),
          "write it as '" + key +
              ": value' (quote it if it contains ': ' or starts with '{' or "
              "'[')");
    return std::nullopt;
  }

  void read_text(const std::optional<Entry>& entry, std::string& out, FieldLocations& fields,
                 std::string_view name) {
    if (!entry) return;
    record(fields, std::string(name), *entry);
    if (auto value = text(*entry)) out = std::move(*value);
  }

  // A list of single values; one value alone is accepted as a list of one.
  std::vector<std::string> text_list(const Entry& entry, FieldLocations& fields,
                                     std::string_view name) {
    std::vector<std::string> out;
    if (entry.value.IsNull()) return out;
    if (entry.value.IsScalar()) {
      record(fields, std::string(name) + "/0", entry.value);
      out.push_back(entry.value.Scalar());
      return out;
    }
    if (!expect_list(entry, detail::key_text(entry.key))) return out;
    for (const YAML::Node& item : entry.value) {
      if (!item.IsScalar()) {
        error(where(item),
              "each item of " + detail::key_text(entry.key) + " must be a single value, not " +
                  std::string(kind_name(item)),
              "write one value per '- ' line");
        continue;
      }
      record(fields, std::string(name) + "/" + std::to_string(out.size()), item);
      out.push_back(item.Scalar());
    }
    return out;
  }

  // A mapping of names to lists of single values ("ciso: [board, executive]"), in the order
  // written.
  std::vector<std::pair<std::string, std::vector<std::string>>> text_lists(const Entry& entry,
                                                                           FieldLocations& fields,
                                                                           std::string_view name) {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    if (entry.value.IsNull()) return out;
    if (!entry.value.IsMap()) {
      error(where(entry),
            detail::key_text(entry.key) + " must be a mapping, not " +
                std::string(kind_name(entry.value)),
            "write one 'value: [synonym, synonym]' line per value");
      return out;
    }
    for (const auto& item : entry.value) {
      const Entry member{item.first, item.second};
      auto key = detail::key_text(item.first);
      out.emplace_back(key, text_list(member, fields, std::string(name) + "." + key));
    }
    return out;
  }

  // true/false, also written as strings ("true") or yes/no.
  std::optional<bool> flag(const Entry& entry) {
    auto value = text(entry);
    if (!value) return std::nullopt;
    if (iequals(*value, "true") || iequals(*value, "yes")) return true;
    if (iequals(*value, "false") || iequals(*value, "no")) return false;
    const std::string key = detail::key_text(entry.key);
    error(where(entry), key + " must be true or false, not '" + *value + "'",
          "write " + key + ": true or " + key + ": false");
    return std::nullopt;
  }

  // A count of seconds; `rule` and `fix` say what the field accepts.
  std::optional<int> seconds(const Entry& entry, std::string_view rule, std::string_view fix) {
    auto value = text(entry);
    if (!value) return std::nullopt;
    long long number = 0;
    if (!detail::parse_int(*value, number) || number > INT_MAX || number < INT_MIN) {
      error(
          where(entry),
          detail::key_text(entry.key) + " must be " + std::string(rule) + ", not '" + *value + "'",
          std::string(fix));
      return std::nullopt;
    }
    return static_cast<int>(number);
  }

  // A default value: scalars as written, structures as JSON text.
  std::optional<std::string> default_value(const Entry& entry) {
    if (entry.value.IsNull()) return std::nullopt;
    if (entry.value.IsScalar()) return entry.value.Scalar();
    return json::serialize(detail::yaml_to_json(entry.value));
  }

  json::object settings_object(const Entry& entry, FieldLocations& fields) {
    record(fields, "Settings", entry);
    if (!expect_map(entry, "Settings")) return {};
    for (auto it = entry.value.begin(); it != entry.value.end(); ++it) {
      const Entry setting{it->first, it->second};
      const std::string name = "Settings." + detail::key_text(it->first);
      record(fields, name, setting);
      record_body(fields, name + "#body", it->second);
    }
    return detail::yaml_to_json(entry.value).as_object();
  }

  // --- Levels ----------------------------------------------------------------------------------

  Descriptor descriptor(const Entry& entry) {
    Descriptor d;
    d.where = where(entry.key);
    Fields f = sort(entry.value, kDescriptorFields);
    read_text(f[kDescName], d.name, d.fields, "Name");
    read_text(f[kDescDisplayName], d.display_name, d.fields, "DisplayName");
    read_text(f[kDescDescription], d.description, d.fields, "Description");
    read_text(f[kDescDescriptionDisplay], d.description_display, d.fields, "DescriptionDisplay");
    read_text(f[kDescDescriptionForModel], d.description_for_model, d.fields,
              "DescriptionForModel");
    read_text(f[kDescCategory], d.category, d.fields, "Category");
    read_text(f[kDescIcon], d.icon, d.fields, "Icon");
    read_text(f[kDescVersion], d.version, d.fields, "Version");
    if (const auto& settings = f[kDescSettings]) {
      record(d.fields, "Settings", *settings);
      d.settings = setting_list(*settings);
    }
    if (const auto& auth = f[kDescSupportedAuthTypes]) {
      record(d.fields, "SupportedAuthTypes", *auth);
      d.supported_auth_types = text_list(*auth, d.fields, "SupportedAuthTypes");
    }
    if (const auto& auth = f[kDescAuthorization]) {
      record(d.fields, "Authorization", *auth);
      if (expect_map(*auth, "Authorization")) {
        for (auto it = auth->value.begin(); it != auth->value.end(); ++it)
          record(d.fields, "Authorization." + detail::key_text(it->first),
                 Entry{it->first, it->second});
        d.authorization = detail::yaml_to_json(auth->value).as_object();
      }
    }
    warn_unknown(f, kDescriptorFields, kDescriptorOthers, "in Descriptor");
    for (const Entry& unknown : f.unknown)
      d.extra.emplace(detail::key_text(unknown.key), detail::yaml_to_json(unknown.value));
    return d;
  }

  std::vector<Setting> setting_list(const Entry& entry) {
    std::vector<Setting> settings;
    if (!expect_list(entry, "Settings")) return settings;
    for (const YAML::Node& item : entry.value)
      if (expect_item_map(item, "a setting")) settings.push_back(setting(item));
    return settings;
  }

  Setting setting(const YAML::Node& node) {
    Setting s;
    s.where = where(node);
    Fields f = sort(node, kSettingFields);
    read_text(f[kSetName], s.name, s.fields, "Name");
    read_text(f[kSetLabel], s.label, s.fields, "Label");
    read_text(f[kSetDescription], s.description, s.fields, "Description");
    read_text(f[kSetHintText], s.hint_text, s.fields, "HintText");
    if (const auto& type = f[kSetType]) {
      record(s.fields, "SettingType", *type);
      if (auto value = text(*type); value && !value->empty()) {
        std::string canonical = canonical_setting_type(*value);
        if (canonical.empty()) {
          warning(where(*type), "unknown SettingType '" + *value + "'; it is read as String",
                  "use one of: String, SecretString, Bool, Number, Enum, Array");
        } else {
          s.type = std::move(canonical);
        }
      }
    }
    if (const auto& required = f[kSetRequired]) {
      record(s.fields, "Required", *required);
      if (auto value = flag(*required)) s.required = *value;
    }
    if (const auto& value = f[kSetDefault]) {
      record(s.fields, "DefaultValue", *value);
      s.default_value = default_value(*value);
    }
    if (const auto& values = f[kSetAcceptableValues]) {
      record(s.fields, "AcceptableValues", *values);
      s.acceptable_values = text_list(*values, s.fields, "AcceptableValues");
    }
    warn_unknown(f, kSettingFields, kSettingOthers,
                 s.name.empty() ? "in a setting" : "in setting '" + s.name + "'");
    for (const Entry& unknown : f.unknown)
      s.extra.emplace(detail::key_text(unknown.key), detail::yaml_to_json(unknown.value));
    return s;
  }

  static std::string canonical_setting_type(std::string_view text) {
    if (iequals(text, "string") || iequals(text, "text")) return "string";
    if (iequals(text, "secretString") || iequals(text, "secureString") || iequals(text, "secret") ||
        iequals(text, "password"))
      return "secretString";
    if (iequals(text, "bool") || iequals(text, "boolean")) return "bool";
    if (iequals(text, "number") || iequals(text, "integer") || iequals(text, "int"))
      return "number";
    if (iequals(text, "enum")) return "enum";
    if (iequals(text, "array") || iequals(text, "list")) return "array";
    return {};
  }

  SkillGroup group(const YAML::Node& node) {
    SkillGroup g;
    g.where = where(node);
    Fields f = sort(node, kGroupFields);
    if (const auto& format = f[kGroupFormat]) {
      record(g.fields, "Format", *format);
      if (format->value.IsScalar()) {
        g.format_text = format->value.Scalar();
        g.format = parse_format(g.format_text).value_or(Format::Unknown);
      } else if (!format->value.IsNull()) {
        // Lint reports it as an unknown Format, with the list of known ones.
        g.format_text = json::serialize(detail::yaml_to_json(format->value));
      }
    }
    if (const auto& settings = f[kGroupSettings]) g.settings = settings_object(*settings, g.fields);
    if (g.format == Format::Native) {
      g.native = NativeSettings{};
      g.native->where = g.where;
      if (const auto& settings = f[kGroupSettings]; settings && settings->value.IsMap())
        native(*settings, *g.native);
    }
    if (const auto& skills = f[kGroupSkills]) {
      record(g.fields, "Skills", *skills);
      if (expect_list(*skills, "Skills")) {
        for (const YAML::Node& item : skills->value)
          if (expect_item_map(item, "a skill")) g.skills.push_back(skill(item));
      }
    }
    warn_unknown(f, kGroupFields, {}, "in a skill group");
    for (const Entry& unknown : f.unknown)
      g.extra.emplace(detail::key_text(unknown.key), detail::yaml_to_json(unknown.value));
    return g;
  }

  void native(const Entry& settings, NativeSettings& n) {
    n.where = where(settings.key);
    Fields f = sort(settings.value, kNativeFields);
    read_text(f[kNativeLibrary], n.library, n.fields, "Library");
    if (const auto& sha = f[kNativeSha256]) {
      record(n.fields, "Sha256", *sha);
      if (auto value = text(*sha)) n.sha256 = detail::lower(*value);
    }
    if (const auto& abi = f[kNativeAbiVersion]) {
      record(n.fields, "AbiVersion", *abi);
      if (auto value = text(*abi)) n.abi = *value;
    }
    if (const auto& isolation = f[kNativeIsolation]) {
      record(n.fields, "Isolation", *isolation);
      if (auto value = text(*isolation); value && !value->empty()) {
        n.isolation = parse_isolation(*value);
        if (!n.isolation)
          error(where(*isolation), "unknown Isolation '" + *value + "'",
                "use InProcess (trusted, first-party) or Process (runs in secpilot-runner)");
      }
    }
    // Other keys stay in the group's Settings; the library may read them.
  }

  Skill skill(const YAML::Node& node) {
    Skill s;
    s.where = where(node);
    Fields f = sort(node, kSkillFields);
    read_text(f[kSkillName], s.name, s.fields, "Name");
    read_text(f[kSkillDisplayName], s.display_name, s.fields, "DisplayName");
    read_text(f[kSkillDescription], s.description, s.fields, "Description");
    read_text(f[kSkillDescriptionForModel], s.description_for_model, s.fields,
              "DescriptionForModel");
    read_text(f[kSkillVersion], s.version, s.fields, "Version");
    read_text(f[kSkillSummary], s.summary, s.fields, "Summary");
    if (const auto& prompts = f[kSkillExamplePrompts]) {
      record(s.fields, "ExamplePrompts", *prompts);
      s.example_prompts = text_list(*prompts, s.fields, "ExamplePrompts");
    }
    if (const auto& aliases = f[kSkillAliases]) {
      record(s.fields, "Aliases", *aliases);
      s.aliases = text_list(*aliases, s.fields, "Aliases");
    }
    if (const auto& targets = f[kSkillQueryBackend]) {
      record(s.fields, "QueryBackend", *targets);
      s.query_backend_for = text_list(*targets, s.fields, "QueryBackend");
    }
    if (const auto& inputs = f[kSkillInputs]) {
      record(s.fields, "Inputs", *inputs);
      if (expect_list(*inputs, "Inputs")) {
        for (const YAML::Node& item : inputs->value)
          if (expect_item_map(item, "an input")) s.inputs.push_back(input(item));
      }
    }
    if (const auto& outputs = f[kSkillOutputs]) this->outputs(*outputs, s);
    if (const auto& effects = f[kSkillSideEffects]) {
      record(s.fields, "SideEffects", *effects);
      if (auto value = text(*effects); value && !value->empty()) {
        if (auto parsed = parse_side_effects(*value)) {
          s.side_effects = *parsed;
        } else {
          error(where(*effects), "unknown SideEffects '" + *value + "'",
                "use one of: none, read, write, destructive (write and destructive need an "
                "approval before each call)");
        }
      }
    }
    if (const auto& timeout = f[kSkillTimeoutSeconds]) {
      record(s.fields, "TimeoutSeconds", *timeout);
      if (!timeout->value.IsNull())
        s.timeout_seconds = seconds(*timeout, "a positive integer",
                                    "give the seconds a call may take, e.g. TimeoutSeconds: 30");
    }
    if (const auto& settings = f[kSkillSettings]) s.settings = settings_object(*settings, s.fields);
    warn_unknown(f, kSkillFields, kSkillOthers,
                 s.name.empty() ? "in a skill" : "in skill '" + s.name + "'");
    for (const Entry& unknown : f.unknown)
      s.extra.emplace(detail::key_text(unknown.key), detail::yaml_to_json(unknown.value));
    return s;
  }

  void outputs(const Entry& entry, Skill& s) {
    record(s.fields, "Outputs", entry);
    if (entry.value.IsNull()) return;
    if (!entry.value.IsMap()) {
      error(where(entry), "Outputs must be a mapping, not " + std::string(kind_name(entry.value)),
            "write Outputs: {Schema: <JSON Schema>, Entities: [<entity types>]} or a JSON "
            "Schema with type/properties");
      return;
    }
    Fields f = sort(entry.value, kOutputFields);
    if (!f[kOutSchema] && !f[kOutEntities]) {
      const YAML::Node& map = entry.value;
      bool schema = false;
      for (auto it = map.begin(); it != map.end(); ++it) {
        const std::string key = detail::key_text(it->first);
        schema = schema || key == "type" || key == "properties" || key == "$schema";
      }
      if (!schema) {
        error(where(entry), "Outputs is neither {Schema, Entities} nor a JSON Schema",
              "write Outputs: {Schema: <JSON Schema>, Entities: [<entity types>]}, or a JSON "
              "Schema with type, properties or $schema");
        return;
      }
      record(s.fields, "Outputs.Schema", entry);
      s.outputs = detail::yaml_to_json(map);
      return;
    }
    if (const auto& schema = f[kOutSchema]) {
      record(s.fields, "Outputs.Schema", *schema);
      if (!schema->value.IsNull()) s.outputs = detail::yaml_to_json(schema->value);
    }
    if (const auto& entities = f[kOutEntities]) {
      record(s.fields, "Outputs.Entities", *entities);
      for (std::string& type : text_list(*entities, s.fields, "Outputs.Entities")) {
        std::string canonical = canonical_input_type(type);
        s.output_entities.push_back(is_entity_type(canonical) ? std::move(canonical)
                                                              : std::move(type));
      }
    }
    for (const Entry& unknown : f.unknown)
      warning(where(unknown.key), "unknown key '" + detail::key_text(unknown.key) + "' in Outputs",
              "Outputs takes Schema (a JSON Schema) and Entities (entity types); this key is "
              "ignored");
  }

  Input input(const YAML::Node& node) {
    Input in;
    in.where = where(node);
    Fields f = sort(node, kInputFields);
    read_text(f[kInputName], in.name, in.fields, "Name");
    read_text(f[kInputDescription], in.description, in.fields, "Description");
    read_text(f[kInputPlaceholder], in.placeholder, in.fields, "PlaceholderValue");
    if (const auto& type = f[kInputType]) {
      record(in.fields, "Type", *type);
      if (auto value = text(*type); value && !value->empty()) {
        std::string canonical = canonical_input_type(*value);
        in.type = canonical.empty() ? std::move(*value) : std::move(canonical);
      }
    }
    if (const auto& required = f[kInputRequired]) {
      record(in.fields, "Required", *required);
      if (auto value = flag(*required)) in.required = *value;
    }
    if (const auto& value = f[kInputDefault]) {
      record(in.fields, "DefaultValue", *value);
      in.default_value = default_value(*value);
    }
    if (const auto& accepts = f[kInputAccepts]) {
      record(in.fields, "Accepts", *accepts);
      in.accepts = text_list(*accepts, in.fields, "Accepts");
      for (auto& kind : in.accepts) {
        // Entity-type aliases resolve ("IPAddress" -> ip); planner kinds such as json and text
        // are not JSON types here.
        const auto canonical = canonical_input_type(kind);
        kind = is_entity_type(canonical) ? canonical : detail::lower(kind);
      }
    }
    if (const auto& values = f[kInputAcceptableValues]) {
      record(in.fields, "AcceptableValues", *values);
      in.acceptable_values = text_list(*values, in.fields, "AcceptableValues");
    }
    if (const auto& synonyms = f[kInputSynonyms]) {
      record(in.fields, "Synonyms", *synonyms);
      in.synonyms = text_lists(*synonyms, in.fields, "Synonyms");
    }
    warn_unknown(f, kInputFields, {},
                 in.name.empty() ? "in an input" : "in input '" + in.name + "'");
    for (const Entry& unknown : f.unknown)
      in.extra.emplace(detail::key_text(unknown.key), detail::yaml_to_json(unknown.value));
    return in;
  }

  AgentDefinition agent(const YAML::Node& node) {
    AgentDefinition a;
    a.where = where(node);
    Fields f = sort(node, kAgentFields);
    read_text(f[kAgentName], a.name, a.fields, "Name");
    read_text(f[kAgentDisplayName], a.display_name, a.fields, "DisplayName");
    read_text(f[kAgentDescription], a.description, a.fields, "Description");
    read_text(f[kAgentPublisher], a.publisher, a.fields, "Publisher");
    read_text(f[kAgentProduct], a.product, a.fields, "Product");
    read_text(f[kAgentSingleInstance], a.single_instance, a.fields,
              "AgentSingleInstanceConstraint");
    read_text(f[kAgentPromptSkill], a.prompt_skill, a.fields, "PromptSkill");
    if (const auto& skillsets = f[kAgentRequiredSkillsets]) {
      record(a.fields, "RequiredSkillsets", *skillsets);
      a.required_skillsets = text_list(*skillsets, a.fields, "RequiredSkillsets");
    }
    if (const auto& settings = f[kAgentSettings]) {
      record(a.fields, "Settings", *settings);
      a.settings = setting_list(*settings);
    }
    if (const auto& triggers = f[kAgentTriggers]) {
      record(a.fields, "Triggers", *triggers);
      if (expect_list(*triggers, "Triggers")) {
        for (const YAML::Node& item : triggers->value)
          if (expect_item_map(item, "a trigger")) a.triggers.push_back(trigger(item));
      }
    }
    warn_unknown(f, kAgentFields, {},
                 a.name.empty() ? "in an agent definition" : "in agent '" + a.name + "'");
    for (const Entry& unknown : f.unknown)
      a.extra.emplace(detail::key_text(unknown.key), detail::yaml_to_json(unknown.value));
    return a;
  }

  AgentTrigger trigger(const YAML::Node& node) {
    AgentTrigger t;
    t.where = where(node);
    Fields f = sort(node, kTriggerFields);
    read_text(f[kTriggerName], t.name, t.fields, "Name");
    read_text(f[kTriggerFetch], t.fetch_skill, t.fields, "FetchSkill");
    read_text(f[kTriggerProcess], t.process_skill, t.fields, "ProcessSkill");
    if (const auto& period = f[kTriggerPeriod]) {
      record(t.fields, "DefaultPollPeriodSeconds", *period);
      if (!period->value.IsNull())
        t.poll_period_seconds =
            seconds(*period, "a whole number of seconds",
                    "use 0 for manual runs only, or the seconds between runs (e.g. 300)");
    }
    warn_unknown(f, kTriggerFields, {}, "in a trigger");
    for (const Entry& unknown : f.unknown)
      t.extra.emplace(detail::key_text(unknown.key), detail::yaml_to_json(unknown.value));
    return t;
  }

  std::string file_;
  std::string_view text_;
  std::vector<Diagnostic>& diagnostics_;
};

}  // namespace

ParseResult parse_manifest(std::string_view text, const std::filesystem::path& path) {
  ParseResult result;
  const std::string file = path.string();
  auto loaded = detail::load_yaml(text, file, result.diagnostics);
  if (!loaded) return result;
  const YAML::Node root = std::move(*loaded);
  if (root.IsNull()) {
    result.diagnostics.push_back({Severity::Error,
                                  {file, 1, 1},
                                  "the manifest is empty",
                                  "start it with a Descriptor and a SkillGroups list"});
    return result;
  }
  if (!root.IsMap()) {
    result.diagnostics.push_back(
        {Severity::Error, location(root, file),
         "the manifest must be a mapping with Descriptor and SkillGroups, not " +
             std::string(kind_name(root)),
         "start it with 'Descriptor:' and 'SkillGroups:' at the left margin"});
    return result;
  }
  Parser parser(file, text, result.diagnostics);
  try {
    result.manifest = parser.parse(root, path);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws only for misuse; keep the file's problems readable all the same.
    result.diagnostics.push_back({Severity::Error,
                                  {file, 0, 0},
                                  std::string("could not read the manifest: ") + e.what(),
                                  "report this as a bug in secpilot, with the manifest"});
  }
  return result;
}

ParseResult parse_manifest_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  if (in) {
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size > 0) {
      text.resize(static_cast<std::size_t>(size));
      in.seekg(0);
      in.read(text.data(), size);
    }
  }
  if (!in) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    ParseResult result;
    result.diagnostics.push_back(
        {Severity::Error,
         {path.string(), 0, 0},
         exists ? "cannot read the manifest" : "the manifest does not exist",
         exists ? "check the file's permissions" : "check the path"});
    return result;
  }
  return parse_manifest(text, path);
}

}  // namespace secpilot::manifest
