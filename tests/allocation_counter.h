#pragma once
// Counts heap allocations so a test can check that work after the first round allocates
// nothing: replaces the global operator new/delete, so include it from ONE file per test
// executable. (GCC cannot see that the replaced new/delete pair up through malloc/free, hence
// the pragma.)

#include <atomic>
#include <cstdlib>
#include <new>

// ThreadSanitizer's runtime (clang's, linked statically) defines operator new/delete itself, so
// under TSan nothing is replaced and the allocation tests skip (`* doctest::skip(!kCountsAllocations)`);
// the Release and ASan builds run them.
#if defined(__SANITIZE_THREAD__)
#define DYNALAB_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DYNALAB_TSAN 1
#endif
#endif

/// Heap allocations made so far by the whole test executable.
static std::atomic<long> g_allocations{0};
#ifdef DYNALAB_TSAN
inline constexpr bool kCountsAllocations = false;
#else
inline constexpr bool kCountsAllocations = true;
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif
