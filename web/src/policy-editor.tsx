// A policy document editor that checks as you type, with the same parser the server runs
// (src/policy is pure: it runs in the browser unchanged). An error names the statement and the
// element, e.g. "Statement[1].Action: …"; the server checks again when the document is sent.
import { useMemo } from 'preact/hooks';
import { parsePolicy } from '../../src/policy/parse.js';
import { PolicyGrammarError } from '../../src/policy/errors.js';
import type { PolicyKind } from '../../src/policy/document.js';
import { Field } from './components';

export const NEW_POLICY = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:*:my-bucket/*'] }] }, null, 2);

/** What is wrong with a document, or undefined when it is a valid policy of its kind. */
export function policyProblem(text: string, kind: PolicyKind): { where: string; why: string } | undefined {
  try {
    parsePolicy(text, kind);
    return undefined;
  } catch (e) {
    if (e instanceof PolicyGrammarError) return { where: e.path === '' ? 'the document' : e.path, why: e.reason };
    return { where: 'the document', why: String(e) };
  }
}

export function PolicyEditor({ label, value, kind, onInput }: { label: string; value: string; kind: PolicyKind; onInput: (text: string) => void }) {
  const problem = useMemo(() => policyProblem(value, kind), [value, kind]);
  return (
    <div class="policy-editor">
      <Field label={label}>
        <textarea rows={14} spellcheck={false} aria-invalid={problem !== undefined} aria-describedby="policy-check" value={value} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />
      </Field>
      <p id="policy-check" class={problem ? 'invalid' : 'valid'} role="status" data-testid="policy-check">
        {problem ? (
          <>
            <strong>{problem.where}</strong>: {problem.why}
          </>
        ) : (
          'The document is a valid policy.'
        )}
      </p>
    </div>
  );
}
