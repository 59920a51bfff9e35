// Renders a KQL skill's Template with its inputs. Security Copilot's templates quote their own
// placeholders ('{{upn}}'), so each value is escaped for where it lands: inside a string literal
// as string content, inside a comment as one line, elsewhere only as a literal (a number, true
// or false, a timespan such as 7d, a datetime, else a quoted string). An input can therefore
// never add operators to the query, whatever it holds.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "secpilot/util/expected.hpp"

namespace secpilot::skills {

// `inputs` are the call's checked inputs. A placeholder is {{name}} (spaces allowed inside the
// braces, names match case-insensitively); an input the call does not have (an optional one left
// out) renders as an empty string. A '{{' without '}}' is an invalid_input error.
Expected<std::string> render_kql_template(std::string_view query_template,
                                          const boost::json::object& inputs);

}  // namespace secpilot::skills
