// The JSON Lines fast path: finding members without a document, and decoding strings.
#include <gtest/gtest.h>

#include "log_hunt/json_scan.hpp"

namespace log_hunt {
namespace {

struct Scan {
  bool ok;
  std::vector<RawField> fields;
};

Scan scan(const std::vector<std::string>& keys, std::string_view line) {
  JsonFieldScanner scanner(keys);
  std::vector<RawField> fields(keys.size());
  bool ok = scanner.scan(line, fields.data());
  return {ok, fields};
}

TEST(JsonFieldScanner, FindsMembersInAnyOrderAndSkipsTheRest) {
  auto result = scan({"b", "a"}, R"({"a": 1, "skip": {"x": [1, "]}"]}, "b": "two"})");
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.fields[0].kind, RawField::String);
  EXPECT_EQ(result.fields[0].text(), "two");
  EXPECT_EQ(result.fields[1].kind, RawField::Number);
  EXPECT_EQ(result.fields[1].text(), "1");
}

TEST(JsonFieldScanner, ReportsAbsentMembersAndLiterals) {
  auto result = scan({"t", "f", "n", "missing"}, R"({"t":true,"f":false,"n":null})");
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.fields[0].kind, RawField::True);
  EXPECT_EQ(result.fields[1].kind, RawField::False);
  EXPECT_EQ(result.fields[2].kind, RawField::Null);
  EXPECT_EQ(result.fields[3].kind, RawField::Absent);
}

TEST(JsonFieldScanner, StringsWithEscapedQuotesAndBackslashes) {
  auto result = scan({"path", "after"}, R"({"path":"C:\\dir\\\"q\"","after":"x"})");
  ASSERT_TRUE(result.ok);
  EXPECT_TRUE(result.fields[0].has_escapes());
  std::string decoded;
  ASSERT_TRUE(decode_json_string(result.fields[0].text(), decoded));
  EXPECT_EQ(decoded, R"(C:\dir\"q")");
  EXPECT_EQ(result.fields[1].text(), "x");
}

TEST(JsonFieldScanner, NestedValuesAreKeptWhole) {
  auto result = scan({"bag"}, R"({"bag":{"k":[1,{"z":"}"}]}})");
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.fields[0].kind, RawField::Object);
  EXPECT_EQ(result.fields[0].text(), R"({"k":[1,{"z":"}"}]})");
}

TEST(JsonFieldScanner, RejectsWhatIsNotAnObject) {
  for (std::string_view bad : {"", "[1,2]", "hello", R"({"a":1)", R"({"a":"unterminated})",
                               R"({"a" 1})", R"({"a":1,})", R"({"a":tru})"}) {
    EXPECT_FALSE(scan({"a", "zzz"}, bad).ok) << bad;
  }
}

TEST(JsonFieldScanner, AcceptsEmptyObjectsAndWhitespace) {
  EXPECT_TRUE(scan({"a"}, "{}").ok);
  auto result = scan({"a"}, "  { \"a\" :\t\"v\" }  ");
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.fields[0].text(), "v");
}

TEST(JsonFieldScanner, StopsEarlyButStillRejectsATruncatedLine) {
  // Everything needed is found before the cut, but the object never closes.
  EXPECT_FALSE(scan({"a"}, R"({"a":1,"b":"cut here)").ok);
  EXPECT_TRUE(scan({"a"}, R"({"a":1,"b":"whole"})").ok);
}

TEST(DecodeJsonString, UnicodeEscapesAndSurrogatePairs) {
  std::string out;
  ASSERT_TRUE(decode_json_string(R"(caf\u00e9 \ud83d\ude00 \n)", out));
  EXPECT_EQ(out, "caf\xC3\xA9 \xF0\x9F\x98\x80 \n");
  EXPECT_FALSE(decode_json_string(R"(bad \x escape)", out));
}

TEST(ForEachMember, VisitsEveryMemberWithDecodedKeys) {
  std::vector<std::string> keys;
  ASSERT_TRUE(
      for_each_member(R"({"a":1,"b\u0031":[2],"c":{"d":3}})",
                      [&](std::string_view key, const RawField&) { keys.emplace_back(key); }));
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b1", "c"}));
}

}  // namespace
}  // namespace log_hunt
