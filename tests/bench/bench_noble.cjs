// @noble/curves on the operations bench_bls measures, for the ratio it prints. Not a test.
//   node bench_noble.cjs <noble install dir>
// Prints one line per figure: "<name> <median> <minimum>", CPU milliseconds per operation
// (process CPU time: the machine is shared).
'use strict';
const path = require('path');
const { bls12_381: bls } = require(path.join(process.argv[2], 'node_modules/@noble/curves/bls12-381.js'));
const sigs = bls.longSignatures;
const DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_';

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function median(f, minMs = 1500) {
  const times = [];
  const start = cpuMs();
  while (cpuMs() - start < minMs || times.length < 5) {
    const t = cpuMs();
    f();
    times.push(cpuMs() - t);
  }
  times.sort((a, b) => a - b);
  return [times[times.length >> 1], times[0]];
}
const show = (name, [median, min]) => console.log(name, median, min);

const n = 21;
const sks = Array.from({ length: n }, (_, i) => BigInt(i) * 0x1234567890abcdefn + 987654321n);
const pks = sks.map((sk) => sigs.getPublicKey(sk));
const digest = new Uint8Array(32).fill(7);
const hashed = sigs.hash(digest, DST);
const agg = sigs.aggregateSignatures(sks.map((sk) => sigs.sign(hashed, sk))).toAffine();

const P = bls.G1.Point.BASE.multiply(12345n), Q = bls.G2.Point.BASE.multiply(67890n);
show('pairing', median(() => bls.pairing(P, Q)));
show('hash_to_curve', median(() => sigs.hash(digest, DST)));
const sig0 = sigs.sign(hashed, sks[0]);
show('verify', median(() => sigs.verify(sig0, sigs.hash(digest, DST), pks[0])));
// A strong certificate of 21 finalizers: decode and check the signature point, sum the cached
// keys, hash the digest, one pairing check.
show('qc21', median(() => {
  const sig = bls.G2.Point.fromAffine(agg);
  sig.assertValidity();
  const apk = sigs.aggregatePublicKeys(pks);
  if (!sigs.verify(sig, sigs.hash(digest, DST), apk)) throw new Error('noble: certificate does not verify');
}));
