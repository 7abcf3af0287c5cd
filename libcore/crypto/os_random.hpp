#pragma once
/// Cryptographic randomness from the kernel (getrandom(2), blocking until the pool is seeded).
/// Thread-safe.
#include <cstdint>
#include <span>

namespace core {

/// Fills `out` with random bytes. Aborts the process if the kernel cannot supply them (an
/// environment failure no caller could recover from safely).
void os_random(std::span<uint8_t> out);

} // namespace core
