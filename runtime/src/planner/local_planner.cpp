#include "secpilot/planner/local_planner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "planner/clauses.hpp"
#include "planner/input_values.hpp"
#include "planner/lexicon.hpp"
#include "planner/prompt_parts.hpp"
#include "planner/skill_profile.hpp"
#include "planner/text.hpp"

namespace secpilot::planner {
namespace {

using grounding::Entity;

// How much a skill's fit to what the prompt gives adds to its retrieval score (docs/planner.md):
// a required input that takes a pasted block, a required input that takes an entity the clause
// names, an optional one; and what needing an earlier step for a required input costs.
constexpr double kBlockFit = 3.0;
constexpr double kEntityFit = 1.5;
constexpr double kOptionalFit = 0.5;
constexpr double kProducerCost = 1.5;

std::string format_score(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", score);
  return buffer;
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text.size() > 80 ? text.substr(0, 77) : text) +
         (text.size() > 80 ? "...\"" : "\"");
}

// Whether an input of `kinds` takes `entity`. A host written as a dotted name
// (files.exfil-drop.example) is a domain name too, for a skill that looks domains up.
bool takes(const std::vector<std::string>& kinds, const Entity& entity) {
  if (accepts(kinds, entity.type)) return true;
  return entity.type == grounding::entity_type::host &&
         entity.value.find('.') != std::string::npos && accepts(kinds, "domain");
}

// The first standalone number of 3 to 10 digits ("4127", not "24h", "15.7" or "x0100").
std::optional<std::string> bare_number(std::string_view lower) {
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (lower[i] < '0' || lower[i] > '9') continue;
    std::size_t end = i;
    while (end < lower.size() && lower[end] >= '0' && lower[end] <= '9')
      ++end;
    const bool alone =
        (i == 0 ||
         !(text::is_word_char(lower[i - 1]) || lower[i - 1] == '.' || lower[i - 1] == '-')) &&
        (end == lower.size() ||
         !(text::is_word_char(lower[end]) || lower[end] == '.' || lower[end] == '-'));
    if (alone && end - i >= 3 && end - i <= 10) return std::string(lower.substr(i, end - i));
    i = end;
  }
  return std::nullopt;
}

bool is_kind_of_block(std::string_view kind, BlockKind block) {
  switch (block) {
    case BlockKind::json:
      return kind == "json" || kind == "text";
    case BlockKind::kql:
      return kind == "kql" || kind == "text";
    case BlockKind::script:
      return kind == "script" || kind == "text";
    case BlockKind::text:
      return kind == "text" || kind == "script";
  }
  return false;
}

// Everything the planner read from the request, shared by every clause.
struct Reading {
  PromptParts parts;
  std::string instruction;         // the instruction and what follows the blocks
  std::string lower;               // the same, lower-case
  std::vector<Entity> entities;    // of the instruction
  std::vector<std::string> words;  // of the instruction, lower-case
  std::vector<grounding::Reference> references;
  bool has_history = false;
};

// How one input of a step can be filled.
struct Fill {
  bool filled = false;
  boost::json::value value;  // a known value
  std::vector<std::string> fan_out;
  std::optional<Binding> binding;  // from an earlier step or the session
  bool from_clause = false;        // the clause itself gave it (counts towards the skill's fit)
  bool from_block = false;         // a pasted block ("is this malicious?" and a script below)
  std::size_t block = 0;           // which one, when from_block
  bool needs_producer = false;
};

class PlanBuilder {
 public:
  PlanBuilder(const grounding::SkillIndex& index, const std::vector<SkillProfile>& profiles,
              const PlannerOptions& options, const PlanRequest& request)
      : index_(index), profiles_(profiles), options_(options), request_(request) {}

  Plan build();

