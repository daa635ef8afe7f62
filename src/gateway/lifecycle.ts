// The one request lifecycle every front door runs. A codec knows its product's wire: how a request
// names what it wants, who signed it, how answers and errors look. The lifecycle knows the order
// and the rules, the same for every door:
//   request id and facts → parse → authenticate → identify the operation → prepare its input and
//   permissions → authorize every permission → run → audit → wait for the disk (writes) → render
//   → access log (at info for a request with an event or an error, else at debug).
// - Every permission is decided and the decisions are kept as data for the audit event.
// - Every request whose caller and operation are known is audited, allowed or refused; a request
//   whose event cannot be recorded fails with an InternalError instead of going unrecorded
//   (ServiceUnavailable when the database or Redis does not answer, for the work or the record).
// - A write is answered only once it and its event are on disk.
// - A client that hung up is recorded as such (ClientAborted), not as an internal error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Authorizer } from '../access/index.js';
import { ApiError, CommonErrors, type Principal } from '../model/index.js';
import type { Decision } from '../policy/index.js';
import type { Check, RequestFacts } from '../services/index.js';
import { accessLog } from '../log.js';
import { StoreUnavailableError } from '../store/index.js';
import { authorize, type Decided } from './authorize.js';
import { auditRecord, type AuditSink, type AuditSubject, type OperationEvent } from './audit/index.js';
import { discardUnread } from './http/discard-unread.js';
import { RequestAbortedError } from './http/read-body.js';
import { requestFacts } from './http/request-facts.js';

/** An operation ready to run: every permission it needs, and the work. */
export interface Prepared<R> {
  /** All of them, the operation's own first; each must be allowed. */
  checks: readonly Check[];
  /** The resource the event is about, when it is not the first check's. */
  resource?: string;
  run(): Promise<R>;
  /** What a write's event keeps of its answer (nothing for reads). */
  responseElements?(result: R): object | undefined;
  /**
   * For a request with no event of its own whose work may still be one to record: an instance's
   * role session, issued by the metadata service, is recorded as an STS AssumeRole by that session.
   */
  eventOf?(result: R): AuditSubject | undefined;
}

/** The operation a request names, known once its caller is. */
export interface Identified<R> {
  /** Who is authorized and audited; absent when nobody is (the metadata service's plain answers). */
  caller?: Principal;
  /** Required with a caller. */
  event?: OperationEvent;
  /** Validates the input and names the permissions; an error here is audited as the operation's. */
  prepare(): Promise<Prepared<R>>;
}

export interface Codec<P, C, R> {
  /** For the access log: 'api', 'oss', 'metadata'. */
  readonly name: string;
  readonly requestIdHeader: string;
  newRequestId(): string;
  /** Addressing and parameters; what it refuses is not audited (no caller is known yet). */
  parse(req: IncomingMessage, facts: RequestFacts): Promise<P>;
  /** Who is calling (auth/ does the work); a refusal here is not audited either. */
  authenticate(parsed: P, facts: RequestFacts): Promise<C>;
  identify(parsed: P, caller: C, facts: RequestFacts): Identified<R>;
  /** The product's words for a refused permission without a refusal of its own. */
  refuse(caller: Principal, check: Check, decision: Decision, detail: () => Record<string, string>): ApiError;
  render(res: ServerResponse, parsed: P, result: R, facts: RequestFacts): Promise<void>;
  renderError(res: ServerResponse, parsed: P | undefined, error: ApiError, facts: RequestFacts): void;
  /** Lets go of a request body a refused request was reading (a form's unread file), so it can be drained. */
  abandon?(parsed: P): void;
  /** A few ids for the access log line (never request content). */
  logFields(parsed: P | undefined, identified: Identified<R> | undefined): Record<string, unknown>;
}

/** One answered request, for the node's metrics. */
export interface RequestObservation {
  door: string;
  action: string;
  status: number;
  seconds: number;
  /** The effect of every permission decided for it. */
  effects: readonly string[];
}

export interface LifecycleDeps {
  observe?(o: RequestObservation): void;
  authorizer: Authorizer;
  audit?: AuditSink;
  /** Resolves once every write so far is on disk. */
  flushed(): Promise<void>;
  log: Logger;
  now(): number;
}

/** The audit trail could not take the request's event: the request fails rather than go unrecorded. */
class AuditFailed extends Error {
  constructor(cause: unknown) {
    super('audit record failed', { cause });
  }
}

/** The database or Redis did not answer (for the request's own work or for its audit record). */
const unavailable = (e: unknown): boolean => e instanceof StoreUnavailableError || (e instanceof AuditFailed && e.cause instanceof StoreUnavailableError);

const clientAborted = () => new ApiError('ClientAborted', 'The client closed the connection before sending its whole request.', 400);

