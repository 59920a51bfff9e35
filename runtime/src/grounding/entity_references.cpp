// resolve_references(): phrases of a new prompt that point back at entities of the session.
//   [determiner] [ordinal [count]] [adjective]{0,2} noun+
//   determiners: the that this those these both all each ("all of the", "each of these")
//   ordinals: first..tenth, 1st..10th, last final latest previous; counts: two..ten, 2..10
//   nouns: ip(s) address(es) domain(s) url(s) link(s) email(s) hash(es) md5 sha1 sha256 cve(s)
//          vulnerability(ies) technique(s) ttp(s) tactic(s) host(s) machine(s) device(s)
//          computer(s) endpoint(s) server(s) workstation(s) user(s) account(s) upn(s) path(s)
//          file(s) incident(s) script(s) command(s) query(ies) kql indicator(s) ioc(s) cidr(s)
//          subnet(s) range(s); "ip address", "domain name", "incident id", "command line":
//          a generic last word (address, name, id, number, line, query) takes its type from the
//          word before.
//   "it" / "them": only when the prompt names no entity and no other phrase matched.
// A phrase looks at the most recent turn with an entity of its types.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>

#include "grounding/entity_chars.hpp"
#include "grounding/entity_kinds.hpp"
#include "secpilot/grounding/entities.hpp"

