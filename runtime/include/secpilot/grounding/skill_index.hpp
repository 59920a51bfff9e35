// Skill retrieval for the planners: BM25F over each skill's name, descriptions, example prompts
// and inputs (and its plugin's), answering "which skills fit this prompt, and why". Built once
// from a catalog snapshot and immutable after, so any number of threads may search it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "secpilot/grounding/entities.hpp"
#include "secpilot/skills/catalog.hpp"

namespace secpilot::grounding {

// The parts of a skill the index reads, each with its own weight (see docs/planner.md).
enum class Field : std::uint8_t {
  name,          // Skill.Name and Aliases, split on case (LookupIndicator: look, indicator)
  display_name,  // Skill.DisplayName
  description,   // Skill.Description
  description_for_model,  // Skill.DescriptionForModel
  example_prompts,        // Skill.ExamplePrompts
  inputs,                 // each input's name and description
  plugin_name,            // Descriptor.Name (split) and Descriptor.DisplayName
  plugin_description,     // Descriptor.Description and Descriptor.DescriptionForModel
};
inline constexpr std::size_t kFieldCount = 8;
std::string_view field_name(Field field) noexcept;  // "name", "example_prompts", ...

// A skill as the index knows it: the catalog entry and what the planner weighs beside the score.
struct IndexedSkill {
  const skills::SkillEntry* entry = nullptr;  // into the catalog the index was built from
  bool available = false;                     // entry->available() when the index was built
  // Entity types (manifest Type: ip, host, script, ...) of the skill's required and optional
  // inputs, each once, in input order.
  std::vector<std::string> required_entity_types;
  std::vector<std::string> optional_entity_types;
};

// A set of fields, as bits (1 << Field).
class FieldSet {
 public:
  void add(Field field) noexcept {
    bits_ |= static_cast<std::uint8_t>(1u << static_cast<int>(field));
  }
  bool contains(Field field) const noexcept { return (bits_ >> static_cast<int>(field)) & 1u; }
  bool empty() const noexcept { return bits_ == 0; }
  bool operator==(const FieldSet&) const = default;

 private:
  std::uint8_t bits_ = 0;
};

// One index term that counted for a match: what the planner records as the reason.
struct MatchedTerm {
  std::string_view term;    // the index term, stemmed ("detect" for detections); in the index
  std::string source;       // how the prompt reached it, when not by saying it: the prompt term
                            // ("md5" for hash) or the entity type ("entity:ip"); else empty
  double contribution = 0;  // its share of the score
  FieldSet fields;          // where the skill has it
};

// Valid as long as the index that returned it.
struct Match {
  const IndexedSkill* skill = nullptr;
  double score = 0;
  std::vector<MatchedTerm> terms;  // by contribution, largest first

  const std::string& full_name() const { return skill->entry->full_name; }
  // The matched terms the skill has in `field` ("chosen because its name says ...").
  std::vector<std::string_view> terms_in(Field field) const;
};

struct SearchOptions {
  std::size_t top_k = 5;
  // Matches scoring at or below this are left out (scores are BM25 sums: 0 means no term shared).
  double min_score = 0;
  // The skills enabled for the caller; the others never come back. Empty: every skill.
  std::function<bool(const skills::SkillEntry&)> filter;
  // Skills that cannot run here (IndexedSkill::available false) come back only when asked for,
  // e.g. to tell a user which plugin to fix.
  bool include_unavailable = false;
  // The prompt's entities (extract_entities of the same prompt). Their text is not read as words
  // (a pasted query or script says nothing about what to do with it), and each entity type
  // counts as its name written in the prompt at half weight, so that "is 203.0.113.45
  // malicious" leans towards skills about IPs. Must outlive the call.
  std::span<const Entity> entities;
};

class SkillIndex {
 public:
  // Indexes every skill of `catalog`. The index points into the catalog's entries: keep the
  // catalog (its PluginHost) alive while the index is used, and build a new index when the
  // catalog is rebuilt (plugin reload).
  static SkillIndex build(const skills::Catalog& catalog);
  static SkillIndex build(std::span<const skills::SkillEntry* const> entries);

  // Movable (a moved-from index may only be assigned to or destroyed), not copyable.
  SkillIndex(SkillIndex&&) noexcept;
  SkillIndex& operator=(SkillIndex&&) noexcept;
  ~SkillIndex();

  // The best skills for `prompt`, best first (ties by full name), at most options.top_k. An empty
  // or meaningless prompt yields no match.
  std::vector<Match> search(std::string_view prompt, const SearchOptions& options = {}) const;

  // By "Plugin.Skill", case-insensitively; nullptr when the index does not hold it.
  const IndexedSkill* find(std::string_view full_name) const;
  std::span<const IndexedSkill> skills() const noexcept;
  std::size_t vocabulary_size() const noexcept;

 private:
  struct Data;
  explicit SkillIndex(std::unique_ptr<const Data> data);
  std::unique_ptr<const Data> data_;
};

// "look (name, display_name) 3.10; hash via md5 (description, example_prompts) 2.89": a match's
// reasons on one line, for the process log and `secpilot ask --explain`.
std::string explain(const Match& match);

}  // namespace secpilot::grounding
