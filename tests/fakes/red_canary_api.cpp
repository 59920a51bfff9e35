// The fake keeps Red Canary's resources as the JSON the API serves and adds, when answering, what
// depends on where it is mounted (links) or on the request (paging). One mutex guards all state:
// handlers run on the service's connection threads.
#include "fakes/red_canary_api.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/url.hpp>

namespace secpilot::fakes {

namespace json = boost::json;

namespace {

constexpr std::string_view kApiPrefix = "/openapi/v3/";

json::value read_fixture(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("Red Canary fixture " + file.string() + " cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value value = json::parse(text.str(), ec);
  if (ec) throw std::runtime_error("Red Canary fixture " + file.string() + ": " + ec.message());
  return value;
}

// {"4127": [...], ...} → {4127: [...]}
std::map<long, json::array> by_detection(const json::value& fixture) {
  std::map<long, json::array> out;
  for (const auto& [key, items] : fixture.as_object())
    out[std::stol(std::string(key))] = items.as_array();
  return out;
}

std::optional<long> to_number(std::string_view text) {
  long value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// "2026-11-20" or "2026-11-20T09:14:03[.123]Z": the first 19 characters compare as times do.
std::optional<std::string> comparable_time(std::string_view text) {
  auto digits = [&](size_t at, size_t n) {
    for (size_t i = at; i < at + n; ++i)
      if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    return true;
  };
  if (text.size() == 10 && digits(0, 4) && text[4] == '-' && digits(5, 2) && text[7] == '-' &&
      digits(8, 2))
    return std::string(text) + "T00:00:00";
  if (text.size() >= 20 && digits(0, 4) && text[10] == 'T' && digits(11, 2) && text[13] == ':' &&
      digits(14, 2) && text[16] == ':' && digits(17, 2) && text.back() == 'Z')
    return std::string(text.substr(0, 19));
  return std::nullopt;
}

std::string now_iso8601() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

Response error(int status, std::string message) {
  return Response::json(
      status, json::object{{"errors", json::array{json::object{{"status", std::to_string(status)},
                                                               {"detail", std::move(message)}}}}});
}

// What a browser would get from the portal for a path that is not the API.
Response portal_not_found() {
  return Response::text(404,
                        "<!DOCTYPE html>\n<html><head><title>Page not found</title></head>"
                        "<body><h1>The page you were looking for doesn't exist.</h1></body></html>",
                        "text/html; charset=utf-8");
}

// The path below /openapi/v3/, split at '/'.
std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  path.remove_prefix(kApiPrefix.size());
  while (!path.empty()) {
    const auto slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

}  // namespace

struct RedCanaryApi::State {
  std::string token;
  std::string base_url;

  mutable std::mutex mutex;  // guards everything below
  json::array detections;    // newest first, as the list is served
  std::map<long, json::array> timelines;
  std::map<long, json::array> detectors;
  std::map<long, json::array> indicators;
  json::array endpoints;
  json::array endpoint_users;
  std::deque<Fault> faults;
  int max_per_page = 100;

  std::string api_url(std::string_view path) const {
    return base_url + std::string(kApiPrefix) + std::string(path);
  }
  json::object href(std::string_view path) const { return {{"href", api_url(path)}}; }

  static json::object* find(json::array& items, long id) {
    for (auto& item : items)
      if (item.as_object().at("id").to_number<long>() == id) return &item.as_object();
    return nullptr;
  }

  // A resource as served: the fixture plus links that depend on where the fake is mounted.
  json::object served_detection(const json::object& stored) const {
    json::object detection = stored;
    const std::string self = "detections/" + std::to_string(stored.at("id").to_number<long>());
    detection["links"] = json::object{{"self", href(self)},
                                      {"activity_timeline", href(self + "/timeline")},
                                      {"detectors", href(self + "/detectors")}};
    if (auto* relationships = detection.if_contains("relationships")) {
      for (auto& [name, relation] : relationships->as_object()) {
        const auto& data = relation.as_object().at("data").as_object();
        const std::string type(data.at("type").as_string());
        relation.as_object()["links"] = json::object{
            {"related", api_url(type + "s/" + std::to_string(data.at("id").to_number<long>()))}};
      }
    }
    return detection;
  }

  json::object served_endpoint(const json::object& stored) const {
    json::object endpoint = stored;
    const long id = stored.at("id").to_number<long>();
    json::array detection_links;
    for (const auto& item : detections) {
      const auto& relation = item.at("relationships").at("affected_endpoint").at("data");
      if (relation.at("id").to_number<long>() == id)
        detection_links.push_back(
            href("detections/" + std::to_string(item.at("id").to_number<long>())));
    }
    endpoint["links"] = json::object{{"self", href("endpoints/" + std::to_string(id))},
                                     {"detections", std::move(detection_links)}};
    return endpoint;
  }

  json::object served_endpoint_user(const json::object& stored) const {
    json::object user = stored;
    user["links"] = json::object{
        {"self", href("endpoint_users/" + std::to_string(stored.at("id").to_number<long>()))}};
    return user;
  }

  static Response one(json::object resource) {
    return Response::json(200, json::object{{"data", json::array{std::move(resource)}},
                                            {"meta", json::object{{"api_version", "v3"}}}});
  }

  // One page of `items`, with meta.total_items and links.next when more follow.
  Response page_of(const Request& request, const std::string& path, const json::array& items,
                   const std::vector<std::pair<std::string, std::string>>& kept_query) const {
    long page = 1;
    long per_page = 50;
    if (auto text = request.query_value("page")) {
      auto number = to_number(*text);
      if (!number || *number < 1) return error(400, "page must be a positive integer");
      page = *number;
    }
    if (auto text = request.query_value("per_page")) {
      auto number = to_number(*text);
      if (!number || *number < 1) return error(400, "per_page must be a positive integer");
      per_page = std::min<long>(*number, max_per_page);
    }
    const auto total = static_cast<long>(items.size());
    const long first = std::min(total, (page - 1) * per_page);
    const long last = std::min(total, first + per_page);
    json::array data(items.begin() + first, items.begin() + last);

    auto link = [&](long to_page) {
      boost::urls::url url(api_url(path));
      for (const auto& [key, value] : kept_query)
        url.params().append({key, value});
      url.params().append({"page", std::to_string(to_page)});
      url.params().append({"per_page", std::to_string(per_page)});
      return std::string(url.buffer());
    };
    json::object links{{"self", link(page)}, {"first", link(1)}};
    if (page > 1) links["prev"] = link(page - 1);
    if (last < total) links["next"] = link(page + 1);
    return Response::json(
        200, json::object{{"data", std::move(data)},
                          {"meta", json::object{{"api_version", "v3"}, {"total_items", total}}},
                          {"links", std::move(links)}});
  }

  std::optional<Response> injected_fault() {
    if (faults.empty()) return std::nullopt;
    const Fault fault = faults.front();
    faults.pop_front();
    switch (fault.kind) {
      case Fault::Kind::rate_limited: {
        Response response = error(429, "Too Many Requests");
        response.headers.emplace_back("Retry-After", std::to_string(fault.retry_after_seconds));
        return response;
      }
      case Fault::Kind::status:
        return error(fault.status, "injected failure");
      case Fault::Kind::malformed_json:
        return Response::text(200, R"({"data": [{"type": "Detection", "id": 41)",
                              "application/json");
      case Fault::Kind::close_connection:
        return Response::close_connection();
      case Fault::Kind::hang:
        return Response::hang_up_never();
    }
    return std::nullopt;
  }

  Response answer(const Request& request) {
    std::lock_guard lock(mutex);
    if (auto fault = injected_fault()) return *fault;
    // Red Canary answers 403 for a missing or wrong token, and for other auth schemes.
    const auto key = request.header("x-api-key");
    if (!key || *key != token)
      return error(403, "Forbidden: send a valid API token in the X-Api-Key header");

    const auto parts = segments(request.path);
    const bool get = request.method == "GET";
    const bool patch = request.method == "PATCH";
    if (parts.size() == 1 && get && parts[0] == "detections") return list_detections(request);
    if (parts.size() == 1 && get && parts[0] == "endpoints") return list_endpoints(request);
    if (parts.size() >= 2) {
      const auto id = to_number(parts[1]);
      if (!id) return error(404, "Not Found");
      if (parts[0] == "detections") {
        if (parts.size() == 2 && get) return get_detection(*id);
        if (parts.size() == 3 && get) return detection_part(request, *id, parts[2]);
        if (parts.size() == 3 && patch) return change_detection(request, *id, parts[2]);
      }
      if (parts[0] == "endpoints" && parts.size() == 2 && get) {
        if (const auto* endpoint = find(endpoints, *id)) return one(served_endpoint(*endpoint));
        return error(404, "Not Found");
      }
      if (parts[0] == "endpoint_users" && parts.size() == 2 && get) {
        if (const auto* user = find(endpoint_users, *id)) return one(served_endpoint_user(*user));
        return error(404, "Not Found");
      }
    }
    return error(404, "Not Found");
  }

  Response list_detections(const Request& request) const {
    std::vector<std::pair<std::string, std::string>> kept;
    json::array selected;
    const auto since = request.query_value("since");
    std::optional<std::string> since_time;
    if (since) {
      since_time = comparable_time(*since);
      if (!since_time)
        return error(400, "since must be an ISO 8601 time such as 2026-11-20T00:00:00Z");
      kept.emplace_back("since", *since);
    }
    for (const auto& item : detections) {
      const auto& occurred = item.at("attributes").at("time_of_occurrence").as_string();
      if (since_time && *comparable_time(occurred) < *since_time) continue;
      selected.push_back(served_detection(item.as_object()));
    }
    return page_of(request, "detections", selected, kept);
  }

  Response list_endpoints(const Request& request) const {
    // filter_query=<attribute>:<value>, as in Red Canary's own example (platform:Windows).
    std::vector<std::pair<std::string, std::string>> kept;
    std::string field;
    std::string wanted;
    if (auto filter = request.query_value("filter_query")) {
      const auto colon = filter->find(':');
      if (colon == std::string::npos)
        return error(400, "filter_query must be <attribute>:<value>, e.g. platform:Windows");
      field = filter->substr(0, colon);
      wanted = lower(filter->substr(colon + 1));
      kept.emplace_back("filter_query", *filter);
    }
    json::array selected;
    for (const auto& item : endpoints) {
      if (!field.empty()) {
        const auto* value = item.at("attributes").as_object().if_contains(field);
        if (!value || !value->is_string() || lower(value->as_string()) != wanted) continue;
      }
      selected.push_back(served_endpoint(item.as_object()));
    }
    return page_of(request, "endpoints", selected, kept);
  }

  Response get_detection(long id) {
    if (const auto* detection = find(detections, id)) return one(served_detection(*detection));
    return error(404, "Not Found");
  }

  Response detection_part(const Request& request, long id, const std::string& part) {
    if (!find(detections, id)) return error(404, "Not Found");
    const std::string path = "detections/" + std::to_string(id) + "/" + part;
    auto items_of = [&](const std::map<long, json::array>& all) {
      auto it = all.find(id);
      return it == all.end() ? json::array{} : it->second;
    };
    if (part == "timeline") return page_of(request, path, items_of(timelines), {});
    if (part == "detectors") return page_of(request, path, items_of(detectors), {});
    if (part == "marked_indicators_of_compromise")
      return page_of(request, path, items_of(indicators), {});
    return error(404, "Not Found");
  }

  static json::object acting_user() {
    return {{"type", "PortalUser"},
            {"attributes",
             json::object{{"email", "secpilot@corp.example"},
                          {"name", "SecPilot Automation"},
                          {"name_and_email", "SecPilot Automation (secpilot@corp.example)"}}}};
  }

  // The form (or JSON) body of a PATCH as name → value.
  static std::map<std::string, std::string> fields_of(const Request& request) {
    std::map<std::string, std::string> fields;
    const auto type = request.header("content-type").value_or("");
    if (type.rfind("application/json", 0) == 0) {
      boost::system::error_code ec;
      auto body = json::parse(request.body, ec);
      if (!ec && body.is_object())
        for (const auto& [key, value] : body.as_object())
          if (value.is_string()) fields[std::string(key)] = std::string(value.as_string());
      return fields;
    }
    if (auto query = boost::urls::parse_query(request.body))
      for (const auto& param : *query)
        fields[param.key.decode(boost::urls::encoding_opts(true))] =
            param.value.decode(boost::urls::encoding_opts(true));
    return fields;
  }

  Response change_detection(const Request& request, long id, const std::string& action) {
    auto* detection = find(detections, id);
    if (!detection) return error(404, "Not Found");
    auto& attributes = detection->at("attributes").as_object();
    if (action == "mark_acknowledged") {
      attributes["last_acknowledged_at"] = now_iso8601();
      attributes["last_acknowledged_by"] = acting_user();
      return one(served_detection(*detection));
    }
    if (action == "update_remediation_state") {
      auto fields = fields_of(request);
      const std::string state = fields["remediation_state"];
      static const std::vector<std::string> kStates = {
          "remediated", "not_remediated_false_positive", "not_remediated_sanctioned_activity",
          "not_remediated_unwarranted"};
      if (std::find(kStates.begin(), kStates.end(), state) == kStates.end())
        return error(422,
                     "remediation_state must be one of remediated, not_remediated_false_positive, "
                     "not_remediated_sanctioned_activity, not_remediated_unwarranted");
      json::object status{
          {"remediation_state", state}, {"marked_by", acting_user()}, {"marked_at", now_iso8601()}};
      if (auto comment = fields.find("comment");
          comment != fields.end() && !comment->second.empty())
        status["comment"] = comment->second;
      attributes["last_remediated_status"] = std::move(status);
      return one(served_detection(*detection));
    }
    return error(404, "Not Found");
  }
};

RedCanaryApi::RedCanaryApi(FakeHttpService& service, const std::filesystem::path& fixtures_dir,
                           std::string api_token)
    : state_(std::make_shared<State>()) {
  state_->token = std::move(api_token);
  state_->base_url = service.base_url();
  state_->detections = read_fixture(fixtures_dir / "detections.json").as_array();
  std::stable_sort(state_->detections.begin(), state_->detections.end(),
                   [](const json::value& a, const json::value& b) {
                     return a.at("attributes").at("time_of_occurrence").as_string() >
                            b.at("attributes").at("time_of_occurrence").as_string();
                   });
  state_->timelines = by_detection(read_fixture(fixtures_dir / "timelines.json"));
  state_->detectors = by_detection(read_fixture(fixtures_dir / "detectors.json"));
  state_->indicators = by_detection(read_fixture(fixtures_dir / "indicators.json"));
  state_->endpoints = read_fixture(fixtures_dir / "endpoints.json").as_array();
  state_->endpoint_users = read_fixture(fixtures_dir / "endpoint_users.json").as_array();

  service.add_handler([state = state_](const Request& request) -> std::optional<Response> {
    if (request.path.rfind(kApiPrefix, 0) != 0) return portal_not_found();
    return state->answer(request);
  });
}

RedCanaryApi::~RedCanaryApi() = default;

std::string RedCanaryApi::instance_url() const {
  return state_->base_url;
}

void RedCanaryApi::fail_next(int count, Fault fault) {
  std::lock_guard lock(state_->mutex);
  for (int i = 0; i < count; ++i)
    state_->faults.push_back(fault);
}

void RedCanaryApi::set_max_per_page(int max_per_page) {
  std::lock_guard lock(state_->mutex);
  state_->max_per_page = max_per_page;
}

std::optional<json::object> RedCanaryApi::detection(long id) const {
  std::lock_guard lock(state_->mutex);
  if (const auto* detection = State::find(state_->detections, id)) return *detection;
  return std::nullopt;
}

}  // namespace secpilot::fakes
