// The fake Jamf Pro tenant. Written independently of the connector (its own RSQL parser, its own
// date handling), so that a test passing proves the connector speaks Jamf's API, not its own.
#include "fakes/jamf_pro_api.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include <boost/json.hpp>
#include <boost/url/params_view.hpp>

namespace secpilot::fakes {

namespace json = boost::json;

namespace {

// ---- Small helpers ----------------------------------------------------------------------------

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The Jamf Pro API's error body.
Response api_error(int status, const std::string& code, const std::string& description,
                   const std::string& id = "0") {
  return Response::json(
      status,
      json::object{
          {"httpStatus", status},
          {"errors",
           json::array{json::object{
               {"code", code}, {"description", description}, {"id", id}, {"field", nullptr}}}}});
}

// The value at a dotted path ("general.name") as text; nullopt when absent or null.
std::optional<std::string> field_text(const json::object& record, std::string_view path) {
  const json::value* at = nullptr;
  const json::object* object = &record;
  while (true) {
    const auto dot = path.find('.');
    at = object->if_contains(path.substr(0, dot));
    if (!at || at->is_null()) return std::nullopt;
    if (dot == std::string_view::npos) break;
    object = at->if_object();
    if (!object) return std::nullopt;
    path.remove_prefix(dot + 1);
  }
  if (at->is_string()) return std::string(at->get_string());
  if (at->is_bool()) return at->get_bool() ? "true" : "false";
  if (at->is_number()) return json::serialize(*at);
  return std::nullopt;
}

std::optional<long long> as_integer(const std::string& text) {
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM)" or "YYYY-MM-DD".
std::optional<long long> as_epoch_seconds(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
    return std::nullopt;
  long long offset = 0;
  if (text.size() > 10) {
    int more = 0;
    if (std::sscanf(text.c_str() + 10, "T%2d:%2d:%2d%n", &h, &mi, &s, &more) != 3)
      return std::nullopt;
    std::size_t at = 10 + static_cast<std::size_t>(more);
    if (at < text.size() && text[at] == '.')
      for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
      }
    const std::string zone = text.substr(at);
    int zh = 0, zm = 0;
    if (zone == "Z" || zone.empty()) {
      offset = 0;
    } else if ((zone[0] == '+' || zone[0] == '-') &&
               std::sscanf(zone.c_str() + 1, "%2d:%2d", &zh, &zm) == 2) {
      offset = (zone[0] == '-' ? -1 : 1) * (zh * 3600LL + zm * 60LL);
    } else {
      return std::nullopt;
    }
  }
  const auto days = std::chrono::sys_days{std::chrono::year{y} / mo / d};
  return days.time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL + s - offset;
}

// Case-insensitive match where '*' stands for any run of characters.
bool wildcard_match(std::string_view pattern, std::string_view text) {
  const std::string p = lower(pattern);
  const std::string t = lower(text);
  std::size_t pi = 0, ti = 0, star = std::string::npos, resume = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      resume = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string::npos) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*')
    ++pi;
  return pi == p.size();
}

// <0, 0, >0: times as times, integers as integers, anything else as case-insensitive text.
int compare_values(const std::string& a, const std::string& b) {
  if (auto ta = as_epoch_seconds(a), tb = as_epoch_seconds(b); ta && tb)
    return *ta < *tb ? -1 : (*ta > *tb ? 1 : 0);
  if (auto ia = as_integer(a), ib = as_integer(b); ia && ib)
    return *ia < *ib ? -1 : (*ia > *ib ? 1 : 0);
  return lower(a).compare(lower(b));
}

// ---- Sections ---------------------------------------------------------------------------------

constexpr std::array<std::string_view, 24> kSections = {"GENERAL",
                                                        "DISK_ENCRYPTION",
                                                        "PURCHASING",
                                                        "APPLICATIONS",
                                                        "STORAGE",
                                                        "USER_AND_LOCATION",
                                                        "CONFIGURATION_PROFILES",
                                                        "PRINTERS",
                                                        "SERVICES",
                                                        "HARDWARE",
                                                        "LOCAL_USER_ACCOUNTS",
                                                        "CERTIFICATES",
                                                        "ATTACHMENTS",
                                                        "PLUGINS",
                                                        "PACKAGE_RECEIPTS",
                                                        "FONTS",
                                                        "SECURITY",
                                                        "OPERATING_SYSTEM",
                                                        "LICENSED_SOFTWARE",
                                                        "IBEACONS",
                                                        "SOFTWARE_UPDATES",
                                                        "EXTENSION_ATTRIBUTES",
                                                        "CONTENT_CACHING",
                                                        "GROUP_MEMBERSHIPS"};

