# Third-party libraries, all from Debian 12 packages (scripts/setup.sh installs them).
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS json url)
find_package(yaml-cpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)

# Asio recycles the memory of coroutine frames and handlers per thread, in 2 slots per kind by
# default; serving one HTTP request frees and allocates about five frames (the request loop, the
# read, the handling, the reply, the write), so with 2 slots most of them went to malloc. The
# value is part of every Asio type's layout: it must be the same in every file of a program, so it
# is set here, for the whole tree.
add_compile_definitions(BOOST_ASIO_RECYCLING_ALLOCATOR_CACHE_SIZE=8)

# valijson is header-only: unpacked by scripts/setup.sh into .deps/, or installed system-wide.
find_path(VALIJSON_INCLUDE_DIR valijson/validator.hpp
  HINTS ${CMAKE_SOURCE_DIR}/.deps/valijson/usr/include)
if(NOT VALIJSON_INCLUDE_DIR)
  message(FATAL_ERROR "valijson headers not found: run scripts/setup.sh")
endif()
add_library(secpilot_valijson INTERFACE)
target_include_directories(secpilot_valijson SYSTEM INTERFACE ${VALIJSON_INCLUDE_DIR})
# valijson's Boost.JSON adapter throws on unsupported constructs; exceptions are how we see them.
target_compile_definitions(secpilot_valijson INTERFACE VALIJSON_USE_EXCEPTIONS=1)

if(SECPILOT_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(SECPILOT_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
