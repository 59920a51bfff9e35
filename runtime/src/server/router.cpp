// Routes are grouped by shape (the pattern with parameter names erased), so that one shape holds
// one route per method: 405 and Allow fall out of that. Matching is a linear scan over shapes;
// the daemon has a few dozen, and a scan with early length checks costs well under a microsecond.
#include "secpilot/server/router.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <boost/container/small_vector.hpp>
#include <boost/json/object.hpp>

namespace secpilot::server {

namespace {

enum class SegmentKind { literal, param, rest };

struct Segment {
  SegmentKind kind = SegmentKind::literal;
  std::string text;  // the literal (decoded form), or the parameter's name
  std::string verb;  // a parameter's custom method ("invoke"), without the ':'

  // Higher is more specific.
  int rank() const noexcept {
    switch (kind) {
      case SegmentKind::literal:
        return 3;
      case SegmentKind::param:
        return verb.empty() ? 1 : 2;
      case SegmentKind::rest:
        return 0;
    }
    return 0;
  }
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<Segment> segments;
  RouteHandler handler;
  RouteOptions options;
};

// Routes of one shape, one per method.
struct Shape {
  std::vector<Segment> segments;  // of the first route; only kinds, literals and verbs matter
  std::vector<int> ranks;
  bool has_rest = false;
  std::vector<Route> routes;
  std::string allow;
};

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `text` into `out`; false on a malformed escape.
bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

bool equals_decoded(std::string_view raw, std::string_view literal) {
  if (raw.find('%') == std::string_view::npos) return raw == literal;
  std::string decoded;
  return percent_decode(raw, decoded) && decoded == literal;
}

bool is_identifier(std::string_view text) {
  if (text.empty()) return false;
  const auto head = static_cast<unsigned char>(text[0]);
  if (!(std::isalpha(head) || head == '_')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '_';
  });
}

bool is_verb(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~';
  });
}

// RFC 3986 pchar without '%' (patterns hold literals in decoded form).
bool is_literal_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

// Paths rarely have more segments than this: matching them allocates nothing.
using Parts = boost::container::small_vector<std::string_view, 8>;

Parts split_path(std::string_view path) {
  Parts parts;
  if (path.size() <= 1) return parts;  // "/" has no segments
  path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

std::vector<Segment> parse_pattern(std::string_view pattern) {
  const auto fail = [&](std::string_view why) {
    throw std::invalid_argument("route pattern '" + std::string(pattern) +
                                "': " + std::string(why));
  };
  if (pattern.empty() || pattern.front() != '/') fail("must start with '/'");
  std::vector<Segment> segments;
  std::vector<std::string> names;
  const auto parts = split_path(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    const bool last = i + 1 == parts.size();
    Segment segment;
    if (part.empty()) fail("has an empty segment (\"//\" or a trailing '/')");
    if (part.front() == '{') {
      const auto close = part.find('}');
      if (close == std::string_view::npos) fail("'{' without a matching '}'");
      std::string_view name = part.substr(1, close - 1);
      const std::string_view after = part.substr(close + 1);
      if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
        name.remove_suffix(3);
        if (!last) fail("a rest parameter {" + std::string(name) + "...} must be the last segment");
        if (!after.empty()) fail("a rest parameter cannot have a custom method");
        segment.kind = SegmentKind::rest;
      } else {
        segment.kind = SegmentKind::param;
        if (!after.empty()) {
          if (after.front() != ':' || !is_verb(after.substr(1))) {
            fail("after '}' only a custom method such as ':invoke' may follow");
          }
          if (!last) fail("a custom method (':verb') is only allowed on the last segment");
          segment.verb = std::string(after.substr(1));
        }
      }
      if (!is_identifier(name)) {
        fail("parameter name '" + std::string(name) +
             "' must be letters, digits and '_', not starting with a digit");
      }
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        fail("parameter '" + std::string(name) + "' appears twice");
      }
      names.emplace_back(name);
      segment.text = std::string(name);
    } else {
      if (!std::all_of(part.begin(), part.end(), is_literal_char)) {
        fail("segment '" + std::string(part) +
             "' has a character that is not allowed in a path (or a misplaced '{')");
      }
      segment.text = std::string(part);
    }
    segments.push_back(std::move(segment));
  }
  return segments;
}