// USER_AND_LOCATION → userAndLocation.
std::string section_key(std::string_view section) {
  std::string out;
  bool upper = false;
  for (char c : lower(section)) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

// The requested sections (repeated and/or comma-separated); GENERAL when none.
std::optional<std::vector<std::string>> requested_sections(const Request& request,
                                                           std::string& unknown) {
  std::vector<std::string> out;
  for (const auto& [key, value] : request.query) {
    if (key != "section") continue;
    std::stringstream items(value);
    for (std::string item; std::getline(items, item, ',');) {
      if (std::find(kSections.begin(), kSections.end(), item) == kSections.end()) {
        unknown = item;
        return std::nullopt;
      }
      out.push_back(item);
    }
  }
  if (out.empty()) out.push_back("GENERAL");
  return out;
}

// The record with only `sections` filled in; every other section is null, as Jamf Pro answers.
json::object project(const json::object& record, const std::vector<std::string>& sections,
                     bool every_section) {
  json::object out{{"id", record.at("id")},
                   {"udid", record.contains("udid") ? record.at("udid") : json::value()}};
  for (auto section : kSections) {
    const std::string key = section_key(section);
    const bool wanted =
        every_section || std::find(sections.begin(), sections.end(), section) != sections.end();
    const json::value* value = record.if_contains(key);
    out[key] = wanted && value ? *value : json::value();
  }
  return out;
}

// ---- RSQL -------------------------------------------------------------------------------------

// Fields this fake filters and sorts on; anything else is Jamf's 400 INVALID_FIELD.
constexpr std::array<std::string_view, 22> kFilterFields = {
    "id",
    "udid",
    "general.name",
    "general.managementId",
    "general.lastContactTime",
    "general.reportDate",
    "general.lastIpAddress",
    "general.platform",
    "general.remoteManagement.managed",
    "hardware.serialNumber",
    "hardware.model",
    "hardware.modelIdentifier",
    "operatingSystem.version",
    "operatingSystem.build",
    "userAndLocation.username",
    "userAndLocation.email",
    "userAndLocation.realname",
    "userAndLocation.position",
    "security.sipStatus",
    "security.gatekeeperStatus",
    "security.firewallEnabled",
    "diskEncryption.bootPartitionEncryptionDetails.partitionFileVault2State"};

bool known_field(std::string_view field) {
  return std::find(kFilterFields.begin(), kFilterFields.end(), field) != kFilterFields.end();
}

struct RsqlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Node {
  enum class Kind { comparison, all, any } kind = Kind::comparison;
  std::string field;
  std::string op;  // normalised: == != < <= > >= =in= =out=
  std::vector<std::string> arguments;
  std::vector<Node> children;
};

class RsqlParser {
 public:
  explicit RsqlParser(std::string_view text) : text_(text) {}

  Node parse() {
    Node node = parse_or();
    skip_spaces();
    if (at_ != text_.size()) fail("unexpected '" + std::string(1, text_[at_]) + "'");
    return node;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw RsqlError(why + " at position " + std::to_string(at_) + " of the filter");
  }
  void skip_spaces() {
    while (at_ < text_.size() && text_[at_] == ' ')
      ++at_;
  }
  // ';'/'and' or ','/'or' between constraints.
  bool take_operator(char symbol, std::string_view word) {
    skip_spaces();
    if (at_ < text_.size() && text_[at_] == symbol) {
      ++at_;
      return true;
    }
    const std::size_t end = at_ + word.size();
    if (at_ > 0 && text_[at_ - 1] == ' ' && text_.substr(at_, word.size()) == word &&
        end < text_.size() && text_[end] == ' ') {
      at_ = end;
      return true;
    }
    return false;
  }
  Node parse_or() {
    Node first = parse_and();
    if (!take_operator(',', "or")) return first;
    Node any{Node::Kind::any, {}, {}, {}, {std::move(first)}};
    do {
      any.children.push_back(parse_and());
    } while (take_operator(',', "or"));
    return any;
  }
  Node parse_and() {
    Node first = parse_constraint();
    if (!take_operator(';', "and")) return first;
    Node all{Node::Kind::all, {}, {}, {}, {std::move(first)}};
    do {
      all.children.push_back(parse_constraint());
    } while (take_operator(';', "and"));
    return all;
  }
  Node parse_constraint() {
    skip_spaces();
    if (at_ < text_.size() && text_[at_] == '(') {
      ++at_;
      Node inner = parse_or();
      skip_spaces();
      if (at_ >= text_.size() || text_[at_] != ')') fail("missing ')'");
      ++at_;
      return inner;
    }
    Node node;
    const std::size_t from = at_;
    while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) ||
                                  text_[at_] == '.' || text_[at_] == '_' || text_[at_] == '-'))
      ++at_;
    node.field = std::string(text_.substr(from, at_ - from));
    if (node.field.empty()) fail("expected a field name");
    node.op = parse_comparator();
    skip_spaces();
    if (node.op == "=in=" || node.op == "=out=") {
      if (at_ >= text_.size() || text_[at_] != '(') fail("expected '(' after " + node.op);
      ++at_;
      for (;;) {
        skip_spaces();
        node.arguments.push_back(parse_argument());
        skip_spaces();
        if (at_ >= text_.size() || text_[at_] != ',') break;
        ++at_;
      }
      if (at_ >= text_.size() || text_[at_] != ')') fail("missing ')'");
      ++at_;
    } else {
      node.arguments.push_back(parse_argument());
    }
    return node;
  }
  std::string parse_comparator() {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kOperators = {{
        {"=out=", "=out="},
        {"=in=", "=in="},
        {"=lt=", "<"},
        {"=le=", "<="},
        {"=gt=", ">"},
        {"=ge=", ">="},
        {"==", "=="},
        {"!=", "!="},
        {"<=", "<="},
        {">=", ">="},
        {"<", "<"},
        {">", ">"},
    }};
    for (const auto& [spelling, normal] : kOperators) {
      if (text_.substr(at_, spelling.size()) == spelling) {
        at_ += spelling.size();
        return std::string(normal);
      }
    }
    fail("expected a comparison operator (==, !=, <, >, =in=, ...)");
  }
  std::string parse_argument() {
    if (at_ < text_.size() && (text_[at_] == '"' || text_[at_] == '\'')) {
      const char quote = text_[at_++];
      std::string out;
      while (at_ < text_.size() && text_[at_] != quote) {
        if (text_[at_] == '\\') {
          if (++at_ >= text_.size()) fail("unfinished escape");
        }
        out += text_[at_++];
      }
      if (at_ >= text_.size()) fail("unterminated quoted argument");
      ++at_;
      return out;
    }
    const std::size_t from = at_;
    static constexpr std::string_view kReserved = "\"'();,=!~<> ";
    while (at_ < text_.size() && kReserved.find(text_[at_]) == std::string_view::npos)
      ++at_;
    if (at_ == from) fail("expected an argument");
    return std::string(text_.substr(from, at_ - from));
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

void check_fields(const Node& node) {
  if (node.kind != Node::Kind::comparison) {
    for (const auto& child : node.children)
      check_fields(child);
    return;
  }
  if (!known_field(node.field)) throw RsqlError("'" + node.field + "' is not a filterable field");
}

bool matches(const Node& node, const json::object& record) {
  if (node.kind == Node::Kind::all)
    return std::all_of(node.children.begin(), node.children.end(),
                       [&](const Node& child) { return matches(child, record); });
  if (node.kind == Node::Kind::any)
    return std::any_of(node.children.begin(), node.children.end(),
                       [&](const Node& child) { return matches(child, record); });
  const auto value = field_text(record, node.field);
  const std::string& argument = node.arguments.front();
  auto equal = [&](const std::string& wanted) {
    return value && (wanted.find('*') != std::string::npos ? wildcard_match(wanted, *value)
                                                           : lower(wanted) == lower(*value));
  };
  if (node.op == "==") return equal(argument);
  if (node.op == "!=") return !equal(argument);
  if (node.op == "=in=") return std::any_of(node.arguments.begin(), node.arguments.end(), equal);
  if (node.op == "=out=") return std::none_of(node.arguments.begin(), node.arguments.end(), equal);
  if (!value) return false;
  const int order = compare_values(*value, argument);
  if (node.op == "<") return order < 0;
  if (node.op == "<=") return order <= 0;
  if (node.op == ">") return order > 0;
  return order >= 0;  // >=
}

// ---- Sorting ----------------------------------------------------------------------------------

struct SortKey {
  std::string field;
  bool descending = false;
};

std::vector<SortKey> parse_sort(const std::string& text) {
  std::vector<SortKey> keys;
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    SortKey key;
    const auto colon = item.find(':');
    key.field = item.substr(0, colon);
    if (colon != std::string::npos) {
      const std::string direction = lower(item.substr(colon + 1));
      if (direction != "asc" && direction != "desc")
        throw RsqlError("sort direction '" + direction + "' is neither asc nor desc");
      key.descending = direction == "desc";
    }
    if (!known_field(key.field)) throw RsqlError("'" + key.field + "' is not a sortable field");
    keys.push_back(std::move(key));
  }
  return keys;
}

