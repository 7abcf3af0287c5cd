#pragma once
/// Internal: the process's libsecp256k1 context.
#include <secp256k1.h>

namespace core::detail {

/// One context for the whole process, created (and randomised for side-channel protection) on
/// first use. This function-local static is the one deliberate exception to "no globals": the
/// context is immutable after creation, and libsecp256k1 functions taking a const context are
/// thread-safe, so sharing it needs no locking.
const secp256k1_context* k1_context();

} // namespace core::detail
