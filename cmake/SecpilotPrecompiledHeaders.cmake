# Precompiled headers for the targets with many C++ files. Most files include the same standard
# and third-party headers (Boost.JSON, GoogleTest, CLI11, spdlog), which take 2–5 s of a file's
# compile time at -O2 and never change here: each such target parses them once and every file of
# it loads the result. Only headers from outside this tree go in, so that editing our own headers
# rebuilds no more than it did. With SECPILOT_PRECOMPILE_HEADERS=OFF every file includes only what
# it names, which shows a missing #include that a precompiled header would hide.
option(SECPILOT_PRECOMPILE_HEADERS "Precompile common third-party headers per target" ON)

# A target gets a precompiled header when it compiles at least this many C++ files: below it,
# building the header costs more than the files save.
set(SECPILOT_PCH_MIN_FILES 4)

set(SECPILOT_PCH_COMMON
  <algorithm> <array> <atomic> <chrono> <cstddef> <cstdint> <filesystem> <functional> <map>
  <memory> <mutex> <optional> <string> <string_view> <thread> <unordered_map> <utility> <vector>
  <boost/json/array.hpp> <boost/json/object.hpp> <boost/json/parse.hpp>
  <boost/json/serialize.hpp> <boost/json/value.hpp>)

# The C++ files among a target's sources.
function(_secpilot_cxx_file_count target out)
  get_target_property(sources ${target} SOURCES)
  set(count 0)
  foreach(source IN LISTS sources)
    if(source MATCHES "\\.(cpp|cc|cxx)$")
      math(EXPR count "${count} + 1")
    endif()
  endforeach()
  set(${out} ${count} PARENT_SCOPE)
endfunction()

# secpilot_precompile_headers(<target> [EXTRA <header>...]): the common set, plus GoogleTest for a
# test executable, plus EXTRA. Applies to C++ files only (some targets also compile C).
function(secpilot_precompile_headers target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "EXTRA")
  if(NOT SECPILOT_PRECOMPILE_HEADERS)
    return()
  endif()
  set(headers ${SECPILOT_PCH_COMMON} ${arg_EXTRA})
  get_target_property(links ${target} LINK_LIBRARIES)
  if(links MATCHES "GTest::")
    list(APPEND headers <gtest/gtest.h>)
  endif()
  # A ">" inside a generator expression is written $<ANGLE-R>.
  list(TRANSFORM headers REPLACE "^<(.+)>$" "$<$<COMPILE_LANGUAGE:CXX>:<\\1$<ANGLE-R>>")
  target_precompile_headers(${target} PRIVATE ${headers})
  # GCC 12 forgets that headers loaded from a precompiled one are system headers, so its known
  # false positives on libstdc++'s inlined std::string copies (-Warray-bounds,
  # -Wstringop-overflow, -Wstringop-overread) surface in our files, where they are otherwise
  # silent.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CXX>:-Wno-array-bounds -Wno-stringop-overflow -Wno-stringop-overread>)
  endif()
endfunction()

# Every target under `directory` (recursively) with enough C++ files and no precompiled header yet.
function(secpilot_precompile_headers_under directory)
  get_directory_property(targets DIRECTORY ${directory} BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    get_target_property(already ${target} PRECOMPILE_HEADERS)
    if(NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$"
       OR already)
      continue()
    endif()
    _secpilot_cxx_file_count(${target} files)
    if(files GREATER_EQUAL SECPILOT_PCH_MIN_FILES)
      secpilot_precompile_headers(${target})
    endif()
  endforeach()
  get_directory_property(children DIRECTORY ${directory} SUBDIRECTORIES)
  foreach(child IN LISTS children)
    secpilot_precompile_headers_under(${child})
  endforeach()
endfunction()