 private:
  const SkillProfile* profile_of(const grounding::IndexedSkill* skill) const;
  bool enabled(const SkillProfile& profile) const {
    return profile.indexed->available && (!request_.enabled || request_.enabled(profile.entry()));
  }
  void read();
  bool some_step_yields_field(const std::string& name) const {
    return std::any_of(profiles_.begin(), profiles_.end(), [&](const SkillProfile& profile) {
      return enabled(profile) && !profile.changes_things &&
             std::find(profile.output_fields.begin(), profile.output_fields.end(), name) !=
                 profile.output_fields.end();
    });
  }
  std::vector<Entity> clause_entities(const Clause& clause) const;
  // Fills `input` of a step for `clause`; nothing filled when no source has a value.
  Fill fill(const InputProfile& input, const Clause* clause, const std::vector<Entity>& entities,
            bool primary) const;
  struct Choice {
    const SkillProfile* profile = nullptr;
    double score = 0;
    std::vector<Fill> fills;
    std::string why_not;
  };
  Choice weigh(const SkillProfile& profile, double retrieval, const Clause& clause,
               const std::vector<Entity>& entities) const;
  // A step that can supply `input` of a later step from what the prompt holds.
  std::optional<std::size_t> insert_producer(const InputProfile& input, const Clause& clause,
                                             const std::vector<Entity>& entities,
                                             std::size_t depth);
  std::size_t add_step(const Choice& choice, const Clause& clause, std::string reason);
  bool plan_clause(const Clause& clause);
  // "same for the last 30 days", "only the open ones": the previous prompt's plan with the
  // values this prompt gives instead; false when there is no previous prompt or nothing changes.
  bool refine_previous();
  void abstain(std::string message);
  std::string foreign_product() const;

  const grounding::SkillIndex& index_;
  const std::vector<SkillProfile>& profiles_;
  const PlannerOptions& options_;
  const PlanRequest& request_;
  Reading reading_;
  Plan plan_;
  std::vector<const SkillProfile*> step_profiles_;
  std::vector<std::string> near_;
  std::vector<std::string> missing_;  // "Jamf.LockComputer needs pin"
  std::string unsupported_action_;    // a change no skill offers ("isolate")
  std::set<std::size_t> block_used_;  // pasted blocks a planned step reads
};

const SkillProfile* PlanBuilder::profile_of(const grounding::IndexedSkill* skill) const {
  // Profiles are made in the index's order, so the skill's position in the index is its own.
  const auto all = index_.skills();
  if (skill < all.data() || skill >= all.data() + all.size()) return nullptr;
  const auto& profile = profiles_[static_cast<std::size_t>(skill - all.data())];
  return profile.indexed == skill ? &profile : nullptr;
}

void PlanBuilder::read() {
  reading_.parts = split_prompt(request_.prompt);
  reading_.instruction = std::string(reading_.parts.instruction);
  if (!reading_.parts.rest.empty()) reading_.instruction += "\n" + std::string(reading_.parts.rest);
  reading_.lower = to_lower_ascii(reading_.instruction);
  grounding::ExtractOptions options;
  options.scripts = false;
  reading_.entities = grounding::extract_entities(reading_.instruction, options);
  std::vector<grounding::Turn> turns;
  for (const auto& earlier : request_.history)
    turns.push_back({grounding::TurnRole::prompt, earlier});
  reading_.has_history = !turns.empty();
  if (!turns.empty()) {
    const auto history = grounding::extract_session_entities(turns, options);
    reading_.references = grounding::resolve_references(reading_.instruction, history);
  }
  std::string word;
  for (char c : reading_.lower + " ") {
    if (text::is_word_char(c)) {
      word += c;
    } else if (!word.empty()) {
      reading_.words.push_back(word);
      word.clear();
    }
  }
}

std::vector<Entity> PlanBuilder::clause_entities(const Clause& clause) const {
  std::vector<Entity> out;
  const auto begin = clause.offset;
  const auto end = clause.offset + clause.text.size();
  for (const auto& entity : reading_.entities)
    if (entity.offset >= begin && entity.offset < end) out.push_back(entity);
  for (const auto& reference : reading_.references)
    if (reference.offset >= begin && reference.offset < end && !reference.ambiguous)
      for (const auto& earlier : reference.entities)
        out.push_back(earlier.entity);
  return out;
}

std::string PlanBuilder::foreign_product() const {
  for (const auto& word : reading_.words) {
    const auto product = lexicon::product_name(word);
    if (product.empty()) continue;
    // A product some enabled skill speaks of is not foreign.
    bool known = false;
    for (const auto& profile : profiles_) {
      if (!enabled(profile)) continue;
      if (text::has_words(profile.description_lower, word)) {
        known = true;
        break;
      }
    }
    if (!known) return std::string(product);
  }
  return {};
}

