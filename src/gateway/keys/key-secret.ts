import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../tracing/request-hash.js';

/** What every virtual key secret starts with. */
export const keySecretPrefix = 'sk-frugal-';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const secretLength = 32;
/** Bytes from this up (248, the largest multiple of 62 below 256) are redrawn: every character equally likely. */
const unbiasedBelow = 256 - (256 % alphabet.length);

/** The shape of a secret `newKeySecret` makes: anything else cannot be a virtual key. */
export const keySecretPattern = /^sk-frugal-[0-9A-Za-z]{32}$/;

/** A new secret: `sk-frugal-` and 32 base62 characters (about 190 random bits), without modulo bias. */
export function newKeySecret(): string {
  let body = '';
  while (body.length < secretLength) {
    for (const byte of randomBytes(secretLength)) {
      if (byte < unbiasedBelow && body.length < secretLength) body += alphabet[byte % alphabet.length];
    }
  }
  return `${keySecretPrefix}${body}`;
}

/**
 * The SHA-256 of a secret as 64 lowercase hex digits: what the store keeps and looks keys up by. One-shot (it
 * runs on every request: a Hash object per call cost ~3× as much).
 */
export function hashKeySecret(secret: string): string {
  return sha256Hex(secret);
}

/** The secret's first 14 characters (`sk-frugal-AbCd`): tells keys apart in a list, useless to an attacker. */
export function keyPrefix(secret: string): string {
  return secret.slice(0, 14);
}

/** A new public key id: `key_` and 16 hex digits. */
export function newKeyId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

/**
 * Whether two secrets are equal, in time that depends on neither (both are hashed first, so lengths do not leak
 * either). For the master key, which is compared rather than looked up.
 */
export function secretsEqual(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
