// A light, predictable English stemmer for skill retrieval: plural and verb endings only, so that
// "detections", "detected" and "detect" meet, and a person can say in advance what a word becomes.
#pragma once

#include <string>
#include <string_view>

namespace secpilot::grounding {

// `word` must be lower-case ASCII. Words of three letters or fewer and words holding anything but
// letters (sha256, t1059) are returned unchanged. Otherwise, in order:
//   1. British -is-/-ys- before e, ed, es, ing, ation, er becomes -iz-/-yz- (summarise, analyse),
//      for words of seven letters or more;
//   2. plurals: -ies -> -y; -sses -> -ss; -xes, -ches, -shes, -zes lose -es; a final -s goes,
//      except after s, u or i (address, status, analysis);
//   3. -ing and -ed go when at least three letters with a vowel remain; a doubled final consonant
//      other than l, s or z is then undoubled (running -> run, logged -> log, called -> call);
//   4. -tion loses -ion in words of eight letters or more (detection -> detect, encryption ->
//      encrypt, validation -> validat);
//   5. a final -e (not -ee) goes in words of five letters or more (encode -> encod, so that it
//      meets encoded and encoding).
std::string stem(std::string_view word);

}  // namespace secpilot::grounding
