#include "openapi/spec.hpp"

#include <algorithm>
#include <fstream>
#include <set>

#include <yaml-cpp/yaml.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "manifest/yaml_json.hpp"
#include "openapi/spec_schema.hpp"

namespace secpilot::openapi {

namespace json = boost::json;
using manifest::Diagnostic;
using manifest::Severity;

namespace {

constexpr std::size_t kMaxSpecBytes = 16 * 1024 * 1024;
constexpr std::string_view kMethods[] = {"get",    "post", "put",     "patch",
                                         "delete", "head", "options", "trace"};

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

bool truthy(const json::value* value) {
  if (!value) return false;
  if (value->is_bool()) return value->get_bool();
  // Seen in the wild: required: "true".
  return value->is_string() && value->get_string() == "true";
}

// A server's URL with its variables set to their defaults.
std::string server_url(const json::object& server) {
  std::string url = text_of(server, "url");
  const json::value* variables = server.if_contains("variables");
  if (!variables || !variables->is_object()) return url;
  for (const auto& [name, variable] : variables->get_object()) {
    if (!variable.is_object()) continue;
    const std::string placeholder = "{" + std::string(name) + "}";
    const std::string value = text_of(variable.get_object(), "default");
    for (auto at = url.find(placeholder); at != std::string::npos; at = url.find(placeholder))
      url.replace(at, placeholder.size(), value);
  }
  return url;
}

std::vector<std::string> servers_of(const json::object& node) {
  std::vector<std::string> out;
  if (const json::value* list = node.if_contains("servers"); list && list->is_array())
    for (const auto& server : list->get_array())
      if (server.is_object()) out.push_back(server_url(server.get_object()));
  return out;
}

bool is_json_media(std::string_view type) {
  return type == "application/json" ||
         (type.starts_with("application/") && type.ends_with("+json"));
}

class SpecReader {
 public:
  SpecReader(const json::value& document, std::string file, std::vector<Diagnostic>& diagnostics)
      : document_(document),
        resolver_(document),
        file_(std::move(file)),
        diagnostics_(diagnostics) {}

  std::optional<Spec> read() {
    if (!document_.is_object()) {
      error("the OpenAPI document is not a mapping",
            "start it with 'openapi: 3.0.3', 'info:' and 'paths:'");
      return std::nullopt;
    }
    const json::object& root = document_.get_object();
    Spec spec;
    if (!check_version(root, spec)) return std::nullopt;
    if (const json::value* info = root.if_contains("info"); info && info->is_object())
      spec.title = text_of(info->get_object(), "title");
    const json::value* paths = root.if_contains("paths");
    if (!paths || !paths->is_object()) {
      error("the OpenAPI document has no paths", "add paths: with the operations to expose");
      return std::nullopt;
    }
    const auto root_servers = servers_of(root);
    for (const auto& [path, item] : paths->get_object())
      read_path(std::string(path), item, root_servers, spec);
    if (spec.operations.empty())
      warning("the OpenAPI document has no GET or POST operation with an operationId",
              "add operationId: to the operations that should become skills");
    return spec;
  }

 private:
  bool check_version(const json::object& root, Spec& spec) {
    if (root.contains("swagger")) {
      error("this is a Swagger 2.0 document; only OpenAPI 3.0 is read",
            "convert it to OpenAPI 3.0 (for example with swagger2openapi)");
      return false;
    }
    const json::value* version = root.if_contains("openapi");
    if (!version || !version->is_string()) {
      error("the document has no 'openapi' version", "add openapi: 3.0.3 at the top");
      return false;
    }
    spec.openapi_version = std::string(version->get_string());
    if (spec.openapi_version.starts_with("3.1"))
      warning("OpenAPI " + spec.openapi_version + " is read as 3.0",
              "Security Copilot's API format takes OpenAPI 3.0 and 3.0.1; keep to 3.0 features");
    else if (!spec.openapi_version.starts_with("3.0")) {
      error("OpenAPI version " + spec.openapi_version + " is not supported",
            "use OpenAPI 3.0 (openapi: 3.0.3)");
      return false;
    }
    return true;
  }