Fill PlanBuilder::fill(const InputProfile& input, const Clause* clause,
                       const std::vector<Entity>& entities, bool primary) const {
  Fill out;
  const auto& kinds = input.kinds;
  const auto& spec = *input.spec;
  const std::string clause_lower = clause ? to_lower_ascii(clause->text) : std::string();
  // 1. Entities the clause names (or points back to), all of them on the primary input.
  std::vector<std::string> values;
  for (const auto& entity : entities)
    if (takes(kinds, entity) &&
        std::find(values.begin(), values.end(), entity.value) == values.end())
      values.push_back(entity.value);
  // 2. Then those of the whole instruction.
  bool from_clause = !values.empty();
  if (values.empty())
    for (const auto& entity : reading_.entities)
      if (takes(kinds, entity) &&
          std::find(values.begin(), values.end(), entity.value) == values.end())
        values.push_back(entity.value);
  // A bare number of three or more digits where an incident id is wanted ("pull 4127 from Red
  // Canary"): ids are often written without a cue word.
  if (values.empty() && accepts(kinds, "incident_id"))
    for (std::string_view source :
         {std::string_view(clause_lower), std::string_view(reading_.lower)})
      if (auto number = bare_number(source)) {
        values.push_back(*number);
        from_clause = source.data() == clause_lower.data();
        break;
      }
  if (!values.empty()) {
    out.filled = true;
    out.from_clause = from_clause;
    if (input.number) {
      out.value = std::strtoll(values.front().c_str(), nullptr, 10);
    } else if (values.size() == 1 || !primary) {
      std::string joined;
      for (const auto& value : values)
        joined += (joined.empty() ? "" : ", ") + value;
      out.value = values.size() == 1 ? values.front() : joined;
    } else {
      out.value = values.front();
      out.fan_out.assign(values.begin(),
                         values.begin() + std::min(values.size(), options_.max_fan_out));
    }
    return out;
  }
  // 3. A pasted block of a kind it takes: the first for a required input, the next ones for
  // optional inputs the instruction speaks of ("the names are in the second block").
  const auto& blocks = reading_.parts.blocks;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    // A block answers one request: "extract the IOCs from this and check them" reads it once.
    if (block_used_.contains(b)) continue;
    bool fits = false;
    for (const auto& kind : kinds)
      fits = fits || is_kind_of_block(kind, blocks[b].kind);
    if (!fits) continue;
    if (!spec.required && b == 0) continue;
    if (!spec.required && !text::has_words(reading_.lower, to_lower_ascii(spec.name)) &&
        spec.name != "proposed")
      continue;
    out.filled = true;
    out.from_clause = true;
    out.from_block = true;
    out.block = b;
    out.value = std::string(blocks[b].text);
    return out;
  }
  // The request as written, for a skill that reads it ("write a KQL query for ...").
  if (accepts(kinds, "prompt") && clause) {
    out.filled = true;  // but not a sign that the skill fits: every clause is a request
    out.value = std::string(clause->text);
    return out;
  }
  // 4. Look-backs, dates, enumerations and "name value" pairs in the clause, then the instruction.
  const auto look_in = [&](auto&& find) -> std::optional<std::string> {
    if (clause)
      if (auto value = find(clause_lower, clause->text)) return value;
    return find(reading_.lower, std::string_view(reading_.instruction));
  };
  std::optional<std::string> value;
  if (!value && accepts(kinds, "timespan"))
    value = look_in([](std::string_view lower, std::string_view) { return find_timespan(lower); });
  if (!value && accepts(kinds, "datetime"))
    value = look_in([](std::string_view, std::string_view raw) { return find_datetime(raw); });
  if (!value && !spec.acceptable_values.empty())
    value = look_in([&](std::string_view lower, std::string_view) {
      return find_acceptable_value(lower, spec);
    });
  if (!value && kinds.empty())
    value = look_in([&](std::string_view, std::string_view raw) {
      return find_named_value(raw, spec.name, input.number);
    });
  if (value) {
    out.filled = true;
    out.from_clause = true;
    if (input.number)
      out.value = std::strtoll(value->c_str(), nullptr, 10);
    else
      out.value = *value;
    return out;
  }
  // 5. An earlier step that yields what it takes (the earliest), or a field of the same name.
  for (std::size_t s = 0; s < step_profiles_.size(); ++s) {
    const auto* producer = step_profiles_[s];
    std::vector<std::string> taken;
    for (const auto& kind : kinds)
      if (producer->yields(kind)) taken.push_back(kind);
    const bool field =
        kinds.empty() && std::find(producer->output_fields.begin(), producer->output_fields.end(),
                                   spec.name) != producer->output_fields.end();
    if (taken.empty() && !field) continue;
    out.filled = true;
    out.binding = Binding{
        spec.name, field ? Binding::Source::step_field : Binding::Source::step_entities, s, taken};
    return out;
  }
  // 6. The session so far, for an input that reads it (a report on "this session").
  if (accepts(kinds, "session") && (reading_.has_history || !plan_.steps.empty())) {
    out.filled = true;
    out.binding = Binding{spec.name, Binding::Source::session, 0, {}};
    return out;
  }
  if (spec.default_value) out.filled = false;
  out.needs_producer = spec.required;
  return out;
}

