// A KQL skill's inputs land in its query only as data: inside a string literal as its content,
// elsewhere as a literal of their own type. Each test is an injection a manifest author or an
// attacker choosing an input would try.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "secpilot/skills/kql_template.hpp"

namespace secpilot::skills {
namespace {

std::string render(std::string_view query, std::string_view inputs_json) {
  auto rendered = render_kql_template(query, boost::json::parse(inputs_json).as_object());
  if (!rendered) return "error: " + rendered.error().message;
  return *rendered;
}

TEST(KqlTemplate, FillsQuotedPlaceholdersWithStringContent) {
  EXPECT_EQ(
      render("SigninLogs | where UserPrincipalName == '{{upn}}'", R"({"upn":"alice@contoso.com"})"),
      "SigninLogs | where UserPrincipalName == 'alice@contoso.com'");
  EXPECT_EQ(render(R"(T | where A == "{{ upn }}")", R"({"UPN":"bob"})"), R"(T | where A == "bob")")
      << "spaces inside the braces and the name's case do not matter";
}

TEST(KqlTemplate, AQuoteInAValueCannotCloseTheLiteral) {
  EXPECT_EQ(render("T | where U == '{{u}}'", R"({"u":"x' or 1==1 //"})"),
            R"(T | where U == 'x\' or 1==1 //')");
  EXPECT_EQ(render(R"(T | where U == "{{u}}")", R"({"u":"x\" | take 1000000"})"),
            R"(T | where U == "x\" | take 1000000")");
  EXPECT_EQ(render("T | where U == '{{u}}'", R"({"u":"a\\' | drop"})"),
            R"(T | where U == 'a\\\' | drop')")
      << "a trailing backslash must not escape the escaping quote";
  EXPECT_EQ(render("T | where U == '{{u}}'", R"({"u":"line1\nline2"})"),
            R"(T | where U == 'line1\nline2')");
}

TEST(KqlTemplate, VerbatimStringsDoubleTheQuote) {
  EXPECT_EQ(render(R"(T | where P == @'{{path}}')", R"({"path":"C:\\Temp\\it's"})"),
            R"(T | where P == @'C:\Temp\it''s')");
}

TEST(KqlTemplate, OutsideStringsOnlyLiteralsGoIn) {
  EXPECT_EQ(render("T | take {{n}}", R"({"n":25})"), "T | take 25");
  EXPECT_EQ(render("T | where Timestamp > ago({{window}})", R"({"window":"7d"})"),
            "T | where Timestamp > ago(7d)");
  EXPECT_EQ(render("T | where Timestamp > {{since}}", R"({"since":"2026-11-20T10:00:00Z"})"),
            "T | where Timestamp > datetime(2026-11-20T10:00:00Z)");
  EXPECT_EQ(render("T | where Flag == {{f}}", R"({"f":true})"), "T | where Flag == true");
  // Anything else becomes a quoted string: no operator can get through.
  EXPECT_EQ(render("T | take {{n}}", R"({"n":"10 | union Secrets"})"),
            R"(T | take "10 | union Secrets")");
  EXPECT_EQ(render("T | where A == {{a}}", R"({"a":"1 or 1==1"})"),
            R"(T | where A == "1 or 1==1")");
  EXPECT_EQ(render("T | where Timestamp > ago({{w}})", R"({"w":"1d) | union (Secrets"})"),
            R"(T | where Timestamp > ago("1d) | union (Secrets"))");
}

TEST(KqlTemplate, CommentsKeepAValueOnOneLine) {
  EXPECT_EQ(render("// for {{who}}\nT", R"({"who":"x\nSecrets | take 1"})"),
            "// for x Secrets | take 1\nT");
}

TEST(KqlTemplate, LiteralsInTheTemplateAreLeftAlone) {
  EXPECT_EQ(render(R"(T | where A == 'it\'s {{x}}' and B == "{{y}}")", R"({"x":"1","y":"2"})"),
            R"(T | where A == 'it\'s 1' and B == "2")");
  EXPECT_EQ(render("T | where A == 'a''{{x}}'", R"({"x":"q"})"), "T | where A == 'a''q'");
}

TEST(KqlTemplate, MissingOptionalInputsRenderEmpty) {
  EXPECT_EQ(render("T | where A has '{{x}}'", "{}"), "T | where A has ''");
  EXPECT_EQ(render("T | where A == {{x}}", "{}"), R"(T | where A == "")");
}

TEST(KqlTemplate, BrokenPlaceholdersAreErrors) {
  EXPECT_EQ(render("T | where A == '{{x'", R"({"x":"1"})").rfind("error: ", 0), 0u);
  EXPECT_EQ(render("T | where A == '{{ }}'", R"({"x":"1"})").rfind("error: ", 0), 0u);
}

TEST(KqlTemplate, AValueIsNeverExpandedAgain) {
  EXPECT_EQ(render("T | where A == '{{x}}' and B == '{{y}}'", R"({"x":"{{y}}","y":"2"})"),
            "T | where A == '{{y}}' and B == '2'");
}

}  // namespace
}  // namespace secpilot::skills
