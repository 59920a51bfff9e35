// The order in which the layer loop tries the transforms. Cosmetic undoing comes first (ticks,
// carets, escapes, constants folded), so that the decoders after it see plain calls; decoding
// and unwrapping come last, each producing a layer of its own.
#include <array>

#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr LanguageMask kPowerShell = mask(Language::PowerShell) | mask(Language::Unknown);
constexpr LanguageMask kShell = mask(Language::Shell);
constexpr LanguageMask kBatch = mask(Language::Batch);
constexpr LanguageMask kScripts = mask(Language::PowerShell) | mask(Language::JavaScript) |
                                  mask(Language::VBScript) | mask(Language::Unknown);
constexpr LanguageMask kCommandLines = mask(Language::PowerShell) | mask(Language::Unknown) |
                                       mask(Language::Batch) | mask(Language::Shell);
constexpr LanguageMask kJsVbs = mask(Language::JavaScript) | mask(Language::VBScript);

using C = ObfuscationClass;

constexpr std::array<Transform, 23> kTransforms{{
    {"caret_escapes", "removed cmd.exe caret escapes inside words (p^o^w^e^r^s^h^e^l^l)", kBatch,
     C::CommandObfuscation, remove_batch_carets},
    {"batch_variables", "expanded batch variables, substrings and replacements (%a%%b%, %x:~2,3%)",
     kBatch, C::CommandObfuscation, expand_batch_variables},
    {"powershell_command",
     "took the script out of a powershell -Command line (powershell -c \"...\")", kCommandLines,
     C::None, unwrap_powershell_command},
    {"tick_escapes", "removed PowerShell backtick escapes inside words (I`E`X)", kPowerShell,
     C::CommandObfuscation, remove_powershell_ticks},
    {"shell_escapes", "decoded shell hex and octal escapes ($'\\x63\\x75', echo -e, printf)",
     kShell, C::CommandObfuscation, decode_shell_escapes},
    {"shell_quote_splicing", "removed quotes and backslashes splitting words (c''u\"\"rl)", kShell,
     C::CommandObfuscation, splice_shell_quotes},
    {"shell_variables", "substituted variables spliced into commands (a=cu;b=rl;$a$b)", kShell,
     C::CommandObfuscation, substitute_shell_variables},
    {"automatic_variable_indexing",
     "resolved characters picked from well-known variables ($env:ComSpec[4,24,25])", kPowerShell,
     C::CommandObfuscation, expand_automatic_variables},
    {"char_codes", "decoded character codes ([char]73, String.fromCharCode, Chr())", kScripts,
     C::CommandObfuscation, decode_char_codes},
    {"script_escapes", "decoded unescape(), %uXXXX and \\x escapes", kJsVbs, C::CommandObfuscation,
     decode_script_escapes},
    {"string_concatenation", "joined concatenated string literals ('Invo'+'ke')", kScripts,
     C::CommandObfuscation, concatenate_strings},
    {"join_operator", "evaluated -join over constant lists", kPowerShell, C::CommandObfuscation,
     evaluate_join_operator},
    {"format_operator", "evaluated the -f format operator (\"{1}{0}\" -f 'a','b')", kPowerShell,
     C::CommandObfuscation, apply_format_operator},
    {"string_replacement",
     "applied constant replacements and reversals (-replace, .Replace, split/join, StrReverse)",
     kScripts, C::CommandObfuscation, apply_string_replacements},
    {"variable_substitution", "substituted variables assigned once to a constant", kPowerShell,
     C::None, substitute_powershell_variables},
    {"shell_reversal", "reversed strings piped through rev", kShell, C::CommandObfuscation,
     reverse_shell_strings},
    {"encoded_command", "decoded a PowerShell -EncodedCommand (base64 of UTF-16LE)", kAnyLanguage,
     C::Encoding, decode_encoded_command},
    {"base64_decoding",
     "decoded base64 the script decodes itself (FromBase64String, GetString, GzipStream, atob)",
     kScripts, C::Encoding, decode_base64_calls},
    {"shell_base64_pipe", "decoded a shell pipeline (base64 -d, gunzip, xxd -r -p)", kShell,
     C::Encoding, decode_shell_base64_pipes},
    {"nested_base64", "decoded a base64 blob that is the script or a string in it", kAnyLanguage,
     C::Encoding, decode_nested_base64},
    {"invoke_expression_unwrap",
     "unwrapped a constant string run as code (iex, Invoke-Expression, eval, Execute)", kScripts,
     C::DynamicExecution, unwrap_invoke_expression},
    {"shell_eval_unwrap", "unwrapped a constant string run by eval, sh -c or | sh", kShell,
     C::DynamicExecution, unwrap_shell_eval},
    {"case_normalisation",
     "restored the usual spelling of randomly cased names (iNvOkE-eXpReSsIoN)", kPowerShell,
     C::CommandObfuscation, normalise_case},
}};

}  // namespace

std::span<const Transform> transforms() {
  return kTransforms;
}

}  // namespace script_analysis