bool sorts_before(const json::object& a, const json::object& b, const std::vector<SortKey>& keys) {
  for (const auto& key : keys) {
    const auto va = field_text(a, key.field);
    const auto vb = field_text(b, key.field);
    if (!va && !vb) continue;
    if (!va || !vb) return vb.has_value() == key.descending;  // nulls last when ascending
    const int order = compare_values(*va, *vb);
    if (order != 0) return key.descending ? order > 0 : order < 0;
  }
  return false;
}

// ---- Query parameters -------------------------------------------------------------------------

std::optional<long long> integer_parameter(const Request& request, const char* name,
                                           long long fallback) {
  auto text = request.query_value(name);
  if (!text) return fallback;
  return as_integer(*text);
}

bool is_six_digits(const std::string& text) {
  return text.size() == 6 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// ---- The tenant -------------------------------------------------------------------------------

JamfProApi::JamfProApi(const std::filesystem::path& computers_fixture)
    : JamfProApi(computers_fixture, Options{}) {}

JamfProApi::JamfProApi(const std::filesystem::path& computers_fixture, Options options)
    : options_(std::move(options)) {
  std::ifstream in(computers_fixture, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + computers_fixture.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  computers_ = json::parse(text).at("computers").as_array();
}

void JamfProApi::mount(FakeHttpService& service) {
  service.add_handler([this](const Request& request) { return handle(request); });
}

int JamfProApi::tokens_issued() const {
  std::lock_guard lock(mutex_);
  return tokens_issued_;
}

std::vector<JamfProApi::MdmCommand> JamfProApi::mdm_commands() const {
  std::lock_guard lock(mutex_);
  return commands_;
}

void JamfProApi::fail_next(Fault fault, int count, Scope scope) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i)
    faults_.emplace_back(scope, fault);
}

