#include "secpilot/grounding/skill_index.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>

#include "grounding/security_lexicon.hpp"
#include "grounding/skill_fields.hpp"
#include "grounding/term_hash.hpp"
#include "grounding/tokenize.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::grounding {
namespace {

// A prompt's entity types count at this share of a word written in the prompt: they say what the
// prompt is about, not what to do with it.
constexpr float kEntityWeight = 0.5f;
constexpr std::uint32_t kNoTerm = std::numeric_limits<std::uint32_t>::max();

using TermIds = TermMap<std::uint32_t>;

struct Posting {
  std::uint32_t skill = 0;
  float impact = 0;  // idf x saturated BM25F term frequency: the term's whole score for the skill
  FieldSet fields;   // where the skill has the term, for explanations
};

// How often a term occurs in one field of one skill.
struct TermCount {
  std::uint32_t term = 0;
  Field field = Field::name;
  std::uint32_t count = 0;
};
using FieldLengths = std::array<std::uint32_t, kFieldCount>;

// The terms of some fields (a skill's own, or its plugin's): while collecting, one key per
// occurrence (term * kFieldCount + field, cheap to sort); then counts by term and field.
struct FieldTerms {
  std::vector<std::uint32_t> keys;
  std::vector<TermCount> counts;
  FieldLengths lengths{};

  void count_keys() {
    std::sort(keys.begin(), keys.end());
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (i > 0 && keys[i] == keys[i - 1])
        ++counts.back().count;
      else
        counts.push_back({static_cast<std::uint32_t>(keys[i] / kFieldCount),
                          static_cast<Field>(keys[i] % kFieldCount), 1});
    keys.clear();
  }
};

bool before(const TermCount& a, const TermCount& b) noexcept {
  return a.term != b.term ? a.term < b.term : a.field < b.field;
}

// Interns terms; remembers what each word became, since descriptions repeat their words a lot.
class TermTable {
 public:
  // Room for 16 distinct words a skill, more than catalogs have, so that the word table does
  // not rehash while it fills (a tenth of the build time on the 1,000-skill benchmark).
  explicit TermTable(std::size_t skills) { word_terms_.reserve(skills * 16); }

  void add(std::string_view text, Field field, FieldTerms& into) {
    for (const auto word : splitter_.split(text)) {
      auto known = word_terms_.find(word);
      if (known == word_terms_.end()) {
        const std::string term = normalise_word(word);
        known = word_terms_.emplace(word, term.empty() ? kNoTerm : intern(term)).first;
      }
      if (known->second == kNoTerm) continue;
      into.keys.push_back(known->second * kFieldCount + static_cast<std::uint32_t>(field));
      ++into.lengths[static_cast<std::size_t>(field)];
    }
  }

  std::vector<std::string> terms;
  TermIds ids;

 private:
  std::uint32_t intern(const std::string& term) {
    auto [it, added] = ids.emplace(term, static_cast<std::uint32_t>(terms.size()));
    if (added) terms.push_back(term);
    return it->second;
  }

  WordSplitter splitter_;
  TermIds word_terms_;
};

// IDF by term id. A plugin's shared text is one document, not one per skill, or every word of a
// big plugin's description would look common ("look" in Threat Intel's "Looks up ...").
std::vector<double> inverse_document_frequencies(
    std::span<const skills::SkillEntry* const> entries, const std::vector<FieldTerms>& skills,
    const std::unordered_map<const manifest::Manifest*, FieldTerms>& plugins,
    std::size_t term_count) {
  std::vector<std::uint32_t> skills_with(term_count, 0);  // in their own text
  for (std::size_t skill = 0; skill < skills.size(); ++skill) {
    const bool shares_text = entries[skill]->manifest != nullptr;
    std::uint32_t last = kNoTerm;
    for (const auto& count : skills[skill].counts) {
      const bool shared =
          count.field == Field::plugin_name || count.field == Field::plugin_description;
      if ((shared && shares_text) || count.term == last) continue;
      ++skills_with[last = count.term];
    }
  }
  std::vector<std::uint32_t> plugins_with(term_count, 0);
  for (const auto& plugin : plugins) {
    std::uint32_t last = kNoTerm;
    for (const auto& count : plugin.second.counts)
      if (count.term != last) ++plugins_with[last = count.term];
  }
  std::vector<double> idf(term_count);
  const auto documents = static_cast<double>(skills.size());
  for (std::size_t term = 0; term < term_count; ++term) {
    const double df = std::max(skills_with[term], plugins_with[term]);
    idf[term] = std::log(1.0 + (documents - df + 0.5) / (df + 0.5));
  }
  return idf;
}

IndexedSkill describe_inputs(const skills::SkillEntry& entry) {
  IndexedSkill skill;
  skill.entry = &entry;
  skill.available = entry.available();
  if (!entry.spec) return skill;
  for (const auto& input : entry.spec->inputs) {
    if (!manifest::is_entity_type(input.type)) continue;
    auto& types = input.required ? skill.required_entity_types : skill.optional_entity_types;
    if (std::find(types.begin(), types.end(), input.type) == types.end())
      types.push_back(input.type);
  }
  return skill;
}

}  // namespace

