#pragma once
/// Internal: the kernels of Fp and Fp2 arithmetic (the 768-bit product, the Montgomery reduction,
/// the Fp2 product and the Fp2 square) written with BMI2's mulx and ADX's adcx/adox. x86-64 only;
/// fp.hpp and fp2.hpp call them when the CPU has both extensions (checked once at start-up, see
/// `use_adx`) and keep their portable C++ otherwise.
///
/// Why assembly: a row of a schoolbook product adds the low halves of its six products into one
/// column set and the high halves into the next. adcx carries in CF only and adox in OF only, so
/// the two additions run as two independent carry chains, interleaved, with every value in a
/// register; mulx writes its result without touching the flags. Neither GCC 12 nor Clang 14 emits
/// adcx/adox from C++ (their _addcarryx_u64 becomes adc), and Debian builds for baseline x86-64,
/// which has neither extension, so the choice is made at run time.
///
/// Every kernel is branch-free, as fp.hpp requires: the final subtraction is a cmov.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace core::bls::detail::fp_impl {

#if defined(__x86_64__)

/// True when the CPU has BMI2 (mulx) and ADX (adcx, adox): CPUID leaf 7, EBX bits 8 and 19.
inline bool cpu_has_adx() {
   unsigned a = 0, b = 0, c = 0, d = 0;
   if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
      return false;
   return ((b >> 8) & 1) && ((b >> 19) & 1);
}

/// Whether fp.hpp uses these kernels: set once from the CPU, unless P2P_BLS_PORTABLE is in the
/// environment (documented in p2pnode(1)). Tests and benchmarks may change it to run both paths
/// on one machine (only while no other thread computes in Fp).
inline bool use_adx = cpu_has_adx() && std::getenv("P2P_BLS_PORTABLE") == nullptr;

