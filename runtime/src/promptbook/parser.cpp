// Reads a promptbook from YAML or JSON into the model. Only what the model cannot hold is reported
// here (YAML syntax, wrong node kinds, duplicate and unknown keys); everything else is lint's.
#include <yaml-cpp/yaml.h>
#include <boost/json/serialize.hpp>

#include <array>
#include <fstream>
#include <sstream>

#include "manifest/text.hpp"
#include "manifest/yaml_json.hpp"
#include "secpilot/promptbook/promptbook.hpp"

namespace secpilot::promptbook {
namespace {

namespace json = boost::json;
using manifest::detail::iequals;
using manifest::detail::key_text;

// A key of a mapping: its canonical spelling and, when there is one, another accepted spelling.
struct Key {
  std::string_view name;
  std::string_view alias = {};
};

enum { kTopName, kTopDisplayName, kTopDescription, kTopTags, kTopParameters, kTopSteps };
constexpr Key kTopKeys[] = {{"Name"}, {"DisplayName"}, {"Description"},
                            {"Tags"}, {"Parameters"},  {"Steps"}};

enum { kParamName, kParamDescription, kParamType, kParamRequired, kParamDefault };
constexpr Key kParameterKeys[] = {
    {"Name"}, {"Description"}, {"Type"}, {"Required"}, {"Default", "DefaultValue"}};

enum { kStepName, kStepPrompt, kStepSkill, kStepInputs };
constexpr Key kStepKeys[] = {{"Name"}, {"Prompt"}, {"Skill"}, {"Inputs"}};

struct Entry {
  YAML::Node key;
  YAML::Node value;
};

template <std::size_t N>
using Found = std::array<std::optional<Entry>, N>;

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

template <std::size_t N>
std::string key_list(const Key (&keys)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i)
    out += std::string(i == 0 ? "" : i + 1 == N ? " and " : ", ") + std::string(keys[i].name);
  return out;
}

class Reader {
 public:
  Reader(std::string file, std::vector<Diagnostic>& diagnostics)
      : file_(std::move(file)), diagnostics_(diagnostics) {}

  std::optional<Promptbook> read(const YAML::Node& root, const std::filesystem::path& path) {
    // Reports keys written twice and refuses alias bombs; the model is read from the nodes.
    if (!manifest::detail::yaml_to_json_checked(root, file_, diagnostics_)) return std::nullopt;
    Promptbook book;
    book.path = path;
    book.where = where(root);
    auto found = sort(root, kTopKeys, book.extra, "at the top level");
    read_text(found[kTopName], book.name, book.fields, "Name");
    read_text(found[kTopDisplayName], book.display_name, book.fields, "DisplayName");
    read_text(found[kTopDescription], book.description, book.fields, "Description");
    if (const auto& tags = found[kTopTags]) {
      record(book.fields, "Tags", *tags);
      book.tags = text_list(*tags);
    }
    if (const auto& parameters = found[kTopParameters]) {
      record(book.fields, "Parameters", *parameters);
      if (expect_list(*parameters))
        for (const YAML::Node& item : parameters->value)
          if (expect_item_map(item, "a parameter")) book.parameters.push_back(parameter(item));
    }
    if (const auto& steps = found[kTopSteps]) {
      record(book.fields, "Steps", *steps);
      if (expect_list(*steps)) {
        for (const YAML::Node& item : steps->value) {
          if (item.IsScalar()) {
            book.steps.push_back(prompt_shorthand(item));  // "- Summarise <incident>"
          } else if (expect_item_map(item, "a step (a mapping with Prompt or Skill, or a text)")) {
            book.steps.push_back(step(item, book.steps.size() + 1));
          }
        }
      }
    }
    return book;
  }

 private:
  // --- Diagnostics and locations ---------------------------------------------------------------

  void error(SourceLocation where, std::string what, std::string fix) {
    diagnostics_.push_back({Severity::Error, std::move(where), std::move(what), std::move(fix)});
  }
  void warning(SourceLocation where, std::string what, std::string fix) {
    diagnostics_.push_back({Severity::Warning, std::move(where), std::move(what), std::move(fix)});
  }

  SourceLocation where(const YAML::Node& node) const {
    return manifest::detail::location(node, file_);
  }
  // An empty value has no mark of its own (yaml-cpp marks the next token): use its key's.
  SourceLocation where(const Entry& entry) const {
    return entry.value.IsNull() ? where(entry.key) : where(entry.value);
  }
  void record(FieldLocations& fields, std::string name, const Entry& entry) const {
    const SourceLocation at = where(entry);
    fields.add(std::move(name), at.line, at.column);
  }

  // --- Keys ------------------------------------------------------------------------------------

