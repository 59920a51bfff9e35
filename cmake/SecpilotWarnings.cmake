# Project-wide warning flags, applied through secpilot_warnings().
add_library(secpilot_warnings INTERFACE)
target_compile_options(secpilot_warnings INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${SECPILOT_WARNINGS_AS_ERRORS}>:-Werror>)
