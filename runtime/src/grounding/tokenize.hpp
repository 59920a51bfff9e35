// Turns text (a prompt, a skill's description) into retrieval terms: ASCII-folded, split on case
// and separators, without stopwords or values such as addresses and host names, stemmed and
// canonical. The index and the query use the same function, so they always agree.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secpilot::grounding {

// Splits text into lower-case words, before stopwords and stemming:
// - UTF-8 Latin letters fold to ASCII (é -> e, ß -> ss); other non-ASCII characters separate;
// - a run of letters and digits joined by - . _ : / \ @ [ ] with more than one part is a value
//   when it holds a digit, or a dot or an @ between two parts (198.51.100.7, mbp-fin-12,
//   evil[.]example, a@b.com, powershell.exe, T1059.001, 2026-11-20), and yields nothing: entity
//   extraction reads values, and their parts would only match the sample values in skills'
//   descriptions. Letters then digits (SHA-256, SHA-1) is the exception, one word (sha256).
//   Other runs (bash/sh, Invoke-Expression, max_days) split into their parts;
// - each part splits on case (LookupIndicator -> lookup indicator, IPAddress -> ip address, but
//   IPv4 stays whole); a split word also yields itself whole (powershell from PowerShell), so
//   both spellings meet;
// - one-letter words, words starting with a digit (4127, 24h) and words longer than 40
//   characters (encoded blobs) are dropped.
// Reuses its buffers from call to call: keep one per thread where text is split often.
class WordSplitter {
 public:
  // The words of `text`, in order; valid until the next call.
  std::span<const std::string_view> split(std::string_view text);

 private:
  void split_compound(std::size_t begin, std::size_t end);
  void split_part(std::size_t begin, std::size_t end);
  void add_word(std::size_t begin, std::size_t end);

  std::string cased_;  // the folded text, case kept to split on it
  std::string lower_;  // the same, lower-case: the words are views into it
  std::vector<std::string_view> words_;
  std::vector<std::pair<std::size_t, std::size_t>> parts_;
};

// The term a lower-case word becomes, or an empty string for a stopword: stem, then canonical
// spelling (see stem.hpp and security_lexicon.hpp).
std::string normalise_word(std::string_view word);

// WordSplitter + normalise_word: the terms of `text`, in order, appended to `terms`.
void tokenize(std::string_view text, std::vector<std::string>& terms);

}  // namespace secpilot::grounding
