// Dynamic values: array_length, bag_keys, pack_array, bag_pack/pack, set_has_element,
// array_index_of, parse_url.
#include <boost/json.hpp>

#include "functions.hpp"
#include "scalar_nodes.hpp"

namespace log_hunt {
namespace {

FunctionSpec spec(size_t min, size_t max, const char* signature,
                  std::function<ExpressionPtr(Args&, const FunctionContext&)> build) {
  return FunctionSpec{min, max, signature, std::move(build)};
}

boost::json::value parse_url(std::string_view url) {
  boost::json::object parts;
  std::string_view rest = url;
  std::string scheme, host, port, path, user, password, fragment;
  boost::json::object query;
  size_t colon = rest.find("://");
  if (colon == std::string_view::npos) return boost::json::object();
  scheme = std::string(rest.substr(0, colon));
  rest.remove_prefix(colon + 3);
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  size_t question = rest.find('?');
  std::string_view query_text;
  if (question != std::string_view::npos) {
    query_text = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view credentials = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    size_t split = credentials.find(':');
    user = std::string(credentials.substr(0, split));
    if (split != std::string_view::npos) password = std::string(credentials.substr(split + 1));
  }
  size_t port_colon = authority.rfind(':');
  if (port_colon != std::string_view::npos &&
      authority.find(']', port_colon) == std::string_view::npos) {
    port = std::string(authority.substr(port_colon + 1));
    authority = authority.substr(0, port_colon);
  }
  host = std::string(authority);
  while (!query_text.empty()) {
    size_t amp = query_text.find('&');
    std::string_view pair = query_text.substr(0, amp);
    size_t equals = pair.find('=');
    query[std::string(pair.substr(0, equals))] =
        equals == std::string_view::npos ? "" : std::string(pair.substr(equals + 1));
    if (amp == std::string_view::npos) break;
    query_text.remove_prefix(amp + 1);
  }
  parts["Scheme"] = scheme;
  parts["Host"] = host;
  parts["Port"] = port;
  parts["Path"] = path;
  parts["Username"] = user;
  parts["Password"] = password;
  parts["Query Parameters"] = std::move(query);
  parts["Fragment"] = fragment;
  return parts;
}

}  // namespace

void add_dynamic_functions(FunctionTable& t) {
  t["array_length"] = spec(1, 1, "array_length(array)", [](Args& args, const FunctionContext&) {
    return make_call(Type::Long, std::move(args),
                     [scratch = boost::json::value()](auto v, Value& out) mutable {
                       const boost::json::value* document = as_document(*v[0], scratch);
                       if (document && document->is_array())
                         out.set_long(static_cast<int64_t>(document->as_array().size()));
                       else
                         out.set_null(Type::Long);
                     });
  });
  t["bag_keys"] = spec(1, 1, "bag_keys(bag)", [](Args& args, const FunctionContext&) {
    return make_call(Type::Dynamic, std::move(args),
                     [scratch = boost::json::value()](auto v, Value& out) mutable {
                       const boost::json::value* document = as_document(*v[0], scratch);
                       if (!document || !document->is_object()) {
                         out = Value::null_of(Type::Dynamic);
                         return;
                       }
                       boost::json::array keys;
                       for (const auto& member : document->as_object())
                         keys.emplace_back(member.key());
                       out = Value::of_json(boost::json::value(std::move(keys)));
                     });
  });
  t["pack_array"] = spec(1, 64, "pack_array(a, b, ...)", [](Args& args, const FunctionContext&) {
    return make_call(Type::Dynamic, std::move(args), [](auto v, Value& out) {
      boost::json::array items;
      for (const Value* value : v)
        items.push_back(to_json(*value));
      out = Value::of_json(boost::json::value(std::move(items)));
    });
  });
  auto pack = [](Args& args, const FunctionContext&) {
    return make_call(Type::Dynamic, std::move(args), [](auto v, Value& out) {
      boost::json::object bag;
      for (size_t i = 0; i + 1 < v.size(); i += 2)
        bag[to_text(*v[i])] = to_json(*v[i + 1]);
      out = Value::of_json(boost::json::value(std::move(bag)));
    });
  };
  t["bag_pack"] = spec(2, 64, "bag_pack(key1, value1, ...)", pack);
  t["pack"] = spec(2, 64, "pack(key1, value1, ...)", pack);
  t["set_has_element"] =
      spec(2, 2, "set_has_element(array, value)", [](Args& args, const FunctionContext&) {
        return make_call(Type::Bool, std::move(args),
                         [scratch = boost::json::value()](auto v, Value& out) mutable {
                           const boost::json::value* document = as_document(*v[0], scratch);
                           bool found = false;
                           if (document && document->is_array())
                             for (const auto& item : document->as_array())
                               found = found || values_equal(Value::of_json(item), *v[1]);
                           out.set_bool(found);
                         });
      });
  t["array_index_of"] =
      spec(2, 2, "array_index_of(array, value)", [](Args& args, const FunctionContext&) {
        return make_call(Type::Long, std::move(args),
                         [scratch = boost::json::value()](auto v, Value& out) mutable {
                           const boost::json::value* document = as_document(*v[0], scratch);
                           if (!document || !document->is_array()) {
                             out.set_null(Type::Long);
                             return;
                           }
                           int64_t index = -1;
                           const auto& items = document->as_array();
                           for (size_t i = 0; i < items.size() && index < 0; ++i)
                             if (values_equal(Value::of_json(items[i]), *v[1]))
                               index = static_cast<int64_t>(i);
                           out.set_long(index);
                         });
      });
  t["parse_url"] = spec(1, 1, "parse_url(url)", [](Args& args, const FunctionContext&) {
    return make_call(Type::Dynamic, std::move(args),
                     [](auto v, Value& out) { out = Value::of_json(parse_url(to_text(*v[0]))); });
  });
}

}  // namespace log_hunt