bool same_shape(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Segment& x, const Segment& y) {
    if (x.kind != y.kind) return false;
    return x.kind == SegmentKind::literal ? x.text == y.text : x.verb == y.verb;
  });
}

// Matches `parts` against `shape`, filling `values` with the raw (still encoded) parameter text.
bool matches(const Shape& shape, const Parts& parts, std::string_view encoded_path, Parts& values) {
  const std::size_t n = shape.segments.size();
  if (shape.has_rest ? parts.size() < n : parts.size() != n) return false;
  values.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const Segment& segment = shape.segments[i];
    const std::string_view part = parts[i];
    switch (segment.kind) {
      case SegmentKind::literal:
        if (!equals_decoded(part, segment.text)) return false;
        break;
      case SegmentKind::param:
        if (segment.verb.empty()) {
          if (part.empty()) return false;
          values.push_back(part);
        } else {
          const auto colon = part.rfind(':');
          if (colon == std::string_view::npos || colon == 0 ||
              part.substr(colon + 1) != segment.verb) {
            return false;
          }
          values.push_back(part.substr(0, colon));
        }
        break;
      case SegmentKind::rest: {
        // Everything from this segment on, slashes included.
        const auto offset = static_cast<std::size_t>(part.data() - encoded_path.data());
        values.push_back(encoded_path.substr(offset));
        break;
      }
    }
  }
  return true;
}

std::string encoded_path_of(std::string_view target) {
  if (const auto scheme = target.find("://");
      !target.empty() && target.front() != '/' && scheme != std::string_view::npos) {
    const auto slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  return std::string(target.substr(0, target.find_first_of("?#")));
}

}  // namespace

std::string_view PathParams::operator[](std::string_view name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) return value;
  }
  return {};
}

bool PathParams::contains(std::string_view name) const {
  return std::any_of(values_.begin(), values_.end(),
                     [&](const auto& entry) { return entry.first == name; });
}

void PathParams::add(std::string name, std::string value) {
  values_.emplace_back(std::move(name), std::move(value));
}

struct Router::Table {
  std::vector<Shape> shapes;
};

