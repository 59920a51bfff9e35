// split_clauses: a request split into what it asks, in order, and each part read as a request (with
// its verb), a question, a negation or context.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "planner/clauses.hpp"

namespace secpilot::planner {
namespace {

std::vector<std::string> texts(const std::vector<Clause>& clauses) {
  std::vector<std::string> out;
  for (const auto& clause : clauses)
    out.emplace_back(clause.text);
  return out;
}

std::vector<ClauseKind> kinds(const std::vector<Clause>& clauses) {
  std::vector<ClauseKind> out;
  for (const auto& clause : clauses)
    out.push_back(clause.kind);
  return out;
}

using Texts = std::vector<std::string>;
using Kinds = std::vector<ClauseKind>;
constexpr auto request = ClauseKind::request;
constexpr auto question = ClauseKind::question;
constexpr auto negation = ClauseKind::negation;
constexpr auto context = ClauseKind::context;

TEST(SplitClauses, CommaThen) {
  const auto clauses =
      split_clauses("look up 203.0.113.45, then list the devices that talked to it");
  EXPECT_EQ(texts(clauses), (Texts{"look up 203.0.113.45", "list the devices that talked to it"}));
  EXPECT_EQ(kinds(clauses), (Kinds{request, request}));
  EXPECT_EQ(clauses[0].verb, "look");
  EXPECT_EQ(clauses[1].verb, "list");
}

TEST(SplitClauses, AndBeforeAVerb) {
  const auto clauses = split_clauses("pull detection 4127 and check the host in Jamf");
  EXPECT_EQ(texts(clauses), (Texts{"pull detection 4127", "check the host in Jamf"}));
  EXPECT_EQ(clauses[1].verb, "check");
}

TEST(SplitClauses, AndBetweenNounsDoesNotSplit) {
  const auto clauses = split_clauses("look up 203.0.113.45 and 198.51.100.7");
  EXPECT_EQ(texts(clauses), (Texts{"look up 203.0.113.45 and 198.51.100.7"}));
}

TEST(SplitClauses, CommaBeforeAVerb) {
  const auto clauses = split_clauses("triage detection 4127, see if the host is isolated");
  EXPECT_EQ(texts(clauses), (Texts{"triage detection 4127", "see if the host is isolated"}));
  EXPECT_EQ(kinds(clauses), (Kinds{request, request}));
  EXPECT_EQ(clauses[1].verb, "see");
}

TEST(SplitClauses, CommaBeforeANegation) {
  const auto clauses = split_clauses("show detection 4127, don't look up 203.0.113.45 yet");
  EXPECT_EQ(texts(clauses), (Texts{"show detection 4127", "don't look up 203.0.113.45 yet"}));
  EXPECT_EQ(kinds(clauses), (Kinds{request, negation}));
}

TEST(SplitClauses, EmDash) {
  const auto clauses = split_clauses("check ws-fin-07 \xE2\x80\x94 is it isolated?");
  EXPECT_EQ(texts(clauses), (Texts{"check ws-fin-07", "is it isolated?"}));
  EXPECT_EQ(kinds(clauses), (Kinds{request, question}));
}

TEST(SplitClauses, SentencesAreNumbered) {
  const auto clauses =
      split_clauses("Red Canary flagged 4127 on a finance Mac. Which devices talked to it?");
  EXPECT_EQ(texts(clauses),
            (Texts{"Red Canary flagged 4127 on a finance Mac.", "Which devices talked to it?"}));
  EXPECT_EQ(kinds(clauses), (Kinds{context, question}));
  EXPECT_EQ(clauses[0].sentence, 0u);
  EXPECT_EQ(clauses[1].sentence, 1u);
}

TEST(SplitClauses, DotsInsideValuesDoNotEndASentence) {
  const auto clauses = split_clauses("is evil-cdn.example on 203.0.113.45 malicious?");
  EXPECT_EQ(texts(clauses), (Texts{"is evil-cdn.example on 203.0.113.45 malicious?"}));
  EXPECT_EQ(kinds(clauses), (Kinds{question}));
}

TEST(SplitClauses, OffsetsPointIntoTheInstruction) {
  const std::string instruction = "look up 203.0.113.45, then list the devices that talked to it";
  for (const auto& clause : split_clauses(instruction))
    EXPECT_EQ(instruction.substr(clause.offset, clause.text.size()), clause.text);
}

TEST(ClauseKinds, NegationIsNotARequest) {
  const auto clauses = split_clauses("summarise detection 4127. Don't look anything up yet.");
  EXPECT_EQ(kinds(clauses), (Kinds{request, negation}));
  EXPECT_EQ(kinds(split_clauses("don\xE2\x80\x99t look anything up yet")), (Kinds{negation}));
  EXPECT_EQ(kinds(split_clauses("please do not lock it")), (Kinds{negation}));
  EXPECT_EQ(kinds(split_clauses("no need to check the IPs")), (Kinds{negation}));
}

TEST(ClauseKinds, ChangeActionsOpenARequest) {
  for (const char* verb : {"quarantine", "delete", "erase", "isolate", "block", "whois"}) {
    const auto clauses = split_clauses(std::string(verb) + " ws-fin-07");
    ASSERT_EQ(clauses.size(), 1u) << verb;
    EXPECT_EQ(clauses[0].kind, request) << verb;
    EXPECT_EQ(clauses[0].verb, verb);
  }
}

TEST(ClauseKinds, StatementIsContext) {
  const auto clauses = split_clauses("Red Canary flagged 4127 on a finance Mac.");
  EXPECT_EQ(kinds(clauses), (Kinds{context}));
  EXPECT_TRUE(clauses[0].verb.empty());
}

TEST(ClauseKinds, QuestionsByTheirFirstWordOrQuestionMark) {
  EXPECT_EQ(kinds(split_clauses("which devices talked to it?")), (Kinds{question}));
  EXPECT_EQ(kinds(split_clauses("is 203.0.113.45 malicious")), (Kinds{question}));
  EXPECT_EQ(kinds(split_clauses("the second IP, malicious?")), (Kinds{question}));
}

TEST(ClauseKinds, FillersBeforeTheVerbAreSkipped) {
  // "ok" may stand apart, as context: what is asked is the one request.
  auto clauses = split_clauses("ok, acknowledge it");
  std::vector<Clause> asked;
  for (const auto& clause : clauses)
    if (clause.kind != context) asked.push_back(clause);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].kind, request);
  EXPECT_EQ(asked[0].verb, "acknowledge");
  EXPECT_EQ(asked[0].text, "acknowledge it");

