// Typing: ISO 8601 and timespans, conversion of stored text to column types, inference, and the
// catalogue's types winning over what the data looks like.
#include <gtest/gtest.h>

#include "kql/catalogue.hpp"
#include "log_hunt/catalogue_lookup.hpp"
#include "log_hunt/convert.hpp"
#include "test_support.hpp"

namespace log_hunt {
namespace {

TEST(Time, ParsesTheIso8601FormsLogsUse) {
  const int64_t base = *parse_datetime("2026-11-20T08:15:00Z");
  EXPECT_EQ(parse_datetime("2026-11-20 08:15:00"), base);
  EXPECT_EQ(parse_datetime("2026-11-20T10:15:00+02:00"), base);
  EXPECT_EQ(parse_datetime("2026-11-20T08:15"), base);
  EXPECT_EQ(parse_datetime("2026-11-20T08:15:00.1234567Z"), base + 1234567);
  EXPECT_EQ(parse_datetime("2026-11-20"), base - 8 * kTicksPerHour - 15 * kTicksPerMinute);
  EXPECT_EQ(parse_datetime("1969-12-31T23:59:59Z"), -kTicksPerSecond);
  for (const char* bad :
       {"", "2026-13-01", "2026-02-30", "20261120", "2026-11-20T25:00", "yesterday"})
    EXPECT_FALSE(parse_datetime(bad)) << bad;
}

TEST(Time, FormatsWithoutTrailingZeros) {
  EXPECT_EQ(format_datetime(*parse_datetime("2026-11-20T08:15:00Z")), "2026-11-20T08:15:00Z");
  EXPECT_EQ(format_datetime(*parse_datetime("2026-11-20T08:15:00.25Z")), "2026-11-20T08:15:00.25Z");
  EXPECT_EQ(format_datetime(*parse_datetime("2024-02-29T00:00:00Z")), "2024-02-29T00:00:00Z");
}

TEST(Time, TimespansInBothNotations) {
  EXPECT_EQ(parse_timespan("1.5h"), 90 * kTicksPerMinute);
  EXPECT_EQ(parse_timespan("2d"), 2 * kTicksPerDay);
  EXPECT_EQ(parse_timespan("100ms"), 100 * kTicksPerMillisecond);
  EXPECT_EQ(parse_timespan("1.02:03:04"),
            kTicksPerDay + 2 * kTicksPerHour + 3 * kTicksPerMinute + 4 * kTicksPerSecond);
  EXPECT_EQ(parse_timespan("-00:00:01"), -kTicksPerSecond);
  EXPECT_EQ(format_timespan(kTicksPerDay + 90 * kTicksPerMinute), "1.01:30:00");
  EXPECT_EQ(format_timespan(-kTicksPerSecond / 2), "-00:00:00.5000000");
  EXPECT_FALSE(parse_timespan("soon"));
}

TEST(Convert, TextToEachColumnType) {
  Value v;
  value_from_text("42", Type::Long, v);
  EXPECT_EQ(v.type, Type::Long);
  EXPECT_EQ(v.integer, 42);
  value_from_text("4.0", Type::Long, v);
  EXPECT_EQ(v.integer, 4);
  value_from_text("forty", Type::Long, v);
  EXPECT_TRUE(v.is_null);
  value_from_text("2.5e3", Type::Real, v);
  EXPECT_DOUBLE_EQ(v.real, 2500);
  value_from_text("TRUE", Type::Bool, v);
  EXPECT_TRUE(v.boolean);
  value_from_text("maybe", Type::Bool, v);
  EXPECT_TRUE(v.is_null);
  value_from_text("2026-11-20T08:00:00Z", Type::DateTime, v);
  EXPECT_EQ(v.integer, *parse_datetime("2026-11-20T08:00:00Z"));
  value_from_text("{\"a\":[1,2]}", Type::Dynamic, v);
  ASSERT_EQ(v.type, Type::Dynamic);
  EXPECT_TRUE(v.json->is_object());
  value_from_text("plain words", Type::Dynamic, v);
  EXPECT_TRUE(v.json->is_string());
}

TEST(Convert, JsonMembersToColumnTypes) {
  auto field_of = [](std::string_view line) {
    JsonFieldScanner scanner({"v"});
    RawField field;
    EXPECT_TRUE(scanner.scan(line, &field));
    return field;
  };
  Value v;
  std::string scratch;
  value_from_json_field(field_of(R"({"v":"8080"})"), Type::Int, v, scratch);
  EXPECT_EQ(v.integer, 8080);  // quoted numbers are read as numbers when the column says so
  value_from_json_field(field_of(R"({"v":null})"), Type::Long, v, scratch);
  EXPECT_TRUE(v.is_null);
  value_from_json_field(field_of(R"({"v":null})"), Type::String, v, scratch);
  EXPECT_FALSE(v.is_null);  // KQL strings are never null
  EXPECT_EQ(v.text, "");
  value_from_json_field(field_of(R"({"v":"{\"k\":1}"})"), Type::Dynamic, v, scratch);
  ASSERT_TRUE(v.json->is_object());  // JSON kept in a string (AdditionalFields) is read as JSON
  value_from_json_field(field_of(R"({"v":12.5})"), Type::String, v, scratch);
  EXPECT_EQ(v.text, "12.5");
  value_from_json_field(field_of(R"({"v":"a\tb"})"), Type::String, v, scratch);
  EXPECT_EQ(v.text, "a\tb");
}

TEST(Inference, TypesColumnsFromTheirValues) {
  testing::TempDir dir;
  dir.write("Custom.jsonl",
            "{\"when\":\"2026-11-20T08:00:00Z\",\"n\":1,\"x\":1,\"ok\":true,\"tags\":[\"a\"],\"s\":"
            "\"hi\"}\n"
            "{\"when\":\"2026-11-20T09:00:00Z\",\"n\":2,\"x\":1.5,\"ok\":false,\"tags\":[],\"s\":"
            "\"2026-11-20\",\"late\":7}\n");
  LogStore store(dir.path());
  auto tables = store.tables();
  Schema schema = store.schema_of(tables.at("Custom"));
  auto type_of = [&](const char* name) {
    return schema[static_cast<size_t>(find_column(schema, name))].type;
  };
  EXPECT_EQ(type_of("when"), Type::DateTime);
  EXPECT_EQ(type_of("n"), Type::Long);
  EXPECT_EQ(type_of("x"), Type::Real);
  EXPECT_EQ(type_of("ok"), Type::Bool);
  EXPECT_EQ(type_of("tags"), Type::Dynamic);
  EXPECT_EQ(type_of("s"), Type::String);  // one value is a date, the other not
  EXPECT_EQ(type_of("late"), Type::Long);
}

TEST(Catalogue, TypesWinOverTheDataAndAddTheDocumentedColumns) {
  auto loaded = kql::load_catalogue(LOG_HUNT_SCHEMA_DIR);
  ASSERT_FALSE(loaded.catalogue.empty()) << "no schema files in " << LOG_HUNT_SCHEMA_DIR;
  auto catalogue = std::make_shared<const kql::Catalogue>(std::move(loaded.catalogue));
  testing::TempDir dir;
  // RemotePort written as text, a column the catalogue does not know, and no Timestamp type hint.
  dir.write("DeviceNetworkEvents.jsonl",
            "{\"Timestamp\":\"2026-11-20T08:00:00Z\",\"RemotePort\":\"443\",\"Extra\":5}\n");
  LogStore store(dir.path(), catalogue_lookup(catalogue));
  auto result =
      testing::run("DeviceNetworkEvents | project Timestamp, RemotePort, Extra, RemoteUrl", store);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.columns[1].type, Type::Int);
  EXPECT_EQ(result.rows[0][1].integer, 443);
  EXPECT_EQ(result.columns[2].type, Type::Long);  // inferred: not in the catalogue
  EXPECT_EQ(result.rows[0][3].text, "");          // documented but absent: empty
  auto all = testing::run("DeviceNetworkEvents | getschema | count", store);
  EXPECT_GT(all.rows[0][0].integer, 30);  // the catalogue's columns, plus Extra
}

}  // namespace
}  // namespace log_hunt