namespace secpilot::grounding {
namespace {

using detail::Kind;
using detail::ShortLower;

using TypeMask = std::uint32_t;
constexpr TypeMask bit(Kind kind) {
  return TypeMask{1} << static_cast<unsigned>(kind);
}

constexpr TypeMask kIp = bit(Kind::ip);
constexpr TypeMask kCidr = bit(Kind::cidr);
constexpr TypeMask kHash = bit(Kind::md5) | bit(Kind::sha1) | bit(Kind::sha256);
constexpr TypeMask kIndicators =
    bit(Kind::ip) | bit(Kind::cidr) | bit(Kind::domain) | bit(Kind::url) | bit(Kind::email) | kHash;
constexpr TypeMask kAll = (TypeMask{1} << (static_cast<unsigned>(Kind::kql) + 1)) - 1;

struct Noun {
  std::string_view word;
  TypeMask types;
  bool plural;
  bool generic;  // "address", "name", "id": the word before says which type
};

// Sorted by word for the reader.
constexpr Noun kNouns[] = {
    {"account", bit(Kind::user), false, false},
    {"accounts", bit(Kind::user), true, false},
    {"address", kIp | bit(Kind::email), false, true},
    {"addresses", kIp | bit(Kind::email), true, true},
    {"cidr", kCidr, false, false},
    {"cidrs", kCidr, true, false},
    {"command", bit(Kind::script), false, false},
    {"commands", bit(Kind::script), true, false},
    {"computer", bit(Kind::host), false, false},
    {"computers", bit(Kind::host), true, false},
    {"cve", bit(Kind::cve), false, false},
    {"cves", bit(Kind::cve), true, false},
    {"device", bit(Kind::host), false, false},
    {"devices", bit(Kind::host), true, false},
    {"domain", bit(Kind::domain), false, false},
    {"domains", bit(Kind::domain), true, false},
    {"e-mail", bit(Kind::email), false, false},
    {"e-mails", bit(Kind::email), true, false},
    {"email", bit(Kind::email), false, false},
    {"emails", bit(Kind::email), true, false},
    {"endpoint", bit(Kind::host), false, false},
    {"endpoints", bit(Kind::host), true, false},
    {"file", bit(Kind::file_path), false, false},
    {"files", bit(Kind::file_path), true, false},
    {"hash", kHash, false, false},
    {"hashes", kHash, true, false},
    {"host", bit(Kind::host), false, false},
    {"hostname", bit(Kind::host), false, false},
    {"hostnames", bit(Kind::host), true, false},
    {"hosts", bit(Kind::host), true, false},
    {"id", kAll, false, true},
    {"ids", kAll, true, true},
    {"incident", bit(Kind::incident_id), false, false},
    {"incidents", bit(Kind::incident_id), true, false},
    {"indicator", kIndicators, false, false},
    {"indicators", kIndicators, true, false},
    {"ioc", kIndicators, false, false},
    {"iocs", kIndicators, true, false},
    {"ip", kIp, false, false},
    {"ips", kIp, true, false},
    {"ipv4", kIp, false, false},
    {"ipv6", kIp, false, false},
    {"kql", bit(Kind::kql), false, false},
    {"line", kAll, false, true},
    {"lines", kAll, true, true},
    {"link", bit(Kind::url), false, false},
    {"links", bit(Kind::url), true, false},
    {"machine", bit(Kind::host), false, false},
    {"machines", bit(Kind::host), true, false},
    {"md5", bit(Kind::md5), false, false},
    {"md5s", bit(Kind::md5), true, false},
    {"name", kAll, false, true},
    {"names", kAll, true, true},
    {"number", kAll, false, true},
    {"numbers", kAll, true, true},
    {"path", bit(Kind::file_path), false, false},
    {"paths", bit(Kind::file_path), true, false},
    {"queries", bit(Kind::kql), true, true},
    {"query", bit(Kind::kql), false, true},
    {"range", kCidr, false, false},
    {"ranges", kCidr, true, false},
    {"script", bit(Kind::script), false, false},
    {"scripts", bit(Kind::script), true, false},
    {"server", bit(Kind::host), false, false},
    {"servers", bit(Kind::host), true, false},
    {"sha-1", bit(Kind::sha1), false, false},
    {"sha-256", bit(Kind::sha256), false, false},
    {"sha1", bit(Kind::sha1), false, false},
    {"sha256", bit(Kind::sha256), false, false},
    {"subnet", kCidr, false, false},
    {"subnets", kCidr, true, false},
    {"tactic", bit(Kind::mitre_tactic), false, false},
    {"tactics", bit(Kind::mitre_tactic), true, false},
    {"technique", bit(Kind::mitre_technique), false, false},
    {"techniques", bit(Kind::mitre_technique), true, false},
    {"ttp", bit(Kind::mitre_technique), false, false},
    {"ttps", bit(Kind::mitre_technique), true, false},
    {"upn", bit(Kind::user), false, false},
    {"upns", bit(Kind::user), true, false},
    {"url", bit(Kind::url), false, false},
    {"urls", bit(Kind::url), true, false},
    {"user", bit(Kind::user), false, false},
    {"users", bit(Kind::user), true, false},
    {"vulnerabilities", bit(Kind::cve), true, false},
    {"vulnerability", bit(Kind::cve), false, false},
    {"workstation", bit(Kind::host), false, false},
    {"workstations", bit(Kind::host), true, false},
};

constexpr std::string_view word_of(const Noun& noun) noexcept {
  return noun.word;
}
constexpr detail::WordIndex kNounsIndex{kNouns};

constexpr std::string_view kAdjectives[] = {
    "above",     "affected", "attacker", "bad",      "compromised", "destination", "external",
    "flagged",   "impacted", "infected", "internal", "listed",      "malicious",   "mentioned",
    "offending", "public",   "remote",   "same",     "source",      "suspicious",  "unknown"};
constexpr detail::WordIndex kAdjectivesIndex{kAdjectives};

// After a plain "the X", these words say X is described, not pointed back at ("the IP of
// ws-fin-07", "the users with MFA disabled").
constexpr std::string_view kDescribedBy[] = {
    "assigned", "associated", "behind", "belonging", "called", "for", "from",  "hosting", "named",
    "of",       "that",       "used",   "where",     "which",  "who", "whose", "with"};
constexpr detail::WordIndex kDescribedByIndex{kDescribedBy};

constexpr std::string_view kCounts[] = {"",    "one",   "two",   "three", "four", "five",
                                        "six", "seven", "eight", "nine",  "ten"};
constexpr std::string_view kOrdinals[] = {"",      "first",   "second", "third", "fourth", "fifth",
                                          "sixth", "seventh", "eighth", "ninth", "tenth"};

struct Word {
  std::size_t start = 0;
  std::size_t end = 0;
  ShortLower lower{std::string_view{}};
  std::string_view text() const noexcept { return lower.view(); }
};

std::vector<Word> words_of(std::string_view prompt) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < prompt.size()) {
    if (!detail::is_alnum(prompt[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < prompt.size() && (detail::is_alnum(prompt[i]) ||
                                 ((prompt[i] == '-' || prompt[i] == '&') && i + 1 < prompt.size() &&
                                  detail::is_alnum(prompt[i + 1]))))
      ++i;
    words.push_back({start, i, ShortLower(prompt.substr(start, i - start))});
  }
  return words;
}

const Noun* noun_of(std::string_view word) noexcept {
  return kNounsIndex.find(word);
}

// 1..10 for "first".."tenth" and "1st".."10th"; -1 for last, final, latest, previous; 0 if none.
int ordinal_of(std::string_view word) noexcept {
  for (int i = 1; i <= 10; ++i)
    if (word == kOrdinals[i]) return i;
  if (word == "last" || word == "final" || word == "latest" || word == "previous") return -1;
  if (word.size() >= 3 && word.size() <= 4) {
    const std::string_view suffix = word.substr(word.size() - 2);
    const std::string_view digits = word.substr(0, word.size() - 2);
    if ((suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return detail::is_digit(c); })) {
      const int n = std::stoi(std::string(digits));
      return n >= 1 && n <= 10 ? n : 0;
    }
  }
  return 0;
}

int count_of(std::string_view word) noexcept {
  for (int i = 2; i <= 10; ++i)
    if (word == kCounts[i]) return i;
  // Not empty: past the prompt's last word the word is "", which std::stoi would throw on.
  if (!word.empty() && word.size() <= 2 &&
      std::all_of(word.begin(), word.end(), [](char c) { return detail::is_digit(c); })) {
    const int n = std::stoi(std::string(word));
    return n >= 2 && n <= 10 ? n : 0;
  }
  return 0;
}

struct Phrase {
  std::size_t first_word = 0;
  std::size_t end_word = 0;  // one past the last noun
  TypeMask types = 0;
  int ordinal = 0;  // 1-based, -1 = last, 0 = none
  int count = 1;    // how many from the ordinal on
  bool plural = false;
  bool demonstrative = false;  // that this those these both: clearly pointing back
};

class Resolver {
 public:
  Resolver(std::string_view prompt, std::span<const SessionEntity> history)
      : prompt_(prompt), history_(history), words_(words_of(prompt)) {}

