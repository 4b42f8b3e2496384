/**
 * A gateway virtual key as the ledger keeps it. The secret itself (`sk-frugal-...`) is shown once, when the key
 * is created, and never stored: only its SHA-256 `hash` is, and requests are matched by hashing what they send.
 * `id` is the public name spans are attributed to (`Attribution.apiKeyId`) and budgets scope on (`key:<id>`).
 */
export type VirtualKeyRecord = {
  /** Public id, `key_` and 16 hex digits: safe to log, show and put in spans. */
  readonly id: string;
  /** SHA-256 of the secret, 64 lowercase hex digits. */
  readonly hash: string;
  /** The secret's first characters (`sk-frugal-AbCd`), to tell keys apart in lists. */
  readonly prefix: string;
  readonly name?: string | undefined;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms; a revoked key is refused (401) from then on. */
  readonly revokedAt?: number | undefined;
  /** Epoch ms; an expired key is refused (401). */
  readonly expiresAt?: number | undefined;
  /** Public model names (the gateway's `model_list` names) the key may call; undefined: every model. */
  readonly allowedModels?: readonly string[] | undefined;
  readonly requestsPerMinute?: number | undefined;
  readonly tokensPerMinute?: number | undefined;
  /** Attribution the key's calls get unless the request names its own (feature, user, tags). */
  readonly defaultFeature?: string | undefined;
  /** Free labels, e.g. { team: "search" }. */
  readonly metadata: Readonly<Record<string, string>>;
};