void JamfProApi::expire_tokens() {
  std::lock_guard lock(mutex_);
  const auto past = std::chrono::steady_clock::now() - std::chrono::seconds{1};
  for (auto& [value, token] : tokens_)
    token.expires_at = past;
}

std::optional<Response> JamfProApi::take_fault(const Request& request) {
  std::lock_guard lock(mutex_);
  if (faults_.empty()) return std::nullopt;
  const auto [scope, fault] = faults_.front();
  const bool token_endpoint = request.path == "/api/oauth/token";
  const bool applies = scope == Scope::any || (scope == Scope::token && token_endpoint) ||
                       (scope == Scope::api && !token_endpoint) ||
                       (scope == Scope::mdm_commands && request.path == "/api/v2/mdm/commands");
  if (!applies) return std::nullopt;
  faults_.pop_front();
  switch (fault.kind) {
    case Fault::Kind::rate_limited: {
      Response response = api_error(429, "TOO_MANY_REQUESTS", "Too many requests");
      if (fault.retry_after >= 0)
        response.headers.emplace_back("Retry-After", std::to_string(fault.retry_after));
      return response;
    }
    case Fault::Kind::server_error:
      return Response::text(
          fault.status,
          "<html><body><h1>" + std::to_string(fault.status) + " Server Error</h1></body></html>",
          "text/html");
    case Fault::Kind::malformed_json:
      return Response::text(200, R"({"totalCount": 17, "results": [{"id": "3", "general": {"na)",
                            "application/json");
    case Fault::Kind::token_rejected: {
      if (auto header = request.header("authorization"); header && starts_with(*header, "Bearer "))
        tokens_.erase(header->substr(7));
      return api_error(401, "INVALID_TOKEN", "Unauthorized");
    }
    case Fault::Kind::forbidden:
      return api_error(403, "INVALID_PRIVILEGE", "Forbidden");
    case Fault::Kind::close_connection:
      return Response::close_connection();
    case Fault::Kind::hang:
      return Response::hang_up_never();
  }
  return std::nullopt;
}