  // Finds the known keys of a mapping (case-insensitively, aliases too); unknown ones are kept in
  // `extra` and reported, with the known key they are probably a typo of.
  template <std::size_t N>
  Found<N> sort(const YAML::Node& map, const Key (&keys)[N], json::object& extra,
                const std::string& context) {
    Found<N> found;
    std::vector<std::string_view> spellings;
    for (const Key& key : keys) {
      spellings.push_back(key.name);
      if (!key.alias.empty()) spellings.push_back(key.alias);
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string key = key_text(it->first);
      std::size_t index = N;
      for (std::size_t i = 0; i < N && index == N; ++i)
        if (iequals(key, keys[i].name) || (!keys[i].alias.empty() && iequals(key, keys[i].alias)))
          index = i;
      if (index == N) {
        extra.emplace(key, manifest::detail::yaml_to_json(it->second));
        const std::string_view guess = manifest::detail::nearest(key, spellings);
        warning(where(it->first), "unknown key '" + key + "' " + context,
                guess.empty()
                    ? "this level takes " + key_list(keys) + "; the key is kept but not used"
                    : "did you mean '" + std::string(guess) + "'? The key is kept but not used");
        continue;
      }
      if (found[index]) {
        // The same spelling twice was reported while converting to JSON.
        const std::string first = key_text(found[index]->key);
        if (!iequals(first, key))
          error(where(it->first),
                "'" + key + "' repeats '" + first + "' (line " +
                    std::to_string(where(found[index]->key).line) +
                    "): they are spellings of the same key",
                "keep one of them; only the first is used");
        continue;
      }
      found[index] = Entry{it->first, it->second};
    }
    return found;
  }

  // The Name of an entry, for messages about its other keys.
  static std::string written_name(const YAML::Node& map) {
    for (auto it = map.begin(); it != map.end(); ++it)
      if (iequals(key_text(it->first), "Name") && it->second.IsScalar()) return it->second.Scalar();
    return {};
  }

  // --- Values of the expected kinds ------------------------------------------------------------

  bool expect_list(const Entry& entry) {
    if (entry.value.IsSequence()) return true;
    if (entry.value.IsNull()) return false;  // written but empty: lint says what is missing
    error(where(entry),
          key_text(entry.key) + " must be a list, not " + std::string(kind_name(entry.value)),
          "write each item on its own line starting with '- '");
    return false;
  }

  bool expect_item_map(const YAML::Node& item, std::string_view what) {
    if (item.IsMap()) return true;
    error(where(item),
          "each item here must be " + std::string(what) + ", not " + std::string(kind_name(item)),
          "write the item's fields as 'Key: value' lines after '- '");
    return false;
  }

  // A single value as written; nullopt (reported) for a mapping or a list.
  std::optional<std::string> text(const Entry& entry) {
    if (entry.value.IsNull()) return std::string();
    if (entry.value.IsScalar()) return entry.value.Scalar();
    const std::string key = key_text(entry.key);
    error(where(entry), key + " must be a single value, not " + std::string(kind_name(entry.value)),
          "write it as '" + key +
              ": value' (quote it if it contains ': ' or starts with '{' or '[')");
    return std::nullopt;
  }

  void read_text(const std::optional<Entry>& entry, std::string& out, FieldLocations& fields,
                 std::string name) {
    if (!entry) return;
    record(fields, std::move(name), *entry);
    if (auto value = text(*entry)) out = std::move(*value);
  }

  // A list of single values; one value alone is a list of one.
  std::vector<std::string> text_list(const Entry& entry) {
    std::vector<std::string> out;
    if (entry.value.IsScalar()) out.push_back(entry.value.Scalar());
    if (!entry.value.IsSequence()) {
      if (entry.value.IsMap()) expect_list(entry);
      return out;
    }
    for (const YAML::Node& item : entry.value) {
      if (item.IsScalar()) {
        out.push_back(item.Scalar());
      } else {
        error(where(item),
              "each item of " + key_text(entry.key) + " must be a single value, not " +
                  std::string(kind_name(item)),
              "write one value per '- ' line");
      }
    }
    return out;
  }

  // true/false, also written as strings or yes/no.
  std::optional<bool> flag(const Entry& entry) {
    auto value = text(entry);
    if (!value) return std::nullopt;
    if (iequals(*value, "true") || iequals(*value, "yes")) return true;
    if (iequals(*value, "false") || iequals(*value, "no")) return false;
    const std::string key = key_text(entry.key);
    error(where(entry), key + " must be true or false, not '" + *value + "'",
          "write " + key + ": true or " + key + ": false");
    return std::nullopt;
  }

  // Scalars as written; mappings and lists as JSON text.
  static std::string value_text(const YAML::Node& value) {
    if (value.IsNull()) return {};
    if (value.IsScalar()) return value.Scalar();
    return json::serialize(manifest::detail::yaml_to_json(value));
  }

