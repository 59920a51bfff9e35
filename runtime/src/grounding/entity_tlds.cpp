#include "grounding/entity_tlds.hpp"

#include "grounding/entity_chars.hpp"

namespace secpilot::grounding::detail {
namespace {

// Lower-case, sorted for the reader.
constexpr std::string_view kPublicTlds[] = {
    "ac",      "academy",  "accountant", "ad",        "ae",      "aero",    "af",      "ag",
    "agency",  "ai",       "al",         "am",        "ao",      "app",     "aq",      "ar",
    "arpa",    "as",       "asia",       "at",        "au",      "autos",   "aw",      "ax",
    "az",      "ba",       "bank",       "bb",        "bd",      "be",      "beauty",  "best",
    "bf",      "bg",       "bh",         "bi",        "bid",     "biz",     "bj",      "blog",
    "bm",      "bn",       "bo",         "bond",      "br",      "bs",      "bt",      "buzz",
    "bw",      "by",       "bz",         "ca",        "cam",     "casa",    "cash",    "cc",
    "cd",      "center",   "cf",         "cfd",       "cg",      "ch",      "ci",      "ck",
    "cl",      "click",    "cloud",      "club",      "cm",      "cn",      "co",      "com",
    "company", "coop",     "country",    "cr",        "cricket", "cu",      "cv",      "cw",
    "cx",      "cy",       "cyou",       "cz",        "de",      "dev",     "digital", "dj",
    "dk",      "dm",       "do",         "dz",        "ec",      "edu",     "ee",      "eg",
    "email",   "er",       "es",         "et",        "eu",      "faith",   "fi",      "finance",
    "fj",      "fk",       "fm",         "fo",        "fr",      "fun",     "fyi",     "ga",
    "gd",      "gdn",      "ge",         "gf",        "gg",      "gh",      "gi",      "gl",
    "global",  "gm",       "gn",         "gov",       "gp",      "gq",      "gr",      "group",
    "gs",      "gt",       "gu",         "gw",        "gy",      "hair",    "help",    "hk",
    "hm",      "hn",       "hr",         "ht",        "hu",      "icu",     "id",      "ie",
    "il",      "im",       "in",         "info",      "int",     "io",      "iq",      "ir",
    "is",      "it",       "je",         "jm",        "jo",      "jobs",    "jp",      "ke",
    "kg",      "kh",       "ki",         "km",        "kn",      "kp",      "kr",      "kw",
    "ky",      "kz",       "la",         "lb",        "lc",      "li",      "life",    "link",
    "live",    "lk",       "loan",       "lol",       "lr",      "ls",      "lt",      "ltd",
    "lu",      "lv",       "ly",         "ma",        "makeup",  "mc",      "me",      "men",
    "mg",      "mh",       "mil",        "mk",        "ml",      "mm",      "mn",      "mo",
    "mobi",    "money",    "monster",    "mp",        "mq",      "mr",      "ms",      "mt",
    "mu",      "museum",   "mv",         "mw",        "mx",      "my",      "mz",      "na",
    "nc",      "ne",       "net",        "news",      "nf",      "ng",      "ni",      "nl",
    "no",      "np",       "nr",         "nu",        "nz",      "om",      "online",  "org",
    "pa",      "party",    "pe",         "pf",        "pg",      "ph",      "pk",      "pl",
    "pm",      "pn",       "pr",         "press",     "pro",     "ps",      "pt",      "pw",
    "qa",      "quest",    "racing",     "re",        "rest",    "review",  "ro",      "rs",
    "ru",      "rw",       "sa",         "sb",        "sbs",     "sc",      "science", "sd",
    "se",      "services", "sg",         "shop",      "si",      "site",    "sk",      "skin",
    "sl",      "sm",       "sn",         "solutions", "space",   "sr",      "ss",      "st",
    "store",   "su",       "support",    "surf",      "sv",      "sx",      "sy",      "sz",
    "tc",      "td",       "tech",       "tel",       "tf",      "tg",      "th",      "tj",
    "tk",      "tl",       "tm",         "tn",        "to",      "today",   "top",     "tr",
    "trade",   "travel",   "tt",         "tv",        "tw",      "tz",      "ua",      "ug",
    "uk",      "uno",      "us",         "uy",        "uz",      "va",      "vc",      "ve",
    "vg",      "vi",       "vip",        "vn",        "vu",      "website", "wf",      "win",
    "work",    "world",    "ws",         "wtf",       "xxx",     "xyz",     "ye",      "yt",
    "za",      "zm",       "zw"};
constexpr WordIndex kPublicTldsIndex{kPublicTlds};

constexpr std::string_view kInternalTlds[] = {
    "corp",  "example",     "home",      "internal", "intranet", "invalid", "lan",
    "local", "localdomain", "localhost", "priv",     "private",  "test"};
constexpr WordIndex kInternalTldsIndex{kInternalTlds};

}  // namespace

bool is_public_tld(std::string_view label) noexcept {
  return kPublicTldsIndex.contains(label);
}

bool is_internal_tld(std::string_view label) noexcept {
  return kInternalTldsIndex.contains(label);
}

}  // namespace secpilot::grounding::detail