std::optional<Response> JamfProApi::handle(const Request& request) {
  if (!starts_with(request.path, "/api/")) return std::nullopt;
  if (auto fault = take_fault(request)) return fault;
  if (request.path == "/api/oauth/token") {
    if (request.method != "POST") return api_error(405, "METHOD_NOT_ALLOWED", "Use POST");
    return issue_token(request);
  }
  if (auto denied = check_bearer(request)) return denied;

  if (request.path == "/api/v2/mdm/commands") {
    if (request.method != "POST") return api_error(405, "METHOD_NOT_ALLOWED", "Use POST");
    return mdm_command(request);
  }
  // /api/v{1..4}/computers-inventory[/{id}] and /api/v{1..4}/computers-inventory-detail/{id}
  const std::string& path = request.path;
  if (path.size() > 8 && starts_with(path, "/api/v") && path[6] >= '1' && path[6] <= '4' &&
      path[7] == '/') {
    const std::string_view rest = std::string_view(path).substr(8);
    if (request.method != "GET") return api_error(405, "METHOD_NOT_ALLOWED", "Use GET");
    if (rest == "computers-inventory") return list_computers(request);
    if (starts_with(rest, "computers-inventory/"))
      return one_computer(std::string(rest.substr(20)), request, false);
    if (starts_with(rest, "computers-inventory-detail/"))
      return one_computer(std::string(rest.substr(27)), request, true);
  }
  return api_error(404, "NOT_FOUND", "No endpoint " + request.method + " " + request.path);
}

Response JamfProApi::issue_token(const Request& request) {
  std::map<std::string, std::string> form;
  try {
    for (const auto& param : boost::urls::params_view(request.body, {true, false, false}))
      form[std::string(param.key)] = std::string(param.value);
  } catch (const std::exception&) {
    return Response::json(400, json::object{{"error", "invalid_request"}});
  }
  if (form["grant_type"] != "client_credentials")
    return Response::json(400, json::object{{"error", "unsupported_grant_type"}});
  if (form["client_id"] != options_.client_id || form["client_secret"] != options_.client_secret)
    return Response::json(401, json::object{{"error", "invalid_client"}});
  std::lock_guard lock(mutex_);
  ++tokens_issued_;
  char value[64];
  std::snprintf(value, sizeof value, "eyJfake.%04d.%08zx", tokens_issued_,
                std::hash<std::string>{}(std::to_string(tokens_issued_) + options_.client_id));
  tokens_[value] = {std::chrono::steady_clock::now() + options_.token_lifetime};
  return Response::json(200, json::object{{"access_token", value},
                                          {"scope", "api-role:1"},
                                          {"token_type", "Bearer"},
                                          {"expires_in", options_.token_lifetime.count() - 1}});
}

std::optional<Response> JamfProApi::check_bearer(const Request& request) {
  const auto header = request.header("authorization");
  if (header && starts_with(*header, "Bearer ")) {
    std::lock_guard lock(mutex_);
    const auto token = tokens_.find(header->substr(7));
    if (token != tokens_.end() && std::chrono::steady_clock::now() < token->second.expires_at)
      return std::nullopt;
  }
  return api_error(401, "INVALID_TOKEN", "Unauthorized");
}

