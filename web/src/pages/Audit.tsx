// The operation records (ActionTrail LookupEvents): filters, the list, and each event whole,
// including a refusal's explanation of which policy decided it.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import { ErrorBox, Field, Table, useAction } from '../components';

interface TrailEvent {
  eventId: string;
  eventTime: string;
  eventName: string;
  eventType: string;
  serviceName: string;
  eventRW: string;
  errorCode?: string;
  errorExplanation?: string;
  userIdentity: { userName?: string; accessKeyId?: string; type: string };
}

const KEYS = ['EventName', 'User', 'EventAccessKeyId', 'ServiceName', 'EventRW', 'ResourceName'] as const;

export function AuditPage() {
  const [events, setEvents] = useState<TrailEvent[]>([]);
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [open, setOpen] = useState<string | undefined>();
  const [error, busy, run] = useAction();
  const search = () =>
    run(async () => {
      const given = KEYS.filter((k) => (filters[k] ?? '') !== '').slice(0, 2);
      const params: Record<string, string> = { MaxResults: '50' };
      // The API takes both ends or neither: a missing one is a week before, or now.
      if (from !== '' || to !== '') {
        const end = to === '' ? new Date() : new Date(to);
        const start = from === '' ? new Date(end.getTime() - 7 * 86_400_000) : new Date(from);
        params['StartTime'] = start.toISOString().replace(/\.\d{3}Z$/, 'Z');
        params['EndTime'] = end.toISOString().replace(/\.\d{3}Z$/, 'Z');
      }
      given.forEach((k, i) => {
        params[`LookupAttribute.${i + 1}.Key`] = k;
        params[`LookupAttribute.${i + 1}.Value`] = filters[k]!;
      });
      setEvents(((await call('actiontrail', 'LookupEvents', params))['Events'] as TrailEvent[] | undefined) ?? []);
    });
  useEffect(() => void search(), []);
  const shown = errorsOnly ? events.filter((e) => e.errorCode !== undefined) : events;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Operation records</h2>
      <form
        class="inline"
        aria-label="Filter events"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        {KEYS.map((k) => (
          <Field key={k} label={k}>
            <input name={k} value={filters[k] ?? ''} onInput={(e) => setFilters({ ...filters, [k]: (e.target as HTMLInputElement).value })} />
          </Field>
        ))}
        <Field label="From">
          <input type="datetime-local" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="To">
          <input type="datetime-local" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </Field>
        <label class="check">
          <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly((e.target as HTMLInputElement).checked)} /> Errors only
        </label>
        <button type="submit" disabled={busy}>
          Search
        </button>
      </form>
      <ErrorBox error={error} />
      <Table head={['Time', 'Event', 'Type', 'User', 'AccessKey', 'Result']}>
        {shown.map((e) => (
          <>
            <tr key={e.eventId}>
              <td>{e.eventTime}</td>
              <td>
                <button type="button" class="link" aria-expanded={open === e.eventId} onClick={() => setOpen(open === e.eventId ? undefined : e.eventId)}>
                  {e.serviceName} {e.eventName}
                </button>
              </td>
              <td>{e.eventType}</td>
              <td>{e.userIdentity.userName}</td>
              <td>
                <code>{e.userIdentity.accessKeyId}</code>
              </td>
              <td>{e.errorCode ?? 'OK'}</td>
            </tr>
            {open === e.eventId && (
              <tr>
                <td colSpan={6}>
                  {e.errorExplanation && <p class="explanation">{e.errorExplanation}</p>}
                  <pre>{JSON.stringify(e, null, 2)}</pre>
                </td>
              </tr>
            )}
          </>
        ))}
      </Table>
    </section>
  );
}