  // --- Levels ----------------------------------------------------------------------------------

  Parameter parameter(const YAML::Node& node) {
    Parameter p;
    p.where = where(node);
    const std::string name = written_name(node);
    auto found = sort(node, kParameterKeys, p.extra,
                      name.empty() ? "in a parameter" : "in parameter '" + name + "'");
    read_text(found[kParamName], p.name, p.fields, "Name");
    read_text(found[kParamDescription], p.description, p.fields, "Description");
    if (const auto& type = found[kParamType]) {
      record(p.fields, "Type", *type);
      if (auto value = text(*type); value && !value->empty()) {
        std::string canonical = manifest::canonical_input_type(*value);
        p.type = canonical.empty() ? std::move(*value) : std::move(canonical);
      }
    }
    if (const auto& value = found[kParamDefault]) {
      record(p.fields, "Default", *value);
      if (!value->value.IsNull()) p.default_value = value_text(value->value);
    }
    // A default makes a parameter optional unless Required says otherwise.
    p.required = !p.default_value;
    if (const auto& required = found[kParamRequired]) {
      record(p.fields, "Required", *required);
      if (auto value = flag(*required)) p.required = *value;
    }
    return p;
  }

  Step prompt_shorthand(const YAML::Node& item) {
    Step s;
    s.where = where(item);
    s.prompt = item.Scalar();
    s.fields.add("Prompt", s.where.line, s.where.column);
    return s;
  }

  Step step(const YAML::Node& node, std::size_t number) {
    Step s;
    s.where = where(node);
    auto found = sort(node, kStepKeys, s.extra, "in step " + std::to_string(number));
    read_text(found[kStepName], s.name, s.fields, "Name");
    read_text(found[kStepPrompt], s.prompt, s.fields, "Prompt");
    read_text(found[kStepSkill], s.skill, s.fields, "Skill");
    if (found[kStepSkill]) {
      s.kind = StepKind::Skill;
      if (const auto& prompt = found[kStepPrompt])
        error(where(prompt->key), "step " + std::to_string(number) + " has both Prompt and Skill",
              "a step is either a prompt or a direct skill call: split it into two steps");
    }
    if (const auto& inputs = found[kStepInputs]) {
      record(s.fields, "Inputs", *inputs);
      if (inputs->value.IsMap()) {
        for (auto it = inputs->value.begin(); it != inputs->value.end(); ++it)
          s.inputs.push_back({key_text(it->first), value_text(it->second), where(it->first),
                              where(Entry{it->first, it->second})});
      } else if (!inputs->value.IsNull()) {
        error(where(*inputs),
              "Inputs must be a mapping, not " + std::string(kind_name(inputs->value)),
              "write one 'name: value' line per input of the skill, indented under 'Inputs:'");
      }
    }
    return s;
  }

  std::string file_;
  std::vector<Diagnostic>& diagnostics_;
};

}  // namespace

const Parameter* Promptbook::parameter(std::string_view name) const noexcept {
  for (const Parameter& p : parameters)
    if (p.name == name) return &p;
  return nullptr;
}

ParseResult parse_promptbook(std::string_view text, const std::filesystem::path& path) {
  ParseResult result;
  const std::string file = path.string();
  auto root = manifest::detail::load_yaml(text, file, result.diagnostics);
  if (!root) return result;
  if (root->IsNull()) {
    result.diagnostics.push_back({Severity::Error,
                                  {file, 1, 1},
                                  "the promptbook is empty",
                                  "start it with Name: and a Steps: list"});
    return result;
  }
  if (!root->IsMap()) {
    result.diagnostics.push_back(
        {Severity::Error, manifest::detail::location(*root, file),
         "a promptbook must be a mapping with Name and Steps, not " + std::string(kind_name(*root)),
         "start it with 'Name:' and 'Steps:' at the left margin"});
    return result;
  }
  try {
    result.promptbook = Reader(file, result.diagnostics).read(*root, path);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws only for misuse; keep the file's problems readable all the same.
    result.diagnostics.push_back({Severity::Error,
                                  {file, 0, 0},
                                  std::string("could not read the promptbook: ") + e.what(),
                                  "report this as a bug in secpilot, with the promptbook"});
  }
  return result;
}

ParseResult parse_promptbook_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    ParseResult result;
    result.diagnostics.push_back({Severity::Error,
                                  {path.string(), 0, 0},
                                  exists ? "cannot read the promptbook" : "the file does not exist",
                                  exists ? "check the file's permissions" : "check the path"});
    return result;
  }
  return parse_promptbook(text.str(), path);
}

}  // namespace secpilot::promptbook