Response JamfProApi::list_computers(const Request& request) {
  std::string unknown;
  const auto sections = requested_sections(request, unknown);
  if (!sections) return api_error(400, "INVALID_SECTION", "Unknown section " + unknown);
  const auto page = integer_parameter(request, "page", 0);
  const auto page_size = integer_parameter(request, "page-size", 100);
  if (!page || *page < 0) return api_error(400, "INVALID_PARAMETER", "page must be 0 or more");
  if (!page_size || *page_size < 1 || *page_size > 2000)
    return api_error(400, "INVALID_PARAMETER", "page-size must be from 1 to 2000");

  std::vector<const json::object*> selected;
  try {
    std::optional<Node> filter;
    if (auto text = request.query_value("filter"); text && !text->empty()) {
      filter = RsqlParser(*text).parse();
      check_fields(*filter);
    }
    const auto keys = parse_sort(request.query_value("sort").value_or("general.name:asc"));
    for (const auto& record : computers_)
      if (!filter || matches(*filter, record.as_object())) selected.push_back(&record.as_object());
    std::stable_sort(
        selected.begin(), selected.end(),
        [&](const json::object* a, const json::object* b) { return sorts_before(*a, *b, keys); });
  } catch (const RsqlError& e) {
    return api_error(400, "INVALID_FILTER", e.what());
  }
  json::array results;
  const auto from = static_cast<std::size_t>(*page * *page_size);
  for (std::size_t i = from; i < selected.size() && i < from + static_cast<std::size_t>(*page_size);
       ++i)
    results.push_back(project(*selected[i], *sections, false));
  return Response::json(
      200, json::object{{"totalCount", selected.size()}, {"results", std::move(results)}});
}

Response JamfProApi::one_computer(const std::string& id, const Request& request,
                                  bool every_section) {
  std::string unknown;
  const auto sections = requested_sections(request, unknown);
  if (!sections) return api_error(400, "INVALID_SECTION", "Unknown section " + unknown);
  for (const auto& record : computers_)
    if (record.at("id") == json::value(id))
      return Response::json(200, project(record.as_object(), *sections, every_section));
  return api_error(404, "INVALID_ID", "Computer with id " + id + " not found", id);
}

Response JamfProApi::mdm_command(const Request& request) {
  boost::system::error_code ec;
  const json::value body = json::parse(request.body, ec);
  if (ec || !body.is_object()) return api_error(400, "INVALID_JSON", "The body is not JSON");
  const json::value* clients = body.as_object().if_contains("clientData");
  const json::value* data = body.as_object().if_contains("commandData");
  if (!clients || !clients->is_array() || clients->as_array().empty())
    return api_error(400, "INVALID_FIELD", "clientData must list at least one client");
  if (!data || !data->is_object())
    return api_error(400, "INVALID_FIELD", "commandData is required");
  const json::object& command = data->as_object();
  const json::value* type = command.if_contains("commandType");
  if (!type || !type->is_string())
    return api_error(400, "INVALID_FIELD", "commandData.commandType is required");
  if (*type != "DEVICE_LOCK")
    return api_error(400, "INVALID_FIELD",
                     "this fake only implements DEVICE_LOCK, not " + json::serialize(*type));
  const json::value* pin = command.if_contains("pin");
  if (!pin || !pin->is_string() || !is_six_digits(std::string(pin->as_string())))
    return api_error(400, "INVALID_FIELD", "commandData.pin must be six digits for a computer");
  std::optional<std::string> message;
  if (const json::value* text = command.if_contains("message"); text && text->is_string())
    message = std::string(text->as_string());

  json::array answer;
  std::lock_guard lock(mutex_);
  for (const auto& client : clients->as_array()) {
    const json::value* id =
        client.is_object() ? client.as_object().if_contains("managementId") : nullptr;
    if (!id || !id->is_string())
      return api_error(400, "INVALID_FIELD", "clientData[].managementId is required");
    const std::string management_id(id->as_string());
    const bool known = std::any_of(computers_.begin(), computers_.end(), [&](const auto& c) {
      return lower(field_text(c.as_object(), "general.managementId").value_or("")) ==
             lower(management_id);
    });
    if (!known)
      return api_error(400, "INVALID_MANAGEMENT_ID",
                       "No device with managementId " + management_id);
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "5e1f0c2a-%04zx-4d3b-9c7e-%012zx", commands_.size() + 1,
                  commands_.size() + 0x1a2b3c);
    commands_.push_back(
        {uuid, "DEVICE_LOCK", management_id, std::string(pin->as_string()), message});
    answer.push_back(json::object{
        {"id", uuid}, {"href", std::string("/api/v2/mdm/commands?filter=uuid==\"") + uuid + "\""}});
  }
  return Response::json(201, answer);
}

}  // namespace secpilot::fakes
