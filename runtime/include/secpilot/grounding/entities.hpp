// Grounding, step one: the security entities a defender's prompt names (IPs, domains, URLs,
// hashes, CVEs, ATT&CK ids, hosts, users, file paths, incidents, scripts, KQL), in the prompt
// and in the session so far, and what "the second IP" or "that host" points back to.
// The rules, with examples, are in docs/grounding.md.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace secpilot::grounding {

// Entity type names: the manifest's input entity types (manifest.hpp) plus cidr, file_path and
// mitre_tactic. Hashes are always typed md5, sha1 or sha256 (a `hash` input takes any of them).
namespace entity_type {
inline constexpr std::string_view ip = "ip";
inline constexpr std::string_view cidr = "cidr";
inline constexpr std::string_view domain = "domain";
inline constexpr std::string_view url = "url";
inline constexpr std::string_view email = "email";
inline constexpr std::string_view md5 = "md5";
inline constexpr std::string_view sha1 = "sha1";
inline constexpr std::string_view sha256 = "sha256";
inline constexpr std::string_view cve = "cve";
inline constexpr std::string_view mitre_technique = "mitre_technique";
inline constexpr std::string_view mitre_tactic = "mitre_tactic";
inline constexpr std::string_view host = "host";
inline constexpr std::string_view user = "user";
inline constexpr std::string_view file_path = "file_path";
inline constexpr std::string_view incident_id = "incident_id";
inline constexpr std::string_view script = "script";
inline constexpr std::string_view kql = "kql";
}  // namespace entity_type

// One distinct entity (same type and value once), where it first appears.
struct Entity {
  std::string type;        // an entity_type name
  std::string value;       // canonical: refanged, lower-cased where case does not matter
  std::string text;        // the first occurrence exactly as written
  std::size_t offset = 0;  // of the first occurrence, in bytes from the start of the text
  std::size_t length = 0;  // of the first occurrence, in bytes
  bool defanged = false;   // some occurrence was written defanged ("evil[.]com", "hxxp://")
  std::size_t count = 1;   // occurrences in the text

  bool operator==(const Entity&) const = default;
};

struct ExtractOptions {
  // Distinct entities kept, the first ones by offset; the rest of a huge text is still scanned
  // (time stays linear) but what it adds is dropped.
  std::size_t max_entities = 1000;
  // Find scripts and KQL (fenced blocks, pasted code, long command lines).
  bool scripts = true;
};

// The entities of `text`, ordered by offset. Linear time; never throws on any input bytes.
std::vector<Entity> extract_entities(std::string_view text, const ExtractOptions& options = {});

// A session's history: earlier prompts and the answers to them, oldest first.
enum class TurnRole { prompt, answer };
struct Turn {
  TurnRole role = TurnRole::prompt;
  std::string_view text;
};

// An entity of the session, with the turn (index into the history) it was found in.
struct SessionEntity {
  Entity entity;
  std::size_t turn = 0;
  TurnRole role = TurnRole::prompt;
};

// The entities of every turn, turn by turn, each turn's by offset (deduplicated per turn only:
// an IP named in two turns appears twice, once per turn).
std::vector<SessionEntity> extract_session_entities(std::span<const Turn> turns,
                                                    const ExtractOptions& options = {});

// A phrase of a new prompt that points back at entities of the session ("the second IP").
struct Reference {
  std::string phrase;      // as written in the prompt
  std::size_t offset = 0;  // in the prompt
  std::size_t length = 0;
  std::vector<std::string> types;  // the entity types the phrase can mean ("hash": md5 sha1 sha256)
  // What it points to, in the order they were written; empty when nothing fits ("the third IP"
  // after two IPs).
  std::vector<SessionEntity> entities;
  // A singular phrase ("that host", "it") that fits more than one entity: `entities` holds every
  // candidate and the caller should ask which one was meant.
  bool ambiguous = false;
};

// The back-references in `prompt`, resolved against `history` (extract_session_entities of the
// earlier turns). Understood, case-insensitively (docs/grounding.md has the full list):
//   - ordinals: "the second IP", "first domain", "the 3rd hash", "the last URL", "the first two IPs";
//   - demonstratives and the definite article: "that host", "this user", "the hash", "the same IP";
//   - plurals: "those IPs", "these hashes", "the domains", "all the URLs", "both hosts";
//   - "it" and "them", only when the prompt names no entity and no other reference itself.
// Each phrase looks at the most recent turn that has an entity of its types.
std::vector<Reference> resolve_references(std::string_view prompt,
                                          std::span<const SessionEntity> history);

}  // namespace secpilot::grounding