PlanBuilder::Choice PlanBuilder::weigh(const SkillProfile& profile, double retrieval,
                                       const Clause& clause,
                                       const std::vector<Entity>& entities) const {
  Choice choice{&profile, retrieval, {}, {}};
  // A change to some system only when the clause asks for that change in the skill's words.
  if (profile.changes_things &&
      !(clause.kind == ClauseKind::request && profile.names_action(clause.verb))) {
    choice.why_not = "it changes things (" +
                     std::string(manifest::side_effects_name(profile.entry().spec->side_effects)) +
                     ") and the prompt does not ask for that";
    return choice;
  }
  if (!clause.verb.empty() && lexicon::is_change_action(clause.verb) &&
      !profile.names_action(clause.verb)) {
    choice.why_not = "the prompt asks to " + clause.verb + ", which this skill does not do";
    return choice;
  }
  // Limited to platforms the prompt does not name ("Windows" for a Mac-only skill).
  if (!profile.platforms.empty())
    for (const auto& word : reading_.words) {
      const auto family = lexicon::platform(word);
      if (family.empty()) continue;
      if (std::find(profile.platforms.begin(), profile.platforms.end(), family) ==
          profile.platforms.end()) {
        choice.why_not = "it works on " + profile.platforms.front() + ", the prompt is about " +
                         std::string(family);
        return choice;
      }
    }
  bool primary_done = false;
  for (const auto& input : profile.inputs) {
    const bool primary = !primary_done && input.spec->required && !input.kinds.empty();
    primary_done = primary_done || primary;
    auto filled = fill(input, &clause, entities, primary);
    if (filled.filled && filled.from_block)
      choice.score += kBlockFit;
    else if (filled.filled && filled.from_clause)
      choice.score += input.spec->required ? kEntityFit : kOptionalFit;
    if (!filled.filled && input.spec->required) choice.score -= kProducerCost;
    if (!filled.filled && input.spec->required && input.kinds.empty() &&
        !input.spec->default_value && !some_step_yields_field(input.spec->name)) {
      choice.why_not = "it needs " + input.spec->name + ", which the prompt does not give";
      return choice;
    }
    choice.fills.push_back(std::move(filled));
  }
  return choice;
}

