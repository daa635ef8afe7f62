// Object storage: the buckets, and a browser of one bucket's objects by prefix (folders), with
// uploads showing their progress, downloads and deletes. Every request is OSS's own operation,
// run as the signed-in principal.
import { useEffect, useState } from 'preact/hooks';
import { objectLink, oss, upload } from '../api';
import { CopyButton, ErrorBox, Field, Table, useAction } from '../components';

const texts = (doc: Document, parent: string, child: string): string[] =>
  [...doc.getElementsByTagName(parent)].map((e) => e.getElementsByTagName(child)[0]?.textContent ?? '');
const path = (bucket: string, key = '') => `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;

export function BucketsPage() {
  const [buckets, setBuckets] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [error, busy, run] = useAction();
  const reload = async () => setBuckets(texts(await oss('GET', '/'), 'Bucket', 'Name'));
  useEffect(() => void run(reload), []);
  return (
    <section aria-labelledby="buckets-title">
      <h2 id="buckets-title">Buckets</h2>
      <form
        class="inline"
        aria-label="Create bucket"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await oss('PUT', `/${encodeURIComponent(name)}`);
            setName('');
            await reload();
          });
        }}
      >
        <Field label="Bucket name">
          <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
        <button type="submit" disabled={busy}>
          Create bucket
        </button>
      </form>
      <ErrorBox error={error} />
      <ul>
        {buckets.map((b) => (
          <li key={b}>
            <a href={`#/buckets/${encodeURIComponent(b)}`}>{b}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function BucketPage({ bucket }: { bucket: string }) {
  const [prefix, setPrefix] = useState('');
  const [folders, setFolders] = useState<string[]>([]);
  const [objects, setObjects] = useState<{ key: string; size: string; modified: string }[]>([]);
  const [sent, setSent] = useState<number | undefined>();
  const [link, setLink] = useState<{ key: string; Url: string; Expiration: string } | undefined>();
  const [error, busy, run] = useAction();
  const reload = async () => {
    const doc = await oss('GET', `/${encodeURIComponent(bucket)}/?list-type=2&delimiter=%2F&prefix=${encodeURIComponent(prefix)}`);
    setFolders(texts(doc, 'CommonPrefixes', 'Prefix'));
    setObjects([...doc.getElementsByTagName('Contents')].map((c) => ({ key: c.getElementsByTagName('Key')[0]?.textContent ?? '', size: c.getElementsByTagName('Size')[0]?.textContent ?? '', modified: c.getElementsByTagName('LastModified')[0]?.textContent ?? '' })));
  };
  useEffect(() => void run(reload), [bucket, prefix]);
  const put = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    void run(async () => {
      setSent(0);
      await upload(path(bucket, prefix + file.name), file, setSent);
      input.value = '';
      await reload();
    });
  };
  const parent = prefix.replace(/[^/]*\/$/, '');
  return (
    <section aria-labelledby="bucket-title">
      <p>
        <a href="#/buckets">Buckets</a> /
      </p>
      <h2 id="bucket-title">{bucket}</h2>
      <p data-testid="prefix">
        {prefix === '' ? 'All objects' : `In ${prefix}`}{' '}
        {prefix !== '' && (
          <button type="button" onClick={() => setPrefix(parent)}>
            Up
          </button>
        )}
      </p>
      <Field label="Upload a file here">
        <input type="file" onChange={put} disabled={busy} />
      </Field>
      {sent !== undefined && (
        <progress aria-label="Upload progress" max={1} value={sent}>
          {Math.round(sent * 100)}%
        </progress>
      )}
      <ErrorBox error={error} />
      {link && (
        <div class="secret" role="status" aria-label="Object link">
          Anyone with this link may read <strong>{link.key}</strong> until {link.Expiration}: <code data-testid="object-link">{link.Url}</code>{' '}
          <CopyButton text={link.Url} label="Copy link" />
        </div>
      )}
      <Table head={['Name', 'Size', 'Modified', '']}>
        {folders.map((f) => (
          <tr key={f}>
            <td colSpan={4}>
              <button type="button" class="link" onClick={() => setPrefix(f)}>
                {f.slice(prefix.length)}
              </button>
            </td>
          </tr>
        ))}
        {objects.map((o) => (
          <tr key={o.key}>
            <td>{o.key.slice(prefix.length)}</td>
            <td>{o.size}</td>
            <td>{o.modified}</td>
            <td>
              <a href={`/api/oss${path(bucket, o.key)}`} download={o.key.split('/').pop()}>
                Download
              </a>{' '}
              <button type="button" disabled={busy} onClick={() => void run(async () => setLink({ key: o.key, ...(await objectLink(bucket, o.key, 3600)) }))}>
                Link to {o.key.slice(prefix.length)}
              </button>{' '}
              <button type="button" disabled={busy} onClick={() => void run(async () => {
                await oss('DELETE', path(bucket, o.key));
                await reload();
              })}>
                Delete {o.key.slice(prefix.length)}
              </button>
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