  std::vector<Reference> run() {
    own_ = extract_entities(prompt_);
    std::vector<Reference> out;
    std::size_t i = 0;
    while (i < words_.size()) {
      if (auto phrase = phrase_at(i)) {
        if (auto reference = resolve(*phrase)) out.push_back(std::move(*reference));
        i = phrase->end_word;
      } else {
        ++i;
      }
    }
    if (out.empty() && own_.empty()) pronouns(out);
    return out;
  }

 private:
  std::optional<Phrase> phrase_at(std::size_t i) const {
    Phrase phrase;
    phrase.first_word = i;
    std::size_t j = i;
    bool quantified = false;
    bool definite = false;
    auto word = [&](std::size_t k) {
      return k < words_.size() ? words_[k].text() : std::string_view{};
    };
    if (word(j) == "all" || word(j) == "each" || word(j) == "both") {
      phrase.demonstrative = word(j) == "both";
      quantified = true;
      ++j;
      if (word(j) == "of") ++j;
      if (word(j) == "the" || word(j) == "these" || word(j) == "those") {
        phrase.demonstrative = phrase.demonstrative || word(j) != "the";
        ++j;
      }
    } else if (word(j) == "the") {
      definite = true;
      ++j;
    } else if (word(j) == "that" || word(j) == "this" || word(j) == "those" || word(j) == "these") {
      phrase.demonstrative = true;
      ++j;
    }
    if (const int ordinal = ordinal_of(word(j))) {
      phrase.ordinal = ordinal;
      ++j;
      if (const int count = count_of(word(j))) {
        phrase.count = count;
        ++j;
      }
    }
    if (!quantified && !definite && !phrase.demonstrative && phrase.ordinal == 0)
      return std::nullopt;
    for (int adjectives = 0; adjectives < 2 && kAdjectivesIndex.contains(word(j)); ++adjectives)
      ++j;
    const Noun* head = nullptr;
    const Noun* modifier = nullptr;  // "ip" in "ip address"
    while (const Noun* noun = noun_of(word(j))) {
      modifier = head;
      head = noun;
      ++j;
    }
    if (!head) return std::nullopt;
    phrase.types = head->generic && modifier ? modifier->types : head->types;
    if (phrase.types == kAll) return std::nullopt;  // "the id", "the name": no type
    phrase.plural = head->plural || quantified || phrase.count > 1;
    phrase.end_word = j;
    if (phrase.ordinal == 0 && !phrase.demonstrative && kDescribedByIndex.contains(word(j)))
      return std::nullopt;
    if (names_own_entity_after(words_[j - 1].end)) return std::nullopt;
    return phrase;
  }