std::optional<std::size_t> PlanBuilder::insert_producer(const InputProfile& input,
                                                        const Clause& clause,
                                                        const std::vector<Entity>& entities,
                                                        std::size_t depth) {
  if (depth == 0 || plan_.steps.size() + 1 >= options_.max_depth) return std::nullopt;
  const Choice* best = nullptr;
  std::vector<Choice> options;
  for (const auto& profile : profiles_) {
    if (!enabled(profile) || profile.changes_things) continue;
    const bool yields_kind = std::any_of(input.kinds.begin(), input.kinds.end(),
                                         [&](const auto& kind) { return profile.yields(kind); });
    const bool yields_field =
        input.kinds.empty() && std::find(profile.output_fields.begin(), profile.output_fields.end(),
                                         input.spec->name) != profile.output_fields.end();
    if (!yields_kind && !yields_field) continue;
    // Only a producer fed by what the prompt gives; the clause's words break ties (retrieval).
    Choice choice = weigh(profile, 0, clause, entities);
    if (!choice.why_not.empty()) continue;
    bool complete = true;
    bool fed = false;
    for (std::size_t i = 0; i < choice.fills.size(); ++i) {
      complete = complete && (choice.fills[i].filled || !profile.inputs[i].spec->required);
      fed = fed || (choice.fills[i].filled && !choice.fills[i].binding &&
                    !accepts(profile.inputs[i].kinds, "prompt"));
    }
    if (!complete || !fed) continue;
    // The producer whose plugin the clause names, else the one with the most inputs filled.
    const std::string plugin = to_lower_ascii(profile.entry().plugin);
    if (text::has_words(reading_.lower, plugin)) choice.score += 2;
    options.push_back(std::move(choice));
  }
  for (const auto& option : options)
    if (!best || option.score > best->score ||
        (option.score == best->score && option.profile->name() < best->profile->name()))
      best = &option;
  if (!best) return std::nullopt;
  // Recorded as chosen, whether or not retrieval proposed it for this clause.
  const std::string why = "chosen to supply " + input.spec->name + " for the next step";
  auto candidate = std::find_if(plan_.candidates.begin(), plan_.candidates.end(), [&](auto& c) {
    return c.skill == best->profile->name() && c.clause == clause.text;
  });
  if (candidate == plan_.candidates.end()) {
    plan_.candidates.push_back(
        {best->profile->name(), best->score, true, std::string(clause.text), why});
  } else {
    const auto terms = candidate->why.find("matched ");
    candidate->chosen = true;
    candidate->why = why + (terms == std::string::npos ? "" : "; " + candidate->why.substr(terms));
  }
  return add_step(*best, clause, "supplies " + input.spec->name + " for the next step");
}

std::size_t PlanBuilder::add_step(const Choice& choice, const Clause& clause, std::string reason) {
  Step step;
  step.skill = choice.profile->name();
  step.reason = std::move(reason);
  std::size_t group = 0;
  if (!plan_.steps.empty()) group = plan_.steps.back().group;
  bool depends = false;
  for (std::size_t i = 0; i < choice.fills.size(); ++i) {
    const auto& fill = choice.fills[i];
    const auto& name = choice.profile->inputs[i].spec->name;
    if (!fill.filled) continue;
    if (fill.binding) {
      step.bindings.push_back(*fill.binding);
      if (fill.binding->source != Binding::Source::session || !plan_.steps.empty()) depends = true;
      if (fill.binding->source == Binding::Source::step_entities && step.fan_out_input.empty())
        step.fan_out_input = name;
      continue;
    }
    step.inputs[name] = fill.value;
    if (fill.from_block) block_used_.insert(fill.block);
    if (fill.fan_out.size() > 1) {
      step.fan_out_input = name;
      step.fan_out_values = fill.fan_out;
    }
  }
  (void)clause;
  step.group = plan_.steps.empty() ? 0 : (depends ? group + 1 : group);
  plan_.steps.push_back(std::move(step));
  step_profiles_.push_back(choice.profile);
  return plan_.steps.size() - 1;
}

