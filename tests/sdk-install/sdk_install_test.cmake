# Run by CTest as `cmake -D... -P sdk_install_test.cmake` (see CMakeLists.txt beside it):
#   1. cmake --install <build> --component sdk --prefix <work>/prefix
#   2. configure and build examples/hello-plugin against that prefix only
#   3. `secpilot plugins list` shows Hello loaded; `invoke Hello.Greet` greets Ada, escaping JSON
#   4. `nm -D --defined-only` shows secpilot_plugin_entry and nothing else of the plugin's own
cmake_minimum_required(VERSION 3.25)

foreach(var SECPILOT_BUILD_DIR SECPILOT_CLI EXAMPLE_DIR WORK_DIR CXX_COMPILER MAKE_PROGRAM NM)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "sdk_install_test.cmake: pass -D${var}=...")
  endif()
endforeach()
if(NOT EXISTS "${SECPILOT_CLI}")
  message(FATAL_ERROR "${SECPILOT_CLI} does not exist: build the secpilot_cli target first")
endif()

set(prefix "${WORK_DIR}/prefix")
set(build "${WORK_DIR}/hello-build")
set(plugins "${build}/plugins")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# run(<what> <command>...): runs the command; on failure prints everything and stops. Leaves the
# exit code, stdout and stderr in run_result, run_out and run_err.
function(run what)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    string(JOIN " " command ${ARGN})
    message(FATAL_ERROR "${what} failed (exit ${result}):\n  ${command}\n"
      "--- stdout ---\n${out}\n--- stderr ---\n${err}")
  endif()
  set(run_result "${result}" PARENT_SCOPE)
  set(run_out "${out}" PARENT_SCOPE)
  set(run_err "${err}" PARENT_SCOPE)
endfunction()

# 1. Install the SDK component alone.
run("installing the sdk component"
  "${CMAKE_COMMAND}" --install "${SECPILOT_BUILD_DIR}" --component sdk --prefix "${prefix}")
foreach(file include/secpilot/plugin.h include/secpilot/sdk.hpp
    lib/cmake/secpilot-sdk/secpilot-sdk-config.cmake
    lib/cmake/secpilot-sdk/secpilot-sdk-config-version.cmake
    lib/cmake/secpilot-sdk/secpilot-sdk-targets.cmake
    lib/cmake/secpilot-sdk/SecpilotPlugin.cmake lib/cmake/secpilot-sdk/secpilot-plugin.map)
  if(NOT EXISTS "${prefix}/${file}")
    message(FATAL_ERROR "the sdk component did not install ${file} under ${prefix}")
  endif()
endforeach()

# 2. Configure and build the example as a third party would: this build's compiler, none of its
#    flags (the environment's *FLAGS unset too), no package registries, only the scratch prefix.
set(clean_env "${CMAKE_COMMAND}" -E env --unset=CFLAGS --unset=CXXFLAGS --unset=CPPFLAGS
  --unset=LDFLAGS --unset=CMAKE_PREFIX_PATH)
run("configuring examples/hello-plugin against the installed SDK"
  ${clean_env} "${CMAKE_COMMAND}" -S "${EXAMPLE_DIR}" -B "${build}" -G Ninja
  "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
file(STRINGS "${build}/CMakeCache.txt" sdk_dir REGEX "^secpilot-sdk_DIR:")
string(REGEX REPLACE "^[^=]*=" "" sdk_dir "${sdk_dir}")
file(REAL_PATH "${sdk_dir}" sdk_dir)
file(REAL_PATH "${prefix}/lib/cmake/secpilot-sdk" expected_sdk_dir)
if(NOT sdk_dir STREQUAL expected_sdk_dir)
  message(FATAL_ERROR "find_package(secpilot-sdk) found ${sdk_dir}, not the scratch install "
    "${expected_sdk_dir}")
endif()
run("building examples/hello-plugin" ${clean_env} "${CMAKE_COMMAND}" --build "${build}")
set(library "${plugins}/hello/libhello.so")
foreach(file "${library}" "${plugins}/hello/hello.yaml")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "secpilot_add_plugin() did not produce ${file}")
  endif()