struct SkillIndex::Data {
  std::vector<IndexedSkill> skills;  // in the order given (the catalog's: by full name)
  std::unordered_map<std::string, std::uint32_t> by_lower_name;
  std::vector<std::string> terms;  // by term id
  TermIds term_ids;
  std::vector<std::uint32_t> posting_start;  // per term id, into postings; one more at the end
  std::vector<Posting> postings;             // by term, then skill

  std::uint32_t term_id(std::string_view term) const {
    auto found = term_ids.find(term);
    return found == term_ids.end() ? kNoTerm : found->second;
  }
  std::span<const Posting> postings_of(std::uint32_t term) const {
    return {postings.data() + posting_start[term], postings.data() + posting_start[term + 1]};
  }
  const Posting* posting(std::uint32_t term, std::uint32_t skill) const {
    const auto list = postings_of(term);
    auto it = std::lower_bound(list.begin(), list.end(), skill,
                               [](const Posting& p, std::uint32_t s) { return p.skill < s; });
    return it != list.end() && it->skill == skill ? &*it : nullptr;
  }
};

std::string_view field_name(Field field) noexcept {
  switch (field) {
    case Field::name:
      return "name";
    case Field::display_name:
      return "display_name";
    case Field::description:
      return "description";
    case Field::description_for_model:
      return "description_for_model";
    case Field::example_prompts:
      return "example_prompts";
    case Field::inputs:
      return "inputs";
    case Field::plugin_name:
      return "plugin_name";
    case Field::plugin_description:
      return "plugin_description";
  }
  return "unknown";
}

std::vector<std::string_view> Match::terms_in(Field field) const {
  std::vector<std::string_view> found;
  for (const auto& term : terms)
    if (term.fields.contains(field)) found.push_back(term.term);
  return found;
}

SkillIndex::SkillIndex(std::unique_ptr<const Data> data) : data_(std::move(data)) {}
SkillIndex::SkillIndex(SkillIndex&&) noexcept = default;
SkillIndex& SkillIndex::operator=(SkillIndex&&) noexcept = default;
SkillIndex::~SkillIndex() = default;

SkillIndex SkillIndex::build(const skills::Catalog& catalog) {
  const auto entries = catalog.list();
  return build(entries);
}

SkillIndex SkillIndex::build(std::span<const skills::SkillEntry* const> entries) {
  auto data = std::make_unique<Data>();
  TermTable table(entries.size());
  // A plugin's texts are shared by all its skills: counted once per manifest.
  std::unordered_map<const manifest::Manifest*, FieldTerms> plugins;
  std::vector<FieldTerms> skills;  // each skill's terms with its plugin's, by term then field
  skills.reserve(entries.size());

  for (const skills::SkillEntry* entry : entries) {
    data->by_lower_name.emplace(to_lower_ascii(entry->full_name),
                                static_cast<std::uint32_t>(data->skills.size()));
    data->skills.push_back(describe_inputs(*entry));

    FieldTerms own;
    const auto add = [&](Field field, std::string_view text) { table.add(text, field, own); };
    if (entry->spec)
      visit_skill_texts(*entry->spec, add);
    else
      add(Field::name, entry->name);
    own.count_keys();

    FieldTerms plugin_only;
    const FieldTerms* plugin = &plugin_only;
    if (entry->manifest) {
      const auto [cached, fresh] = plugins.try_emplace(entry->manifest.get());
      FieldTerms& terms = cached->second;
      if (fresh) {
        visit_plugin_texts(entry->manifest->descriptor, [&](Field field, std::string_view text) {
          table.add(text, field, terms);
        });
        terms.count_keys();
      }
      plugin = &terms;
    } else {
      table.add(entry->plugin, Field::plugin_name, plugin_only);
      plugin_only.count_keys();
    }

    FieldTerms& all = skills.emplace_back();
    all.counts.resize(own.counts.size() + plugin->counts.size());
    std::merge(own.counts.begin(), own.counts.end(), plugin->counts.begin(), plugin->counts.end(),
               all.counts.begin(), before);  // never equal: skill and plugin fields differ
    for (std::size_t f = 0; f < kFieldCount; ++f)
      all.lengths[f] = own.lengths[f] + plugin->lengths[f];
  }

  const std::size_t skill_count = skills.size();
  const std::size_t term_count = table.terms.size();
  std::array<double, kFieldCount> average_length{};
  for (const auto& skill : skills)
    for (std::size_t f = 0; f < kFieldCount; ++f)
      average_length[f] += skill.lengths[f];
  for (auto& average : average_length)
    average = skill_count == 0 ? 0 : average / static_cast<double>(skill_count);

  // Each term's posting count: the skills that have it anywhere, their plugin's text included.
  std::vector<std::uint32_t> posting_counts(term_count, 0);
  for (const auto& skill : skills)
    for (std::size_t i = 0; i < skill.counts.size(); ++i)
      if (i == 0 || skill.counts[i - 1].term != skill.counts[i].term)
        ++posting_counts[skill.counts[i].term];
  const auto idf = inverse_document_frequencies(entries, skills, plugins, term_count);
  data->posting_start.assign(term_count + 1, 0);
  for (std::size_t term = 0; term < term_count; ++term)
    data->posting_start[term + 1] = data->posting_start[term] + posting_counts[term];
  data->postings.resize(data->posting_start.back());
  std::vector<std::uint32_t> next(data->posting_start.begin(), data->posting_start.end() - 1);

  for (std::size_t skill = 0; skill < skill_count; ++skill) {
    const auto& counts = skills[skill].counts;
    std::array<double, kFieldCount> normaliser;  // BM25F: each field by its own length
    for (std::size_t f = 0; f < kFieldCount; ++f) {
      const auto& parameters = kFieldParameters[f];
      const double relative =
          average_length[f] > 0 ? skills[skill].lengths[f] / average_length[f] : 1.0;
      normaliser[f] = parameters.weight / (1.0 - parameters.b + parameters.b * relative);
    }
    for (std::size_t i = 0; i < counts.size();) {
      const std::uint32_t term = counts[i].term;
      double frequency = 0;
      FieldSet fields;
      for (; i < counts.size() && counts[i].term == term; ++i) {
        frequency += counts[i].count * normaliser[static_cast<std::size_t>(counts[i].field)];
        fields.add(counts[i].field);
      }
      const double saturated = frequency * (kK1 + 1) / (frequency + kK1);
      data->postings[next[term]++] = {static_cast<std::uint32_t>(skill),
                                      static_cast<float>(idf[term] * saturated), fields};
    }
  }

  data->terms = std::move(table.terms);
  data->term_ids = std::move(table.ids);
  return SkillIndex(std::move(data));
}

namespace {

struct QueryTerm {
  std::uint32_t term = 0;
  float weight = 0;
  std::uint32_t source = 0;  // into Query::sources; 0 is "said directly"
};

// The prompt's terms (and its entity types'), each with the terms the lexicon relates to it,
// resolved to index terms; one entry per index term, at its highest weight.
class Query {
 public:
  Query() : sources(1) {}

  std::vector<std::string> sources;  // how terms were reached; [0] is empty: said directly
  std::vector<QueryTerm> terms;

  // `term` as said in the prompt (`source` empty) or as an entity type's word.
  template <class Resolve>
  void add(const std::string& term, std::string source, float weight, Resolve&& resolve) {
    std::uint32_t said = 0;
    if (!source.empty()) {
      said = static_cast<std::uint32_t>(sources.size());
      sources.push_back(std::move(source));
    }
    if (const auto id = resolve(term); id != kNoTerm) terms.push_back({id, weight, said});
    const auto related = related_terms(term);
    if (related.empty()) return;
    std::uint32_t via = said;
    if (via == 0) {
      via = static_cast<std::uint32_t>(sources.size());
      sources.push_back(term);
    }
    for (const auto& other : related)
      if (const auto id = resolve(other.term); id != kNoTerm)
        terms.push_back({id, weight * other.weight, via});
  }

