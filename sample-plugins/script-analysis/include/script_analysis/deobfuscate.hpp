// Peels a script layer by layer: each layer is the previous one with one deobfuscation technique
// undone (a decoded -EncodedCommand, folded concatenations, an inflated GzipStream, ...), until
// no technique changes anything or a limit is reached. The techniques are listed, with what each
// does, in docs/plugins/script-analysis.md.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "script_analysis/language.hpp"
#include "script_analysis/limits.hpp"

namespace script_analysis {

// What undoing a technique says about the script; behaviours.hpp maps each class to ATT&CK.
enum class ObfuscationClass {
  None,                // plain variable substitution: everyday scripts do it too
  CommandObfuscation,  // ticks, carets, concatenation, char codes, format strings, case, ...
  Encoding,            // base64 and friends, decoded by the script at run time
  Compression,         // gzip/deflate streams, decompressed at run time
  DynamicExecution,    // a constant string run as code: iex, eval, Execute
};

std::string_view obfuscation_name(ObfuscationClass obfuscation) noexcept;

struct LayerRecord {
  size_t index = 0;         // 0 is the input
  std::string technique;    // "input", or the name of the transform that produced this layer
  std::string description;  // what that transform does, for people
  ObfuscationClass obfuscation = ObfuscationClass::None;
  Language language = Language::Unknown;
  size_t size = 0;         // bytes of the layer's full text
  std::string text;        // the text as shown: valid UTF-8, cut at Limits::max_result_layer_text
  bool truncated = false;  // `text` was cut
};

// A layer as it is produced, with its full text, for scanners that must see all of it.
struct LayerView {
  size_t index = 0;
  std::string_view technique;
  ObfuscationClass obfuscation = ObfuscationClass::None;
  Language language = Language::Unknown;
  std::string_view text;  // valid only during the call
};

using LayerVisitor = std::function<void(const LayerView&)>;

struct DeobfuscateOptions {
  // The input's language as the caller knows it; nullopt (or Unknown) detects it.
  std::optional<Language> language;
};

struct Deobfuscation {
  LanguageGuess input_language;  // detected, or the given language with confidence 1
  bool language_given = false;
  std::vector<LayerRecord> layers;  // layer 0 is the input
  std::string final_text;           // the last layer in full
  Language final_language = Language::Unknown;
  std::vector<std::string> techniques;  // distinct techniques undone, in order of first use
};

// Runs the layer loop within `budget` (limits hit are recorded there, never thrown). `visit`
// sees every layer with its full text as soon as it exists.
Deobfuscation deobfuscate(std::string_view script, const DeobfuscateOptions& options,
                          Budget& budget, const LayerVisitor& visit = {});

}  // namespace script_analysis