  // "the IP 203.0.113.7": the phrase introduces an entity of the prompt, it points at nothing.
  bool names_own_entity_after(std::size_t pos) const {
    while (pos < prompt_.size() &&
           (prompt_[pos] == ' ' || prompt_[pos] == ':' || prompt_[pos] == '"' ||
            prompt_[pos] == '\'' || prompt_[pos] == '`'))
      ++pos;
    return std::any_of(own_.begin(), own_.end(),
                       [&](const Entity& entity) { return entity.offset == pos; });
  }

  static TypeMask mask_of(std::string_view type) {
    for (unsigned k = 0; k <= static_cast<unsigned>(Kind::kql); ++k)
      if (detail::kind_name(static_cast<Kind>(k)) == type) return TypeMask{1} << k;
    return 0;
  }

  // The entities of the most recent turn with an entity of `types`, in the order written.
  std::vector<SessionEntity> latest(TypeMask types) const {
    std::optional<std::size_t> turn;
    for (const SessionEntity& entity : history_)
      if ((mask_of(entity.entity.type) & types) && (!turn || entity.turn > *turn))
        turn = entity.turn;
    std::vector<SessionEntity> out;
    if (!turn) return out;
    for (const SessionEntity& entity : history_)
      if (entity.turn == *turn && (mask_of(entity.entity.type) & types)) out.push_back(entity);
    std::stable_sort(out.begin(), out.end(), [](const SessionEntity& a, const SessionEntity& b) {
      return a.entity.offset < b.entity.offset;
    });
    return out;
  }

  Reference make(std::size_t start, std::size_t end, TypeMask types) const {
    Reference reference;
    reference.offset = start;
    reference.length = end - start;
    reference.phrase = std::string(prompt_.substr(start, end - start));
    for (unsigned k = 0; k <= static_cast<unsigned>(Kind::kql); ++k)
      if (types & (TypeMask{1} << k))
        reference.types.emplace_back(detail::kind_name(static_cast<Kind>(k)));
    return reference;
  }

  std::optional<Reference> resolve(const Phrase& phrase) const {
    std::vector<SessionEntity> candidates = latest(phrase.types);
    // A plain "the hash" with nothing to point at is not a reference; "that host" still is.
    if (candidates.empty() && !phrase.demonstrative && phrase.ordinal == 0) return std::nullopt;
    Reference reference =
        make(words_[phrase.first_word].start, words_[phrase.end_word - 1].end, phrase.types);
    const auto size = static_cast<int>(candidates.size());
    if (phrase.ordinal != 0) {
      // "the second IP": the 2nd; "the last two IPs": the 2 at the end; out of range: none.
      const int first = phrase.ordinal > 0 ? phrase.ordinal - 1 : size - phrase.count;
      if (first >= 0 && first + phrase.count <= size)
        for (int k = first; k < first + phrase.count; ++k)
          reference.entities.push_back(candidates[static_cast<std::size_t>(k)]);
    } else {
      reference.entities = std::move(candidates);
      reference.ambiguous = !phrase.plural && reference.entities.size() > 1;
    }
    return reference;
  }

  void pronouns(std::vector<Reference>& out) const {
    for (const Word& word : words_) {
      const std::string_view original = prompt_.substr(word.start, word.end - word.start);
      const bool it = word.text() == "it" && original != "IT";  // "IT" is information technology
      const bool them = word.text() == "them";
      if (!it && !them) continue;
      Reference reference = make(word.start, word.end, kAll);
      reference.types.clear();
      reference.entities = latest(kAll);
      reference.ambiguous = it && reference.entities.size() > 1;
      if (reference.entities.empty()) continue;
      out.push_back(std::move(reference));
      return;  // one pronoun is enough: they all point at the same turn
    }
  }

  std::string_view prompt_;
  std::span<const SessionEntity> history_;
  std::vector<Word> words_;
  std::vector<Entity> own_;
};

}  // namespace

std::vector<Reference> resolve_references(std::string_view prompt,
                                          std::span<const SessionEntity> history) {
  return Resolver(prompt, history).run();
}

}  // namespace secpilot::grounding