namespace adx {

// The kernels are built from the macros below. An operand address is a register operand, a base
// offset and a limb offset: P2P_ADX_AT("a", "48", "8") is 8 + 48 bytes past %[a].
#define P2P_ADX_AT(REG, BASE, OFF) OFF "+" BASE "(%[" REG "])"

// One product-accumulate step: mulx gives hi:lo = rdx * limb; lo goes into column LO (CF chain),
// hi into column HI (OF chain).
#define P2P_ADX_MULADD(AREG, ABASE, OFF, LO, HI) \
   "mulxq " P2P_ADX_AT(AREG, ABASE, OFF) ", %%rax, %%rbx\n\t" \
   "adcxq %%rax, " LO "\n\t" \
   "adoxq %%rbx, " HI "\n\t"

// One row: rdx times the six limbs of A, added into columns W0..W5 and F. F is zeroed first, by
// the xor that also clears CF and OF. At the end CF holds the carry into F, which adc adds; OF
// holds none (F was zero and a high half is at most 2^64 - 2).
#define P2P_ADX_ROW(AREG, ABASE, W0, W1, W2, W3, W4, W5, F) \
   "xorq " F ", " F "\n\t" \
   P2P_ADX_MULADD(AREG, ABASE, "0", W0, W1) \
   P2P_ADX_MULADD(AREG, ABASE, "8", W1, W2) \
   P2P_ADX_MULADD(AREG, ABASE, "16", W2, W3) \
   P2P_ADX_MULADD(AREG, ABASE, "24", W3, W4) \
   P2P_ADX_MULADD(AREG, ABASE, "32", W4, W5) \
   P2P_ADX_MULADD(AREG, ABASE, "40", W5, F) \
   "adcq $0, " F "\n\t"

// Results are stored two limbs at a time from an SSE register: the compiler copies limb arrays
// with 16-byte moves, and a 16-byte load of two 8-byte stores cannot be forwarded from the store
// buffer (it waits for them to reach the cache; in a chain of products that made an Fp2 product
// slower than the portable one). SSE4.1's pinsrq is on every CPU that has ADX.
#define P2P_ADX_STORE2(OREG, OBASE, OFF, LO, HI) \
   "movq " LO ", %%xmm0\n\t" \
   "pinsrq $1, " HI ", %%xmm0\n\t" \
   "movdqu %%xmm0, " P2P_ADX_AT(OREG, OBASE, OFF) "\n\t"

// O = A·B, 12 limbs. Column k lives in register k mod 7 of r8..r14: after row i, column i is
// final (kept in xmm0 until its pair is ready), and its register becomes the next row's F.
#define P2P_ADX_MUL_WIDE(AREG, ABASE, BREG, BBASE, OREG, OBASE) \
   "xorq %%r8, %%r8\n\t" \
   "xorq %%r9, %%r9\n\t" \
   "xorq %%r10, %%r10\n\t" \
   "xorq %%r11, %%r11\n\t" \
   "xorq %%r12, %%r12\n\t" \
   "xorq %%r13, %%r13\n\t" \
   "movq " P2P_ADX_AT(BREG, BBASE, "0") ", %%rdx\n\t" \
   P2P_ADX_ROW(AREG, ABASE, "%%r8", "%%r9", "%%r10", "%%r11", "%%r12", "%%r13", "%%r14") \
   "movq %%r8, %%xmm0\n\t" \
   "movq " P2P_ADX_AT(BREG, BBASE, "8") ", %%rdx\n\t" \
   P2P_ADX_ROW(AREG, ABASE, "%%r9", "%%r10", "%%r11", "%%r12", "%%r13", "%%r14", "%%r8") \
   "pinsrq $1, %%r9, %%xmm0\n\t" \
   "movdqu %%xmm0, " P2P_ADX_AT(OREG, OBASE, "0") "\n\t" \
   "movq " P2P_ADX_AT(BREG, BBASE, "16") ", %%rdx\n\t" \
   P2P_ADX_ROW(AREG, ABASE, "%%r10", "%%r11", "%%r12", "%%r13", "%%r14", "%%r8", "%%r9") \
   "movq %%r10, %%xmm0\n\t" \
   "movq " P2P_ADX_AT(BREG, BBASE, "24") ", %%rdx\n\t" \
   P2P_ADX_ROW(AREG, ABASE, "%%r11", "%%r12", "%%r13", "%%r14", "%%r8", "%%r9", "%%r10") \
   "pinsrq $1, %%r11, %%xmm0\n\t" \
   "movdqu %%xmm0, " P2P_ADX_AT(OREG, OBASE, "16") "\n\t" \
   "movq " P2P_ADX_AT(BREG, BBASE, "32") ", %%rdx\n\t" \
   P2P_ADX_ROW(AREG, ABASE, "%%r12", "%%r13", "%%r14", "%%r8", "%%r9", "%%r10", "%%r11") \
   "movq %%r12, %%xmm0\n\t" \
   "movq " P2P_ADX_AT(BREG, BBASE, "40") ", %%rdx\n\t" \
   P2P_ADX_ROW(AREG, ABASE, "%%r13", "%%r14", "%%r8", "%%r9", "%%r10", "%%r11", "%%r12") \
   "pinsrq $1, %%r13, %%xmm0\n\t" \
   "movdqu %%xmm0, " P2P_ADX_AT(OREG, OBASE, "32") "\n\t" \
   P2P_ADX_STORE2(OREG, OBASE, "48", "%%r14", "%%r8") \
   P2P_ADX_STORE2(OREG, OBASE, "64", "%%r9", "%%r10") \
   P2P_ADX_STORE2(OREG, OBASE, "80", "%%r11", "%%r12")

// One reduction row: m = column W0 · (-p^-1), then W0 + m·p0 is zero and the window moves up.
#define P2P_ADX_REDC_ROW(PREG, W0, W1, W2, W3, W4, W5, F) \
   "movq " W0 ", %%rdx\n\t" \
   "imulq 48(%[" PREG "]), %%rdx\n\t" \
   P2P_ADX_ROW(PREG, "0", W0, W1, W2, W3, W4, W5, F)

// O = T·R^-1 mod p, fully reduced, for T < p·R (12 limbs); PREG points at p's six limbs followed
// by -p^-1 mod 2^64. The rows run on the low half only: u = (T_lo + m·p)/R < 2^384; the result
// is u + T_hi = (T + m·p)/R < 2p, and one conditional subtraction of p ends it: the sum is kept
// in O, p subtracted in the registers, and the sum taken back (cmov) on a borrow.
#define P2P_ADX_REDC(TREG, TBASE, PREG, OREG, OBASE) \
   "movq " P2P_ADX_AT(TREG, TBASE, "0") ", %%r8\n\t" \
   "movq " P2P_ADX_AT(TREG, TBASE, "8") ", %%r9\n\t" \
   "movq " P2P_ADX_AT(TREG, TBASE, "16") ", %%r10\n\t" \
   "movq " P2P_ADX_AT(TREG, TBASE, "24") ", %%r11\n\t" \
   "movq " P2P_ADX_AT(TREG, TBASE, "32") ", %%r12\n\t" \
   "movq " P2P_ADX_AT(TREG, TBASE, "40") ", %%r13\n\t" \
   P2P_ADX_REDC_ROW(PREG, "%%r8", "%%r9", "%%r10", "%%r11", "%%r12", "%%r13", "%%r14") \
   P2P_ADX_REDC_ROW(PREG, "%%r9", "%%r10", "%%r11", "%%r12", "%%r13", "%%r14", "%%r8") \
   P2P_ADX_REDC_ROW(PREG, "%%r10", "%%r11", "%%r12", "%%r13", "%%r14", "%%r8", "%%r9") \
   P2P_ADX_REDC_ROW(PREG, "%%r11", "%%r12", "%%r13", "%%r14", "%%r8", "%%r9", "%%r10") \
   P2P_ADX_REDC_ROW(PREG, "%%r12", "%%r13", "%%r14", "%%r8", "%%r9", "%%r10", "%%r11") \
   P2P_ADX_REDC_ROW(PREG, "%%r13", "%%r14", "%%r8", "%%r9", "%%r10", "%%r11", "%%r12") \
   "addq " P2P_ADX_AT(TREG, TBASE, "48") ", %%r14\n\t" \
   "adcq " P2P_ADX_AT(TREG, TBASE, "56") ", %%r8\n\t" \
   "adcq " P2P_ADX_AT(TREG, TBASE, "64") ", %%r9\n\t" \
   "adcq " P2P_ADX_AT(TREG, TBASE, "72") ", %%r10\n\t" \
   "adcq " P2P_ADX_AT(TREG, TBASE, "80") ", %%r11\n\t" \
   "adcq " P2P_ADX_AT(TREG, TBASE, "88") ", %%r12\n\t" \
   "movq %%r14, " P2P_ADX_AT(OREG, OBASE, "0") "\n\t" \
   "movq %%r8, " P2P_ADX_AT(OREG, OBASE, "8") "\n\t" \
   "movq %%r9, " P2P_ADX_AT(OREG, OBASE, "16") "\n\t" \
   "movq %%r10, " P2P_ADX_AT(OREG, OBASE, "24") "\n\t" \
   "movq %%r11, " P2P_ADX_AT(OREG, OBASE, "32") "\n\t" \
   "movq %%r12, " P2P_ADX_AT(OREG, OBASE, "40") "\n\t" \
   "subq 0(%[" PREG "]), %%r14\n\t" \
   "sbbq 8(%[" PREG "]), %%r8\n\t" \
   "sbbq 16(%[" PREG "]), %%r9\n\t" \
   "sbbq 24(%[" PREG "]), %%r10\n\t" \
   "sbbq 32(%[" PREG "]), %%r11\n\t" \
   "sbbq 40(%[" PREG "]), %%r12\n\t" \
   "cmovcq " P2P_ADX_AT(OREG, OBASE, "0") ", %%r14\n\t" \
   "cmovcq " P2P_ADX_AT(OREG, OBASE, "8") ", %%r8\n\t" \
   "cmovcq " P2P_ADX_AT(OREG, OBASE, "16") ", %%r9\n\t" \
   "cmovcq " P2P_ADX_AT(OREG, OBASE, "24") ", %%r10\n\t" \
   "cmovcq " P2P_ADX_AT(OREG, OBASE, "32") ", %%r11\n\t" \
   "cmovcq " P2P_ADX_AT(OREG, OBASE, "40") ", %%r12\n\t" \
   P2P_ADX_STORE2(OREG, OBASE, "0", "%%r14", "%%r8") \
   P2P_ADX_STORE2(OREG, OBASE, "16", "%%r9", "%%r10") \
   P2P_ADX_STORE2(OREG, OBASE, "32", "%%r11", "%%r12")

// One limb of an add or subtract chain in memory: D[off] = X[off] op Y[off] (op: adcq or sbbq;
// the first limb uses addq or subq). mov leaves the flags alone.
#define P2P_ADX_LIMB_OP(OP, XREG, XBASE, YREG, YBASE, DREG, DBASE, OFF) \
   "movq " P2P_ADX_AT(XREG, XBASE, OFF) ", %%rax\n\t" \
   OP " " P2P_ADX_AT(YREG, YBASE, OFF) ", %%rax\n\t" \
   "movq %%rax, " P2P_ADX_AT(DREG, DBASE, OFF) "\n\t"
#define P2P_ADX_CHAIN6(OP1, OP, XREG, XBASE, YREG, YBASE, DREG, DBASE, O) \
   P2P_ADX_LIMB_OP(OP1, XREG, XBASE, YREG, YBASE, DREG, DBASE, O "+0") \
   P2P_ADX_LIMB_OP(OP, XREG, XBASE, YREG, YBASE, DREG, DBASE, O "+8") \
   P2P_ADX_LIMB_OP(OP, XREG, XBASE, YREG, YBASE, DREG, DBASE, O "+16") \
   P2P_ADX_LIMB_OP(OP, XREG, XBASE, YREG, YBASE, DREG, DBASE, O "+24") \
   P2P_ADX_LIMB_OP(OP, XREG, XBASE, YREG, YBASE, DREG, DBASE, O "+32") \
   P2P_ADX_LIMB_OP(OP, XREG, XBASE, YREG, YBASE, DREG, DBASE, O "+40")
#define P2P_ADX_ADD6(XREG, XBASE, YREG, YBASE, DREG, DBASE) \
   P2P_ADX_CHAIN6("addq", "adcq", XREG, XBASE, YREG, YBASE, DREG, DBASE, "0")
#define P2P_ADX_WIDE(OP1, OP, XREG, XBASE, YREG, YBASE, DREG, DBASE) \
   P2P_ADX_CHAIN6(OP1, OP, XREG, XBASE, YREG, YBASE, DREG, DBASE, "0") \
   P2P_ADX_CHAIN6(OP, OP, XREG, XBASE, YREG, YBASE, DREG, DBASE, "48")

/// out = a·b, 12 limbs (a, b below 2^384).
inline void mul_wide(uint64_t* out, const uint64_t* a, const uint64_t* b) {
   asm(P2P_ADX_MUL_WIDE("a", "0", "b", "0", "out", "0")
       :
       : [out] "r"(out), [a] "r"(a), [b] "r"(b)
       : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "xmm0", "cc", "memory");
}

/// The constants the kernels read: p (6 limbs), -p^-1 mod 2^64, then p^2 (12 limbs).
using constants = std::array<uint64_t, 19>;

/// out = t·R^-1 mod p, fully reduced, for t < p·R (12 limbs).
inline void redc(uint64_t* out, const uint64_t* t, const constants& k) {
   asm(P2P_ADX_REDC("t", "0", "p", "out", "0")
       :
       : [out] "r"(out), [t] "r"(t), [p] "r"(k.data())
       : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "xmm0", "cc", "memory");
}

/// The Fp2 product (a0 + a1·u)(b0 + b1·u), Karatsuba with lazy reduction as fp2.hpp's portable
/// form: v0 = a0·b0, v1 = a1·b1, v2 = (a0 + a1)(b0 + b1) as 768-bit products, then
/// c0 = redc(v0 + p^2 - v1) and c1 = redc(v2 - v0 - v1). a, b and out are 12 limbs each (c0 then
/// c1), a, b below p; out may be a or b.
inline void fp2_mul(uint64_t* out, const uint64_t* a, const uint64_t* b, const constants& k) {
   // Scratch: v0 at 0, v1 at 96, a0 + a1 at 192, b0 + b1 at 240, v2 at 288, then `out` at 384:
   // with ten registers taken by the rows, four are left for pointers, and a's register takes
   // the output pointer once a and b have been read.
   uint64_t s[49];
   s[48] = reinterpret_cast<uintptr_t>(out);
   asm volatile(P2P_ADX_MUL_WIDE("a", "0", "b", "0", "s", "0")
       P2P_ADX_MUL_WIDE("a", "48", "b", "48", "s", "96")
       P2P_ADX_ADD6("a", "0", "a", "48", "s", "192")
       P2P_ADX_ADD6("b", "0", "b", "48", "s", "240")
       P2P_ADX_MUL_WIDE("s", "192", "s", "240", "s", "288")
       P2P_ADX_WIDE("subq", "sbbq", "s", "288", "s", "0", "s", "288")   // v2 - v0
       P2P_ADX_WIDE("subq", "sbbq", "s", "288", "s", "96", "s", "288")  // - v1
       P2P_ADX_WIDE("addq", "adcq", "s", "0", "p", "56", "s", "0")      // v0 + p^2
       P2P_ADX_WIDE("subq", "sbbq", "s", "0", "s", "96", "s", "0")      // - v1
       "movq 384(%[s]), %[a]\n\t"
       P2P_ADX_REDC("s", "0", "p", "a", "0")
       P2P_ADX_REDC("s", "288", "p", "a", "48")
       : [a] "+r"(a), [b] "+r"(b)
       : [s] "r"(s), [p] "r"(k.data())
       : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "xmm0", "cc", "memory");
}

/// The Fp2 square (a0 + a1·u)^2 = (a0 + a1)(a0 - a1) + 2·a0·a1·u as fp2.hpp's portable form: two
/// 768-bit products of unreduced sums (below 2p; a0 - a1 as a0 + (p - a1)), two reductions.
/// a and out are 12 limbs each; out may be a.
inline void fp2_square(uint64_t* out, const uint64_t* a, const constants& k) {
   // Scratch: a0 + a1 at 0, a0 + (p - a1) at 48, 2·a1 at 96, the products at 144 and 240, then
   // `out` at 336 (a's register takes it once a has been read).
   uint64_t s[43];
   s[42] = reinterpret_cast<uintptr_t>(out);
   asm volatile(P2P_ADX_ADD6("a", "0", "a", "48", "s", "0")
                P2P_ADX_CHAIN6("subq", "sbbq", "p", "0", "a", "48", "s", "48", "0")
                P2P_ADX_ADD6("s", "48", "a", "0", "s", "48")
                P2P_ADX_ADD6("a", "48", "a", "48", "s", "96")
                P2P_ADX_MUL_WIDE("s", "0", "s", "48", "s", "144")
                P2P_ADX_MUL_WIDE("a", "0", "s", "96", "s", "240")
                "movq 336(%[s]), %[a]\n\t"
                P2P_ADX_REDC("s", "144", "p", "a", "0")
                P2P_ADX_REDC("s", "240", "p", "a", "48")
                : [a] "+r"(a)
                : [s] "r"(s), [p] "r"(k.data())
                : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "xmm0", "cc", "memory");
}

#undef P2P_ADX_AT
#undef P2P_ADX_MULADD
#undef P2P_ADX_ROW
#undef P2P_ADX_STORE2
#undef P2P_ADX_MUL_WIDE
#undef P2P_ADX_REDC_ROW
#undef P2P_ADX_REDC
#undef P2P_ADX_LIMB_OP
#undef P2P_ADX_CHAIN6
#undef P2P_ADX_ADD6
#undef P2P_ADX_WIDE

} // namespace adx

#else

inline constexpr bool use_adx = false;

#endif

} // namespace core::bls::detail::fp_impl
