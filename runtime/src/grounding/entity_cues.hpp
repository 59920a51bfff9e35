// Cue words: the words before a name that say what it is ("host WS-FIN-07", "user jchen",
// "incident 4127", "version 1.2.3.4"), and the words that follow a cue without being a name.
#pragma once

#include <cstdint>
#include <string_view>

#include "grounding/entity_chars.hpp"

namespace secpilot::grounding::detail {

enum class Cue : std::uint8_t {
  none,
  host,          // host, hostname, server: a single-label or internal name after it is a host
  asset,         // device, machine, computer, endpoint, workstation, laptop, isolate: also a
                 // public-looking name after it ("device ws7.contoso.com") is a host
  user,          // user, username, account, upn: a user name after it is a user
  user_context,  // sign-in, logon, password, identity, mfa...: an e-mail address after it is a UPN
  incident,      // incident, detection, alert: a number or GUID after it is an incident id
  email,         // e-mail, mailbox, sender, phishing...: an address after it is an e-mail
  version,       // version, build, release, v: a dotted quad after it is not an IP
  filler,        // named, called, id, name, number: between a cue and its name
  joiner,        // and, or, plus: between names of a list ("hosts DC01, DC02 and DC03")
};

// The cue words, in the header so that the word scanner's per-word look-up inlines.
struct CueWord {
  std::string_view word;
  Cue cue;
};

// Lower-case, sorted for the reader.
inline constexpr CueWord kCues[] = {{"account", Cue::user},
                                    {"accounts", Cue::user},
                                    {"alert", Cue::incident},
                                    {"alerts", Cue::incident},
                                    {"and", Cue::joiner},
                                    {"asset", Cue::asset},
                                    {"assets", Cue::asset},
                                    {"build", Cue::version},
                                    {"called", Cue::filler},
                                    {"computer", Cue::asset},
                                    {"computername", Cue::asset},
                                    {"computers", Cue::asset},
                                    {"desktop", Cue::asset},
                                    {"desktops", Cue::asset},
                                    {"detection", Cue::incident},
                                    {"detections", Cue::incident},
                                    {"device", Cue::asset},
                                    {"devicename", Cue::asset},
                                    {"devices", Cue::asset},
                                    {"e-mail", Cue::email},
                                    {"e-mails", Cue::email},
                                    {"email", Cue::email},
                                    {"emails", Cue::email},
                                    {"endpoint", Cue::asset},
                                    {"endpoints", Cue::asset},
                                    {"firmware", Cue::version},
                                    {"host", Cue::host},
                                    {"hostname", Cue::host},
                                    {"hostnames", Cue::host},
                                    {"hosts", Cue::host},
                                    {"id", Cue::filler},
                                    {"identities", Cue::user_context},
                                    {"identity", Cue::user_context},
                                    {"inbox", Cue::email},
                                    {"incident", Cue::incident},
                                    {"incidentid", Cue::incident},
                                    {"incidents", Cue::incident},
                                    {"isolate", Cue::asset},
                                    {"laptop", Cue::asset},
                                    {"laptops", Cue::asset},
                                    {"logged", Cue::user_context},
                                    {"login", Cue::user_context},
                                    {"logins", Cue::user_context},
                                    {"logon", Cue::user_context},
                                    {"logons", Cue::user_context},
                                    {"machine", Cue::asset},
                                    {"machines", Cue::asset},
                                    {"mail", Cue::email},
                                    {"mailbox", Cue::email},
                                    {"mailboxes", Cue::email},
                                    {"mails", Cue::email},
                                    {"message", Cue::email},
                                    {"messages", Cue::email},
                                    {"mfa", Cue::user_context},
                                    {"name", Cue::filler},
                                    {"named", Cue::filler},
                                    {"no", Cue::filler},
                                    {"nr", Cue::filler},
                                    {"number", Cue::filler},
                                    {"or", Cue::joiner},
                                    {"password", Cue::user_context},
                                    {"passwords", Cue::user_context},
                                    {"phish", Cue::email},
                                    {"phishing", Cue::email},
                                    {"plus", Cue::joiner},
                                    {"principal", Cue::user_context},
                                    {"recipient", Cue::email},
                                    {"recipients", Cue::email},
                                    {"release", Cue::version},
                                    {"reply-to", Cue::email},
                                    {"samaccountname", Cue::user},
                                    {"sender", Cue::email},
                                    {"senders", Cue::email},
                                    {"server", Cue::host},
                                    {"servers", Cue::host},
                                    {"session", Cue::user_context},
                                    {"sessions", Cue::user_context},
                                    {"sign-in", Cue::user_context},
                                    {"sign-ins", Cue::user_context},
                                    {"signed", Cue::user_context},
                                    {"signin", Cue::user_context},
                                    {"signins", Cue::user_context},
                                    {"upn", Cue::user},
                                    {"upns", Cue::user},
                                    {"user", Cue::user},
                                    {"username", Cue::user},
                                    {"usernames", Cue::user},
                                    {"userprincipalname", Cue::user},
                                    {"users", Cue::user},
                                    {"v", Cue::version},
                                    {"ver", Cue::version},
                                    {"version", Cue::version},
                                    {"versions", Cue::version},
                                    {"vm", Cue::asset},
                                    {"vms", Cue::asset},
                                    {"workstation", Cue::asset},
                                    {"workstations", Cue::asset}};

constexpr std::string_view word_of(const CueWord& cue) noexcept {
  return cue.word;
}
inline constexpr WordIndex kCuesIndex{kCues};

// The cue `word` is (any case), or Cue::none.
inline Cue cue_of(std::string_view word) noexcept {
  const CueWord* cue = kCuesIndex.find(word);
  return cue ? cue->cue : Cue::none;
}

// Common words that follow a cue without being a name ("user accounts", "the host is",
// "account lockout"): a host or user name must not be one of them.
bool is_stop_word(std::string_view word) noexcept;

}  // namespace secpilot::grounding::detail