bool PlanBuilder::plan_clause(const Clause& clause) {
  const auto entities = clause_entities(clause);
  grounding::SearchOptions search;
  search.top_k = 8;
  search.entities = entities;
  search.filter = [&](const skills::SkillEntry& entry) {
    return !request_.enabled || request_.enabled(entry);
  };
  const auto matches = index_.search(clause.text, search);
  std::vector<Choice> choices;
  for (const auto& match : matches) {
    const auto* profile = profile_of(match.skill);
    if (!profile || !enabled(*profile)) continue;
    auto choice = weigh(*profile, match.score, clause, entities);
    choice.why_not += choice.why_not.empty() ? "" : "";
    // Inputs only an earlier step can give: a producer must exist (checked when chosen).
    choices.push_back(std::move(choice));
    plan_.candidates.push_back({profile->name(), match.score, false, std::string(clause.text),
                                "matched " + grounding::explain(match)});
  }
  std::sort(choices.begin(), choices.end(), [](const Choice& a, const Choice& b) {
    if (a.why_not.empty() != b.why_not.empty()) return a.why_not.empty();
    return a.score > b.score;
  });
  for (std::size_t i = 0; i < choices.size() && i < 3; ++i)
    if (std::find(near_.begin(), near_.end(), choices[i].profile->name()) == near_.end())
      near_.push_back(choices[i].profile->name());
  const auto decided = [&](const Choice& choice) {
    for (auto it = plan_.candidates.rbegin(); it != plan_.candidates.rend(); ++it)
      if (it->skill == choice.profile->name() && it->clause == clause.text)
        return !it->why.starts_with("matched ");
    return false;
  };
  const auto record = [&](const Choice& choice, bool chosen, std::string why) {
    for (auto it = plan_.candidates.rbegin(); it != plan_.candidates.rend(); ++it)
      if (it->skill == choice.profile->name() && it->clause == clause.text) {
        it->chosen = chosen;
        it->score = choice.score;
        const auto terms = it->why.find("matched ");
        it->why = std::move(why) + (terms == std::string::npos ? "" : "; " + it->why.substr(terms));
        break;
      }
  };
  std::optional<double> already_planned_score;
  for (const auto& choice : choices) {
    if (!choice.why_not.empty()) {
      record(choice, false, "left out: " + choice.why_not);
      if (clause.verb.size() && lexicon::is_change_action(clause.verb) &&
          unsupported_action_.empty())
        unsupported_action_ = clause.verb;
      if (choice.why_not.starts_with("it needs "))
        missing_.push_back(choice.profile->name() + " " + choice.why_not.substr(3));
      continue;
    }
    if (choice.score < options_.min_score) {
      record(choice, false,
             "left out: score " + format_score(choice.score) + " is below " +
                 format_score(options_.min_score));
      continue;
    }
    // The same skill once. A clause whose best skill is already planned either restates the
    // request ("analyse this and tell me what it does") or asks the next thing in words close to
    // it ("... and check the IPs it contacts"): a runner-up of comparable score answers the latter.
    if (std::any_of(plan_.steps.begin(), plan_.steps.end(),
                    [&](const Step& step) { return step.skill == choice.profile->name(); })) {
      record(choice, false, "left out: already planned for an earlier part of the prompt");
      if (!already_planned_score) already_planned_score = choice.score;
      continue;
    }
    if (already_planned_score && choice.score < *already_planned_score * 0.6) {
      record(choice, false, "left out: the clause restates an earlier part of the prompt");
      return true;
    }
    // Required inputs nothing in the prompt gives: put a step that yields them first.
    bool complete = true;
    Choice final = choice;
    for (std::size_t i = 0; i < final.fills.size(); ++i) {
      if (final.fills[i].filled || !final.profile->inputs[i].spec->required) continue;
      const auto producer =
          insert_producer(final.profile->inputs[i], clause, entities, options_.max_depth);
      if (!producer) {
        complete = false;
        missing_.push_back(final.profile->name() + " needs " + final.profile->inputs[i].spec->name);
        break;
      }
      final.fills[i] = fill(final.profile->inputs[i], &clause, entities, true);
    }
    if (!complete) {
      record(choice, false, "left out: nothing gives its required inputs");
      continue;
    }
    if (plan_.steps.size() >= options_.max_depth) {
      record(choice, false,
             "left out: the plan is already " + std::to_string(options_.max_depth) + " steps deep");
      return false;
    }
    record(choice, true, "chosen for " + quoted(clause.text));
    add_step(final, clause, "answers " + quoted(clause.text));
    for (const auto& other : choices)
      if (&other != &choice && !decided(other))
        record(other, false,
               other.why_not.empty() ? "left out: " + choice.profile->name() + " fits better"
                                     : "left out: " + other.why_not);
    return true;
  }
  return false;
}

void PlanBuilder::abstain(std::string message) {
  plan_.steps.clear();
  if (!near_.empty()) {
    message += " Closest skills: ";
    for (std::size_t i = 0; i < near_.size() && i < 3; ++i)
      message += (i ? ", " : "") + near_[i];
    message += ".";
  }
  if (!missing_.empty()) message += " Missing: " + missing_.front() + ".";
  message += " Call a skill directly with /Plugin.Skill name=value, or rephrase.";
  plan_.abstention = Abstention{std::move(message), near_};
}

