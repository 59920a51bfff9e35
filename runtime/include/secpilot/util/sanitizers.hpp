// Whether this translation unit is built with AddressSanitizer or ThreadSanitizer, told the same
// way for GCC (which defines __SANITIZE_ADDRESS__) and clang (whose version 14, the fuzz preset's,
// answers only __has_feature), as SECPILOT_ASAN and SECPILOT_TSAN, each 0 or 1.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define SECPILOT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SECPILOT_ASAN 1
#endif
#endif
#ifndef SECPILOT_ASAN
#define SECPILOT_ASAN 0
#endif

#if defined(__SANITIZE_THREAD__)
#define SECPILOT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SECPILOT_TSAN 1
#endif
#endif
#ifndef SECPILOT_TSAN
#define SECPILOT_TSAN 0
#endif