  clauses = split_clauses("please lock mbp-fin-12 with PIN 482913");
  ASSERT_EQ(clauses.size(), 1u);
  EXPECT_EQ(clauses[0].kind, request);
  EXPECT_EQ(clauses[0].verb, "lock");

  clauses = split_clauses("can you quickly check ws-fin-07?");
  ASSERT_EQ(clauses.size(), 1u);
  EXPECT_EQ(clauses[0].kind, request);
  EXPECT_EQ(clauses[0].verb, "check");
}

TEST(ClauseKinds, ClauseOfAQuestionSentenceIsAQuestion) {
  const auto clauses = split_clauses("check 203.0.113.45, then which devices talked to it?");
  EXPECT_EQ(texts(clauses), (Texts{"check 203.0.113.45", "which devices talked to it?"}));
  EXPECT_EQ(kinds(clauses), (Kinds{request, question}));
}

TEST(SplitClauses, EmptyAndPunctuationOnly) {
  EXPECT_TRUE(split_clauses("").empty());
  EXPECT_TRUE(split_clauses("  , . ; ").empty());
}

TEST(ClauseKindName, NamesEachKind) {
  EXPECT_EQ(clause_kind_name(request), "request");
  EXPECT_EQ(clause_kind_name(question), "question");
  EXPECT_EQ(clause_kind_name(negation), "negation");
  EXPECT_EQ(clause_kind_name(context), "context");
}

}  // namespace
}  // namespace secpilot::planner