Router::Router() : table_(std::make_unique<Table>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

RouteOptions on_io_thread() {
  return RouteOptions{[](const Request&, const PathParams&) { return true; }};
}

Router& Router::add(std::string_view method, std::string_view pattern, RouteHandler handler,
                    RouteOptions options) {
  if (!is_token(method)) {
    throw std::invalid_argument("route method '" + std::string(method) + "' is not a token");
  }
  if (!handler) {
    throw std::invalid_argument("route " + std::string(method) + " " + std::string(pattern) +
                                " has no handler");
  }
  Route route{std::string(method), std::string(pattern), parse_pattern(pattern), std::move(handler),
              std::move(options)};
  auto& shapes = table_->shapes;
  auto shape = std::find_if(shapes.begin(), shapes.end(), [&](const Shape& candidate) {
    return same_shape(candidate.segments, route.segments);
  });
  if (shape == shapes.end()) {
    Shape fresh;
    fresh.segments = route.segments;
    for (const auto& segment : fresh.segments) {
      fresh.ranks.push_back(segment.rank());
      fresh.has_rest = fresh.has_rest || segment.kind == SegmentKind::rest;
    }
    shapes.push_back(std::move(fresh));
    shape = shapes.end() - 1;
  }
  for (const auto& existing : shape->routes) {
    if (existing.method == route.method) {
      throw std::invalid_argument("route " + route.method + " " + route.pattern + " duplicates " +
                                  existing.method + " " + existing.pattern);
    }
  }
  shape->routes.push_back(std::move(route));

  // Allow: the registered methods, HEAD where GET answers it, and OPTIONS, which the server
  // answers itself when no route does.
  const auto has = [&](std::string_view m) {
    return std::any_of(shape->routes.begin(), shape->routes.end(),
                       [&](const Route& r) { return r.method == m; });
  };
  std::string allow;
  for (const auto& r : shape->routes) {
    if (!allow.empty()) allow += ", ";
    allow += r.method;
    if (r.method == "GET" && !has("HEAD")) allow += ", HEAD";
  }
  if (!has("OPTIONS")) allow += ", OPTIONS";
  shape->allow = std::move(allow);
  return *this;
}

Router& Router::get(std::string_view pattern, RouteHandler handler, RouteOptions options) {
  return add("GET", pattern, std::move(handler), std::move(options));
}
Router& Router::post(std::string_view pattern, RouteHandler handler, RouteOptions options) {
  return add("POST", pattern, std::move(handler), std::move(options));
}
Router& Router::put(std::string_view pattern, RouteHandler handler, RouteOptions options) {
  return add("PUT", pattern, std::move(handler), std::move(options));
}
Router& Router::patch(std::string_view pattern, RouteHandler handler, RouteOptions options) {
  return add("PATCH", pattern, std::move(handler), std::move(options));
}
Router& Router::del(std::string_view pattern, RouteHandler handler, RouteOptions options) {
  return add("DELETE", pattern, std::move(handler), std::move(options));
}

RouteMatch Router::match(std::string_view method, std::string_view encoded_path) const {
  RouteMatch result;
  if (encoded_path.empty() || encoded_path.front() != '/') return result;
  const auto parts = split_path(encoded_path);
  const Shape* best = nullptr;
  Parts values;
  Parts best_values;
  for (const Shape& shape : table_->shapes) {
    if (best != nullptr && !std::lexicographical_compare(best->ranks.begin(), best->ranks.end(),
                                                         shape.ranks.begin(), shape.ranks.end())) {
      continue;  // cannot beat the current best
    }
    if (!matches(shape, parts, encoded_path, values)) continue;
    best = &shape;
    best_values.swap(values);
  }
  if (best == nullptr) return result;

  const Route* route = nullptr;
  for (const auto& candidate : best->routes) {
    if (candidate.method == method) route = &candidate;
  }
  if (route == nullptr && method == "HEAD") {
    for (const auto& candidate : best->routes) {
      if (candidate.method == "GET") route = &candidate;
    }
  }
  result.allow = best->allow;
  if (route == nullptr) {
    result.pattern = best->routes.front().pattern;
    return result;
  }
  // Decode the parameters; a malformed escape means the path does not match after all.
  std::size_t value_index = 0;
  for (const auto& segment : route->segments) {
    if (segment.kind == SegmentKind::literal) continue;
    std::string decoded;
    if (!percent_decode(best_values[value_index++], decoded)) return RouteMatch{};
    result.params.add(segment.text, std::move(decoded));
  }
  result.pattern = route->pattern;
  result.handler = &route->handler;
  if (route->options.run_inline) result.run_inline = &route->options.run_inline;
  return result;
}

Reply Router::handle(const Request& request) const {
  RouteMatch found = match(request.method, encoded_path_of(request.target));
  if (found.handler != nullptr) return (*found.handler)(request, found.params);
  if (!found.path_found()) return not_found(request);
  if (request.method == "OPTIONS") return options_allowed(found.allow);
  return method_not_allowed(request, found.pattern, found.allow);
}

Response not_found(const Request& request) {
  std::string path = encoded_path_of(request.target);
  Response response = problem(404, "Not Found", "no route matches " + request.method + " " + path,
                              "about:blank", path, {});
  return response;
}

Response method_not_allowed(const Request& request, std::string_view pattern,
                            std::string_view allow) {
  std::string path = encoded_path_of(request.target);
  Response response = problem(405, "Method Not Allowed",
                              request.method + " is not supported by " + std::string(pattern) +
                                  "; allowed: " + std::string(allow),
                              "about:blank", path, {});
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

Response options_allowed(std::string_view allow) {
  Response response = no_content();
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

}  // namespace secpilot::server