bool PlanBuilder::refine_previous() {
  if (request_.history.empty()) return false;
  const PlanRequest previous{request_.history.back(),
                             request_.history.first(request_.history.size() - 1), request_.enabled};
  Plan base = PlanBuilder(index_, profiles_, options_, previous).build();
  if (base.steps.empty()) return false;
  Clause whole;
  whole.text = reading_.instruction;
  whole.kind = ClauseKind::request;
  const auto entities = clause_entities(whole);
  bool changed = false;
  for (auto& step : base.steps) {
    const SkillProfile* profile = nullptr;
    for (const auto& candidate : profiles_)
      if (candidate.name() == step.skill) profile = &candidate;
    if (!profile) return false;
    bool primary_done = false;
    for (const auto& input : profile->inputs) {
      const bool primary = !primary_done && input.spec->required && !input.kinds.empty();
      primary_done = primary_done || primary;
      if (accepts(input.kinds, "prompt") || accepts(input.kinds, "session")) continue;
      // Only what this prompt itself says (not the previous steps' outputs).
      auto filled = fill(input, &whole, entities, primary);
      if (!filled.filled || filled.binding || !filled.from_clause) continue;
      const auto* before = step.inputs.if_contains(input.spec->name);
      if (before && *before == filled.value && filled.fan_out.empty()) continue;
      step.inputs[input.spec->name] = filled.value;
      std::erase_if(step.bindings, [&](const Binding& b) { return b.input == input.spec->name; });
      if (filled.fan_out.size() > 1) {
        step.fan_out_input = input.spec->name;
        step.fan_out_values = filled.fan_out;
      } else if (step.fan_out_input == input.spec->name) {
        step.fan_out_input.clear();
        step.fan_out_values.clear();
      }
      changed = true;
    }
    step.reason = "repeats the previous prompt with this one's values";
  }
  if (!changed) return false;
  plan_.steps = std::move(base.steps);
  plan_.candidates.insert(plan_.candidates.begin(), base.candidates.begin(), base.candidates.end());
  return true;
}

Plan PlanBuilder::build() {
  read();
  // A follow-up that changes a value of the previous request.
  for (std::string_view marker : {"same", "again", "version", "only the", "instead", "now do"})
    if (text::has_words(reading_.lower, marker) && refine_previous()) return std::move(plan_);
  auto clauses = split_clauses(reading_.parts.instruction);
  if (!reading_.parts.rest.empty())
    for (auto clause : split_clauses(reading_.parts.rest)) {
      clause.offset = reading_.parts.instruction.size() + 1 + clause.offset;
      clauses.push_back(clause);
    }
  const bool asks = std::any_of(clauses.begin(), clauses.end(), [](const Clause& c) {
    return c.kind == ClauseKind::request || c.kind == ClauseKind::question;
  });
  if (const auto product = foreign_product(); !product.empty()) {
    for (const auto& clause : clauses)
      if (clause.kind != ClauseKind::negation) plan_clause(clause);
    abstain("No enabled plugin works with " + product + ".");
    return std::move(plan_);
  }
  for (const auto& clause : clauses) {
    if (clause.kind == ClauseKind::negation) continue;
    if (asks && clause.kind == ClauseKind::context) continue;
    plan_clause(clause);
    if (!unsupported_action_.empty()) break;
  }
  if (!unsupported_action_.empty()) {
    abstain("No enabled skill can " + unsupported_action_ + " anything.");
    return std::move(plan_);
  }
  if (plan_.steps.empty() && refine_previous()) return std::move(plan_);
  if (plan_.steps.empty()) {
    abstain(missing_.empty() ? "No enabled skill fits this prompt."
                             : "A skill comes close but lacks an input.");
    return std::move(plan_);
  }
  return std::move(plan_);
}

}  // namespace

LocalPlanner::LocalPlanner(const grounding::SkillIndex& index, PlannerOptions options)
    : index_(index),
      options_(options),
      profiles_(std::make_shared<const std::vector<SkillProfile>>(profile_skills(index))) {}

Plan LocalPlanner::plan(const PlanRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  Plan plan = PlanBuilder(index_, *profiles_, options_, request).build();
  plan.planning_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return plan;
}

}  // namespace secpilot::planner
