// Console sign-in: the account root with one of its AccessKeys, or a RAM user with the password of
// its login profile. A failure never says which part was wrong. Failures are counted per user and
// per address, and past the bound every attempt is refused until the window has passed, right
// password or not. Every attempt on a known account is recorded as ActionTrail's ConsoleSignin event.
import { randomUUID } from 'node:crypto';
import type { CredentialSource } from '../../auth/index.js';
import { signaturesEqual } from '../../auth/constant-time.js';
import { ApiError, type Principal } from '../../model/index.js';
import { accountByAlias, hashPassword, seedContext, verifyPassword, type RequestFacts } from '../../services/index.js';
import type { SecretBox } from '../../secrets/index.js';
import type { MfaDeviceRecord, Store } from '../../store/index.js';
import { totpStepOf } from '../../auth/totp.js';
import type { AuditSink } from '../audit/index.js';
import { resolvedOrNone } from './codec.js';
import type { ConsoleSubject } from './sessions.js';

export type SignInRequest =
  | { kind: 'root'; accessKeyId: string; accessKeySecret: string }
  | { kind: 'user'; account: string; userName: string; password: string; mfaCode?: string };

export interface SignedIn {
  subject: ConsoleSubject;
  principal: Principal;
  /** The login profile asks for a new password before anything else. */
  passwordResetRequired: boolean;
  /** The user passed its MFA device. */
  mfa: boolean;
}

/** [U] Ours: the real console's bounds are not published. */
export const SIGNIN_LIMITS = { perUser: 5, perAddress: 20, windowMs: 15 * 60_000 };

export const SignInErrors = {
  failed: () => new ApiError('SignIn.Failed', 'The sign-in name, AccessKey or password is not right.', 401),
  mfaRequired: () => new ApiError('SignIn.MFARequired', 'This user signs in with an MFA code as well: give the code its virtual MFA device shows.', 401),
  throttled: (minutes: number) => new ApiError('SignIn.Throttled', `Too many failed sign-ins for this user or from this address; try again in ${minutes} minutes.`, 429),
};

/** Failed attempts per key in a fixed window that starts at the first failure. */
export class FailureCounter {
  readonly #windows = new Map<string, { startMs: number; failures: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Minutes until this key may try again; 0 when it may now. */
  blockedFor(key: string, nowMs: number): number {
    const w = this.#live(key, nowMs);
    return w !== undefined && w.failures >= this.limit ? Math.ceil((w.startMs + this.windowMs - nowMs) / 60_000) : 0;
  }

  fail(key: string, nowMs: number): void {
    const w = this.#live(key, nowMs) ?? { startMs: nowMs, failures: 0 };
    w.failures++;
    this.#windows.set(key, w);
    // Old windows go as new failures come, so the map holds at most the keys of one window.
    if (this.#windows.size > 100_000) for (const [k, v] of this.#windows) if (nowMs - v.startMs > this.windowMs) this.#windows.delete(k);
  }

  forget(key: string): void {
    this.#windows.delete(key);
  }

  #live(key: string, nowMs: number) {
    const w = this.#windows.get(key);
    if (w !== undefined && nowMs - w.startMs > this.windowMs) {
      this.#windows.delete(key);
      return undefined;
    }
    return w;
  }
}

export interface SignInDeps {
  store: Store;
  box: SecretBox;
  credentials: CredentialSource;
  audit: AuditSink | undefined;
}

interface Attempt {
  signedIn?: SignedIn;
  /** Who tried, when the account is known: the event's caller. */
  principal?: Principal;
  /** The password was right and the user has an MFA device: the code is wanted. */
  mfaRequired?: boolean;
}

export class ConsoleSignIn {
  readonly #users = new FailureCounter(SIGNIN_LIMITS.perUser, SIGNIN_LIMITS.windowMs);
  readonly #addresses = new FailureCounter(SIGNIN_LIMITS.perAddress, SIGNIN_LIMITS.windowMs);
  #standIn: Promise<string> | undefined;
  /** The last step whose code signed in, per device: a code seen once is refused after. */
  readonly #usedSteps = new Map<string, number>();

  constructor(private readonly deps: SignInDeps) {}

