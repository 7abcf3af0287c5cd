#pragma once
/// Public key recovery from a signature and its digest, the check nodeos applies to every
/// transaction and block signature (fc public_key(sig, digest, check_canonical = true)).
/// Thread-safe and lock-free; the cost is one EC multi-scalar multiplication.
#include "codec/result.hpp"
#include "crypto/checksum.hpp"
#include "crypto/public_key.hpp"
#include "crypto/signature.hpp"

namespace core {

/// K1: rejects a header byte outside [27, 35) (so the all-zero default signature), a
/// non-EOS-canonical signature, r or s not below the curve order, and signatures that recover no
/// point. R1: rejects a bad header, high S, and r with no curve point for the recovery id.
/// WebAuthn: as fc does it (crypto/webauthn.hpp). Error: one line.
result<public_key> recover_key(const signature& sig, const checksum256& digest);

} // namespace core
