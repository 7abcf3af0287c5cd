// The oracle test: core_bls (through bls_oracle_peer) against @noble/curves, an independent
// BLS12-381 implementation. Each side makes random keys and messages, signs and aggregates them,
// and the other side checks every result.
//
//   node oracle.cjs <bls_oracle_peer> <noble install dir> [keys] [rounds]
//
// noble encodes big-endian and compressed; Antelope little-endian and affine, so points are
// converted through their affine coordinates. Exit 0 when both sides agree on everything.
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const path = require('path');

const [peer, nobleDir, keysArg, roundsArg] = process.argv.slice(2);
if (!peer || !nobleDir) {
  console.error('usage: node oracle.cjs <bls_oracle_peer> <noble dir> [keys] [rounds]');
  process.exit(2);
}
const { bls12_381: bls } = require(path.join(nobleDir, 'node_modules/@noble/curves/bls12-381.js'));
const sigs = bls.longSignatures;
const SIG_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_';
const POP_DST = 'BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const nKeys = Number(keysArg || 21);
const rounds = Number(roundsArg || 2);

// --- conversions ---
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const leToBig = (b) => BigInt('0x' + (hex(Buffer.from(b).reverse()) || '0'));
const bigToLe = (v, n) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
};
const isZero = (b) => b.every((x) => x === 0);
function g1FromLe(h) {
  const b = unhex(h);
  if (b.length !== 96) throw new Error('G1 point of ' + b.length + ' bytes');
  if (isZero(b)) return bls.G1.Point.ZERO;
  const p = bls.G1.Point.fromAffine({ x: leToBig(b.slice(0, 48)), y: leToBig(b.slice(48, 96)) });
  p.assertValidity();
  return p;
}
function g2FromLe(h) {
  const b = unhex(h);
  if (b.length !== 192) throw new Error('G2 point of ' + b.length + ' bytes');
  if (isZero(b)) return bls.G2.Point.ZERO;
  const f = (i) => leToBig(b.slice(48 * i, 48 * i + 48));
  const p = bls.G2.Point.fromAffine({ x: { c0: f(0), c1: f(1) }, y: { c0: f(2), c1: f(3) } });
  p.assertValidity();
  return p;
}
function g1ToLe(p) {
  if (p.equals(bls.G1.Point.ZERO)) return hex(new Uint8Array(96));
  const a = p.toAffine();
  return hex(bigToLe(a.x, 48)) + hex(bigToLe(a.y, 48));
}
function g2ToLe(p) {
  if (p.equals(bls.G2.Point.ZERO)) return hex(new Uint8Array(192));
  const a = p.toAffine();
  return [a.x.c0, a.x.c1, a.y.c0, a.y.c1].map((v) => hex(bigToLe(v, 48))).join('');
}
const hashMsg = (m, dst = SIG_DST) => sigs.hash(unhex(m), dst);
const weakOf = (digestHex) => digestHex + hex(Buffer.from('WEAK'));

let failures = 0;
function expect(ok, what) {
  if (!ok) {
    failures++;
    console.error('noble disagrees with core_bls: ' + what);
  }
}

