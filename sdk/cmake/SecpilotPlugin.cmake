# secpilot_add_plugin(<name> SOURCES <files>... MANIFEST <file> [DATA <files or folders>...]
#                     [OUTPUT_DIRECTORY <dir>])
#
# Builds a secpilot plugin: a MODULE library with hidden visibility that exports only
# secpilot_plugin_entry (version script), links with -Wl,--no-undefined so a missing symbol fails
# the build instead of the load, and copies the manifest (and DATA) next to the library so the
# folder is ready to point `secpilot --plugins-dir` or secpilotd at.
# Output: <OUTPUT_DIRECTORY>/<name>/lib<name>.so, default <build>/plugins/<name>/.
include_guard(GLOBAL)
set(SECPILOT_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/secpilot-plugin.map"
  CACHE INTERNAL "version script for secpilot plugins")

function(secpilot_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "MANIFEST;OUTPUT_DIRECTORY" "SOURCES;DATA")
  if(NOT arg_MANIFEST)
    message(FATAL_ERROR "secpilot_add_plugin(${name}): MANIFEST <file> is required")
  endif()
  if(NOT arg_OUTPUT_DIRECTORY)
    if(SECPILOT_PLUGIN_OUTPUT_DIR)
      set(arg_OUTPUT_DIRECTORY ${SECPILOT_PLUGIN_OUTPUT_DIR})
    else()
      set(arg_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)
    endif()
  endif()
  set(out ${arg_OUTPUT_DIRECTORY}/${name})

  add_library(${name} MODULE ${arg_SOURCES} ${arg_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE secpilot::sdk)
  set_target_properties(${name} PROPERTIES
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${out}
    LINK_DEPENDS ${SECPILOT_PLUGIN_VERSION_SCRIPT})
  target_link_options(${name} PRIVATE
    "LINKER:--version-script=${SECPILOT_PLUGIN_VERSION_SCRIPT}"
    "LINKER:--exclude-libs,ALL")
  # Sanitizer runtimes live in the host executable, so a sanitized plugin has undefined symbols
  # by design; everywhere else an undefined symbol is a build error.
  if(NOT "${CMAKE_CXX_FLAGS} ${CMAKE_C_FLAGS}" MATCHES "-fsanitize")
    target_link_options(${name} PRIVATE "LINKER:--no-undefined")
  endif()

  get_filename_component(manifest_abs ${arg_MANIFEST} ABSOLUTE)
  get_filename_component(manifest_name ${arg_MANIFEST} NAME)
  set(copies ${out}/${manifest_name})
  add_custom_command(OUTPUT ${out}/${manifest_name}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${manifest_abs} ${out}/${manifest_name}
    DEPENDS ${manifest_abs}
    COMMENT "secpilot plugin ${name}: manifest ${manifest_name}")
  foreach(item IN LISTS arg_DATA)
    get_filename_component(item_abs ${item} ABSOLUTE)
    get_filename_component(item_name ${item} NAME)
    if(IS_DIRECTORY ${item_abs})
      file(GLOB_RECURSE item_files CONFIGURE_DEPENDS ${item_abs}/*)
      add_custom_command(OUTPUT ${out}/${item_name}.stamp
        COMMAND ${CMAKE_COMMAND} -E copy_directory ${item_abs} ${out}/${item_name}
        COMMAND ${CMAKE_COMMAND} -E touch ${out}/${item_name}.stamp
        DEPENDS ${item_files}
        COMMENT "secpilot plugin ${name}: data ${item_name}/")
      list(APPEND copies ${out}/${item_name}.stamp)
    else()
      add_custom_command(OUTPUT ${out}/${item_name}
        COMMAND ${CMAKE_COMMAND} -E copy_if_different ${item_abs} ${out}/${item_name}
        DEPENDS ${item_abs}
        COMMENT "secpilot plugin ${name}: data ${item_name}")
      list(APPEND copies ${out}/${item_name})
    endif()
  endforeach()
  add_custom_target(${name}_files ALL DEPENDS ${copies})
  add_dependencies(${name} ${name}_files)
endfunction()