  void read_path(const std::string& path, const json::value& raw_item,
                 const std::vector<std::string>& root_servers, Spec& spec) {
    std::string problem;
    const json::value* item = resolver_.follow(raw_item, problem);
    if (!item || !item->is_object()) {
      warning("path " + path + " is skipped: " + (item ? "it is not a mapping" : problem), "");
      return;
    }
    const json::object& node = item->get_object();
    auto servers = servers_of(node);
    if (servers.empty()) servers = root_servers;
    for (std::string_view method : kMethods) {
      const json::value* operation = node.if_contains(method);
      if (!operation || !operation->is_object()) continue;
      std::string upper(method);
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      const std::string id = text_of(operation->get_object(), "operationId");
      const std::string label = upper + " " + path + (id.empty() ? "" : " (" + id + ")");
      if (method != "get" && method != "post") {
        warning(label + " is skipped: only GET and POST operations become skills",
                "expose it through a Native plugin if it is needed");
        continue;
      }
      if (id.empty()) {
        warning(label + " is skipped: it has no operationId",
                "add operationId: it becomes the skill's name");
        continue;
      }
      if (!seen_ids_.insert(id).second) {
        error("operationId " + id + " is used twice", "give each operation its own operationId");
        continue;
      }
      auto read = read_operation(upper, path, label, node, operation->get_object(), servers);
      if (read) spec.operations.push_back(std::move(*read));
    }
  }

  std::optional<Operation> read_operation(const std::string& method, const std::string& path,
                                          const std::string& label, const json::object& path_item,
                                          const json::object& raw,
                                          const std::vector<std::string>& path_servers) {
    Operation op;
    op.method = method;
    op.path = path;
    op.id = text_of(raw, "operationId");
    op.summary = text_of(raw, "summary");
    op.description = text_of(raw, "description");
    op.servers = servers_of(raw);
    if (op.servers.empty()) op.servers = path_servers;
    // Operation parameters override the path item's of the same name and location.
    if (!read_parameters(label, path_item, op) || !read_parameters(label, raw, op))
      return std::nullopt;
    if (const json::value* body = raw.if_contains("requestBody"))
      if (!read_body(label, *body, op)) return std::nullopt;
    read_response(label, raw, op);
    return op;
  }

  bool read_parameters(const std::string& label, const json::object& node, Operation& op) {
    const json::value* list = node.if_contains("parameters");
    if (!list || !list->is_array()) return true;
    for (const auto& raw : list->get_array()) {
      std::string problem;
      const json::value* resolved = resolver_.follow(raw, problem);
      if (!resolved || !resolved->is_object()) {
        warning(label + ": a parameter is ignored: " + (resolved ? "it is not a mapping" : problem),
                "");
        continue;
      }
      const json::object& p = resolved->get_object();
      Parameter parameter;
      parameter.name = text_of(p, "name");
      parameter.input = parameter.name;
      const std::string in = text_of(p, "in");
      parameter.description = text_of(p, "description");
      parameter.required = truthy(p.if_contains("required"));
      if (in == "path") {
        parameter.in = ParameterIn::path;
        parameter.required = true;  // a path always needs its placeholders
      } else if (in == "query") {
        parameter.in = ParameterIn::query;
      } else if (in == "header") {
        parameter.in = ParameterIn::header;
      } else {
        if (parameter.required) {
          warning(label + " is skipped: its required parameter " + parameter.name + " is in " +
                      (in.empty() ? "no location" : in) + ", which secpilot cannot send",
                  "");
          return false;
        }
        warning(label + ": parameter " + parameter.name + " in " + in + " is ignored", "");
        continue;
      }
      if (const json::value* explode = p.if_contains("explode"); explode && explode->is_bool())
        parameter.explode = explode->get_bool();
      std::vector<std::string> problems;
      if (const json::value* schema = p.if_contains("schema"))
        parameter.schema = resolver_.json_schema(*schema, problems);
      else
        parameter.schema = json::object{{"type", "string"}};
      report(label, problems);
      auto same = std::find_if(op.parameters.begin(), op.parameters.end(), [&](const auto& q) {
        return q.name == parameter.name && q.in == parameter.in;
      });
      if (same != op.parameters.end())
        *same = std::move(parameter);
      else
        op.parameters.push_back(std::move(parameter));
    }
    return true;
  }

