// One deobfuscation technique as the layer loop sees it: a function that rewrites a whole text,
// or says it found nothing to undo. Each family of techniques lives in its own file; transforms.cpp
// lists them in the order they are tried.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "literal.hpp"
#include "script_analysis/deobfuscate.hpp"
#include "script_analysis/language.hpp"
#include "script_analysis/limits.hpp"
#include "text_util.hpp"

namespace script_analysis {

struct TransformInput {
  std::string_view text;
  Language language;  // of the current layer; Unknown when undetermined
  Budget& budget;
};

struct Rewrite {
  std::string text;
  // The language of the new layer when the transform knows it (an -EncodedCommand is PowerShell,
  // `base64 -d | sh` yields shell); otherwise the layer loop detects it.
  std::optional<Language> language;
  // Overrides the transform's class for this rewrite (e.g. batch variables expanded without any
  // substring trick are not obfuscation).
  std::optional<ObfuscationClass> obfuscation;
};

using TransformFn = std::optional<Rewrite> (*)(const TransformInput& input);

// Bits of Language a transform applies to.
using LanguageMask = unsigned;
constexpr LanguageMask mask(Language language) noexcept {
  return 1u << static_cast<unsigned>(language);
}
inline constexpr LanguageMask kAnyLanguage = ~0u;

struct Transform {
  std::string_view name;         // stable id, shown as the layer's technique
  std::string_view description;  // one line for people
  LanguageMask languages;
  ObfuscationClass obfuscation;
  TransformFn run;
};

// Cuts a decoded replacement so that the bytes a pass has produced (`produced`, updated) stay
// within the layer bound, recording LayerSize when it cuts. False when nothing more fits: the
// pass should stop replacing.
inline bool fit_in_layer(std::string& replacement, size_t& produced, Budget& budget) {
  const size_t bound = budget.limits().max_layer_bytes;
  if (produced >= bound) {
    budget.hit(LimitKind::LayerSize);
    return false;
  }
  if (replacement.size() > bound - produced) {
    replacement.resize(bound - produced);
    budget.hit(LimitKind::LayerSize);
  }
  produced += replacement.size();
  return true;
}

// Every transform, in the order the layer loop tries them (first to change the text wins).
std::span<const Transform> transforms();

// The transforms, one per family file.
std::optional<Rewrite> remove_powershell_ticks(const TransformInput& input);
std::optional<Rewrite> expand_automatic_variables(const TransformInput& input);
std::optional<Rewrite> decode_char_codes(const TransformInput& input);
std::optional<Rewrite> evaluate_join_operator(const TransformInput& input);
std::optional<Rewrite> concatenate_strings(const TransformInput& input);
std::optional<Rewrite> apply_format_operator(const TransformInput& input);
std::optional<Rewrite> apply_string_replacements(const TransformInput& input);
std::optional<Rewrite> substitute_powershell_variables(const TransformInput& input);
std::optional<Rewrite> decode_base64_calls(const TransformInput& input);
std::optional<Rewrite> decode_encoded_command(const TransformInput& input);
std::optional<Rewrite> unwrap_powershell_command(const TransformInput& input);
std::optional<Rewrite> decode_nested_base64(const TransformInput& input);
std::optional<Rewrite> unwrap_invoke_expression(const TransformInput& input);
std::optional<Rewrite> normalise_case(const TransformInput& input);
std::optional<Rewrite> decode_shell_escapes(const TransformInput& input);
std::optional<Rewrite> splice_shell_quotes(const TransformInput& input);
std::optional<Rewrite> substitute_shell_variables(const TransformInput& input);
std::optional<Rewrite> reverse_shell_strings(const TransformInput& input);
std::optional<Rewrite> decode_shell_base64_pipes(const TransformInput& input);
std::optional<Rewrite> unwrap_shell_eval(const TransformInput& input);
std::optional<Rewrite> remove_batch_carets(const TransformInput& input);
std::optional<Rewrite> expand_batch_variables(const TransformInput& input);
std::optional<Rewrite> decode_script_escapes(const TransformInput& input);

}  // namespace script_analysis