endforeach()

# 3. Load it with the host.
run("linting the example's manifest" "${SECPILOT_CLI}" manifest lint "${plugins}/hello/hello.yaml")

run("listing plugins" "${SECPILOT_CLI}" --plugins-dir "${plugins}" --json plugins list)
string(JSON count ERROR_VARIABLE json_error LENGTH "${run_out}")
if(json_error)
  message(FATAL_ERROR "`plugins list --json` printed no JSON array (${json_error}):\n${run_out}")
endif()
set(hello_state "")
if(count GREATER 0)
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${run_out}" ${i} name)
    if(name STREQUAL "Hello")
      string(JSON hello_state GET "${run_out}" ${i} state)
      string(JSON hello_error GET "${run_out}" ${i} error)
    endif()
  endforeach()
endif()
if(NOT hello_state STREQUAL "loaded")
  message(FATAL_ERROR "plugin Hello is not loaded (state '${hello_state}', error "
    "'${hello_error}'):\n${run_out}\n${run_err}")
endif()

run("invoking Hello.Greet"
  "${SECPILOT_CLI}" --plugins-dir "${plugins}" invoke Hello.Greet --input name=Ada)
if(NOT run_out MATCHES "Ada")
  message(FATAL_ERROR "Hello.Greet's answer does not mention Ada:\n${run_out}\n${run_err}")
endif()
string(JSON message ERROR_VARIABLE json_error GET "${run_out}" message)
if(json_error OR NOT message STREQUAL "Hello, Ada!")
  message(FATAL_ERROR "Hello.Greet should answer {\"message\": \"Hello, Ada!\"}:\n${run_out}")
endif()

# A name that needs escaping must come back intact, as valid JSON.
run("invoking Hello.Greet with a name to escape" "${SECPILOT_CLI}" --plugins-dir "${plugins}"
  invoke Hello.Greet --raw "--input=name=Ada \"Countess\" \\ Lovelace")
string(JSON message ERROR_VARIABLE json_error GET "${run_out}" message)
if(json_error OR NOT message STREQUAL "Hello, Ada \"Countess\" \\ Lovelace!")
  message(FATAL_ERROR "Hello.Greet did not escape the name correctly:\n${run_out}")
endif()

# 4. Exports: the entry point, plus at most the symbols the linker itself defines in every ELF
#    shared object (ld.bfd's _init/_fini and section-boundary markers; ARM EABI's variants).
#    Anything else — a C++ symbol, an inline function, a typeinfo — means visibility leaked.
set(linker_defined _init _fini _edata _end __bss_start __bss_start__ __bss_end__ _bss_end__
  __end__)
run("listing dynamic symbols" "${NM}" -D --defined-only "${library}")
string(REPLACE "\n" ";" lines "${run_out}")
set(found_entry FALSE)
set(leaked "")
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  if(NOT line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) ([^ ]+)$")
    message(FATAL_ERROR "cannot read this line of `nm -D --defined-only`: '${line}'")
  endif()
  set(type "${CMAKE_MATCH_1}")
  string(REGEX REPLACE "@.*$" "" symbol "${CMAKE_MATCH_2}")  # drop a version suffix
  if(symbol STREQUAL "secpilot_plugin_entry" AND type STREQUAL "T")
    set(found_entry TRUE)
  elseif(NOT symbol IN_LIST linker_defined)
    list(APPEND leaked "${type} ${symbol}")
  endif()
endforeach()
if(NOT found_entry)
  message(FATAL_ERROR "${library} does not export secpilot_plugin_entry as a function:\n"
    "${run_out}")
endif()
if(leaked)
  list(JOIN leaked "\n  " leaked)
  message(FATAL_ERROR "${library} exports more than secpilot_plugin_entry:\n  ${leaked}\n"
    "secpilot_add_plugin() should hide everything else (visibility + version script)")
endif()

message(STATUS "sdk install: OK — Hello built against ${prefix} and loaded; exports only "
  "secpilot_plugin_entry")
