// Small pieces every page uses: the error box that shows the API's own code and message (and a
// refusal's explanation), a copy button, a labelled field.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiFailure } from './api';

export function ErrorBox({ error }: { error: unknown }) {
  if (error === undefined) return null;
  if (error instanceof ApiFailure) {
    // Every product says "no" with 403, whatever its code (NoPermission, InvalidUser.PassRoleForbidden…).
    const denied = error.status === 403;
    return (
      <div class="error" role="alert">
        {denied && <strong>You are not authorized to do this. </strong>}
        <span class="code">{error.code}</span>: {error.message}
        {error.detail && (
          <dl class="denial">
            {/* The encoded message is for DecodeDiagnosticMessage, not for reading. */}
            {Object.entries(error.detail).filter(([k]) => k !== 'EncodedDiagnosticMessage').map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
              </>
            ))}
          </dl>
        )}
        {error.requestId && <div class="request-id">RequestId {error.requestId}</div>}
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      {String(error)}
    </div>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** Runs an async action, keeping its error for the ErrorBox and a busy flag for the button. */
export function useAction(): [unknown, boolean, (work: () => Promise<void>) => Promise<void>] {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return [error, busy, run];
}

/** A table with a header row; a blank header names a column of buttons for screen readers. */
export function Table({ head, children }: { head: readonly string[]; children: ComponentChildren }) {
  return (
    <table>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h === '' ? <span class="visually-hidden">Actions</span> : h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export interface NewAccessKey {
  AccessKeyId: string;
  AccessKeySecret: string;
}

/** A new AccessKey, its secret shown this once (the API never gives it again). */
export function NewKeyNotice({ userName, accessKey, onDone }: { userName: string; accessKey: NewAccessKey; onDone: () => void }) {
  return (
    <div class="secret" role="status" aria-label="New AccessKey">
      <p>
        User <strong>{userName}</strong> has a new AccessKey. The secret is shown this once: copy it now.
      </p>
      <dl>
        <dt>AccessKey ID</dt>
        <dd>
          <code data-testid="new-access-key-id">{accessKey.AccessKeyId}</code> <CopyButton text={accessKey.AccessKeyId} label="Copy AccessKey ID" />
        </dd>
        <dt>AccessKey secret</dt>
        <dd>
          <code data-testid="new-access-key-secret">{accessKey.AccessKeySecret}</code> <CopyButton text={accessKey.AccessKeySecret} label="Copy AccessKey secret" />
        </dd>
      </dl>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}
