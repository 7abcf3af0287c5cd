#pragma once
/// Public key recovery from a WebAuthn signature, as fc does it (Leap's
/// libraries/libfc/src/crypto/elliptic_webauthn.cpp), so that the same signatures are accepted
/// and the same keys recovered:
///   - client_json (up to its first NUL byte) is one JSON object; of its top-level members,
///     "type" must be "webauthn.get", "challenge" the base64url of the 32-byte digest itself,
///     "origin" a string starting with "https://" — the rpid is what follows, up to its last
///     ':' (a port);
///   - auth_data holds at least 37 bytes: sha256(rpid), then the flags byte (0x01 user present,
///     0x04 user verified), ...;
///   - the P-256 signature (header 31..34, no low-S rule) is over
///     sha256(auth_data ‖ sha256(client_json)).
/// The key recovered is a WebAuthn key: that point, the rpid and the user presence.
#include "codec/base64url.hpp" // base64url_decode: the challenge
#include "codec/result.hpp"
#include "crypto/checksum.hpp"
#include "crypto/public_key.hpp"
#include "crypto/signature.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace core {

/// Error: one line saying which rule the signature breaks.
result<public_key> recover_webauthn(const signature::webauthn& sig, const checksum256& digest);

} // namespace core
