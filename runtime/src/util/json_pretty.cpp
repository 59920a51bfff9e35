#include "secpilot/util/json_pretty.hpp"

#include <boost/json/serialize.hpp>

namespace secpilot {
namespace {

void write(std::string& out, const boost::json::value& value, int indent, int depth) {
  const auto newline = [&](int level) {
    out += '\n';
    out.append(static_cast<std::size_t>(level * indent), ' ');
  };
  if (value.is_object()) {
    const auto& object = value.as_object();
    if (object.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (const auto& [key, item] : object) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      out += boost::json::serialize(boost::json::string(key));
      out += ": ";
      write(out, item, indent, depth + 1);
    }
    newline(depth);
    out += '}';
  } else if (value.is_array()) {
    const auto& array = value.as_array();
    if (array.empty()) {
      out += "[]";
      return;
    }
    out += '[';
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (i) out += ',';
      newline(depth + 1);
      write(out, array[i], indent, depth + 1);
    }
    newline(depth);
    out += ']';
  } else {
    out += boost::json::serialize(value);
  }
}

}  // namespace

std::string pretty_json(const boost::json::value& value, int indent) {
  std::string out;
  write(out, value, indent, 0);
  return out;
}

}  // namespace secpilot