  async signIn(request: SignInRequest, facts: RequestFacts): Promise<SignedIn> {
    const nowMs = facts.now.getTime();
    const userKey = request.kind === 'root' ? `root:${request.accessKeyId}` : `user:${request.account}/${request.userName.toLowerCase()}`;
    const blocked = Math.max(this.#users.blockedFor(userKey, nowMs), this.#addresses.blockedFor(facts.sourceIp, nowMs));
    const attempt = request.kind === 'root' ? await this.#root(request, nowMs) : await this.#user(request, nowMs);
    const error = blocked > 0 ? SignInErrors.throttled(blocked) : attempt.mfaRequired ? SignInErrors.mfaRequired() : attempt.signedIn === undefined ? SignInErrors.failed() : undefined;
    if (attempt.principal !== undefined) {
      const loginAccount = request.kind === 'root' ? 'root' : request.userName;
      await this.#record(attempt.principal, 'ConsoleSignin', facts, { loginAccount, isMFAChecked: String(attempt.signedIn?.mfa === true) }, error);
    }
    if (error !== undefined) {
      // Asking for the code is a step of a right password, not a failure.
      if (blocked === 0 && !attempt.mfaRequired) {
        this.#users.fail(userKey, nowMs);
        this.#addresses.fail(facts.sourceIp, nowMs);
      }
      throw error;
    }
    this.#users.forget(userKey);
    return attempt.signedIn!;
  }

  /** A root AccessKey whose secret matches. Any failure to find it is the same failure. */
  async #root(r: Extract<SignInRequest, { kind: 'root' }>, nowMs: number): Promise<Attempt> {
    const credential = await resolvedOrNone(this.deps.credentials, r.accessKeyId, nowMs);
    if (credential === undefined || credential.principal.type !== 'Account') return {};
    const { principal } = credential;
    if (!signaturesEqual(credential.secret, r.accessKeySecret)) return { principal };
    return { principal, signedIn: { subject: { kind: 'root', accountId: principal.accountId, accessKeyId: r.accessKeyId }, principal, passwordResetRequired: false, mfa: false } };
  }

  async #user(r: Extract<SignInRequest, { kind: 'user' }>, nowMs: number): Promise<Attempt> {
    const { store } = this.deps;
    // The account by its id, or by its alias.
    const accountId = /^\d{1,32}$/.test(r.account) ? r.account : await accountByAlias(store, r.account);
    if (accountId === undefined || (await store.accounts.get(accountId)) === undefined) return {};
    const user = await store.ram.getUser(accountId, r.userName);
    // A name that is nobody's is still recorded in the account it was tried on.
    const principal: Principal = { type: 'RAMUser', accountId, userId: user?.userId ?? '', userName: user?.userName ?? r.userName, accessKeyId: '' };
    const profile = user === undefined ? undefined : await store.ram.getLoginProfile(user.userId);
    // A name without a password takes as long to refuse as a wrong password: timing tells nothing.
    const matches = await verifyPassword(r.password, profile?.passwordHash ?? (await (this.#standIn ??= hashPassword(randomUUID()))));
    if (user === undefined || profile === undefined || !matches) return { principal };
    const device = await store.ram.mfaDeviceOfUser(user.userId);
    if (device !== undefined) {
      if (r.mfaCode === undefined) return { principal, mfaRequired: true };
      if (!this.#codeAccepted(device, r.mfaCode, nowMs)) return { principal };
    }
    const mfa = device !== undefined;
    const signedIn = { ...principal, ...(mfa ? { mfaPresent: true } : {}) };
    return { principal: signedIn, signedIn: { subject: { kind: 'user', accountId, userId: user.userId }, principal: signedIn, passwordResetRequired: profile.passwordResetRequired, mfa } };
  }

  /** A code of the device's seed, of a step not used before on this node (a code works once). */
  #codeAccepted(device: MfaDeviceRecord, code: string, nowMs: number): boolean {
    const step = totpStepOf(this.deps.box.open(device.sealedSeed, seedContext(device.serialNumber)), code, nowMs);
    if (step === undefined || step <= (this.#usedSteps.get(device.serialNumber) ?? -1)) return false;
    this.#usedSteps.set(device.serialNumber, step);
    return true;
  }

  /** Records a sign-out (ActionTrail's ConsoleSignout). */
  async signedOut(caller: Principal, facts: RequestFacts): Promise<void> {
    await this.#record(caller, 'ConsoleSignout', facts, {}, undefined);
  }

  async #record(caller: Principal, kind: 'ConsoleSignin' | 'ConsoleSignout', facts: RequestFacts, extra: Record<string, string>, error: ApiError | undefined): Promise<void> {
    await this.deps.audit?.record({
      request: facts,
      serviceName: caller.type === 'Account' ? 'AasCustomer' : 'AasSub',
      apiVersion: '',
      eventName: kind,
      eventRW: 'Write',
      eventType: kind,
      eventSource: 'signin.rampart',
      caller,
      requestParameters: {},
      additionalEventData: extra,
      ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
    });
  }
}