  void deduplicate() {
    std::sort(terms.begin(), terms.end(), [](const QueryTerm& a, const QueryTerm& b) {
      return a.term != b.term ? a.term < b.term : a.weight > b.weight;
    });
    terms.erase(
        std::unique(terms.begin(), terms.end(),
                    [](const QueryTerm& a, const QueryTerm& b) { return a.term == b.term; }),
        terms.end());
  }
};

// The prompt with its entities' text blanked out.
std::string without_entities(std::string_view prompt, std::span<const Entity> entities) {
  std::string text(prompt);
  for (const auto& entity : entities)
    if (entity.offset < text.size()) {
      const std::size_t length = std::min(entity.length, text.size() - entity.offset);
      text.replace(entity.offset, length, length, ' ');
    }
  return text;
}

}  // namespace

std::vector<Match> SkillIndex::search(std::string_view prompt, const SearchOptions& options) const {
  const Data& data = *data_;
  if (options.top_k == 0 || data.skills.empty()) return {};

  const auto resolve = [&](std::string_view term) { return data.term_id(term); };
  Query query;
  WordSplitter splitter;
  for (const auto word : splitter.split(without_entities(prompt, options.entities)))
    if (const auto term = normalise_word(word); !term.empty()) query.add(term, {}, 1.0f, resolve);
  std::vector<std::string_view> types;
  for (const auto& entity : options.entities)
    if (std::find(types.begin(), types.end(), entity.type) == types.end())
      types.push_back(entity.type);
  for (const auto type : types) {
    std::vector<std::string> type_terms;
    tokenize(type, type_terms);
    for (const auto& term : type_terms)
      query.add(term, "entity:" + std::string(type), kEntityWeight, resolve);
  }
  query.deduplicate();
  if (query.terms.empty()) return {};

  std::vector<float> scores(data.skills.size(), 0.0f);
  std::vector<std::uint32_t> candidates;
  for (const auto& query_term : query.terms)
    for (const auto& posting : data.postings_of(query_term.term)) {
      if (scores[posting.skill] == 0.0f) candidates.push_back(posting.skill);
      scores[posting.skill] += query_term.weight * posting.impact;
    }

  // Best first; the caller's filter is asked only about skills that would make the cut.
  const auto worse = [&](std::uint32_t a, std::uint32_t b) {
    if (scores[a] != scores[b]) return scores[a] < scores[b];
    return data.skills[a].entry->full_name > data.skills[b].entry->full_name;
  };
  std::erase_if(candidates, [&](std::uint32_t skill) {
    return scores[skill] <= options.min_score ||
           (!data.skills[skill].available && !options.include_unavailable);
  });
  std::make_heap(candidates.begin(), candidates.end(), worse);
  std::vector<Match> matches;
  for (auto end = candidates.end(); end != candidates.begin() && matches.size() < options.top_k;) {
    std::pop_heap(candidates.begin(), end, worse);
    const std::uint32_t skill = *--end;
    if (options.filter && !options.filter(*data.skills[skill].entry)) continue;

    Match& match = matches.emplace_back();
    match.skill = &data.skills[skill];
    match.score = scores[skill];
    for (const auto& query_term : query.terms)
      if (const Posting* posting = data.posting(query_term.term, skill)) {
        MatchedTerm& matched = match.terms.emplace_back();
        matched.term = data.terms[query_term.term];
        matched.source = query.sources[query_term.source];
        matched.contribution = query_term.weight * posting->impact;
        matched.fields = posting->fields;
      }
    std::sort(match.terms.begin(), match.terms.end(),
              [](const MatchedTerm& a, const MatchedTerm& b) {
                return a.contribution != b.contribution ? a.contribution > b.contribution
                                                        : a.term < b.term;
              });
  }
  return matches;
}

const IndexedSkill* SkillIndex::find(std::string_view full_name) const {
  auto found = data_->by_lower_name.find(to_lower_ascii(full_name));
  return found == data_->by_lower_name.end() ? nullptr : &data_->skills[found->second];
}

std::span<const IndexedSkill> SkillIndex::skills() const noexcept {
  return data_->skills;
}

std::size_t SkillIndex::vocabulary_size() const noexcept {
  return data_->terms.size();
}

std::string explain(const Match& match) {
  std::string text;
  for (const auto& term : match.terms) {
    if (!text.empty()) text += "; ";
    text += term.term;
    if (!term.source.empty()) text += " via " + term.source;
    text += " (";
    bool first = true;
    for (std::size_t f = 0; f < kFieldCount; ++f)
      if (term.fields.contains(static_cast<Field>(f))) {
        if (!first) text += ", ";
        text += field_name(static_cast<Field>(f));
        first = false;
      }
    char contribution[32];
    std::snprintf(contribution, sizeof contribution, ") %.2f", term.contribution);
    text += contribution;
  }
  return text;
}

}  // namespace secpilot::grounding