/** The request's own event, or the one its result names. */
function subjectOf<R>(identified: Identified<R> | undefined, prepared: Prepared<R> | undefined, result: R | undefined): AuditSubject | undefined {
  if (identified?.caller && identified.event) {
    const response = result !== undefined && identified.event.rw === 'Write' ? prepared?.responseElements?.(result) : undefined;
    const resource = prepared?.resource ?? prepared?.checks[0]?.resource;
    // An unsigned request that reached nothing of anyone's (no such bucket, no such operation)
    // belongs in no account's trail; recording it would let anyone fill the trail.
    if (identified.caller.type === 'Anonymous' && resource === undefined) return undefined;
    return { caller: identified.caller, event: identified.event, ...(resource ? { resource } : {}), ...(response ? { responseElements: response } : {}) };
  }
  return result !== undefined ? prepared?.eventOf?.(result) : undefined;
}

export function lifecycle<P, C, R>(codec: Codec<P, C, R>, deps: LifecycleDeps, secureTransport: boolean) {
  const access = accessLog(deps.log);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = codec.newRequestId();
    res.setHeader(codec.requestIdHeader, requestId);
    const facts = requestFacts(req, requestId, secureTransport, deps.now());
    let parsed: P | undefined;
    let identified: Identified<R> | undefined;
    let prepared: Prepared<R> | undefined;
    let error: ApiError | undefined;
    const decided: Decided[] = [];
    let recorded = false;
    /** Records the request's one event (if it has one); a failure to is an AuditFailed. */
    const record = async (outcome: { result?: R; error?: ApiError }): Promise<void> => {
      if (recorded) return;
      const subject = subjectOf(identified, prepared, outcome.result);
      if (subject === undefined) return;
      recorded = true;
      if (!deps.audit) return;
      try {
        await deps.audit.record(auditRecord(facts, subject, decided, outcome.error));
      } catch (e) {
        throw new AuditFailed(e);
      }
    };
    try {
      parsed = await codec.parse(req, facts);
      identified = codec.identify(parsed, await codec.authenticate(parsed, facts), facts);
      prepared = await identified.prepare();
      if (prepared.checks.length > 0) {
        if (identified.caller === undefined) throw new Error(`${identified.event?.name ?? 'an operation'} needs permissions but has no caller`);
        await authorize(deps.authorizer, identified.caller, facts, prepared.checks, decided, codec.refuse.bind(codec));
      }
      const result = await prepared.run();
      const recording = record({ result });
      if (identified.event?.rw === 'Write') await Promise.all([recording, deps.flushed()]);
      else await recording;
      await codec.render(res, parsed, result, facts);
    } catch (e) {
      const aborted = e instanceof RequestAbortedError || (!(e instanceof ApiError) && !(e instanceof AuditFailed) && req.destroyed && !req.complete);
      error = e instanceof ApiError ? e : aborted ? clientAborted() : unavailable(e) ? CommonErrors.serviceUnavailable() : CommonErrors.internal();
      if (aborted) deps.log.debug({ requestId }, 'client went away before its request was read');
      else if (unavailable(e)) deps.log.warn({ err: e instanceof AuditFailed ? e.cause : e, requestId }, 'store unavailable');
      else if (e instanceof AuditFailed) deps.log.error({ err: e.cause, requestId }, 'audit record failed');
      else if (!(e instanceof ApiError)) deps.log.error({ err: e, requestId }, `${codec.name} internal error`);
      try {
        await record({ error });
      } catch (auditError) {
        deps.log.error({ err: (auditError as AuditFailed).cause, requestId }, 'audit record failed');
        error = unavailable(auditError) ? CommonErrors.serviceUnavailable() : CommonErrors.internal();
      }
      if (res.headersSent) res.destroy();
      else if (!aborted) {
        if (parsed !== undefined) codec.abandon?.(parsed);
        await discardUnread(req, res);
        codec.renderError(res, parsed, error, facts);
      }
    } finally {
      // A request with an event, or one that failed, is worth a line at the default level; a plain
      // answer that concerns nobody (the metadata service's listings and cached credentials, which
      // instances poll) is a line only when debugging.
      deps.observe?.({
        door: codec.name,
        action: identified?.event?.name ?? (error !== undefined ? 'refused' : 'answered'),
        status: res.statusCode,
        seconds: (performance.now() - started) / 1000,
        effects: decided.map((d) => d.decision.effect),
      });
      const level = recorded || error !== undefined ? 'info' : 'debug';
      if (access.isLevelEnabled(level)) {
        const ms = Math.round((performance.now() - started) * 10) / 10;
        access[level]({ requestId, ...codec.logFields(parsed, identified), accessKeyId: identified?.caller?.accessKeyId, status: res.statusCode, code: error?.code, ms }, `${codec.name} request`);
      }
    }
  };
}
