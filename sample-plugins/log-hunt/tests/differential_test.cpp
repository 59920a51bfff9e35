// The differential suite: each case of differential_cases.kqltest runs over tests/fixture/ and
// its result is compared with rows worked out by hand (see the file's header for its format).
#include <cmath>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "log_hunt/query_error.hpp"
#include "log_hunt/result_json.hpp"
#include "test_support.hpp"

namespace log_hunt {
namespace {

struct Case {
  std::string name;
  std::string query;
  std::optional<boost::json::array> columns;
  std::vector<boost::json::value> rows;
  bool ordered = true;
  std::string error;  // expected error kind, when the case expects one
};

std::vector<Case> load_cases() {
  std::ifstream in(testing::kTestsDir / "differential_cases.kqltest");
  std::vector<Case> cases;
  std::string line;
  enum { Query, Rows, Other } section = Other;
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) == 0) continue;
    if (line.rfind("=== ", 0) == 0) {
      cases.push_back({});
      cases.back().name = line.substr(4);
      section = Query;
      continue;
    }
    if (cases.empty()) continue;
    Case& current = cases.back();
    if (line.rfind("--- columns ", 0) == 0) {
      current.columns = boost::json::parse(line.substr(12)).as_array();
      section = Other;
    } else if (line.rfind("--- rows ", 0) == 0) {
      current.ordered = line.substr(9) == "ordered";
      section = Rows;
    } else if (line.rfind("--- error ", 0) == 0) {
      current.error = line.substr(10);
      section = Other;
    } else if (section == Query) {
      current.query += line + "\n";
    } else if (section == Rows && !line.empty()) {
      current.rows.push_back(boost::json::parse(line));
    }
  }
  return cases;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> loaded = load_cases();
  return loaded;
}

bool same_value(const boost::json::value& actual, const boost::json::value& expected) {
  if (actual.is_number() && expected.is_number()) {
    const double a = actual.to_number<double>(), e = expected.to_number<double>();
    return std::fabs(a - e) <= 1e-9 * std::max(1.0, std::fabs(e));
  }
  if (actual.is_array() && expected.is_array()) {
    const auto& a = actual.as_array();
    const auto& e = expected.as_array();
    if (a.size() != e.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!same_value(a[i], e[i])) return false;
    return true;
  }
  return actual == expected;
}

std::string kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidQuery:
      return "invalid_query";
    case ErrorKind::NotFound:
      return "not_found";
    case ErrorKind::Unsupported:
      return "unsupported";
    case ErrorKind::TooLarge:
      return "too_large";
    case ErrorKind::Cancelled:
      return "cancelled";
    case ErrorKind::Timeout:
      return "timeout";
    case ErrorKind::Storage:
      return "storage";
  }
  return "?";
}

class Differential : public ::testing::TestWithParam<size_t> {};

TEST_P(Differential, MatchesHandComputedRows) {
  const Case& c = cases()[GetParam()];
  SCOPED_TRACE(c.query);
  const LogStore store(testing::kFixtureDir);
  if (!c.error.empty()) {
    try {
      testing::run(c.query, store);
      ADD_FAILURE() << "expected a " << c.error << " error";
    } catch (const QueryError& e) {
      EXPECT_EQ(kind_name(e.kind()), c.error) << e.what();
      EXPECT_TRUE(e.range().known()) << "errors point into the query: " << e.what();
    }
    return;
  }
  QueryResult result;
  try {
    result = testing::run(c.query, store);
  } catch (const QueryError& e) {
    FAIL() << position_prefix(e.range()) << e.what();
  }
  const boost::json::object json = result_to_json(result);
  if (c.columns) {
    boost::json::array names;
    for (const auto& column : json.at("columns").as_array())
      names.push_back(column.at("name"));
    EXPECT_EQ(names, *c.columns);
  }
  std::vector<boost::json::value> actual(json.at("rows").as_array().begin(),
                                         json.at("rows").as_array().end());
  ASSERT_EQ(actual.size(), c.rows.size()) << "rows: " << boost::json::serialize(json.at("rows"));
  if (c.ordered) {
    for (size_t i = 0; i < actual.size(); ++i)
      EXPECT_TRUE(same_value(actual[i], c.rows[i]))
          << "row " << i << ": got " << actual[i] << ", expected " << c.rows[i];
    return;
  }
  // Unordered: every expected row is matched by a distinct actual row.
  std::vector<bool> used(actual.size(), false);
  for (const auto& expected : c.rows) {
    bool found = false;
    for (size_t i = 0; i < actual.size() && !found; ++i)
      if (!used[i] && same_value(actual[i], expected)) used[i] = found = true;
    EXPECT_TRUE(found) << "missing row " << expected << " in "
                       << boost::json::serialize(json.at("rows"));
  }
}

TEST(DifferentialSuite, HasAtLeastFortyCases) {
  EXPECT_GE(cases().size(), 40u);
}

INSTANTIATE_TEST_SUITE_P(Cases, Differential, ::testing::Range<size_t>(0, cases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return cases()[info.param].name;
                         });

}  // namespace
}  // namespace log_hunt
