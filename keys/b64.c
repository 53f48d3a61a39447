/*
 * b64: standard padded base64 (RFC 4648 section 4), as checkpoints and
 * signed notes use it.  The decoder is strict: one canonical spelling per
 * byte string (padding required, no whitespace, zero trailing bits), so
 * two different note texts can never carry the same root or signature.
 */
#include <limits.h>
#include <string.h>

#include <sodium.h>

#include "keys/keys.h"

int
keys_b64_encode(const void *in, size_t len, char *out, size_t outsz)
{
	size_t need;

	if (len > (size_t)INT_MAX / 4 * 3 - 3) {
		return -1;
	}
	need = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	if (!out || outsz < need) {
		return -1;
	}
	sodium_bin2base64(out, outsz, in, len, sodium_base64_VARIANT_ORIGINAL);
	return (int)strlen(out);
}

int
keys_b64_decode(const char *in, uint8_t *out, size_t outsz)
{
	const char *end = NULL;
	size_t inlen, n = 0;

	if (!in || !out) {
		return -1;
	}
	inlen = strlen(in);
	if (inlen > (size_t)INT_MAX || inlen % 4 != 0) {
		return -1;
	}
	/* libsodium 1.0.18 reads any byte >= 0x80 as '/': two texts would
	 * decode to the same key or signature.  Check the alphabet first. */
	if (strspn(in, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		       "0123456789+/=") != inlen) {
		return -1;
	}
	/*
	 * libsodium stops at the first byte outside the alphabet and reports
	 * success, so the end pointer must show that all of in was used.  It
	 * already insists on padding and zero trailing bits.
	 */
	if (sodium_base642bin(out, outsz, in, inlen, NULL, &n, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != in + inlen) {
		return -1;
	}
	return (int)n;
}
