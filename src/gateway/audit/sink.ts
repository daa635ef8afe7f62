// The lifecycle's audit step. Every authenticated request, allowed or refused, is handed to the
// sink before its response is sent; the audit trail (ActionTrail events) implements the sink.
import type { Principal } from '../../model/index.js';
import type { FailedCondition, PolicyRef } from '../../policy/index.js';
import type { RequestFacts } from '../../services/index.js';

/** What the audit trail calls an operation. */
export interface OperationEvent {
  serviceName: string;
  apiVersion: string;
  name: string;
  rw: 'Read' | 'Write';
  /** The request's parameters as the trail keeps them (signature fields already left out). */
  parameters: Iterable<readonly [string, string | undefined]>;
  /** Also recorded in the caller's account (a cross-account AssumeRole). */
  sharedWithCaller?: boolean;
  /** ActionTrail's eventType when not an API call: ConsoleOperation for the console's actions. */
  type?: EventType;
}

/** ActionTrail's kinds of management event that Rampart records. */
export type EventType = 'ApiCall' | 'ConsoleOperation' | 'ConsoleSignin' | 'ConsoleSignout';

/** Whose event it is, and what it is about. */
export interface AuditSubject {
  caller: Principal;
  event: OperationEvent;
  resource?: string;
  responseElements?: object;
}

/** A permission decided for the request, as the authorizer decided it. */
export interface AuditCheck {
  permission: string;
  resource: string;
  effect: string;
  /** The deciding policy and statement, or the statement a condition kept from allowing. */
  policy?: PolicyRef;
  statement?: number;
  condition?: FailedCondition;
}

export interface AuditRecord {
  request: RequestFacts;
  serviceName: string;
  apiVersion: string;
  eventName: string;
  eventRW: 'Read' | 'Write';
  caller: Principal;
  /** The request parameters, without signature fields. */
  requestParameters: Record<string, string>;
  responseElements?: object;
  errorCode?: string;
  errorMessage?: string;
  /** The resource the action's own permission was checked on. */
  resource?: string;
  /** For a refusal by a policy decision: that decision in words. */
  explanation?: string;
  /**
   * The event is also recorded in the caller's account when the resource is another account's
   * (a cross-account AssumeRole); otherwise only the resource owner's account has it.
   */
  sharedWithCaller?: boolean;
  /** Permissions checked besides the action's own (e.g. ram:PassRole), with their decisions. */
  checks?: AuditCheck[];
  /** ApiCall unless said. */
  eventType?: EventType;
  /** What the event's kind records beside the request (a sign-in's account name and MFA check). */
  additionalEventData?: Record<string, string>;
  /** eventSource, when not the product's API host (a console sign-in's). */
  eventSource?: string;
}

export interface AuditSink {
  /** Resolves once the record is safe; a rejection fails the request rather than lose it. */
  record(entry: AuditRecord): Promise<void>;
}