// --- core_bls made it, noble checks ---
function checkOurs(o) {
  const pks = [];
  o.keys.forEach((k, i) => {
    const sk = leToBig(unhex(k.sk));
    const pk = sigs.getPublicKey(sk);
    expect(g1ToLe(pk) === k.pk, `public key ${i}`);
    const pkLe = g1ToLe(pk);
    expect(g2ToLe(sigs.sign(hashMsg(pkLe, POP_DST), sk)) === k.pop, `proof of possession ${i}`);
    expect(sigs.verify(g2FromLe(k.pop), hashMsg(k.pk, POP_DST), g1FromLe(k.pk)), `our proof of possession ${i} verifies`);
    expect(g2ToLe(sigs.sign(hashMsg(o.messages[i]), sk)) === o.sigs[i], `signature ${i}`);
    expect(sigs.verify(g2FromLe(o.sigs[i]), hashMsg(o.messages[i]), g1FromLe(k.pk)), `our signature ${i} verifies`);
    expect(g2ToLe(sigs.sign(hashMsg(o.common), sk)) === o.common_sigs[i], `signature ${i} of the common message`);
    pks.push(g1FromLe(k.pk));
  });
  const aggPk = sigs.aggregatePublicKeys(pks);
  expect(g1ToLe(aggPk) === o.agg_pk, 'aggregate public key');
  expect(g2ToLe(sigs.aggregateSignatures(o.common_sigs.map(g2FromLe))) === o.agg_common_sig, 'aggregate of the common signatures');
  expect(g2ToLe(sigs.aggregateSignatures(o.sigs.map(g2FromLe))) === o.agg_sig, 'aggregate signature');
  expect(sigs.verify(g2FromLe(o.agg_common_sig), hashMsg(o.common), aggPk), 'our fast aggregate verifies');
  expect(sigs.verifyBatch(g2FromLe(o.agg_sig), o.messages.map((m) => hashMsg(m)), pks), 'our aggregate over distinct messages verifies');
  const qcMsgs = [], qcPks = [];
  for (const i of o.qc.strong) { qcMsgs.push(hashMsg(o.qc.digest)); qcPks.push(pks[i]); }
  const weakHash = hashMsg(weakOf(o.qc.digest));
  for (const i of o.qc.weak) { qcMsgs.push(weakHash); qcPks.push(pks[i]); }
  expect(sigs.verifyBatch(g2FromLe(o.qc.sig), qcMsgs, qcPks), 'our strong+weak certificate verifies');
  // Pairing values: both final exponentiations raise to 3·(p^12 - 1)/r (detail/pairing.hpp), so
  // the Fp12 elements themselves must be equal.
  const P = bls.G1.Point.BASE.multiply(leToBig(unhex(o.pairing.a)));
  const Q = bls.G2.Point.BASE.multiply(leToBig(unhex(o.pairing.b)));
  const e = bls.pairing(P, Q);
  const coeffs = [];
  for (const half of [e.c0, e.c1]) for (const c of [half.c0, half.c1, half.c2]) coeffs.push(c.c0, c.c1);
  expect(coeffs.every((v, i) => v === BigInt('0x' + o.pairing.e[i])), 'pairing value e(aG1, bG2)');
}

// --- noble makes it, core_bls checks ---
function nobleMade(n) {
  const r = bls.params.r;
  const keys = [], messages = [], sigsOut = [], commonSigs = [], pks = [];
  const common = hex(crypto.randomBytes(32));
  for (let i = 0; i < n; i++) {
    const sk = (leToBig(crypto.randomBytes(32)) % (r - 1n)) + 1n;
    const pk = sigs.getPublicKey(sk);
    const pkLe = g1ToLe(pk);
    keys.push({ sk: hex(bigToLe(sk, 32)), pk: pkLe, pop: g2ToLe(sigs.sign(hashMsg(pkLe, POP_DST), sk)) });
    const m = hex(crypto.randomBytes(i % 3 === 0 ? 32 : crypto.randomInt(100)));
    messages.push(m);
    sigsOut.push(sigs.sign(hashMsg(m), sk));
    commonSigs.push(sigs.sign(hashMsg(common), sk));
    pks.push(pk);
  }
  const digest = hex(crypto.randomBytes(32));
  const strong = [], weak = [], qcSigs = [];
  for (let i = 0; i < n; i++) {
    const sk = leToBig(unhex(keys[i].sk));
    if (3 * i < 2 * n) { strong.push(i); qcSigs.push(sigs.sign(hashMsg(digest), sk)); }
    else { weak.push(i); qcSigs.push(sigs.sign(hashMsg(weakOf(digest)), sk)); }
  }
  return {
    keys, messages, sigs: sigsOut.map(g2ToLe), common, common_sigs: commonSigs.map(g2ToLe),
    agg_pk: g1ToLe(sigs.aggregatePublicKeys(pks)),
    agg_common_sig: g2ToLe(sigs.aggregateSignatures(commonSigs)),
    agg_sig: g2ToLe(sigs.aggregateSignatures(sigsOut)),
    qc: { digest, strong, weak, sig: g2ToLe(sigs.aggregateSignatures(qcSigs)) },
  };
}

for (let round = 0; round < rounds; round++) {
  const seed = crypto.randomBytes(8).toString('hex');
  const ours = JSON.parse(execFileSync(peer, ['make', String(nKeys), seed]).toString());
  checkOurs(ours);
  const theirs = nobleMade(nKeys);
  try {
    execFileSync(peer, ['check'], { input: JSON.stringify(theirs), stdio: ['pipe', 'inherit', 'inherit'] });
  } catch (e) {
    failures++;
    console.error(`core_bls rejected noble's values (round ${round}, exit ${e.status})`);
  }
  console.log(`round ${round}: ${nKeys} keys each way, seed ${seed}`);
}
if (failures) {
  console.error(`${failures} disagreement(s)`);
  process.exit(1);
}
console.log('core_bls and @noble/curves agree');