  bool read_body(const std::string& label, const json::value& raw, Operation& op) {
    std::string problem;
    const json::value* resolved = resolver_.follow(raw, problem);
    if (!resolved || !resolved->is_object()) {
      warning(label + " is skipped: its requestBody " + (resolved ? "is not a mapping" : problem),
              "");
      return false;
    }
    const json::object& body = resolved->get_object();
    RequestBody out;
    out.required = truthy(body.if_contains("required"));
    const json::value* content = body.if_contains("content");
    const json::value* media = nullptr;
    if (content && content->is_object()) {
      for (const auto& [type, value] : content->get_object()) {
        if (is_json_media(type) || type == "application/x-www-form-urlencoded") {
          out.content_type = std::string(type);
          media = &value;
          break;
        }
      }
    }
    if (!media) {
      if (!out.required) return true;  // the body is optional: call without one
      warning(label + " is skipped: its request body is neither JSON nor a form",
              "give it an application/json or application/x-www-form-urlencoded content");
      return false;
    }
    std::vector<std::string> problems;
    if (media->is_object())
      if (const json::value* schema = media->get_object().if_contains("schema"))
        out.schema = resolver_.json_schema(*schema, problems);
    report(label, problems);
    if (out.schema.is_object())
      if (const json::value* properties = out.schema.get_object().if_contains("properties");
          properties && properties->is_object())
        for (const auto& [name, property] : properties->get_object()) {
          (void)property;
          out.properties.push_back({std::string(name), std::string(name)});
        }
    op.body = std::move(out);
    return true;
  }

  // The schema of the first 2xx response with JSON content, in status order.
  void read_response(const std::string& label, const json::object& raw, Operation& op) {
    const json::value* responses = raw.if_contains("responses");
    if (!responses || !responses->is_object()) return;
    std::vector<std::string> codes;
    for (const auto& [code, value] : responses->get_object()) {
      (void)value;
      if (code.size() == 3 && code[0] == '2') codes.emplace_back(code);
    }
    std::sort(codes.begin(), codes.end());  // "200" < "201" < "2XX"
    for (const auto& code : codes) {
      std::string problem;
      const json::value* response = resolver_.follow(responses->get_object().at(code), problem);
      if (!response || !response->is_object()) continue;
      const json::value* content = response->get_object().if_contains("content");
      if (!content || !content->is_object()) continue;
      for (const auto& [type, media] : content->get_object()) {
        if (!is_json_media(type) || !media.is_object()) continue;
        const json::value* schema = media.get_object().if_contains("schema");
        if (!schema) return;
        std::vector<std::string> problems;
        op.response_schema = resolver_.json_schema(*schema, problems);
        report(label, problems);
        return;
      }
    }
  }

  void report(const std::string& label, const std::vector<std::string>& problems) {
    for (const auto& problem : problems)
      warning(label + ": " + problem + "; that part of the schema accepts anything",
              "inline the schema or put it under components/ in this document");
  }

  void error(std::string message, std::string fix) {
    diagnostics_.push_back({Severity::Error, {file_, 0, 0}, std::move(message), std::move(fix)});
  }
  void warning(std::string message, std::string fix) {
    diagnostics_.push_back({Severity::Warning, {file_, 0, 0}, std::move(message), std::move(fix)});
  }

  const json::value& document_;
  SchemaResolver resolver_;
  std::string file_;
  std::vector<Diagnostic>& diagnostics_;
  std::set<std::string> seen_ids_;
};

}  // namespace

std::optional<Spec> read_spec(const json::value& document, const std::string& file,
                              std::vector<Diagnostic>& diagnostics) {
  return SpecReader(document, file, diagnostics).read();
}

std::optional<Spec> read_spec_file(const std::filesystem::path& path,
                                   std::vector<Diagnostic>& diagnostics) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    diagnostics.push_back(
        {Severity::Error,
         {file, 0, 0},
         exists ? "cannot read the OpenAPI spec" : "the OpenAPI spec does not exist",
         exists ? "check the file's permissions"
                : "correct the spec's path (relative to the manifest's folder)"});
    return std::nullopt;
  }
  std::string text;
  text.resize(kMaxSpecBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxSpecBytes) {
    diagnostics.push_back({Severity::Error,
                           {file, 0, 0},
                           "the OpenAPI spec is larger than 16 MiB",
                           "keep only the operations the plugin exposes"});
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);  // YAML 1.2 reads JSON too, with line and column on errors
  } catch (const YAML::Exception& e) {
    manifest::SourceLocation at{file, 0, 0};
    if (e.mark.line >= 0 && e.mark.column >= 0) at = {file, e.mark.line + 1, e.mark.column + 1};
    diagnostics.push_back({Severity::Error, at, "syntax error in the OpenAPI spec: " + e.msg,
                           "fix the YAML or JSON at this place"});
    return std::nullopt;
  }
  auto document = manifest::detail::yaml_to_json_checked(root, file, diagnostics,
                                                         manifest::detail::KeyCase::exact);
  if (!document) return std::nullopt;
  return read_spec(*document, file, diagnostics);
}

}  // namespace secpilot::openapi
